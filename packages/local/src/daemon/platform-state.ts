import { createHash } from 'node:crypto';
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { MessageCode } from '@stups/core/io';
import type { ServiceRecord } from '../contract/platform-service.js';
import { ensurePrivateDir, readStateFile, writeStateFile } from '../contract/state-files.js';

/**
 * The files `stups-local` keeps in its state directory, so that each command (another process) finds
 * what `up` started, and the daemon's own copy of its record outside it (so that a deleted state
 * directory is noticed, and `down` still finds what to stop).
 */
export const DAEMON_FILE = 'daemon.json';
export const PLATFORM_PID_FILE = 'platform.pid';
export const PLATFORM_FILE = 'platform.json';
export const PLATFORM_ERROR_FILE = 'platform-error.json';
export const PLATFORM_LOG_FILE = 'platform.log';
export const ENDPOINT_FILE = 'endpoint';
/** Each service's port in the last run, kept after `down`: the next `up` uses them again while they are free. */
export const LAST_PORTS_FILE = 'ports.json';

/** Written by `up` as soon as it has spawned the daemon: enough to recognise and stop it. */
export interface DaemonRecord {
  pid: number;
  /** Random; in the environment of the daemon and of everything it starts (see own-process.ts). */
  token: string;
}

/** Written by the daemon once every service serves. */
export interface PlatformRecord extends DaemonRecord {
  /** Absolute path of the state directory. */
  stateDir: string;
  region: string;
  startedAt: string;
  services: ServiceRecord[];
}

export interface PlatformFailure {
  /** The code of the error that stopped the start-up (written by the daemon from its typed error). */
  code: MessageCode;
  message: string;
  hint?: string;
  exitCode: number;
}

/** `--state-dir`, else `STUPS_LOCAL_STATE_DIR`, else `${XDG_STATE_HOME:-~/.local/state}/stups-local`. */
export function resolveStateDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return option;
  if (env.STUPS_LOCAL_STATE_DIR) return env.STUPS_LOCAL_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'stups-local');
}

function readJson<T>(path: string): T | undefined {
  const text = readStateFile(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export function readPlatform(stateDir: string): PlatformRecord | undefined {
  const record = readJson<PlatformRecord>(join(stateDir, PLATFORM_FILE));
  return record && Array.isArray(record.services) ? record : undefined;
}

export function readDaemon(stateDir: string): DaemonRecord | undefined {
  return readJson<DaemonRecord>(join(stateDir, DAEMON_FILE));
}

export function writeDaemon(stateDir: string, record: DaemonRecord): void {
  writeStateFile(join(stateDir, DAEMON_FILE), `${JSON.stringify(record)}\n`);
}

export function readFailure(stateDir: string): PlatformFailure | undefined {
  return readJson<PlatformFailure>(join(stateDir, PLATFORM_ERROR_FILE));
}

export function writeFailure(stateDir: string, failure: PlatformFailure): void {
  writeStateFile(join(stateDir, PLATFORM_ERROR_FILE), JSON.stringify(failure));
}

/**
 * The daemon's own copy of its record, under `$XDG_RUNTIME_DIR/stups-local` (else
 * `<tmpdir>/stups-local-<uid>`), keyed by the absolute state directory path.
 */
export function runtimeRecordPath(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const dir = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'stups-local') : join(tmpdir(), `stups-local-${uid}`);
  const key = createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 24);
  return join(dir, `${key}.json`);
}

export function readRuntimeRecord(stateDir: string): PlatformRecord | undefined {
  const path = runtimeRecordPath(stateDir);
  const dir = lstatSync(dirname(path), { throwIfNoEntry: false });
  const mine = typeof process.getuid !== 'function' || dir?.uid === process.getuid();
  if (!dir?.isDirectory() || !mine) return undefined;
  const record = readJson<PlatformRecord>(path);
  return record && record.stateDir === resolve(stateDir) && Array.isArray(record.services) ? record : undefined;
}

/** The runtime copy first, the state directory's `platform.json` last: its presence tells `up` it serves. */
export function writePlatform(record: PlatformRecord): void {
  const runtime = runtimeRecordPath(record.stateDir);
  ensurePrivateDir(dirname(runtime), { inside: true });
  const text = `${JSON.stringify(record, null, 2)}\n`;
  writeStateFile(runtime, text);
  writeStateFile(join(record.stateDir, PLATFORM_PID_FILE), `${record.pid}\n`);
  writeStateFile(join(record.stateDir, ENDPOINT_FILE), `${record.services[0]?.endpoint ?? ''}\n`);
  writeStateFile(join(record.stateDir, PLATFORM_FILE), text);
  writeStateFile(join(record.stateDir, LAST_PORTS_FILE), `${JSON.stringify(portsOf(record))}\n`);
}

/** Per service name, the port of its endpoint (a service that serves nothing has none). */
export function portsOf(record: Pick<PlatformRecord, 'services'>): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const service of record.services) {
    const port = service.endpoint ? Number(new URL(service.endpoint).port) : 0;
    if (port) ports[service.name] = port;
  }
  return ports;
}

/** The ports of the last run (`ports.json`), or none. */
export function readLastPorts(stateDir: string): Record<string, number> {
  const ports = readJson<Record<string, unknown>>(join(stateDir, LAST_PORTS_FILE)) ?? {};
  return Object.fromEntries(
    Object.entries(ports).filter((e): e is [string, number] => Number.isInteger(e[1]) && (e[1] as number) > 0),
  );
}

/** Removes the platform's run files; the runtime record only when it is this daemon's. */
export function removeRunFiles(stateDir: string, daemonPid?: number): void {
  for (const f of [PLATFORM_FILE, PLATFORM_PID_FILE, ENDPOINT_FILE, DAEMON_FILE]) {
    rmSync(join(stateDir, f), { force: true });
  }
  const runtime = readRuntimeRecord(stateDir);
  if (runtime && (daemonPid === undefined || runtime.pid === daemonPid)) {
    rmSync(runtimeRecordPath(stateDir), { force: true });
  }
}

export function hasRunFiles(stateDir: string): boolean {
  return [PLATFORM_FILE, PLATFORM_PID_FILE, DAEMON_FILE].some((f) => existsSync(join(stateDir, f)));
}

/** The environment of the whole platform: every service's exports, in service order. */
export function platformEnvironment(record: Pick<PlatformRecord, 'services'>): Record<string, string> {
  return Object.assign({}, ...record.services.map((s) => s.environment));
}
