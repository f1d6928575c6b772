import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OperationError } from '@stups/core';

/**
 * Files in a state directory that someone else may be able to plant symlinks in: nothing here follows a
 * symlink. New files are created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, 0600) under a random name and
 * renamed into place, which replaces a planted symlink instead of writing through it. (Core's atomic
 * writer follows symlinks at its temp path, hence this small piece here.)
 */
const { O_CREAT, O_EXCL, O_WRONLY, O_RDONLY, O_APPEND, O_TRUNC, O_NOFOLLOW } = constants;

/**
 * Creates the directory (and parents) if needed and makes it 0700; refuses one that is not a directory
 * of this user. The state directory the user names may be a symlink; `inside` directories may not.
 */
export function ensurePrivateDir(dir: string, options: { inside?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = options.inside ? lstatSync(dir) : statSync(dir);
  if (!st.isDirectory() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) {
    throw new OperationError(`${dir} is not a directory owned by this user`, {
      code: 'local.state-dir-unsafe',
      hint: 'Choose another --state-dir, or remove that path.',
    });
  }
  if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

/** Writes `text` to `path` atomically without following symlinks; mode 0600. */
export function writeStateFile(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Opens a log file for a child process; a symlink in its place is removed, never written through. */
export function openLogFile(path: string, mode: 'append' | 'truncate'): number {
  if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(path, { force: true });
  return openSync(path, O_CREAT | O_WRONLY | O_NOFOLLOW | (mode === 'append' ? O_APPEND : O_TRUNC), 0o600);
}

/** The text of a regular file, or undefined when it is missing, a symlink or unreadable. */
export function readStateFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
