#!/usr/bin/env node
// The shipped `senza`: one bundle of the tsc output (dist/bin.js and everything it imports, workspace packages
// included) with a chunk per lazily imported module, so `import()` stays lazy and `senza --help` parses only
// what it needs. Run by `pnpm run build` after `tsc -b`.
//
// The chunks are CommonJS (`.cjs`): Node 20 has no code cache for ES modules, but its CommonJS loader can be
// given one (packages/core/src/fs/compile-cache.ts), and with the cache warm `senza print` starts about 15 %
// faster than from ES chunks (docs/benchmarks.md). Node 22+ caches either kind by itself.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { failOnWarning, requireToBundled } from '../../../scripts/bundle-cli.mjs';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(PACKAGE, 'dist', 'bundle');
const BUNDLE_BIN = join(OUT, 'senza.cjs');

// commander loads child_process on start for executable subcommands (`program.command(name, description)`),
// which senza does not declare; loading it costs some 4 ms of every run. Spawned only if one ever runs.
const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyChildProcess = {
  name: 'stups:commander-lazy-child-process',
  transform: {
    filter: { id: /commander[\\/]lib[\\/]command\.js$/, code: COMMANDER_CHILD_PROCESS },
    handler(code) {
      return code.replace(
        COMMANDER_CHILD_PROCESS,
        "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      );
    },
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  input: { senza: join(PACKAGE, 'scripts', 'bundle-entry.mjs') },
  platform: 'node',
  plugins: [requireToBundled, lazyChildProcess],
  // The SDK's ES builds: with only the commands the engine imports, the bundler drops the rest of each
  // service (the EC2 part shrinks from 2.1 MB to some 40 KB); its CommonJS bundles cannot be tree-shaken.
  resolve: { conditionNames: ['module', 'import', 'node', 'default'], mainFields: ['module', 'main'] },
  logLevel: 'warn',
  onLog: failOnWarning,
  output: {
    dir: OUT,
    format: 'cjs',
    // `import()` of a chunk becomes a deferred `require`: still lazy, and through the cached loader.
    dynamicImportInCjs: false,
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
    comments: { legal: false },
  },
});

// `senza --help`, rendered once here and answered by bin without loading the argument parser.
const help = execFileSync(process.execPath, [BUNDLE_BIN, '--help'], {
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', COLUMNS: '80' },
});
writeFileSync(join(OUT, 'help.txt'), help);
console.log(`bundled senza into ${OUT}`);
