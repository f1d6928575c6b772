import {
  closeSync,
  constants,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

// node:crypto (and the stream stack it brings) is loaded on the first write, not by every importer:
// `senza --help` imports this module through the compile cache and writes nothing.
const randomBytes = (n: number): Buffer =>
  (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomBytes(n);

/**
 * The one atomic file writer: readers see the old file or the new one, never a part. The content
 * goes to a new temp file next to the target, then is renamed over the target. Safe in a directory
 * where someone else may plant files or symlinks (stups-local's state directory): the temp file has a
 * random name and is created exclusively without following a symlink (O_CREAT|O_EXCL|O_NOFOLLOW), and
 * the rename replaces a symlink planted at the target instead of writing through it. New directories
 * are created 0700. Secrets use mode 0600.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  const tmp = writeTemp(path, content, mode);
  try {
    renameSync(tmp, path);
  } catch (e) {
    removeTemp(tmp);
    throw e;
  }
}

/**
 * Creates `path` with `content`, complete or not at all, only when nothing is there (not even a
 * dangling symlink): false when something is. For lock files, which must never be seen half-written.
 */
export function createFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): boolean {
  const tmp = writeTemp(path, content, mode);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    removeTemp(tmp);
  }
}

const { O_CREAT, O_EXCL, O_WRONLY, O_NOFOLLOW } = constants;

/** A new, flushed file next to `path` under a random hidden name, created exclusively with `mode`. */
function writeTemp(path: string, content: string | Uint8Array, mode: number): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, mode);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    removeTemp(tmp);
    throw e;
  }
  closeSync(fd);
  return tmp;
}

function removeTemp(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch {
    // already renamed, or never written
  }
}
