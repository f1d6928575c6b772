import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_LIMIT_BYTES, prune } from './compile-cache.js';

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

  it('keeps its directory within the limit: a run that writes an entry deletes the oldest ones past it', () => {
    const home = join(root, 'home-full');
    const dir = join(home, 'stups-ts', `v8-${process.version}`);
    mkdirSync(dir, { recursive: true });
    const now = Date.now() / 1000;
    // Entries of earlier builds (sparse files: their size costs no disk), written a day and an hour ago.
    const older = join(dir, '00000000aaaaaaaa-10.bin');
    const newer = join(dir, '00000000bbbbbbbb-10.bin');
    for (const [file, age] of [
      [older, 86_400],
      [newer, 3_600],
    ] as const) {
      writeFileSync(file, '');
      truncateSync(file, CACHE_LIMIT_BYTES / 2);
      utimesSync(file, now - age, now - age);
    }
    expect(run({ XDG_CACHE_HOME: home })).toBe('42 true 43');
    // The new entry and the hour-old one fit; the day-old one went.
    expect(existsSync(older)).toBe(false);
    expect(existsSync(newer)).toBe(true);
    const entries = readdirSync(dir);
    expect(entries).toHaveLength(2);
    // A run that writes nothing (every entry accepted) deletes nothing, even past the limit.
    writeFileSync(older, '');
    truncateSync(older, CACHE_LIMIT_BYTES / 2);
    utimesSync(older, now - 86_400, now - 86_400);
    expect(run({ XDG_CACHE_HOME: home })).toBe('42 true 43');
    expect(readdirSync(dir).sort()).toEqual([...entries, '00000000aaaaaaaa-10.bin'].sort());
  });

  it('prunes the oldest entries past the limit and stale temp files, and nothing else', () => {
    const dir = join(root, 'prune');
    mkdirSync(join(dir, 'a-directory.bin'), { recursive: true });
    const now = Date.now();
    const file = (name: string, size: number, ageMs: number) => {
      writeFileSync(join(dir, name), 'x'.repeat(size));
      utimesSync(join(dir, name), (now - ageMs) / 1000, (now - ageMs) / 1000);
    };
    file('e1.bin', 40, 5_000);
    file('e2.bin', 40, 4_000);
    file('e3.bin', 40, 3_000);
    file('e4.bin', 40, 2_000);
    file('.e5.bin.0123456789ab.tmp', 40, 60 * 60_000); // an interrupted write, an hour ago
    file('.e6.bin.0123456789ab.tmp', 40, 1_000); // a write under way
    file('notes.txt', 1_000, 10_000); // not ours
    prune(dir, 100, now);
    expect(readdirSync(dir).sort()).toEqual([
      '.e6.bin.0123456789ab.tmp',
      'a-directory.bin',
      'e3.bin',
      'e4.bin',
      'notes.txt',
    ]);
  });

  it('can be turned off', () => {
    const home = join(root, 'home-off');
    expect(run({ XDG_CACHE_HOME: home, STUPS_NO_COMPILE_CACHE: '1' })).toBe('42 true 43');
    expect(() => readdirSync(home)).toThrow();
  });
});
