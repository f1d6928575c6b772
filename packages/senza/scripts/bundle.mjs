#!/usr/bin/env node
// The shipped `senza`: one ESM bundle of the tsc output (dist/bin.js and everything it imports, workspace
// packages included) with a chunk per lazily imported module, so `import()` stays lazy and `senza --help`
// parses only the argument parser. Run by `pnpm run build` after `tsc -b`.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(PACKAGE, 'dist', 'bundle');

// The sources load CommonJS packages and JSON with `createRequire(import.meta.url)(…)` (cheaper than the ESM
// loader unbundled). In the bundle those become plain `require`s that the bundler resolves and inlines.
const CREATE_REQUIRE = /\bcreateRequire\(import\.meta\.url\)/g;
const requireToBundled = {
  name: 'stups:create-require',
  transform: {
    filter: { code: 'createRequire(import.meta.url)' },
    handler(code, id) {
      if (/[\\/]aws[\\/]sdk-modules\.js$/.test(id)) {
        // The AWS SDK is loaded by a name the bundler cannot see; it stays outside, found from @stups/core.
        return code.replace(CREATE_REQUIRE, "createRequire(import.meta.resolve('@stups/core/package.json'))");
      }
      return code
        .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
        .replace(CREATE_REQUIRE, 'require');
    },
  },
};

// Bundled CommonJS still `require`s Node's built-ins; an ES module has no `require` of its own.
const requireInEsm = {
  name: 'stups:require-in-esm',
  renderChunk(code) {
    if (!code.includes('=> require)()')) return null;
    return `import { createRequire as __stupsCreateRequire } from 'node:module';\nconst require = __stupsCreateRequire(import.meta.url);\n${code}`;
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  input: { senza: join(PACKAGE, 'dist', 'bin.js') },
  platform: 'node',
  plugins: [requireToBundled, requireInEsm],
  resolve: { conditionNames: ['module', 'import', 'node', 'default'], mainFields: ['module', 'main'] },
  external: [/^@aws-sdk\//, /^@smithy\//],
  logLevel: 'warn',
  output: {
    dir: OUT,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    minify: false,
    comments: { legal: false },
  },
});

// `senza --help`, rendered once here and answered by bin without loading the argument parser.
const help = execFileSync(process.execPath, [join(OUT, 'senza.js'), '--help'], {
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1' },
});
writeFileSync(join(OUT, 'help.txt'), help);
console.log(`bundled senza into ${dirname(join(OUT, 'senza.js'))}`);
