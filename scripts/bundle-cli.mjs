// The bundler's shared parts for the CLIs that ship as bundles of the tsc output (`pnpm run build`, after
// `tsc -b`): senza (packages/senza/scripts/bundle.mjs) and the commands that run on every call of another
// tool, whose start is most of their time: `zign`/`ztoken` (a stored token) and `docker-credential-pierone`
// (Docker runs it on every push and pull). Each bundle is CommonJS: one file holds what the fast path needs
// (Node reads and compiles one file instead of resolving a dozen ES modules), and every `import()` becomes a
// chunk loaded only when a run gets there. docs/benchmarks.md has the measurements.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

// The sources load CommonJS packages and JSON with `createRequire(import.meta.url)(…)` (cheaper than the ESM
// loader unbundled). In the bundle those become plain `require`s that the bundler resolves and inlines.
const CREATE_REQUIRE = /\bcreateRequire\(import\.meta\.url\)/g;
export const requireToBundled = {
  name: 'stups:create-require',
  transform: {
    filter: { code: 'createRequire(import.meta.url)' },
    handler(code) {
      return code
        .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
        .replace(CREATE_REQUIRE, 'require');
    },
  },
};

/**
 * Output options of every bundle: pure ASCII. A file with one character beyond Latin-1 (an arrow in a doc
 * comment, a dash in a string) is read into a two-byte string, twice the bytes to decode, key and compile,
 * and one beyond ASCII is decoded the slow way: `senza print` ran 2.6 % more instructions. Strings are
 * escaped, and doc comments (the rest of the non-ASCII) are dropped; legal comments are not kept either.
 */
export const asciiOutput = { comments: { legal: false, jsdoc: false }, charset: 'ascii' };

/**
 * A bundler warning fails the build: a newcomer's first `pnpm build` shows no warning, and a static import
 * that defeats a lazy chunk (INEFFECTIVE_DYNAMIC_IMPORT) is caught where it is made.
 */
export function failOnWarning(level, log, handler) {
  if (level === 'warn') throw new Error(`bundler warning ${log.code ?? ''}: ${log.message}`);
  handler(level, log);
}

/**
 * Bundles `entries` (name → tsc output file) of the package at `packageDir` into `dist/<name>.cjs`, next to
 * the tsc output, so that relative paths the sources resolve from `import.meta.url` (`../package.json`)
 * stay right; the chunks go to `dist/bundle-chunks/`. Each entry is built alone, so its fast path is
 * one file, never split into a chunk it shares with another entry.
 */
export async function bundleCli(packageDir, entries) {
  const chunks = join(packageDir, 'dist', 'bundle-chunks');
  rmSync(chunks, { recursive: true, force: true });
  for (const [name, file] of Object.entries(entries)) {
    await build({
      input: { [name]: join(packageDir, file) },
      platform: 'node',
      plugins: [requireToBundled],
      resolve: { conditionNames: ['module', 'import', 'node', 'default'], mainFields: ['module', 'main'] },
      logLevel: 'warn',
      onLog: failOnWarning,
      output: {
        dir: join(packageDir, 'dist'),
        format: 'cjs',
        // `import()` of a chunk becomes a deferred `require`: still lazy.
        dynamicImportInCjs: false,
        entryFileNames: '[name].cjs',
        chunkFileNames: `bundle-chunks/${name}-[name]-[hash].cjs`,
        ...asciiOutput,
      },
    });
  }
}
