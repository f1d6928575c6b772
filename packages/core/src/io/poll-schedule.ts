import { AbortedError, throwIfAborted } from '../errors.js';

/**
 * How often a watcher asks AWS again. Short at first (a small stack is often done within seconds),
 * then backing off to a cap so that a long deployment costs a bounded number of calls per minute.
 */
export interface PollSchedule {
  /** Delays in ms, used in order; the last one repeats. */
  delaysMs: number[];
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { delaysMs: [1000, 2000, 5000] };

/** The delay before poll number `attempt` (0-based): the schedule, then its last entry forever. */
export function pollDelay(schedule: PollSchedule, attempt: number): number {
  const d = schedule.delaysMs;
  if (d.length === 0) return 0;
  return d[Math.min(Math.max(0, attempt), d.length - 1)];
}

/**
 * The most polls a schedule makes in any 60 s window once it has reached its cap (each poll costs a
 * fixed number of API calls, so this bounds the calls per minute).
 */
export function pollsPerMinute(schedule: PollSchedule): number {
  const cap = pollDelay(schedule, schedule.delaysMs.length - 1);
  return cap <= 0 ? Number.POSITIVE_INFINITY : Math.ceil(60_000 / cap);
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A timer that ends early with AbortedError when the signal fires (Ctrl-C while watching). */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError('Interrupted.'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError('Interrupted.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface PollUntilOptions {
  schedule: PollSchedule;
  /** Bound of the whole wait in ms, checks and sleeps together; undefined: until done or aborted. */
  timeoutMs?: number;
  /** Ctrl-C: stops a sleep and, through the signal given to `check`, a call in flight. */
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
  /** The error for a passed deadline (built when it passes, so it can name the last state seen). */
  onTimeout: () => Error;
}

/**
 * The one polling loop: runs `check` at once and then on the schedule until it returns a value
 * other than `undefined`. `check` gets a signal that fires on Ctrl-C and at the deadline, to hand to
 * AWS calls (`session.withSignal`), so a request that hangs cannot outlast the bound. At least one
 * check always runs: a bound of 0 means "look once". Throws `onTimeout()` when the bound passes and
 * AbortedError on Ctrl-C.
 */
export async function pollUntil<T>(
  check: (signal: AbortSignal, attempt: number) => Promise<T | undefined>,
  options: PollUntilOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : now() + options.timeoutMs;
  const timer = new AbortController();
  let timedOut: Error | undefined;
  const expire = () => {
    timedOut ??= options.onTimeout();
    timer.abort(timedOut);
  };
  // A bound of 0 checks once without cutting that check short.
  const handle = options.timeoutMs ? setTimeout(expire, options.timeoutMs) : undefined;
  const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal;
  try {
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(options.signal);
      if (timedOut) throw timedOut;
      const result = await check(signal, attempt);
      if (result !== undefined) return result;
      if (now() >= deadline) {
        expire();
        throw timedOut;
      }
      await sleep(Math.min(pollDelay(options.schedule, attempt), Math.max(0, deadline - now())), options.signal);
    }
  } catch (e) {
    // A call cut short by the deadline surfaces as the deadline's error, not as an interruption.
    if (timedOut && !options.signal?.aborted) throw timedOut;
    throw e;
  } finally {
    if (handle) clearTimeout(handle);
  }
}
