import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { isRunning, type Ownership, stopPid } from '../contract/own-process.js';
import { ensurePrivateDir, openLogFile, readStateFile } from '../contract/state-files.js';

/**
 * The Docker Engine the runtime drives: the user's (DOCKER_HOST, else the default socket) or a private
 * dockerd that stups-local starts under its state directory, with no bridge and no iptables rules, and
 * stops by PID.
 */
export type EngineChoice = 'user' | 'private';

export interface DockerEngine {
  docker: Docker;
  /** `unix:///path` or `tcp://host:port`: where the engine answers. */
  endpoint: string;
  /** e.g. `Docker 20.10.24 (private dockerd, PID 123)`. */
  summary: string;
  /** The private dockerd's PID; undefined for the user's engine. */
  pid?: number;
  /** Stops a private dockerd (SIGTERM, then SIGKILL); nothing for the user's engine. */
  close(): Promise<void>;
}

/** Why no engine could be reached, for the runtime service's summary. */
export interface EngineUnavailable {
  unavailable: string;
}

export const DOCKERD_DIR = 'docker';
export const DOCKERD_PID_FILE = 'dockerd.pid';
export const DOCKERD_SOCKET = 'docker.sock';
export const DOCKERD_LOG_FILE = 'dockerd.log';
const DEFAULT_SOCKET = '/var/run/docker.sock';
const PING_TIMEOUT_MS = 3_000;
const READY_TIMEOUT_MS = 30_000;

/** A short id of a state directory: the runtime's label value and the name of short paths under /tmp. */
export function stateDirId(stateDir: string): string {
  return createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 12);
}

export async function connectEngine(
  choice: EngineChoice,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerEngine | EngineUnavailable> {
  return choice === 'private' ? startPrivateDockerd(stateDir) : connectUserEngine(env);
}

/** The engine at DOCKER_HOST (unix:// or tcp://), else at /var/run/docker.sock. */
export async function connectUserEngine(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerEngine | EngineUnavailable> {
  const endpoint = env.DOCKER_HOST || `unix://${DEFAULT_SOCKET}`;
  let docker: Docker;
  try {
    docker = dockerAt(endpoint);
  } catch (e) {
    return { unavailable: `no Docker engine at ${endpoint}: ${(e as Error).message}` };
  }
  const version = await engineVersion(docker);
  if ('error' in version) return { unavailable: `no Docker engine at ${endpoint}: ${version.error}` };
  return { docker, endpoint, summary: `Docker ${version.version} at ${endpoint}`, close: async () => undefined };
}

function dockerAt(endpoint: string): Docker {
  if (endpoint.startsWith('unix://')) return new Docker({ socketPath: endpoint.slice('unix://'.length) });
  const url = new URL(endpoint.replace(/^tcp:/, 'http:'));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported DOCKER_HOST scheme`);
  return new Docker({
    host: url.hostname,
    port: Number(url.port) || 2375,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  });
}

async function engineVersion(docker: Docker): Promise<{ version: string } | { error: string }> {
  try {
    const v = (await withTimeout(docker.version(), PING_TIMEOUT_MS)) as { Version?: string };
    return { version: v.Version ?? 'unknown version' };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { error: err.code ?? err.message };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a private dockerd keeps its files. The exec root is short: containerd's sockets live there. */
export function privateDockerdPaths(stateDir: string) {
  // Absolute: dockerd is given these paths, and the mount check compares them with /proc/self/mountinfo.
  const dir = join(resolve(stateDir), DOCKERD_DIR);
  return {
    dir,
    dataRoot: join(dir, 'data'),
    execRoot: `/tmp/stups-dx-${stateDirId(stateDir)}`,
    socket: join(dir, DOCKERD_SOCKET),
    pidFile: join(dir, DOCKERD_PID_FILE),
    log: join(dir, DOCKERD_LOG_FILE),
  };
}

/** Starts dockerd under `<stateDir>/docker` and waits until it answers. */
export async function startPrivateDockerd(stateDir: string): Promise<DockerEngine | EngineUnavailable> {
  const paths = privateDockerdPaths(stateDir);
  const bin = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => existsSync(p)) ?? 'dockerd';
  if (Buffer.byteLength(paths.socket) > 100)
    return { unavailable: `the private dockerd's socket path is too long for a unix socket: ${paths.socket}` };
  ensurePrivateDir(stateDir);
  ensurePrivateDir(paths.dir, { inside: true });
  // A dockerd of an earlier run that nobody stopped would hold the data root's lock.
  await stopDockerdByPidFile(stateDir, dockerdOf(paths.dataRoot));
  rmSync(paths.socket, { force: true });
  const log = openLogFile(paths.log, 'truncate');
  const child = spawn(
    bin,
    [
      '--data-root',
      paths.dataRoot,
      '--exec-root',
      paths.execRoot,
      '-H',
      `unix://${paths.socket}`,
      '--pidfile',
      paths.pidFile,
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      // Containers whose PID 1 ignores SIGTERM (busybox httpd) must not hold up its shutdown past our grace.
      '--shutdown-timeout',
      '3',
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const spawned = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    child.once('spawn', () => done(undefined));
    child.once('error', (e) => done(e));
  });
  if (spawned || child.pid === undefined)
    return { unavailable: `cannot start ${bin}: ${spawned?.code ?? spawned?.message ?? 'no PID'}` };
  child.unref();
  const pid = child.pid;
  const ours: Ownership = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    await stopPid(pid, ours, { graceMs: 15_000, label: 'dockerd' });
    removeRunFiles(paths);
  };
  const endpoint = `unix://${paths.socket}`;
  const docker = new Docker({ socketPath: paths.socket });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!ours(pid)) return { unavailable: `dockerd exited during start-up: ${tail(paths.log)}` };
    const version = existsSync(paths.socket) ? await engineVersion(docker) : { error: 'no socket yet' };
    if ('version' in version)
      return {
        docker,
        endpoint,
        pid,
        summary: `Docker ${version.version} (private dockerd, PID ${pid})`,
        close: stop,
      };
    if (Date.now() > deadline) {
      await stop();
      return { unavailable: `dockerd did not answer within ${READY_TIMEOUT_MS / 1000} s: ${tail(paths.log)}` };
    }
    await sleep(100);
  }
}

