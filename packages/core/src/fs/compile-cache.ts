import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Script } from 'node:vm';
import { writeFileAtomic } from './atomic-file.js';

/**
 * A V8 code cache for CommonJS files that are costly to compile: the chunks of a CLI's bundle
 * (packages/senza/scripts/bundle.mjs), the AWS SDK's code among them. With cached code a second run skips
 * that work. A narrow hook on the CommonJS loader caches only the accepted files, and writes an entry at
 * the end of the run that first loaded the file, so it holds every function that run compiled. Node 22+'s
 * own `module.enableCompileCache` is not used: it writes an entry when the file is compiled, before its
 * functions have run and been compiled, and `senza print` took about 1.2× the wall time with it on Node 24
 * (docs/benchmarks.md). A run that writes entries keeps the directory within CACHE_LIMIT_BYTES (every
 * build or upgrade of a CLI brings chunks under new names). `STUPS_NO_COMPILE_CACHE=1` turns it off.
 */
let installed = false;
const accepted: ((filename: string) => boolean)[] = [];

export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'stups-ts', `v8-${process.version}`);
}

// node:vm is loaded with the first file compiled through the cache, not by a run that compiles none
// (`senza --help`).
const vm = () => createRequire(import.meta.url)('node:vm') as typeof import('node:vm');

/** Node 22+ passes the module's format third (`commonjs`, or `module` for `require` of an ES module). */
type CompileFn = (this: Module, content: string, filename: string, format?: string) => unknown;

/**
 * The cache file's name: the file's path, length and a CRC-32 of its content. A CRC is enough to notice
 * a changed file (the bundle's chunk names carry a content hash as well) and, unlike a SHA-1, costs
 * well under a millisecond for the SDK's chunks; zlib is loaded on first use, not by `senza --help`.
 */
function cacheKey(filename: string, content: string): string {
  const { crc32 } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `${hex(crc32(filename))}${hex(crc32(content))}-${content.length.toString(16)}`;
}

/** Caches the compiled code of the CommonJS files that `accept` names. */
export function installCompileCache(accept: (filename: string) => boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (env.STUPS_NO_COMPILE_CACHE) return;
  accepted.push(accept);
  if (installed) return;
  installed = true;
  const dir = cacheDirectory(env);
  const proto = Module.prototype as unknown as { _compile: CompileFn };
  const original = proto._compile;
  const pending: { file: string; script: Script }[] = [];
  proto._compile = function (this: Module, content: string, filename: string, format?: string) {
    if ((format !== undefined && format !== 'commonjs') || !accepted.some((a) => a(filename))) {
      return original.call(this, content, filename, format);
    }
    const file = join(dir, `${cacheKey(filename, content)}.bin`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      // first run for this file
    }
    let script: Script;
    try {
      const { Script } = vm();
      script = new Script((Module as unknown as { wrap(s: string): string }).wrap(content), { filename, cachedData });
    } catch {
      return original.call(this, content, filename, format);
    }
    if (!cachedData || script.cachedDataRejected) pending.push({ file, script });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = createRequire(filename);
    return fn.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
  process.once('exit', () => {
    if (pending.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true });
      for (const { file, script } of pending) {
        writeFileAtomic(file, script.createCachedData());
      }
      prune(dir);
    } catch {
      // a cache is an optimisation: never fail a command over it
    }
  });
}

/**
 * The most one cache directory holds (one per Node version). An entry is some 1 KB to 1 MB, the 27 that
 * `senza print` loads 2.5 MB together, so this keeps the sets of several builds or versions side by side.
 */
export const CACHE_LIMIT_BYTES = 64 * 1024 * 1024;

/** A temp file of an interrupted write (writeFileAtomic) is removed once it is this old. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Deletes the oldest entries (by the time they were written) past CACHE_LIMIT_BYTES, and the temp files
 * of writes that never finished. An entry still in use that goes is written again by the next run that
 * loads its file. Another process may prune or read at the same time: a file already gone is skipped, and
 * a reader that misses an entry compiles the file as if it were new.
 */
export function prune(dir: string, limit = CACHE_LIMIT_BYTES, now = Date.now()): void {
  const files: { path: string; size: number; mtimeMs: number; temp: boolean }[] = [];
  for (const name of readdirSync(dir)) {
    const temp = name.startsWith('.') && name.endsWith('.tmp');
    if (!temp && !name.endsWith('.bin')) continue;
    try {
      const stat = statSync(join(dir, name));
      if (stat.isFile()) files.push({ path: join(dir, name), size: stat.size, mtimeMs: stat.mtimeMs, temp });
    } catch {
      // removed meanwhile
    }
  }
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  let total = 0;
  for (const file of files) {
    if (file.temp) {
      if (now - file.mtimeMs > STALE_TEMP_MS) rmSync(file.path, { force: true });
      continue;
    }
    total += file.size;
    if (total > limit) rmSync(file.path, { force: true });
  }
}
