import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * `scm-source.json` (`{url, revision, author, status}`) from an image layer, a tar file that may be
 * gzip-compressed: the entry `scm-source.json` or `./scm-source.json`. The layer is streamed through
 * a minimal tar reader (ustar names, GNU long names and pax paths) and left as soon as it is found.
 */
export interface ScmSourceJson {
  url?: string;
  revision?: string;
  author?: string;
  status?: string;
  [key: string]: unknown;
}

const NAMES = new Set(['scm-source.json', './scm-source.json', '/scm-source.json']);
const MAX_FILE = 64 * 1024;

function text(block: Buffer, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? slice.length : end).toString('utf8');
}

function paxPath(data: Buffer): string | undefined {
  for (const line of data.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

async function* tarEntries(stream: AsyncIterable<Buffer>): AsyncGenerator<{ name: string; data?: Buffer }> {
  let buffer = Buffer.alloc(0);
  let longName: string | undefined;
  const it = stream[Symbol.asyncIterator]();
  const need = async (n: number): Promise<boolean> => {
    while (buffer.length < n) {
      const next = await it.next();
      if (next.done) return false;
      buffer = Buffer.concat([buffer, next.value]);
    }
    return true;
  };
  while (await need(512)) {
    const header = buffer.subarray(0, 512);
    if (header.every((b) => b === 0)) return;
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    buffer = buffer.subarray(512);
    const padded = Math.ceil(size / 512) * 512;
    const wanted = type === 'L' || type === 'x' || (NAMES.has(name) && size <= MAX_FILE);
    if (wanted) {
      // Some writers (umoci) end the archive without padding the last entry.
      await need(padded);
      if (buffer.length < size) return;
      const data = Buffer.from(buffer.subarray(0, size));
      buffer = buffer.subarray(Math.min(padded, buffer.length));
      if (type === 'L') longName = text(data, 0, data.length);
      else if (type === 'x') longName = paxPath(data);
      else yield { name, data };
      continue;
    }
    // Skip the entry's data without holding it.
    let left = padded;
    while (left > 0) {
      if (buffer.length === 0 && !(await need(1))) return;
      const n = Math.min(left, buffer.length);
      buffer = buffer.subarray(n);
      left -= n;
    }
    yield { name };
  }
}

export async function findScmSource(open: () => Readable): Promise<ScmSourceJson | undefined> {
  const probe = open();
  let first: Buffer | undefined;
  for await (const chunk of probe) {
    first = chunk as Buffer;
    break;
  }
  probe.destroy();
  if (!first) return undefined;
  const raw = open();
  const gzipped = first[0] === 0x1f && first[1] === 0x8b;
  const stream = gzipped ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const entry of tarEntries(stream)) {
      if (!entry.data) continue;
      try {
        const parsed = JSON.parse(entry.data.toString('utf8')) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ScmSourceJson;
      } catch {
        return undefined;
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
