import { closeSync, openSync, readSync } from 'node:fs';
import { DefinitionError, UsageError } from '../errors.js';

/**
 * User-supplied input files (definitions, parameter files) are read in chunks up to a limit, whatever kind
 * of file they are: `/dev/zero`, a FIFO or a device has no size to trust, and a stat would say 0 for them.
 */
export const INPUT_FILE_LIMIT = 10 * 1024 * 1024;

const CHUNK = 64 * 1024;

export interface InputFileOptions {
  /** What the file is, for the messages: `definition`, `parameter file`. */
  label: string;
  /** The hint when the file is too large or not text. */
  hint?: string;
  limit?: number;
}

/**
 * The file's text, decoded as strict UTF-8 (a byte-order mark is dropped, as Python's YAML reader does).
 * Open errors (ENOENT, EISDIR, EACCES) are thrown as Node's errno errors for the caller to word; a file over
 * the limit is a UsageError, one that is not UTF-8 a DefinitionError naming the byte offset.
 */
export function readInputFile(path: string, options: InputFileOptions): string {
  const limit = options.limit ?? INPUT_FILE_LIMIT;
  const bytes = readBounded(path, limit, options);
  return decodeUtf8(bytes, path, options);
}

function readBounded(path: string, limit: number, options: InputFileOptions): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte past the limit tells "exactly at the limit" from "over it".
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit) {
        throw new UsageError(`${options.label} "${path}" is larger than ${formatLimit(limit)}`, {
          code: 'input.file-too-large',
          hint: options.hint ?? `A ${options.label} is a text file; pass a regular file below ${formatLimit(limit)}.`,
          data: { path, limit },
        });
      }
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function formatLimit(limit: number): string {
  return limit % (1024 * 1024) === 0 ? `${limit / (1024 * 1024)} MB` : `${limit} bytes`;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(bytes: Buffer, path: string, options: InputFileOptions): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < before.length; i++) {
      if (before[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = Buffer.from(before.subarray(lineStart)).toString('utf8').length + 1;
    throw new DefinitionError(
      `not UTF-8 text: invalid byte 0x${bytes[offset].toString(16).padStart(2, '0')} at byte offset ${offset}`,
      { file: path, line, column },
      {
        code: 'input.not-utf8',
        hint: options.hint ?? `Save the ${options.label} as UTF-8 (e.g. iconv -f latin1 -t utf-8).`,
        data: { offset },
      },
    );
  }
}

/** The offset where the first ill-formed UTF-8 sequence starts (as Python's decode error names it). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
