import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { carriesToken, isRunning, PLATFORM_TOKEN_ENV, stopPid } from './own-process.js';

const children: ChildProcess[] = [];

async function sleeper(env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn('sleep', ['600'], { stdio: 'ignore', env: { ...process.env, ...env } });
  children.push(child);
  await once(child, 'spawn');
  return child.pid as number;
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('stopPid', () => {
  it('signals nothing that does not carry the platform token', async () => {
    const pid = await sleeper();
    expect(carriesToken('abc')(pid)).toBe(false);
    expect(await stopPid(pid, carriesToken('abc'))).toBe('not-ours');
    expect(isRunning(pid)).toBe(true);
  });

  it('stops a process that carries the token in its environment', async () => {
    const pid = await sleeper({ [PLATFORM_TOKEN_ENV]: 'abc' });
    expect(carriesToken('other')(pid)).toBe(false);
    expect(carriesToken('abc')(pid)).toBe(true);
    expect(await stopPid(pid, carriesToken('abc'))).toBe('stopped');
    expect(isRunning(pid)).toBe(false);
    expect(await stopPid(pid, carriesToken('abc'))).toBe('not-running');
  });
});
