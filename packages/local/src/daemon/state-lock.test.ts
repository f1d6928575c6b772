import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, withStateLock } from './state-lock.js';

const dirs: string[] = [];
async function dir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'stups-local-lock-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the state directory lock', () => {
  it('lets one holder in at a time', async () => {
    const d = await dir();
    const log: string[] = [];
    const holder = (name: string) =>
      withStateLock(d, { timeoutMs: 30_000 }, async () => {
        log.push(`${name} in`);
        await new Promise((r) => setImmediate(r));
        log.push(`${name} out`);
      });
    await Promise.all([holder('a'), holder('b'), holder('c')]);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]?.replace(' in', ' out'));
  });

  it('takes over the lock of a holder that died, and a symlink planted in its place', async () => {
    const d = await dir();
    const dead = spawn('true');
    await once(dead, 'exit');
    writeFileSync(join(d, LOCK_FILE), `${dead.pid} deadbeef\n`);
    expect(await withStateLock(d, { timeoutMs: 5_000 }, async () => 'got it')).toBe('got it');

    const victim = join(d, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(d, LOCK_FILE));
    expect(await withStateLock(d, { timeoutMs: 5_000 }, async () => 'got it')).toBe('got it');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('waits for a live holder and names it when it gives up', async () => {
    const d = await dir();
    // as core's file lock names its holder
    writeFileSync(
      join(d, LOCK_FILE),
      JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now(), token: 'someone-else' }),
    );
    const waitedFor: number[] = [];
    const error = await withStateLock(d, { timeoutMs: 300, onWait: (pid) => waitedFor.push(pid) }, async () => 1).catch(
      (e) => e,
    );
    expect(waitedFor).toEqual([process.pid]);
    expect(error.code).toBe('local.state-locked');
    expect(error.message).toContain(`PID ${process.pid}`);
  });
});
