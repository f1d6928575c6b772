import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CORE_DIST = fileURLToPath(new URL('../../dist/fs/compile-cache.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'compile-cache-'));
const modules = join(root, 'modules');
mkdirSync(modules);
writeFileSync(join(modules, 'cached.cjs'), 'module.exports = { answer: () => 6 * 7, dir: __dirname };\n');
writeFileSync(join(modules, 'other.cjs'), 'module.exports = require("./cached.cjs").answer() + 1;\n');

// In a child process: install the cache for files named `cached.cjs`, then require both modules.
const script = `
const { installCompileCache } = await import(${JSON.stringify(CORE_DIST)});
const { createRequire } = await import('node:module');
installCompileCache((file) => file.endsWith('cached.cjs'));
const require = createRequire(${JSON.stringify(join(modules, 'x.cjs'))});
const cached = require('./cached.cjs');
console.log(cached.answer(), cached.dir === ${JSON.stringify(modules)}, require('./other.cjs'));
`;

function run(env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', ...env },
    encoding: 'utf8',
  }).trim();
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file under the cache directory, with a hash of its bytes. */
function cacheFiles(home: string): Record<string, string> {
  const dir = join(home, 'stups-ts', `v8-${process.version}`);
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return files;
}

describe('the compile cache', () => {
  it('writes a code cache for the accepted files only, and loads working modules from it on the next run', () => {
    const home = join(root, 'home');
    expect(run({ XDG_CACHE_HOME: home })).toBe('42 true 43');
    const files = cacheFiles(home);
    // One file per path and content (Node 22+'s own cache is not used): cached.cjs, not other.cjs.
    expect(Object.keys(files)).toHaveLength(1);
    expect(run({ XDG_CACHE_HOME: home })).toBe('42 true 43');
    expect(cacheFiles(home)).toEqual(files); // nothing rewritten: the cache was accepted
  });

  it('notices a changed file of the same length: the new code runs and its cache entry is renewed', () => {
    const home = join(root, 'home-changed');
    const file = join(modules, 'cached.cjs');
    const original = 'module.exports = { answer: () => 6 * 7, dir: __dirname };\n';
    try {
      expect(run({ XDG_CACHE_HOME: home })).toBe('42 true 43');
      const before = cacheFiles(home);
      writeFileSync(file, original.replace('6 * 7', '7 * 7'));
      expect(run({ XDG_CACHE_HOME: home })).toBe('49 true 50');
      const after = cacheFiles(home);
      // The files are keyed by content: a second file.
      expect(Object.keys(after)).toHaveLength(Object.keys(before).length + 1);
      expect(after).not.toEqual(before);
      expect(run({ XDG_CACHE_HOME: home })).toBe('49 true 50');
      expect(cacheFiles(home)).toEqual(after); // the renewed entry is accepted
    } finally {
      writeFileSync(file, original);
    }
  });

  it('can be turned off', () => {
    const home = join(root, 'home-off');
    expect(run({ XDG_CACHE_HOME: home, STUPS_NO_COMPILE_CACHE: '1' })).toBe('42 true 43');
    expect(() => readdirSync(home)).toThrow();
  });
});
