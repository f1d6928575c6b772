import { spawn } from 'node:child_process';
import { closeSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { OperationError } from '@stups/core';
import { freeLoopbackPort } from '../contract/loopback-port.js';
import { isRunning, type Ownership, stopPid } from '../contract/own-process.js';
import { ensurePrivateDir, openLogFile, readStateFile, writeStateFile } from '../contract/state-files.js';

/**
 * moto_server as the local AWS: one process on an ephemeral loopback port, its PID, port and log in a
 * state directory, so that another process (`stups-local down`) can stop it by PID.
 */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL. */
  endpoint: string;
  port: number;
  pid: number;
  stateDir: string;
  /** SIGTERM (moto saves its state first when it keeps one), then SIGKILL after 15 s; resolves once it is gone. */
  stop(): Promise<void>;
  /** Wipes all emulated state (every account and region). */
  reset(): Promise<void>;
  /** Set when moto had not stopped cleanly and came back at its last snapshot: what was kept and lost. */
  restoredFromSnapshot?: string;
}

export interface StartMotoOptions {
  stateDir: string;
  /** Extra environment for moto_server (`undefined` removes an inherited variable). */
  env?: Record<string, string | undefined>;
  /** The executable; `moto_server` from PATH by default. */
  command?: string;
  /** How long to wait for moto to answer, in ms (default 30 s). */
  readyTimeoutMs?: number;
  /**
   * Load the small fidelity patches below into moto (default true). Without them, images created
   * with CreateImage report RootDeviceType "standard" and are invisible to a `root-device-type=ebs` search.
   */
  fidelityPatches?: boolean;
  /**
   * Keep the emulated state in this file between runs: moto saves it when stopped with SIGTERM and
   * loads it (and removes the file) at its next start. Without it, every start is an empty AWS.
   */
  stateFile?: string;
}

export const MOTO_PID_FILE = 'moto.pid';
export const MOTO_PORT_FILE = 'moto.port';
export const MOTO_LOG_FILE = 'moto.log';
/** The platform's emulated AWS state between runs (see StartMotoOptions.stateFile). */
export const MOTO_STATE_FILE = 'moto-state.pickle';
/** SIGTERM → exit: moto itself stops at once; saving a large state takes a few seconds. */
const MOTO_GRACE_MS = 15_000;
const PATCH_DIR = 'moto-patches';

const INSTALL_HINT =
  "Install moto with its server extras into the Python on PATH: pip install 'moto[server]' (check: python3 -c 'import moto', moto_server --help).";

/**
 * The Python that moto_server loads at start-up through PYTHONPATH (`sitecustomize.py`), for what it
 * lacks. It ships with the package in `packages/local/python/` (beside `dist/` and `src/`, so the same
 * path serves both) and is copied into `<stateDir>/moto-patches/` at each start:
 *
 * - With STUPS_LOCAL_MOTO_PATCHES=1, one import hook (`stups_moto_hook.py`, a table of module → patch)
 *   patches moto where it differs from AWS: ListCertificates answers with AWS's certificate summaries
 *   (`stups_moto_acm.py`); CreateImage of an EBS-backed instance yields an EBS-backed
 *   image and a DescribeImages search also finds other accounts' public images (`stups_moto_amis.py`);
 *   Auto Scaling groups, launch templates and their CloudFormation updates (`stups_moto_launch.py`);
 *   the account's vCPU quota and the scaling activities that show its failures (`stups_moto_capacity.py`).
 *   Only behaviour that AWS itself has is patched in.
 * - Always, two look-ups moto repeats on every request (its module list, a response class's methods)
 *   are made once (`stups_moto_speed.py`): no answer changes, each request takes less of moto's time.
 * - With STUPS_LOCAL_MOTO_STATE=<file>, the emulated state outlives the process (`stups_moto_state.py`):
 *   pickled into the file when moto exits, loaded back at the next start, with a snapshot every 30 s
 *   (STUPS_LOCAL_MOTO_SNAPSHOT_SECONDS; 0: never) that a moto killed without SIGTERM comes back at
 *   ("RESTORED FROM SNAPSHOT … changes made after it are lost" in moto.log, repeated by `up`).
 */
export const MOTO_PYTHON_DIR = fileURLToPath(new URL('../../python/', import.meta.url));

/** The Python files of MOTO_PYTHON_DIR, by name. */
export function motoPythonFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(MOTO_PYTHON_DIR).sort()) {
    if (name.endsWith('.py')) files.set(name, readFileSync(join(MOTO_PYTHON_DIR, name), 'utf8'));
  }
  return files;
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(options: StartMotoOptions): Promise<MotoServer> {
  const stateDir = options.stateDir;
  ensurePrivateDir(stateDir);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await launch(options, port);
    } catch (e) {
      // Another process may have taken the port between our probe and moto's bind: try another one.
      if (e instanceof PortTakenError) {
        lastError = e;
        continue;
      }
      throw e;
    }
  }
  throw new OperationError(`moto_server could not bind a loopback port after 5 attempts`, {
    code: 'local.moto-start-failed',
    hint: `See ${join(stateDir, MOTO_LOG_FILE)}.`,
    cause: lastError,
  });
}

class PortTakenError extends Error {}

