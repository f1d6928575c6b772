import { describe, expect, it } from 'vitest';
import { watchLoop } from './watch-loop.js';

describe('watch loop', () => {
  it('waits a period between runs, backs off while nothing changes, stops on abort', async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    const changes = [true, false, false, false, false, true, false];
    let runs = 0;
    await watchLoop(async () => changes[runs++] ?? false, {
      periodSeconds: 2,
      maxPeriodSeconds: 10,
      signal: controller.signal,
      wait: async (ms) => {
        waits.push(ms);
        if (waits.length === changes.length) controller.abort();
      },
    });
    expect(runs).toBe(changes.length);
    expect(waits).toEqual([2000, 4000, 8000, 10000, 10000, 2000, 4000]);
  });

  it('without back-off every wait is the period', async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    await watchLoop(async () => false, {
      periodSeconds: 3,
      signal: controller.signal,
      wait: async (ms) => {
        waits.push(ms);
        if (waits.length === 3) controller.abort();
      },
    });
    expect(waits).toEqual([3000, 3000, 3000]);
  });
});
