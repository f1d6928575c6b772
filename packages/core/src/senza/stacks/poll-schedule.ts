import { AbortedError } from '../../errors.js';

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

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError('Interrupted.');
}
