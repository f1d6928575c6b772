import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CORE_DIST = fileURLToPath(new URL('../../dist/aws/sdk-modules.js', import.meta.url));

// In a child process: load the STS client through sdk-modules (which installs the cache) and use it.
const script = `
const { sdk } = await import(${JSON.stringify(CORE_DIST)});
const { STSClient, GetCallerIdentityCommand } = sdk.sts();
console.log(typeof STSClient, typeof GetCallerIdentityCommand);
`;

function run(env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', ...env },
    encoding: 'utf8',
  }).trim();
}

describe('the SDK compile cache', () => {
  it('writes code caches for SDK files on the first run and loads working modules on the next', () => {
    const home = mkdtempSync(join(tmpdir(), 'compile-cache-'));
    expect(run({ XDG_CACHE_HOME: home })).toBe('function function');
    const dir = join(home, 'stups-ts', `v8-${process.version}`);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(3);
    expect(run({ XDG_CACHE_HOME: home })).toBe('function function');
    expect(readdirSync(dir).sort()).toEqual(files.sort()); // nothing rewritten: every cache was accepted
  });

  it('can be turned off', () => {
    const home = mkdtempSync(join(tmpdir(), 'compile-cache-off-'));
    expect(run({ XDG_CACHE_HOME: home, STUPS_NO_COMPILE_CACHE: '1' })).toBe('function function');
    expect(readdirSync(home)).toEqual([]);
  });
});
