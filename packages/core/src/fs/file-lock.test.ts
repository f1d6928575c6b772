import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperationError } from '../errors.js';
import { withFileLock } from './file-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'file-lock-'));
/** A PID that surely ran and is gone: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;

describe('withFileLock', () => {
  it('serialises holders in one process and removes the lock afterwards, also after an error', async () => {
    const file = join(dir(), 'config.yaml');
    const order: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        withFileLock(file, async () => {
          order.push(`in${n}`);
          await new Promise((r) => setImmediate(r));
          order.push(`out${n}`);
        }),
      ),
    );
    // never two inside at once
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace('in', 'out'));
    await expect(withFileLock(file, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('breaks a lock whose owner process is gone, and one that is too old', async () => {
    const d = dir();
    const file = join(d, 'a.yaml');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: deadPid(), host: hostname(), time: Date.now() }));
    expect(await withFileLock(file, () => 'got it', { timeoutMs: 200 })).toBe('got it');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now() - 120_000 }));
    expect(await withFileLock(file, () => 'old broken', { timeoutMs: 200, staleMs: 60_000 })).toBe('old broken');
    expect(readdirSync(d)).toEqual([]);
  });

  it('waits a bounded time for a live holder, then fails naming the file and the PID', async () => {
    const file = join(dir(), 'b.yaml');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now() }));
    const e = await withFileLock(file, () => 'never', { timeoutMs: 100 }).catch((x) => x);
    expect(e).toBeInstanceOf(OperationError);
    expect(e.message).toBe(`${file} is locked by another process (PID ${process.pid}); waited 0.1 s`);
    expect(e.hint).toContain(`${file}.lock`);
    // the live holder's lock is left alone
    expect(existsSync(`${file}.lock`)).toBe(true);
  });

  it("takes a lock file of its own name, tells a waiter who holds it, and throws the caller's error", async () => {
    const d = dir();
    const lockFile = join(d, 'lock');
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now() - 3_600_000 }));
    const waitedFor: number[] = [];
    const e = await withFileLock(d, () => 'never', {
      lockFile,
      timeoutMs: 100,
      staleMs: Number.POSITIVE_INFINITY,
      onWait: (pid) => waitedFor.push(pid),
      lockedError: (pid, path) => new Error(`held by ${pid} at ${path}`),
    }).catch((err: Error) => err);
    expect(waitedFor).toEqual([process.pid]);
    expect((e as Error).message).toBe(`held by ${process.pid} at ${lockFile}`);
    expect(readdirSync(d)).toEqual(['lock']);
  });
});
