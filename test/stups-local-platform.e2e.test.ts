import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenStore } from '@stups/core/auth';
import { CI_CLIENT, isRunning } from '@stups/local';
import { afterAll, describe, expect, it } from 'vitest';
import { pieroneUserEnv } from './support/pierone-user.js';
import { ROOT, runCli } from './support/run-cli.js';
import { ZIGN } from './support/zign-session.js';

/**
 * One platform per state directory, and status/up/down that tell the truth: concurrent ups, a killed
 * moto, stale PID files, a deleted state directory, planted symlinks. The built CLI, as a user runs it.
 */
const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
const dirs: string[] = [];
const pids: number[] = [];
const strangers: ChildProcess[] = [];

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stups-local-platform-'));
  dirs.push(dir);
  return dir;
}

const stupsLocal = (dir: string, ...args: string[]) => runCli(STUPS_LOCAL, [...args, '--state-dir', dir]);

/** The daemon's PID, moto's and even's two sshd (app-1, odd), from the record in the state directory. */
function recorded(dir: string): { pid: number; motoPid: number; sshdPids: number[]; endpoint: string } {
  const record = JSON.parse(readFileSync(join(dir, 'platform.json'), 'utf8'));
  const aws = record.services.find((s: { name: string }) => s.name === 'aws');
  const moto = aws.parts.find((p: { label: string }) => p.label === 'moto');
  const even = record.services.find((s: { name: string }) => s.name === 'even');
  const sshdPids = ['app-1', 'odd'].map((l) => even.parts.find((p: { label: string }) => p.label === l).pid as number);
  pids.push(record.pid, moto.pid, ...sshdPids);
  return { pid: record.pid, motoPid: moto.pid, sshdPids, endpoint: aws.endpoint };
}

/** Every live process whose stdout is a log file in `dir`: the daemon (platform.log) and moto (moto.log). */
function processesLoggingTo(dir: string): { pid: number; log: string }[] {
  const found: { pid: number; log: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const target = readlinkSync(`/proc/${entry}/fd/1`);
      if (target.startsWith(`${dir}/`) && isRunning(Number(entry))) found.push({ pid: Number(entry), log: target });
    } catch {
      // gone, or not ours
    }
  }
  return found.sort((a, b) => a.log.localeCompare(b.log));
}

function sleeper(): ChildProcess {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  strangers.push(child);
  return child;
}

afterAll(async () => {
  for (const dir of dirs) {
    await runCli(STUPS_LOCAL, ['down', '--state-dir', dir]);
    await rm(dir, { recursive: true, force: true });
  }
  for (const child of strangers) child.kill('SIGKILL');
  for (const pid of pids) expect(isRunning(pid)).toBe(false);
});

