import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Ownership, stopPid } from '../contract/own-process.js';
import { readStateFile, writeStateFile } from '../contract/state-files.js';

/**
 * The way into a container that has no network but `lo`: socat inside the container's network namespace
 * (`nsenter -t PID -n`) accepts on a unix socket in our file system and connects to the container's
 * port on its own loopback. nsenter execs socat, so the PID we record is socat's.
 */
export interface Forwarder {
  socket: string;
  port: number;
  pid: number;
  /** The container's PID whose namespace it entered: when the container restarts, this one is stale. */
  containerPid: number;
  alive(): boolean;
  stop(): Promise<void>;
}

export interface ForwarderOptions {
  containerPid: number;
  port: number;
  socket: string;
  pidFile: string;
}

const LISTEN_TIMEOUT_MS = 3_000;

export async function startForwarder(options: ForwarderOptions): Promise<Forwarder> {
  const { containerPid, port, socket, pidFile } = options;
  rmSync(socket, { force: true });
  const child = spawn(
    'nsenter',
    [
      '-t',
      String(containerPid),
      '-n',
      'socat',
      `UNIX-LISTEN:${socket},fork,reuseaddr,mode=600,backlog=128`,
      `TCP:127.0.0.1:${port}`,
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = `${stderr}${d}`.slice(-2000);
  });
  const spawnError = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    child.once('spawn', () => done(undefined));
    child.once('error', (e) => done(e));
  });
  if (spawnError || child.pid === undefined)
    throw new Error(`cannot start nsenter/socat: ${spawnError?.code ?? spawnError?.message ?? 'no PID'}`);
  child.unref();
  // The daemon must not wait for a forwarder's stderr pipe to close before it can exit.
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  const pid = child.pid;
  const ours: Ownership = () => child.exitCode === null && child.signalCode === null;
  writeStateFile(pidFile, `${pid}\n`);
  const stop = async () => {
    await stopPid(pid, ours, { graceMs: 2_000, label: 'forwarder' });
    rmSync(socket, { force: true });
    rmSync(pidFile, { force: true });
  };
  const deadline = Date.now() + LISTEN_TIMEOUT_MS;
  while (!existsSync(socket)) {
    if (!ours(pid) || Date.now() > deadline) {
      await stop();
      throw new Error(`forwarder to port ${port} did not listen: ${stderr.trim() || 'no output'}`);
    }
    await sleep(20);
  }
  return { socket, port, pid, containerPid, alive: () => ours(pid) && existsSync(socket), stop };
}

/** Stops forwarders a killed platform left behind (PID files `*.pid` in `dir`), and removes their sockets. */
export async function stopForwardersByPidFiles(dir: string, isOurs: Ownership, socketDir = dir): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.endsWith('.pid'))) {
    const pid = Number.parseInt(readStateFile(join(dir, name))?.trim() ?? '', 10);
    if (pid > 0) await stopPid(pid, isOurs, { graceMs: 2_000, label: 'forwarder' });
    rmSync(join(dir, name), { force: true });
    rmSync(join(socketDir, name.replace(/\.pid$/, '.sock')), { force: true });
  }
}
