import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeError } from '../io/error-report.js';
import { fileError } from './file-error.js';

const dir = mkdtempSync(join(tmpdir(), 'file-error-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errno(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}

describe('ordinary file-system conditions are reported as such, not as a bug (issue 17 item 15)', () => {
  it('a read-only ~/.docker: the file meant (not the temp file), the condition and the fix, exit 1', () => {
    // Root (the test's user) may write anywhere, so the EACCES of a read-only directory is synthesized.
    const report = describeError(errno('EACCES', 'open', '/home/u/.docker/.config.json.091dbc0689ad.tmp'));
    expect(report).toMatchObject({
      code: 'file.error',
      exitCode: 1,
      message: 'Cannot open /home/u/.docker/config.json: permission denied (EACCES)',
    });
    expect(report.hint).toContain('/home/u/.docker/config.json');
    expect(report.hint).not.toContain('bug');
  });

  it('a directory where a file should be, named by the caller when the error has no path', () => {
    const path = join(dir, 'tokens.yaml');
    mkdirSync(path);
    let thrown: unknown;
    try {
      readFileSync(path, 'utf8');
    } catch (e) {
      thrown = e;
    }
    expect(fileError(thrown)).toBeUndefined();
    expect(describeError(fileError(thrown, path))).toMatchObject({
      code: 'file.error',
      message: `Cannot read ${path}: it is a directory, not a file (EISDIR)`,
    });
  });

  it('anything else stays an internal error', () => {
    expect(describeError(new TypeError('x is undefined')).code).toBe('error.internal');
    expect(describeError(errno('ECONNRESET', 'read', '/x')).code).toBe('error.internal');
  });
});
