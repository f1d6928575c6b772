import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { isRunning } from '@stups/local';
import { ROOT, runCli } from './run-cli.js';

/**
 * A whole stups-local platform for the piu end-to-end suites, started with the built CLI in its own
 * state directory (ephemeral loopback ports), with a temporary home: a fresh SSH key registered with
 * the local even for the login name, and an ssh config that uses only that key and includes the
 * platform's (host names, ports, known host keys). Stopped by `down`; every PID checked gone.
 */
export const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
export const PIU = `${ROOT}packages/piu/dist/bin.js`;
export const LOGIN = userInfo().username;

export interface PiuPlatform {
  dir: string;
  stateDir: string;
  home: string;
  env: Record<string, string>;
  /** `ssh -F` file for the test's own key, including the platform's. */
  sshConfig: string;
  keyPath: string;
  pids: number[];
  /** The environment piu runs with. */
  piuEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  piu(args: string[], extra?: Record<string, string>): ReturnType<typeof runCli>;
  up(): Promise<void>;
  down(): Promise<void>;
  cleanup(): Promise<void>;
}

export function parseExports(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1] as string] = m[2] as string;
  }
  return env;
}

export function newKey(dir: string, name: string): { path: string; publicKey: string } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  return { path, publicKey: readFileSync(`${path}.pub`, 'utf8').trim() };
}

export async function startPiuPlatform(platformEnv: Record<string, string>): Promise<PiuPlatform> {
  const dir = await mkdtemp(join(tmpdir(), 'piu-e2e-'));
  const stateDir = join(dir, 'state');
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  // The login's default key: `up` registers it with even for the login name.
  const key = newKey(join(home, '.ssh'), 'id_ed25519');
  const sshConfig = join(dir, 'ssh_config');
  const pids: number[] = [];
  const platform: PiuPlatform = {
    dir,
    stateDir,
    home,
    env: {},
    sshConfig,
    keyPath: key.path,
    pids,
    piuEnv: (extra = {}) => ({
      ...platform.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      USER: LOGIN,
      ...extra,
    }),
    piu: (args, extra) => runCli(PIU, args, platform.piuEnv(extra)),
    async up() {
      const up = await runCli(STUPS_LOCAL, ['up', '--state-dir', stateDir], { HOME: home, ...platformEnv });
      if (up.code !== 0) throw new Error(`stups-local up failed: ${up.stderr}`);
      platform.env = parseExports(up.stdout);
      const record = JSON.parse(readFileSync(join(stateDir, 'platform.json'), 'utf8'));
      for (const s of record.services) for (const p of s.parts) pids.push(p.pid);
      writeFileSync(
        sshConfig,
        [
          'Host *',
          `  IdentityFile ${key.path}`,
          '  IdentitiesOnly yes',
          '  BatchMode yes',
          '  ConnectTimeout 10',
          `Include ${platform.env.PIU_SSH_CONFIG}`,
          '',
        ].join('\n'),
      );
    },
    async down() {
      const down = await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir]);
      if (down.code !== 0) throw new Error(`stups-local down failed: ${down.stderr}`);
    },
    async cleanup() {
      await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir]);
      const left = pids.filter((p) => isRunning(p));
      await rm(dir, { recursive: true, force: true });
      if (left.length) throw new Error(`still running: ${left.join(', ')}`);
    },
  };
  await platform.up();
  return platform;
}

/** Runs an ssh command line as printed by piu (words without quotes), with a remote command. */
export function ssh(commandLine: string, remote: string): { code: number; stdout: string; stderr: string } {
  const argv = commandLine.trim().split(/\s+/);
  try {
    const stdout = execFileSync(argv[0] as string, [...argv.slice(1), remote], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
