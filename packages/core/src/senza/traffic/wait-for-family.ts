import type { AwsSession } from '../../aws/aws-session.js';
import { AbortedError, NotFoundError, OperationError } from '../../errors.js';
import type { IoHost } from '../../io/messages.js';
import { type PollSchedule, pollUntil, type Sleep } from '../../io/poll-schedule.js';
import { describeStackFamily, type StackVersionInfo } from './traffic-discovery.js';

export interface WaitForFamilyOptions {
  timeoutSeconds: number;
  /** First delay between checks; later ones grow by half up to 4× this (at most 60 s). */
  intervalSeconds: number;
  host?: IoHost;
  /** Ctrl-C: stops the wait and a request in flight. */
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
}

/** The delays of the back-off, in ms: interval, ×1.5 each time, capped at 4× interval and 60 s. */
export function familyWaitDelay(intervalSeconds: number, attempt: number): number {
  const base = intervalSeconds * 1000;
  const cap = Math.max(base, Math.min(base * 4, 60_000));
  return Math.min(cap, Math.round(base * 1.5 ** attempt));
}

/** The back-off as a poll schedule: the delays grow until the cap, which then repeats. */
function familySchedule(intervalSeconds: number): PollSchedule {
  const delaysMs: number[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const d = familyWaitDelay(intervalSeconds, attempt);
    delaysMs.push(d);
    if (d === familyWaitDelay(intervalSeconds, attempt + 1)) break;
  }
  return { delaysMs };
}

/**
 * `senza traffic --timeout`: waits until no version of the stack family is in a `*_IN_PROGRESS`
 * state, as the original (`Waiting for stack <name> (<status>) to perform requested operation..`), and
 * returns the family as last described, so the traffic command needs no second look-up. `-t` bounds
 * the whole wait, a request in flight included; the signal (Ctrl-C) stops it.
 */
export async function waitForStackFamily(
  session: AwsSession,
  name: string,
  options: WaitForFamilyOptions,
): Promise<StackVersionInfo[]> {
  // One span for the whole wait (`Waiting for stack … to perform requested operation... OK`): a dot per
  // check, its verdict when the family settles or the wait ends otherwise.
  const id = 'senza.traffic-waiting';
  let waiting = false;
  const end = (text: string, outcome: 'ok' | 'failed') =>
    waiting && options.host?.notify({ level: 'info', code: id, text, span: { id, phase: 'end', outcome } });
  try {
    const family = await pollUntil(
      async (signal) => {
        const family = await describeStackFamily(session.withSignal(signal), name);
        if (family.length === 0) throw new NotFoundError('Stack not found!', { code: 'senza.traffic-stack-not-found' });
        const busy = family.filter((s) => s.status.endsWith('_IN_PROGRESS'));
        if (busy.length === 0) return family;
        const stacks = busy.map((s) => `${s.stackName} (${s.status})`).join(', ');
        options.host?.notify({
          level: 'info',
          code: id,
          text: `Waiting for stack ${stacks} to perform requested operation..`,
          data: { stackName: busy[0]?.stackName, status: busy[0]?.status, stacks: busy.map((s) => s.stackName) },
          span: { id, phase: waiting ? 'progress' : 'start' },
        });
        waiting = true;
        return undefined;
      },
      {
        schedule: familySchedule(options.intervalSeconds),
        timeoutMs: options.timeoutSeconds * 1000,
        signal: options.signal,
        sleep: options.sleep,
        now: options.now,
        onTimeout: () =>
          new OperationError('Timeout reached, requested operation not executed.', {
            code: 'senza.traffic-wait-timeout',
            hint: 'Give more time with -t/--timeout (up to 600 s), or wait with senza wait first.',
          }),
      },
    );
    end('OK', 'ok');
    return family;
  } catch (e) {
    end(e instanceof AbortedError ? 'INTERRUPTED' : 'FAILED', 'failed');
    throw e;
  }
}
