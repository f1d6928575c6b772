import type { AwsSession } from '../../aws/aws-session.js';
import { NotFoundError, OperationError } from '../../errors.js';
import type { IoHost } from '../../io/messages.js';
import { describeStackFamily, type StackVersionInfo } from './traffic-discovery.js';

export interface WaitForFamilyOptions {
  timeoutSeconds: number;
  /** First delay between checks; later ones grow by half up to 4× this (at most 60 s). */
  intervalSeconds: number;
  host?: IoHost;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The delays of the back-off, in ms: interval, ×1.5 each time, capped at 4× interval and 60 s. */
export function familyWaitDelay(intervalSeconds: number, attempt: number): number {
  const base = intervalSeconds * 1000;
  const cap = Math.max(base, Math.min(base * 4, 60_000));
  return Math.min(cap, Math.round(base * 1.5 ** attempt));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `senza traffic --timeout`: waits until no version of the stack family is in a `*_IN_PROGRESS`
 * state, as the original (`Waiting for stack <name> (<status>) to perform requested operation..`), and
 * returns the family as last described, so the traffic command needs no second look-up.
 */
export async function waitForStackFamily(
  session: AwsSession,
  name: string,
  options: WaitForFamilyOptions,
): Promise<StackVersionInfo[]> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutSeconds * 1000;
  for (let attempt = 0; ; attempt++) {
    const family = await describeStackFamily(session, name);
    if (family.length === 0) throw new NotFoundError('Stack not found!', { code: 'senza.traffic-stack-not-found' });
    const busy = family.filter((s) => s.status.endsWith('_IN_PROGRESS'));
    if (busy.length === 0) return family;
    for (const s of busy) {
      options.host?.notify({
        level: 'info',
        code: 'senza.traffic-waiting',
        text: `Waiting for stack ${s.stackName} (${s.status}) to perform requested operation..`,
        data: { stackName: s.stackName, status: s.status },
      });
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      throw new OperationError('Timeout reached, requested operation not executed.', {
        code: 'senza.traffic-wait-timeout',
        hint: 'Give more time with -t/--timeout (up to 600 s), or wait with senza wait first.',
      });
    }
    await sleep(Math.min(familyWaitDelay(options.intervalSeconds, attempt), remaining));
  }
}
