import { createHash, type Hash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Content-addressed blobs on disk (`blobs/sha256/<hex>`), shared by all repositories like Pier One's.
 * Uploads stream into `uploads/<uuid>` while a running SHA-256 is kept; a blob is committed only after
 * its digest matched, by a rename in the same file system, so readers see a whole blob or none.
 * Concurrent uploads of one blob each write their own file; the last rename wins with equal bytes.
 * An upload cut off midway leaves only its own upload file, which is removed on the next start; an
 * upload its client abandoned between requests is removed once it has been idle for `uploadIdleMs`
 * (default 10 minutes), checked by `expireIdleUploads`.
 */
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

interface Upload {
  hash: Hash;
  size: number;
  /** A PATCH or PUT is streaming into it: a second one at the same time is refused. */
  busy: boolean;
  /** When it was last begun or written to (ms). */
  touched: number;
}

/** How long an upload may sit idle before it is taken as abandoned and removed. */
export const UPLOAD_IDLE_MS = 10 * 60_000;

export class DigestMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`digest mismatch: expected ${expected}, got ${actual}`);
  }
}

export class BlobStore {
  private readonly blobs: string;
  private readonly uploadsDir: string;
  private readonly uploads = new Map<string, Upload>();

  constructor(root: string) {
    this.blobs = join(root, 'blobs', 'sha256');
    this.uploadsDir = join(root, 'uploads');
    // What a previous run left unfinished cannot be resumed (its running hash is gone).
    rmSync(this.uploadsDir, { recursive: true, force: true });
    mkdirSync(this.blobs, { recursive: true, mode: 0o700 });
    mkdirSync(this.uploadsDir, { recursive: true, mode: 0o700 });
  }

  pathOf(digest: string): string {
    return join(this.blobs, digest.slice('sha256:'.length));
  }

  /** The size of a committed blob, or undefined. */
  sizeOf(digest: string): number | undefined {
    if (!DIGEST_PATTERN.test(digest)) return undefined;
    try {
      return statSync(this.pathOf(digest)).size;
    } catch {
      return undefined;
    }
  }

  has(digest: string): boolean {
    return this.sizeOf(digest) !== undefined;
  }

  read(digest: string): Readable {
    return createReadStream(this.pathOf(digest));
  }

  begin(): string {
    const uuid = randomUUID();
    this.uploads.set(uuid, { hash: createHash('sha256'), size: 0, busy: false, touched: Date.now() });
    writeFileSync(this.uploadFile(uuid), '');
    return uuid;
  }

  uploadSize(uuid: string): number | undefined {
    return this.uploads.get(uuid)?.size;
  }

  private uploadFile(uuid: string): string {
    return join(this.uploadsDir, uuid);
  }

  /** Appends a chunk; false when the upload is unknown or busy. A failed stream cancels the upload. */
  async append(uuid: string, body: Readable): Promise<boolean> {
    const upload = this.uploads.get(uuid);
    if (!upload || upload.busy) return false;
    upload.busy = true;
    try {
      await pipeline(
        body,
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            upload.hash.update(chunk);
            upload.size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(this.uploadFile(uuid), { flags: 'a', highWaterMark: 256 * 1024 }),
      );
    } catch (e) {
      this.cancel(uuid);
      throw e;
    } finally {
      upload.busy = false;
      upload.touched = Date.now();
    }
    return true;
  }

  /** Removes uploads idle (not streaming) for longer than `idleMs`; returns their ids. */
  expireIdleUploads(idleMs: number, now = Date.now()): string[] {
    const gone: string[] = [];
    for (const [uuid, upload] of this.uploads)
      if (!upload.busy && now - upload.touched > idleMs) {
        this.cancel(uuid);
        gone.push(uuid);
      }
    return gone;
  }

  /** Checks the digest and commits the upload as that blob; the upload is gone either way. */
  commit(uuid: string, digest: string): number {
    const upload = this.uploads.get(uuid);
    if (!upload) throw new Error(`unknown upload ${uuid}`);
    this.uploads.delete(uuid);
    const actual = `sha256:${upload.hash.digest('hex')}`;
    const file = this.uploadFile(uuid);
    if (actual !== digest) {
      rmSync(file, { force: true });
      throw new DigestMismatchError(digest, actual);
    }
    if (existsSync(this.pathOf(digest))) rmSync(file, { force: true });
    else renameSync(file, this.pathOf(digest));
    return upload.size;
  }

  cancel(uuid: string): boolean {
    const known = this.uploads.delete(uuid);
    rmSync(this.uploadFile(uuid), { force: true });
    return known;
  }

  isUpload(uuid: string): boolean {
    return this.uploads.has(uuid);
  }

  /** Stores small content (a manifest) under its digest at once. */
  putBytes(bytes: Buffer): string {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (!this.has(digest)) {
      const uuid = this.begin();
      const upload = this.uploads.get(uuid) as Upload;
      upload.hash.update(bytes);
      upload.size = bytes.length;
      writeFileSync(this.uploadFile(uuid), bytes);
      this.commit(uuid, digest);
    }
    return digest;
  }
}
