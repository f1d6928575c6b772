import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationError } from '../errors.js';

/**
 * The one inter-process lock for files several commands may change at once (config files, token
 * stores, Docker's config): a `<file>.lock` created exclusively, holding the owner's PID, host and
 * start time. It is written to a temp file first and hard-linked into place (link fails when the
 * name exists, like O_EXCL), so that no one ever sees a lock without its owner. A lock whose owner process is gone, or that is older than `staleMs`, is
 * broken; waiting for a live one is bounded.
 */
export interface FileLockOptions {
  /** How long to wait for another holder (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is taken to be left behind, whatever its PID (default 60 s; `Infinity`: never). */
  staleMs?: number;
  /** The lock file, when not `<path>.lock` (e.g. a directory's lock inside it). */
  lockFile?: string;
  /** Called once, when a live holder makes this caller wait. */
  onWait?: (holderPid: number) => void;
  /** The error thrown when the wait times out (default: `file.locked`). */
  lockedError?: (holderPid: number | undefined, lockPath: string) => Error;
}

interface LockOwner {
  pid: number;
  host: string;
  time: number;
  token?: string;
}

function readOwner(lockPath: string): { raw: string; owner?: LockOwner } | undefined {
  let raw: string;
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return { raw, owner: JSON.parse(raw) as LockOwner };
  } catch {
    // garbage (never written by this code): judged stale
    return { raw };
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(owner: LockOwner | undefined, staleMs: number, now: number): boolean {
  if (!owner || typeof owner.pid !== 'number' || typeof owner.time !== 'number') return true;
  if (now - owner.time > staleMs) return true;
  return owner.host === hostname() && !processAlive(owner.pid);
}

/**
 * Breaks a stale lock without breaking a fresh one taken meanwhile: the lock is moved aside
 * (only one breaker can move a given file), and put back when it turns out not to be the one judged.
 */
function breakStaleLock(lockPath: string, judged: string): void {
  const aside = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.stale`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else broke it or released it
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // unreadable: treat as the stale one
  }
  if (moved !== judged && moved !== '') {
    try {
      renameSync(aside, lockPath);
    } catch {
      // the lock was retaken; the moved-aside owner will fail to release, which is harmless
    }
    return;
  }
  try {
    unlinkSync(aside);
  } catch {
    // gone already
  }
}

/** Runs `work` while holding the lock of `path`; the lock is released afterwards, also on errors. */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T> | T,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = options.lockFile ?? `${path}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 60_000;
  mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
  // The token tells this holder's lock from another's taken in the same process and millisecond.
  const token = Math.random().toString(36).slice(2);
  const me = JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now(), token } satisfies LockOwner);
  const deadline = Date.now() + timeoutMs;
  let waiting = false;
  const mine = `${lockPath}.${process.pid}.${token}.new`;
  writeFileSync(mine, me, { mode: 0o600, flag: 'wx' });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, lockPath);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = readOwner(lockPath);
      if (held && isStale(held.owner, staleMs, Date.now())) {
        breakStaleLock(lockPath, held.raw);
        continue;
      }
      if (!waiting && held?.owner) {
        waiting = true;
        options.onWait?.(held.owner.pid);
      }
      if (Date.now() >= deadline) {
        if (options.lockedError) throw options.lockedError(held?.owner?.pid, lockPath);
        throw new OperationError(
          `${path} is locked by another process${held?.owner ? ` (PID ${held.owner.pid})` : ''}; waited ${timeoutMs / 1000} s`,
          {
            code: 'file.locked',
            hint: `If no such process runs any more, remove ${lockPath}.`,
            data: { path, lockPath, owner: held?.owner },
          },
        );
      }
      // Short random waits keep many waiters from retrying in step.
      await sleep(Math.min(5 + Math.random() * 20 * Math.min(attempt + 1, 5), Math.max(1, deadline - Date.now())));
    }
  } finally {
    unlinkSync(mine);
  }
  try {
    return await work();
  } finally {
    // Release only our own lock (it may have been broken as stale and retaken by another).
    if (readOwner(lockPath)?.raw === me) {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    }
  }
}
