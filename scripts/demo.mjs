#!/usr/bin/env node
// README command 1: blue/green on one machine. Starts stups-local (moto behind the AWS-correcting
// layer, seeded like a STUPS account), deploys two versions of examples/hello-world.yaml, shifts
// traffic in steps, deletes the old version and stops everything it started.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENZA = join(ROOT, 'packages/senza/dist/bundle/senza.cjs');
const STUPS_LOCAL = join(ROOT, 'packages/local/dist/cli.js');
const state = mkdtempSync(join(os.tmpdir(), 'stups-demo-'));
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[0m` : s);
const started = Date.now();

function run(bin, args, env = process.env, { show = true } = {}) {
  const name = bin === SENZA ? 'senza' : 'stups-local';
  if (show) console.log(`\n${bold(`$ ${name} ${args.join(' ')}`)}`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (show) process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout;
}

let exitCode = 0;
try {
  console.log(bold('Starting the local STUPS platform (AWS on moto, seeded like a team account)..'));
  const exports = run(STUPS_LOCAL, ['up', '--state-dir', state], process.env, { show: false });
  const env = { ...process.env, NODE_NO_WARNINGS: '1' };
  for (const [, k, v] of exports.matchAll(/^export (\w+)=(.*)$/gm)) env[k] = v;
  process.stdout.write(exports);

  run(SENZA, ['create', 'examples/hello-world.yaml', '1', '1.0', '--wait'], env);
  run(SENZA, ['traffic', 'hello-world', '1', '100'], env);
  run(SENZA, ['create', 'examples/hello-world.yaml', '2', '2.0', '--wait'], env);
  run(SENZA, ['list'], env);
  run(SENZA, ['traffic', 'hello-world', '2', '10', '--plan'], env);
  run(SENZA, ['traffic', 'hello-world', '2', '10'], env);
  run(SENZA, ['traffic', 'hello-world', '2', '50'], env);
  run(SENZA, ['traffic', 'hello-world', '2', '100'], env);
  run(SENZA, ['traffic', 'hello-world'], env);
  run(SENZA, ['delete', 'hello-world', '1', '--wait'], env);
  run(SENZA, ['list'], env);
  run(SENZA, ['domains'], env);
  console.log(`\n${bold(`Blue/green done in ${((Date.now() - started) / 1000).toFixed(1)} s.`)}`);
} catch (e) {
  console.error(`\ndemo failed: ${e.message}`);
  exitCode = 1;
} finally {
  spawnSync(process.execPath, [STUPS_LOCAL, 'down', '--state-dir', state], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(state, { recursive: true, force: true });
}
process.exit(exitCode);
