import { randomBytes } from 'node:crypto';
import { closeSync, constants, linkSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationError } from '@stups/core';
import { isRunning } from './own-process.js';
import { readStateFile } from './state-files.js';

/**
 * One platform per state directory: `up` and `down` hold `DIR/lock` while they look at and change what
 * runs, so a concurrent `up` waits and then finds (joins) the platform the first one started. The lock
 * is a file created exclusively, naming its holder's PID; a lock whose holder died is taken over.
 */
export const LOCK_FILE = 'lock';

const { O_CREAT, O_EXCL, O_WRONLY, O_NOFOLLOW } = constants;

export interface LockOptions {
  timeoutMs: number;
  /** Called once when the lock is held by another live process and we start waiting. */
  onWait?: (holderPid: number) => void;
}

export async function withStateLock<T>(stateDir: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const path = join(stateDir, LOCK_FILE);
  const mine = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  await acquire(path, mine, options);
  try {
    return await fn();
  } finally {
    if (readStateFile(path) === mine) rmSync(path, { force: true });
  }
}

async function acquire(path: string, mine: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let waiting = false;
  for (;;) {
    if (tryCreate(path, mine)) return;
    const held = readStateFile(path);
    const holder = Number.parseInt(held?.split(' ')[0] ?? '', 10);
    if (held === undefined && !lstatSync(path, { throwIfNoEntry: false })) continue; // released meanwhile
    if (held === undefined || !isRunning(holder)) {
      takeOver(path, held);
      continue;
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(holder);
    }
    if (Date.now() > deadline) {
      throw new OperationError(`Another stups-local command (PID ${holder}) holds ${path}`, {
        code: 'local.state-locked',
        hint: 'Wait for it to finish, or stop that process.',
      });
    }
    await sleep(100);
  }
}

/** Links a complete file into place, so that a lock is never seen half-written. */
function tryCreate(path: string, text: string): boolean {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.new`;
  const fd = openSync(tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Moves a dead holder's lock (or a symlink planted in its place) aside. When another process replaced it
 * between our look and the move, its fresh lock is put back.
 */
function takeOver(path: string, seen: string | undefined): void {
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  if (readStateFile(aside) !== seen) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process holds it now; theirs wins.
    }
  }
  rmSync(aside, { force: true });
}
