import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { OperationError, StupsError } from '@stups/core';
import { carriesToken, isRunning, type Ownership, PLATFORM_TOKEN_ENV, stopPid } from '../contract/own-process.js';
import type { RuntimeChoice } from '../contract/platform-service.js';
import { openLogFile } from '../contract/state-files.js';
import {
  type DaemonRecord,
  PLATFORM_ERROR_FILE,
  PLATFORM_LOG_FILE,
  type PlatformRecord,
  readFailure,
  readPlatform,
  removeRunFiles,
  writeDaemon,
} from './platform-state.js';
import { PLATFORM_SERVICES } from './services.js';

/**
 * Starting and stopping the platform daemon (platform-daemon.ts), the one process that runs every
 * service. Callers hold the state directory's lock.
 */
const DAEMON = fileURLToPath(new URL('./platform-daemon.js', import.meta.url));
export const READY_TIMEOUT_MS = 90_000;

export interface StartOptions {
  region: string;
  /** Per service name, the port its endpoint should use. */
  ports: Record<string, number>;
  /** The runtime's Docker engine (default `user`). */
  runtime?: RuntimeChoice;
}

/** Spawns the daemon detached and waits until it has recorded every service as serving. */
export async function startDaemon(stateDir: string, options: StartOptions): Promise<PlatformRecord> {
  rmSync(join(stateDir, PLATFORM_ERROR_FILE), { force: true });
  const token = randomBytes(16).toString('hex');
  const args = [DAEMON, '--state-dir', stateDir, '--region', options.region, '--runtime', options.runtime ?? 'user'];
  for (const [name, port] of Object.entries(options.ports)) args.push('--port', `${name}=${port}`);
  const log = openLogFile(join(stateDir, PLATFORM_LOG_FILE), 'append');
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, [PLATFORM_TOKEN_ENV]: token },
  });
  closeSync(log);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.on('error', () => {
    exited = true;
  });
  child.unref();
  const daemon: DaemonRecord | undefined = child.pid ? { pid: child.pid, token } : undefined;
  if (daemon) writeDaemon(stateDir, daemon);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const record = readPlatform(stateDir);
    if (record && record.pid === child.pid && record.token === token) return record;
    if (exited || !daemon || !isRunning(daemon.pid)) {
      await stopPlatform(stateDir, daemon);
      const failure = readFailure(stateDir);
      if (failure) throw new StupsError(failure.code, failure.exitCode as 1, failure.message, { hint: failure.hint });
      throw new OperationError('The stups-local platform process exited during start-up', {
        code: 'local.start-failed',
        hint: `See ${join(stateDir, PLATFORM_LOG_FILE)}.`,
      });
    }
    if (Date.now() > deadline) {
      await stopPlatform(stateDir, daemon);
      throw new OperationError(`The stups-local platform did not come up within ${READY_TIMEOUT_MS / 1000} s`, {
        code: 'local.start-timeout',
        hint: `See ${join(stateDir, PLATFORM_LOG_FILE)}.`,
      });
    }
    await sleep(100);
  }
}

/**
 * Stops a platform: the daemon (which stops its services), then any recorded part that outlived it,
 * then what a killed daemon left behind; only processes carrying its token are signalled. Removes the
 * run files and the daemon's runtime record.
 */
export async function stopPlatform(stateDir: string, known: DaemonRecord | PlatformRecord | undefined): Promise<void> {
  const isOurs: Ownership = known ? carriesToken(known.token) : () => false;
  if (known) {
    await stopPid(known.pid, isOurs, { label: 'The stups-local platform daemon' });
    for (const service of 'services' in known ? known.services : []) {
      for (const part of service.parts) {
        if (part.pid !== known.pid) await stopPid(part.pid, isOurs, { label: `${service.name} ${part.label}` });
      }
    }
  }
  for (const service of [...PLATFORM_SERVICES].reverse()) await service.cleanUp?.(stateDir, isOurs);
  removeRunFiles(stateDir, known?.pid);
}
