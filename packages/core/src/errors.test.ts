import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError, EXIT, InterruptedError, isStupsError, NotFoundError, StupsError, UsageError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'stups-errors-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A second, separately loaded copy of the built module, as when two versions share one node_modules. */
async function secondCopy(): Promise<typeof import('./errors.js')> {
  const built = fileURLToPath(new URL('../dist/errors.js', import.meta.url));
  const copy = join(dir, 'errors.js');
  copyFileSync(built, copy);
  return import(pathToFileURL(copy).href);
}

describe('typed errors', () => {
  it('an error from a second copy of the package is recognised by class', async () => {
    const other = await secondCopy();
    expect(other.UsageError).not.toBe(UsageError);
    const e: unknown = new other.UsageError('bad flag', { hint: 'Use --x.' });
    expect(e instanceof StupsError).toBe(true);
    expect(e instanceof UsageError).toBe(true);
    expect(e instanceof NotFoundError).toBe(false);
    expect(isStupsError(e)).toBe(true);
    expect(new other.InterruptedError() instanceof AbortedError).toBe(true);
    expect(new Error('plain') instanceof StupsError).toBe(false);
  });

  it('exit codes are the documented constants', () => {
    expect(EXIT).toEqual({
      OK: 0,
      FAILED: 1,
      USAGE: 2,
      AUTH: 3,
      PAUSED: 4,
      DIFF: 5,
      INTERRUPTED: 130,
      TERMINATED: 143,
    });
    const interrupted = new InterruptedError('Stopped watching.', { hint: 'Resume with: senza wait x 1' });
    expect(interrupted.exitCode).toBe(EXIT.INTERRUPTED);
    expect(interrupted.hint).toBe('Resume with: senza wait x 1');
    expect(interrupted instanceof AbortedError).toBe(true);
  });
});
