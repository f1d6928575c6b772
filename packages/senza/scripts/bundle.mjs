#!/usr/bin/env node
// The shipped `senza`: one bundle of the tsc output (dist/bin.js and everything it imports, workspace packages
// included) with a chunk per lazily imported module, so `import()` stays lazy and `senza --help` parses only
// what it needs. Run by `pnpm run build` after `tsc -b`.
//
// The chunks are CommonJS (`.cjs`): Node 20 has no code cache for ES modules, but its CommonJS loader can be
// given one (packages/core/src/fs/compile-cache.ts), and with the cache warm `senza print` starts about 15 %
// faster than from ES chunks (docs/benchmarks.md). Node 22+'s own cache holds less (no lazily compiled
// functions), so the hook serves every Node.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { asciiOutput, failOnWarning, requireToBundled } from '../../../scripts/bundle-cli.mjs';

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

// The SDK's request handler loads node:https when it is loaded and makes its https agent when it is
// made, for every client: loading TLS is some 20 ms of a run on Node 24 (it sets up OpenSSL, which
// Node 20 does at start), needless against a plain-HTTP endpoint (the local platform). Here both wait for
// the first https request. Each edit must apply, so that an SDK update that moves the code fails the build
// rather than silently loading TLS again.
const SMITHY_HTTP_HANDLER = /@smithy[\\/]node-http-handler[\\/]dist-es[\\/]/;
function edit(code, id, from, to) {
  if (!code.includes(from)) throw new Error(`bundle.mjs: ${id} no longer contains ${JSON.stringify(from)}`);
  return code.replace(from, to);
}
const lazyHttps = {
  name: 'stups:sdk-lazy-https',
  transform: {
    filter: { id: SMITHY_HTTP_HANDLER },
    handler(code, id) {
      if (/node-https\.js$/.test(id)) {
        return edit(
          code,
          id,
          'import node_https from "node:https";',
          'let loaded;\nconst https = () => (loaded ??= require("node:https"));\n' +
            'const node_https = { get Agent() { return https().Agent; }, get request() { return https().request; } };',
        );
      }
      if (!/node-http-handler\.js$/.test(id)) return null;
      let out = edit(
        code,
        id,
        '        let httpAgentPromise;\n',
        '        let httpAgentPromise;\n        let httpsAgentMade;\n        const handler = this;\n',
      );
      out = edit(
        out,
        id,
        '            httpsAgent: (() => {\n                if (httpsAgent instanceof node_https.Agent || typeof httpsAgent?.destroy === "function") {\n                    this.externalAgent = true;',
        '            httpsAgentIfMade: () => httpsAgentMade,\n            get httpsAgent() { return (httpsAgentMade ??= (() => {\n                if (httpsAgent instanceof node_https.Agent || typeof httpsAgent?.destroy === "function") {\n                    handler.externalAgent = true;',
      );
      out = edit(
        out,
        id,
        '                return new node_https.Agent({ keepAlive, maxSockets, ...httpsAgent });\n            })(),',
        '                return new node_https.Agent({ keepAlive, maxSockets, ...httpsAgent });\n            })()); },',
      );
      return edit(
        out,
        id,
        '        this.config?.httpsAgent?.destroy();',
        '        (this.config?.httpsAgentIfMade ? this.config.httpsAgentIfMade() : this.config?.httpsAgent)?.destroy();',
      );
    },
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  input: { senza: join(PACKAGE, 'scripts', 'bundle-entry.mjs') },
  platform: 'node',
  plugins: [requireToBundled, lazyChildProcess, lazyHttps],
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
    ...asciiOutput,
  },
});

// `senza --help`, rendered once here and answered by bin without loading the argument parser.
const help = execFileSync(process.execPath, [BUNDLE_BIN, '--help'], {
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', COLUMNS: '80' },
});
writeFileSync(join(OUT, 'help.txt'), help);
console.log(`bundled senza into ${OUT}`);
