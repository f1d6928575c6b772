import { describe, expect, it } from 'vitest';
import { AbortedError, OperationError } from '../errors.js';
import { pollUntil } from './poll-schedule.js';

const late = () => new OperationError('too late', { code: 'senza.respawn-timeout' });

describe('pollUntil', () => {
  it('checks at once, then on the schedule, until a value comes', async () => {
    const sleeps: number[] = [];
    let now = 0;
    const result = await pollUntil(async (_signal, attempt) => (attempt === 3 ? 'done' : undefined), {
      schedule: { delaysMs: [10, 20] },
      timeoutMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      onTimeout: late,
    });
    expect(result).toBe('done');
    expect(sleeps).toEqual([10, 20, 20]);
  });

  it('a bound of 0 still looks once', async () => {
    let checks = 0;
    const found = await pollUntil(async () => (++checks ? 'complete' : undefined), {
      schedule: { delaysMs: [1000] },
      timeoutMs: 0,
      onTimeout: late,
    });
    expect([found, checks]).toEqual(['complete', 1]);
    const e = await pollUntil(async () => undefined, {
      schedule: { delaysMs: [1000] },
      timeoutMs: 0,
      onTimeout: late,
    }).catch((x) => x);
    expect(e.message).toBe('too late');
  });

  it('the deadline cuts a check in flight short (through its signal) with the timeout error', async () => {
    const started = Date.now();
    const e = await pollUntil(
      (signal) =>
        new Promise<undefined>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('cut')), { once: true });
        }),
      { schedule: { delaysMs: [10] }, timeoutMs: 50, onTimeout: late },
    ).catch((x) => x);
    expect(e.code).toBe('senza.respawn-timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('Ctrl-C ends the wait as an interruption, not as a timeout', async () => {
    const ctrlC = new AbortController();
    const e = await pollUntil(
      async () => {
        ctrlC.abort();
        return undefined;
      },
      { schedule: { delaysMs: [10] }, timeoutMs: 10_000, signal: ctrlC.signal, onTimeout: late },
    ).catch((x) => x);
    expect(e).toBeInstanceOf(AbortedError);
  });
});
