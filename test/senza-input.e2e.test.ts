import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

// Hostile input files through the built CLI: refused before any AWS call (the endpoint is a closed port).
const work = mkdtempSync(join(tmpdir(), 'senza-input-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = localAwsEnv('http://127.0.0.1:9');

const deep = join(work, 'deep.yaml');
writeFileSync(deep, `SenzaInfo: {StackName: app}\nX: ${'['.repeat(20000)}${']'.repeat(20000)}\n`);

describe('senza: bounded and checked definition input', () => {
  it('print /dev/zero 1: refused at 10 MB, exit 2', async () => {
    const r = await runCli(SENZA, ['print', '/dev/zero', '1'], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('Error: definition "/dev/zero" is larger than 10 MB');
  });

  it('--parameter-file /dev/zero: refused at 10 MB, exit 2', async () => {
    const r = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1', '--parameter-file', '/dev/zero'], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('Error: parameter file "/dev/zero" is larger than 10 MB');
  });

  for (const command of ['print', 'create', 'update', 'diff']) {
    it(`${command} of a definition nested 20000 levels deep: a clear error, no stack trace, exit 2`, async () => {
      const r = await runCli(SENZA, [command, deep, '1'], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`Error: ${deep}:2:`);
      expect(r.stderr).toContain('maps and lists are nested more than 100 levels deep');
      expect(r.stderr).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
    });
  }
});