describe('stups-local: one platform per state directory', () => {
  it('three concurrent ups start one daemon and one moto; the others join it', async () => {
    const dir = await stateDir();
    const ups = await Promise.all([stupsLocal(dir, 'up'), stupsLocal(dir, 'up'), stupsLocal(dir, 'up')]);
    for (const up of ups) expect(up.code, up.stderr).toBe(0);
    expect(new Set(ups.map((u) => u.stdout)).size).toBe(1);
    expect(ups.filter((u) => u.stderr.includes('stups-local is up')).length).toBe(1);
    expect(ups.filter((u) => u.stderr.includes('already runs')).length).toBe(2);

    const { pid, motoPid, sshdPids } = recorded(dir);
    expect(processesLoggingTo(dir)).toEqual([
      { pid: sshdPids[0], log: join(dir, 'even', 'app-1', 'sshd.log') },
      { pid: sshdPids[1], log: join(dir, 'even', 'odd', 'sshd.log') },
      { pid: motoPid, log: join(dir, 'moto.log') },
      { pid, log: join(dir, 'platform.log') },
    ]);

    const down = await stupsLocal(dir, 'down');
    expect(down.code).toBe(0);
    expect(processesLoggingTo(dir)).toEqual([]);
  });

  it('after kill -9 of moto, status says broken and up restarts it on the same endpoint', async () => {
    const dir = await stateDir();
    const up = await stupsLocal(dir, 'up');
    expect(up.code, up.stderr).toBe(0);
    const before = recorded(dir);
    process.kill(before.motoPid, 'SIGKILL');
    for (let i = 0; i < 50 && isRunning(before.motoPid); i++) await new Promise((r) => setTimeout(r, 50));

    const status = await stupsLocal(dir, 'status');
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`moto   `);
    expect(status.stdout).toContain(`PID ${before.motoPid}  NOT RUNNING`);
    expect(status.stdout).toContain('stups-local is broken');
    const env = await stupsLocal(dir, 'env');
    expect(env.code).toBe(1);
    expect(env.stdout).toBe('');

    const again = await stupsLocal(dir, 'up');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('already runs');
    expect(again.stderr).toContain('is broken');
    expect(again.stderr).toContain('stups-local is up');
    expect(again.stdout).toBe(up.stdout);
    const after = recorded(dir);
    expect(after.motoPid).not.toBe(before.motoPid);
    expect(isRunning(before.pid)).toBe(false);
    expect(isRunning(after.motoPid)).toBe(true);
    expect(processesLoggingTo(dir).map((p) => p.pid)).toEqual([...after.sshdPids, after.motoPid, after.pid]);
    expect((await stupsLocal(dir, 'status')).code).toBe(0);
    expect((await stupsLocal(dir, 'down')).code).toBe(0);
    expect(isRunning(after.pid)).toBe(false);
    expect(isRunning(after.motoPid)).toBe(false);
  });

  it('tokens the provider issued stay valid across down/up: zign, pierone and the registry keep working', async () => {
    const dir = await stateDir();
    const up = await stupsLocal(dir, 'up');
    expect(up.code, up.stderr).toBe(0);
    const exported = Object.fromEntries(
      [...up.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], (m[2] ?? '').replace(/^'|'$/g, '')]),
    );
    const user = join(dir, 'user');
    mkdirSync(user, { recursive: true });
    // The CI recipe (client credentials, stored under the name), not the stups-tokens service token.
    const { OAUTH2_ACCESS_TOKEN_URL: _url, CREDENTIALS_DIR: _dir, ...platformEnv } = exported;
    const env = {
      ...pieroneUserEnv(user),
      ...platformEnv,
      ZIGN_CLIENT_ID: CI_CLIENT.client_id,
      ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
      NODE_NO_WARNINGS: '1',
    };
    const token = await runCli(ZIGN, ['token', '-n', 'pierone', 'uid'], env);
    expect(token.code, token.stderr).toBe(0);
    const issued = token.stdout.trim();
    const tokeninfo = async (t: string) =>
      (await fetch(`${exported.TOKENINFO_URL}?access_token=${encodeURIComponent(t)}`)).status;
    expect(await tokeninfo(issued)).toBe(200);
    const state = join(dir, 'oauth-state.json');
    expect(statSync(state).mode & 0o777).toBe(0o600);

    expect((await stupsLocal(dir, 'down')).code).toBe(0);
    const again = await stupsLocal(dir, 'up');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(up.stdout);
    recorded(dir);
    expect(await tokeninfo(issued)).toBe(200);
    const teams = await runCli(`${ROOT}packages/pierone/dist/bin.js`, ['teams'], env);
    expect(teams.code, teams.stderr).toBe(0);
    // The stored token was not renewed: the provider still knew it.
    expect(new TokenStore(join(user, 'config', 'zalando-token-cli')).get('pierone')?.access_token).toBe(issued);
    expect((await stupsLocal(dir, 'down')).code).toBe(0);
  }, 240_000);

  it('a stale record naming an unrelated process: status says not running, down leaves it alone', async () => {
    const dir = await stateDir();
    const stranger = sleeper();
    const pid = stranger.pid as number;
    const part = (label: string) => ({ label, endpoint: 'http://127.0.0.1:9', pid });
    const record = {
      pid,
      token: 'not-its-token',
      stateDir: dir,
      region: 'eu-central-1',
      startedAt: new Date().toISOString(),
      services: [
        {
          name: 'aws',
          endpoint: 'http://127.0.0.1:9',
          summary: 'AWS',
          environment: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
          parts: [part('layer'), part('moto')],
        },
      ],
    };
    writeFileSync(join(dir, 'platform.json'), JSON.stringify(record));
    writeFileSync(join(dir, 'platform.pid'), `${pid}\n`);
    writeFileSync(join(dir, 'moto.pid'), `${pid}\n`);
    writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ pid, token: 'not-its-token' }));

    const status = await stupsLocal(dir, 'status');
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('stups-local is not running');
    expect((await stupsLocal(dir, 'env')).code).toBe(1);
    const down = await stupsLocal(dir, 'down');
    expect(down.code).toBe(0);
    expect(down.stderr).toContain('not running');
    expect(isRunning(pid)).toBe(true);
    expect(existsSync(join(dir, 'platform.json'))).toBe(false);
    expect(existsSync(join(dir, 'moto.pid'))).toBe(false);
    expect(isRunning(pid)).toBe(true);
  });

  it('a deleted state directory is reported, down still stops the platform, up does not start a second one', async () => {
    const dir = await stateDir();
    expect((await stupsLocal(dir, 'up')).code).toBe(0);
    const first = recorded(dir);
    await rm(dir, { recursive: true, force: true });

    const status = await stupsLocal(dir, 'status');
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`PID ${first.motoPid}  running`);
    expect(status.stdout).toContain('(deleted)');
    expect(status.stdout).toContain('stop it with: stups-local down');
    const down = await stupsLocal(dir, 'down');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('was deleted');
    expect(isRunning(first.pid)).toBe(false);
    expect(isRunning(first.motoPid)).toBe(false);
    expect((await stupsLocal(dir, 'status')).stdout).toContain('not running');

    expect((await stupsLocal(dir, 'up')).code).toBe(0);
    const second = recorded(dir);
    await rm(dir, { recursive: true, force: true });
    const up = await stupsLocal(dir, 'up');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('was deleted');
    const third = recorded(dir);
    expect(isRunning(second.pid)).toBe(false);
    expect(isRunning(second.motoPid)).toBe(false);
    expect(processesLoggingTo(dir).map((p) => p.pid)).toEqual([...third.sshdPids, third.motoPid, third.pid]);
    expect((await stupsLocal(dir, 'down')).code).toBe(0);
  });

  it('follows no symlink planted in the state directory and makes it 0700', async () => {
    const dir = await stateDir();
    const outside = await stateDir();
    const victim = join(outside, 'victim');
    writeFileSync(victim, 'precious\n');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const planted = ['platform.json', 'platform.pid', 'endpoint', 'daemon.json', 'moto.pid', 'moto.port', 'moto.log'];
    for (const name of [...planted, 'platform.log', 'lock']) symlinkSync(victim, join(dir, name));
    symlinkSync(outside, join(dir, 'moto-patches'));

    const up = await stupsLocal(dir, 'up');
    expect(up.code, up.stderr).toBe(0);
    recorded(dir);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    for (const name of [...planted, 'platform.log']) {
      if (!existsSync(join(dir, name))) continue;
      const st = lstatSync(join(dir, name));
      expect(st.isSymbolicLink(), name).toBe(false);
      expect(st.mode & 0o777, name).toBe(0o600);
    }
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    expect(lstatSync(join(dir, 'moto-patches')).isDirectory()).toBe(true);
    expect(readdirSync(outside)).toEqual(['victim']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect((await stupsLocal(dir, 'down')).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