async function launch(options: StartMotoOptions, port: number): Promise<MotoServer> {
  const { stateDir } = options;
  const logPath = join(stateDir, MOTO_LOG_FILE);
  const env: Record<string, string | undefined> = { ...process.env, MOTO_ACM_VALIDATION_WAIT: '0' };
  if (options.fidelityPatches !== false) env.STUPS_LOCAL_MOTO_PATCHES = '1';
  if (options.stateFile) env.STUPS_LOCAL_MOTO_STATE = options.stateFile;
  // Always loaded: the speed patch applies to every moto, the others as the two variables above say.
  const patchDir = join(stateDir, PATCH_DIR);
  ensurePrivateDir(patchDir, { inside: true });
  for (const [name, text] of motoPythonFiles()) writeStateFile(join(patchDir, name), text);
  env.PYTHONPATH = [patchDir, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // A custom AMI list replaces moto's per-region defaults and breaks EC2 in regions it does not cover.
  delete env.MOTO_AMIS_PATH;

  const command = options.command ?? 'moto_server';
  const logFd = openLogFile(logPath, 'truncate');
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', logFd, logFd],
    // Its own process group: it outlives `stups-local up` and a Ctrl-C in the caller's terminal.
    detached: true,
  });
  closeSync(logFd);

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: NodeJS.ErrnoException | undefined;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.on('error', (e: NodeJS.ErrnoException) => {
    spawnError = e;
  });
  child.unref();

  await new Promise<void>((resolve) => {
    child.once('spawn', resolve);
    child.once('error', () => resolve());
  });
  if (spawnError || child.pid === undefined) {
    if (spawnError?.code === 'ENOENT') throw motoMissing(command, `${command} was not found on PATH`);
    throw new OperationError(`Cannot start ${command}: ${spawnError?.message ?? 'no PID'}`, {
      code: 'local.moto-start-failed',
      hint: INSTALL_HINT,
      cause: spawnError,
    });
  }
  const pid = child.pid;
  // Until Node has seen it exit, the PID cannot have been reused: it is our child.
  const ours: Ownership = () => child.exitCode === null && child.signalCode === null;
  const stopMoto = () => stopPid(pid, ours, { graceMs: MOTO_GRACE_MS, label: 'moto_server' });
  writeStateFile(join(stateDir, MOTO_PID_FILE), `${pid}\n`);
  writeStateFile(join(stateDir, MOTO_PORT_FILE), `${port}\n`);

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) {
      await rm(join(stateDir, MOTO_PID_FILE), { force: true });
      const log = tail(logPath);
      if (/address already in use/i.test(log)) throw new PortTakenError(log);
      if (exited.code === 127 || /No module named|command not found|ModuleNotFoundError/i.test(log)) {
        throw motoMissing(command, log);
      }
      throw new OperationError(
        `moto_server exited during start-up (${exited.signal ?? `exit code ${exited.code}`}):\n${log}`,
        { code: 'local.moto-start-failed', hint: `Full log: ${logPath}` },
      );
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      await stopMoto();
      await rm(join(stateDir, MOTO_PID_FILE), { force: true });
      throw new OperationError(`moto_server did not answer on ${endpoint} within the deadline:\n${tail(logPath)}`, {
        code: 'local.moto-start-timeout',
        hint: `Full log: ${logPath}`,
      });
    }
    await sleep(100);
  }

  const restored = /RESTORED FROM SNAPSHOT: (.*)$/m.exec(tail(logPath, 200))?.[1];
  return {
    endpoint,
    port,
    pid,
    stateDir,
    ...(restored ? { restoredFromSnapshot: restored } : {}),
    stop: async () => {
      await stopMoto();
      await rm(join(stateDir, MOTO_PID_FILE), { force: true });
    },
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      if (!res.ok) {
        throw new OperationError(`moto reset failed: HTTP ${res.status}`, { code: 'local.moto-reset-failed' });
      }
    },
  };
}

/**
 * Stops the moto_server recorded in `<stateDir>/moto.pid` (if `isOurs` says it is still that process;
 * by default: its command line names moto) and removes the PID file. Returns false when nothing was
 * stopped.
 */
export async function stopMotoByPidFile(stateDir: string, isOurs: Ownership = looksLikeMoto): Promise<boolean> {
  const pidFile = join(stateDir, MOTO_PID_FILE);
  const text = readStateFile(pidFile);
  if (text === undefined) return false;
  const pid = Number.parseInt(text.trim(), 10);
  // A stale PID file may name a process that has since been reused by something else: leave that alone.
  const outcome = await stopPid(pid, isOurs, { graceMs: MOTO_GRACE_MS, label: 'moto_server' });
  await rm(pidFile, { force: true });
  return outcome === 'stopped';
}

function looksLikeMoto(pid: number): boolean {
  if (!isRunning(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs (macOS): trust the PID file
  try {
    return /moto/.test(readFileSync(cmdline, 'utf8'));
  } catch {
    return false;
  }
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function motoMissing(command: string, detail: string): OperationError {
  return new OperationError(
    `moto is not installed or not usable (${command}): ${detail.split('\n').slice(-3).join(' ')}`,
    {
      code: 'local.moto-missing',
      hint: INSTALL_HINT,
    },
  );
}
