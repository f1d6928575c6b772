import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DefinitionError, EXIT, UsageError } from '../errors.js';
import { firstInvalidUtf8, INPUT_FILE_LIMIT, readInputFile } from './input-file.js';

const dir = mkdtempSync(join(tmpdir(), 'input-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('readInputFile: bounded reads', () => {
  it('reads a file up to the limit exactly', () => {
    const path = file('at-limit.yaml', 'a'.repeat(1000));
    expect(readInputFile(path, { label: 'definition', limit: 1000 })).toBe('a'.repeat(1000));
  });

  it('refuses a file one byte over the limit, naming the limit, exit 2', () => {
    const path = file('over.yaml', 'a'.repeat(1001));
    const e = thrown(() => readInputFile(path, { label: 'definition', limit: 1000 }));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).code).toBe('input.file-too-large');
    expect((e as UsageError).exitCode).toBe(EXIT.USAGE);
    expect((e as Error).message).toBe(`definition "${path}" is larger than 1000 bytes`);
  });

  it('stops reading an endless device at 10 MB', () => {
    const e = thrown(() => readInputFile('/dev/zero', { label: 'parameter file' }));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toBe('parameter file "/dev/zero" is larger than 10 MB');
    expect(INPUT_FILE_LIMIT).toBe(10 * 1024 * 1024);
  });

  it('reads a FIFO (no size to stat) in chunks, and bounds it too', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A writer that never stops: the reader must give up at the limit, not wait for the end.
    const writer = spawn('sh', ['-c', `exec yes 'a: b' > '${fifo}'`], { stdio: 'ignore' });
    try {
      const e = thrown(() => readInputFile(fifo, { label: 'definition', limit: 100_000 }));
      expect((e as Error).message).toBe(`definition "${fifo}" is larger than 100000 bytes`);
    } finally {
      writer.kill();
    }
  });

  it('passes open errors through for the caller to word', () => {
    const e = thrown(() => readInputFile(join(dir, 'missing.yaml'), { label: 'definition' }));
    expect((e as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('readInputFile: strict UTF-8', () => {
  it('decodes UTF-8 and drops a byte-order mark', () => {
    const path = file('bom.yaml', Buffer.from('\uFEFFa: ü €\n', 'utf8'));
    expect(readInputFile(path, { label: 'definition' })).toBe('a: ü €\n');
  });

  it('refuses Latin-1 naming the byte offset, line and column, exit 2', () => {
    const path = file(
      'latin1.yaml',
      Buffer.concat([Buffer.from('SenzaInfo:\n  StackName: caf'), Buffer.from([0xe9, 0x0a])]),
    );
    const e = thrown(() => readInputFile(path, { label: 'definition' }));
    expect(e).toBeInstanceOf(DefinitionError);
    expect((e as DefinitionError).code).toBe('input.not-utf8');
    expect((e as DefinitionError).exitCode).toBe(EXIT.USAGE);
    expect((e as Error).message).toBe(`${path}:2:17: not UTF-8 text: invalid byte 0xe9 at byte offset 27`);
  });

  it('refuses UTF-16 text', () => {
    const path = file('utf16.yaml', Buffer.from('\uFEFFa: b\n', 'utf16le'));
    const e = thrown(() => readInputFile(path, { label: 'definition' }));
    expect((e as Error).message).toBe(`${path}:1:1: not UTF-8 text: invalid byte 0xff at byte offset 0`);
  });

  it('finds the start of the first ill-formed sequence', () => {
    const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));
    expect(at(0x61, 0x62)).toBe(2);
    expect(at(0x61, 0xc3, 0xa9, 0x80)).toBe(3); // a stray continuation byte
    expect(at(0x61, 0xc3)).toBe(1); // truncated at the end
    expect(at(0xc0, 0x80)).toBe(0); // overlong
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // a UTF-16 surrogate
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // beyond U+10FFFF
    expect(at(0xf0, 0x9f, 0x98, 0x80, 0xff)).toBe(4);
  });
});
