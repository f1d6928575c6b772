import { existsSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isRunning, MOTO_PID_FILE, MOTO_PORT_FILE } from '../aws/moto-server.js';

/**
 * The files `stups-local` keeps in its state directory, so that each command (another process) finds
 * what `up` started: the platform daemon's PID, the layer's endpoint, the region.
 */
export const PLATFORM_PID_FILE = 'platform.pid';
export const PLATFORM_FILE = 'platform.json';
export const PLATFORM_ERROR_FILE = 'platform-error.json';
export const PLATFORM_LOG_FILE = 'platform.log';
export const ENDPOINT_FILE = 'endpoint';

export interface PlatformRecord {
  pid: number;
  endpoint: string;
  port: number;
  motoEndpoint: string;
  motoPid: number;
  region: string;
  startedAt: string;
}

export interface PlatformFailure {
  code: string;
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

export function readPlatform(stateDir: string): PlatformRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, PLATFORM_FILE), 'utf8')) as PlatformRecord;
  } catch {
    return undefined;
  }
}

/** The platform recorded in the state directory, if its daemon is still alive. */
export function runningPlatform(stateDir: string): PlatformRecord | undefined {
  const record = readPlatform(stateDir);
  return record && isRunning(record.pid) ? record : undefined;
}

export function readFailure(stateDir: string): PlatformFailure | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, PLATFORM_ERROR_FILE), 'utf8')) as PlatformFailure;
  } catch {
    return undefined;
  }
}

export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export async function removeRunFiles(stateDir: string): Promise<void> {
  for (const f of [PLATFORM_PID_FILE, PLATFORM_FILE, ENDPOINT_FILE, MOTO_PID_FILE, MOTO_PORT_FILE]) {
    await rm(join(stateDir, f), { force: true });
  }
}

export function hasRunFiles(stateDir: string): boolean {
  return [PLATFORM_PID_FILE, PLATFORM_FILE, MOTO_PID_FILE].some((f) => existsSync(join(stateDir, f)));
}

/** The shell lines that point the AWS SDK (and the CLIs) at the platform. */
export function exportLines(record: Pick<PlatformRecord, 'endpoint' | 'region'>): string {
  return [
    `export AWS_ENDPOINT_URL=${record.endpoint}`,
    `export AWS_REGION=${record.region}`,
    'export AWS_ACCESS_KEY_ID=AKIDLOCAL',
    'export AWS_SECRET_ACCESS_KEY=local',
  ]
    .map((l) => `${l}\n`)
    .join('');
}
