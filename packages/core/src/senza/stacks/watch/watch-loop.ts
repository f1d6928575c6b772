import { setTimeout as sleep } from 'node:timers/promises';

export interface WatchOptions {
  /** Seconds between runs while something changes. */
  periodSeconds: number;
  /** Ends the loop (Ctrl-C). */
  signal: AbortSignal;
  /** Back off when a run brings nothing new, up to this many seconds (default: the period, i.e. no back-off). */
  maxPeriodSeconds?: number;
  /** Injectable for tests. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultWait = (ms: number, signal: AbortSignal) =>
  sleep(ms, undefined, { signal }).catch((e: unknown) => {
    if ((e as { name?: string }).name !== 'AbortError') throw e;
  });

/**
 * Runs `iteration` now and again after each period until the signal aborts. When an iteration
 * reports no change, the wait doubles up to `maxPeriodSeconds`; a change resets it. Never busy-loops.
 */
export async function watchLoop(iteration: () => Promise<boolean>, options: WatchOptions): Promise<void> {
  const base = Math.max(1, options.periodSeconds) * 1000;
  const max = Math.max(base, (options.maxPeriodSeconds ?? options.periodSeconds) * 1000);
  const wait = options.wait ?? defaultWait;
  let delay = base;
  while (!options.signal.aborted) {
    const changed = await iteration();
    if (options.signal.aborted) break;
    delay = changed ? base : Math.min(delay * 2, max);
    await wait(delay, options.signal);
  }
}
