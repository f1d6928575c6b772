#!/usr/bin/env node
// `pnpm demo:piu`: SSH access on one machine. Starts stups-local (with even, the odd bastion and a team
// host as real sshd on loopback) in a temporary state directory with a temporary home and SSH key, asks
// piu for access to the team host, logs in through the bastion, lists the grant, waits for it to end
// and shows that the same login is refused. One lifetime minute lasts 5 seconds here.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PIU = join(ROOT, 'packages/piu/dist/bin.js');
const STUPS_LOCAL = join(ROOT, 'packages/local/dist/cli.js');
const work = mkdtempSync(join(os.tmpdir(), 'stups-demo-piu-'));
const state = join(work, 'state');
const home = join(work, 'home');
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[0m` : s);
const login = os.userInfo().username;

/**
 * Runs a CLI and shows its output as it comes, stdout and stderr in the order they were written (as on a
 * terminal: `Requesting access ..` before the grant); the command line is quoted as a shell needs it.
 */
async function run(bin, args, env, { check = true } = {}) {
  const name = bin === PIU ? 'piu' : 'stups-local';
  console.log(`\n${bold(`$ ${name} ${args.map((a) => (/[\s*?'"$]/.test(a) ? `'${a}'` : a)).join(' ')}`)}`);
  const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;
    process.stdout.write(d);
  });
  child.stderr.setEncoding('utf8').on('data', (d) => process.stderr.write(d));
  const status = await new Promise((resolve) => child.on('close', resolve));
  if (check && status !== 0) throw new Error(`${name} ${args.join(' ')} failed (exit ${status})`);
  return stdout;
}

function ssh(line, remote, { refusal = false } = {}) {
  console.log(`\n${bold(`$ ${line} ${remote}`)}`);
  const argv = line.split(' ');
  const r = spawnSync(argv[0], [...argv.slice(1), remote], { encoding: 'utf8', timeout: 30_000 });
  process.stdout.write(r.stdout);
  // A login that must be refused: one line saying so instead of ssh's own noise (kex_exchange_identification …).
  if (refusal && r.status !== 0) console.log(`refused (ssh exit ${r.status}), as expected: the access has expired`);
  else process.stderr.write(r.stderr);
  return r.status;
}

let exitCode = 0;
try {
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const key = join(home, '.ssh', 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'piu-demo', '-f', key]);
  console.log(bold('Starting the local STUPS platform with even, the odd bastion and a team host (real sshd)..'));
  const exports = spawnSync(process.execPath, [STUPS_LOCAL, 'up', '--state-dir', state], {
    env: { ...process.env, HOME: home, STUPS_LOCAL_EVEN_MINUTE_SECONDS: '5' },
    encoding: 'utf8',
  });
  process.stderr.write(exports.stderr);
  if (exports.status !== 0) throw new Error('stups-local up failed');
  const env = {
    ...process.env,
    NODE_NO_WARNINGS: '1',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    USER: login,
  };
  for (const [, k, v] of exports.stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[k] = v;
  process.stdout.write(
    exports.stdout
      .split('\n')
      .filter((l) => /EVEN|PIU|ODD/.test(l))
      .join('\n')
      .concat('\n'),
  );
  // Your ~/.ssh/config would do this: the demo key only, no prompts, the platform's hosts included.
  const sshConfig = join(work, 'ssh_config');
  writeFileSync(
    sshConfig,
    `Host *\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  BatchMode yes\nInclude ${env.PIU_SSH_CONFIG}\n`,
  );

  const out = await run(
    PIU,
    ['request-access', env.PIU_TARGET_HOST, 'Demo: look at the logs', '--lifetime', '2', '--ssh-config', sshConfig],
    env,
  );
  const command = out.trim().split('\n').at(-1);
  if (ssh(command, 'echo "logged in on $(hostname) as $(whoami), from the bastion: $SSH_CONNECTION"') !== 0)
    throw new Error('ssh through the bastion failed');
  await run(PIU, ['list-access-requests', '--mine'], env);
  console.log(`\n${bold('Waiting for the access to expire (2 minutes of 5 seconds each)..')}`);
  await sleep(12_000);
  if (ssh(command, 'true', { refusal: true }) === 0) throw new Error('the expired access still works');
  await run(PIU, ['list-access-requests', '-O', '*'], env);
  console.log(`\n${bold('Audit log (stups-local state, even/audit.log):')}`);
  process.stdout.write(execFileSync('cat', [join(state, 'even', 'audit.log')], { encoding: 'utf8' }));
} catch (e) {
  console.error(`\ndemo failed: ${e.message}`);
  exitCode = 1;
} finally {
  spawnSync(process.execPath, [STUPS_LOCAL, 'down', '--state-dir', state], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
