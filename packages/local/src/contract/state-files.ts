import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { OperationError, writeFileAtomic } from '@stups/core';

/**
 * Files in a state directory that someone else may be able to plant symlinks in: nothing here follows a
 * symlink. Writes go through core's atomic writer (random temp name, O_EXCL|O_NOFOLLOW, renamed into
 * place, which replaces a planted symlink instead of writing through it), always 0600.
 */
const { O_CREAT, O_WRONLY, O_RDONLY, O_APPEND, O_TRUNC, O_NOFOLLOW } = constants;

/**
 * Creates the directory (and parents) if needed and makes it 0700; refuses one that is not a directory
 * of this user. The state directory the user names may be a symlink; `inside` directories may not.
 */
export function ensurePrivateDir(dir: string, options: { inside?: boolean } = {}): void {
  // A symlink planted where a directory of ours belongs is removed, not followed.
  if (options.inside && lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(dir);
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

/** Writes `text` to `path` atomically, replacing (never following) a symlink there; mode 0600. */
export function writeStateFile(path: string, text: string): void {
  writeFileAtomic(path, text, 0o600);
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
