import { join } from 'node:path';
import { OperationError, withFileLock } from '@stups/core';

/**
 * One platform per state directory: `up` and `down` hold `DIR/lock` while they look at and change what
 * runs, so a concurrent `up` waits and then finds (joins) the platform the first one started. The lock is
 * core's file lock (`withFileLock`: created exclusively, naming its holder's PID; a lock whose holder died
 * is taken over), kept however long `up` takes.
 */
export const LOCK_FILE = 'lock';

export interface LockOptions {
  timeoutMs: number;
  /** Called once when the lock is held by another live process and we start waiting. */
  onWait?: (holderPid: number) => void;
}

export function withStateLock<T>(stateDir: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  return withFileLock(stateDir, fn, {
    lockFile: join(stateDir, LOCK_FILE),
    timeoutMs: options.timeoutMs,
    staleMs: Number.POSITIVE_INFINITY,
    onWait: options.onWait,
    lockedError: (holder, path) =>
      new OperationError(`Another stups-local command (PID ${holder ?? '?'}) holds ${path}`, {
        code: 'local.state-locked',
        hint: 'Wait for it to finish, or stop that process.',
      }),
  });
}