/**
 * Stops the private dockerd recorded in `<stateDir>/docker/dockerd.pid` when `isOurs` accepts it (a
 * killed platform daemon leaves it running) and removes its socket. Returns whether it stopped one.
 */
export async function stopDockerdByPidFile(stateDir: string, isOurs: Ownership): Promise<boolean> {
  const paths = privateDockerdPaths(stateDir);
  const text = readStateFile(paths.pidFile);
  if (text === undefined) {
    // dockerd removes its PID file when it exits (stopped as a recorded part): its mounts and exec root may remain.
    removeRunFiles(paths);
    return false;
  }
  const pid = Number.parseInt(text.trim(), 10);
  const accept: Ownership = (p) => isOurs(p) && dockerdOf(paths.dataRoot)(p);
  const outcome = await stopPid(pid, accept, { graceMs: 15_000, label: 'dockerd' });
  if (outcome !== 'not-ours') removeRunFiles(paths);
  return outcome === 'stopped';
}

/** What a stopped dockerd leaves: its socket, PID file and exec root (the data root, with the images, stays). */
function removeRunFiles(paths: ReturnType<typeof privateDockerdPaths>): void {
  // dockerd bind-mounts its data root onto itself and its containers' network namespaces into the exec
  // root; one that was killed leaves those mounts behind.
  for (const mount of mountsUnder([paths.dataRoot, paths.execRoot])) {
    try {
      execFileSync('umount', [mount], { stdio: 'ignore' });
    } catch {
      // still busy: the next start of dockerd reuses it
    }
  }
  rmSync(paths.socket, { force: true });
  rmSync(paths.pidFile, { force: true });
  try {
    rmSync(paths.execRoot, { recursive: true, force: true });
  } catch {
    // a mount dockerd left busy: harmless, and the next start reuses the directory
  }
}

/** Mount points at or below `dirs`, deepest first. */
function mountsUnder(dirs: string[]): string[] {
  let info: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  // Field 5 is the mount point, with spaces and the like octal-escaped.
  const points = info
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\(\d{3})/g, (_, o) => String.fromCharCode(Number.parseInt(o, 8))))
    .filter((p): p is string => !!p && dirs.some((d) => p === d || p.startsWith(`${d}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** A running dockerd whose command line names this state directory's data root. */
function dockerdOf(dataRoot: string): Ownership {
  return (pid) => {
    if (!isRunning(pid)) return false;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return /dockerd$/.test(args[0] ?? '') && args.includes(dataRoot);
    } catch {
      return !existsSync('/proc/self');
    }
  };
}

function tail(path: string, lines = 5): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join(' | ');
  } catch {
    return '(no log)';
  }
}
