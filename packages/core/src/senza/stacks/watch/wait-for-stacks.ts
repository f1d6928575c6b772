import type { AwsSession } from '../../../aws/aws-session.js';
import { OperationError, UsageError } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import { pollUntil, type Sleep } from '../../../io/poll-schedule.js';
import { listStacks, newestPerName, type StackSummary } from '../read/list-stacks.js';
import { fetchStackEvents } from '../read/stack-events.js';
import type { StackRef } from '../stack-ref.js';

export interface WaitForStacksOptions {
  host?: IoHost;
  /** Wait for DELETE_COMPLETE (-d). */
  deletion?: boolean;
  /** Bound of the whole command (checks, AWS calls in flight and sleeps); 0 checks once. */
  timeoutSeconds?: number;
  intervalSeconds?: number;
  /** Ctrl-C. */
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
  /** The refs as the user typed them, for the "no matching stack" message. */
  refText?: string;
}

export interface WaitForStacksResult {
  stacks: { stackName: string; status: string }[];
}

const ACTIONS: Record<string, string> = {
  CREATE_COMPLETE: 'created',
  UPDATE_COMPLETE: 'updated',
  DELETE_COMPLETE: 'deleted',
};

function refsText(refs: StackRef[]): string {
  return refs.map((r) => (r.version === undefined ? r.name : `${r.name} ${r.version}`)).join(' ');
}

/** `ERROR: <LogicalResourceId> <ResourceStatus>: <reason>` for every failure or rollback event, oldest first. */
async function reportFailedEvents(session: AwsSession, stack: StackSummary, host: IoHost): Promise<void> {
  const [{ events: all }] = await fetchStackEvents(session, [stack]);
  const events = [...all].sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
  for (const e of events) {
    const status = e.ResourceStatus ?? '';
    if (!e.ResourceStatusReason || !/FAIL|ROLLBACK/.test(status)) continue;
    host.notify({
      level: 'error',
      code: 'senza.wait-event',
      text: `ERROR: ${e.LogicalResourceId} ${status}: ${e.ResourceStatusReason}`,
      data: { stackName: stack.stackName, logicalId: e.LogicalResourceId, status, reason: e.ResourceStatusReason },
    });
  }
}

const brief = (stacks: StackSummary[]) => stacks.map((s) => ({ stackName: s.stackName, status: s.status }));

/**
 * `senza wait`: polls the newest stack per matching name until all reach CREATE_COMPLETE or
 * UPDATE_COMPLETE (DELETE_COMPLETE with `deletion`). A stack in any other final status fails with
 * its failure events. With `deletion`, a stack not yet being deleted is waited for (the original
 * failed on it). The timeout bounds the whole wait, AWS calls in flight included; Ctrl-C (the
 * signal) ends it with AbortedError.
 */
export async function waitForStacks(
  session: AwsSession,
  refs: StackRef[],
  options: WaitForStacksOptions = {},
): Promise<WaitForStacksResult> {
  const host = options.host ?? silentHost;
  const now = options.now ?? Date.now;
  const timeoutMs = (options.timeoutSeconds ?? 1800) * 1000;
  const interval = (options.intervalSeconds ?? 5) * 1000;
  const targets = options.deletion ? ['DELETE_COMPLETE'] : ['CREATE_COMPLETE', 'UPDATE_COMPLETE'];
  const deadline = now() + timeoutMs;
  let waiting: StackSummary[] | undefined;
  const result = await pollUntil<WaitForStacksResult>(
    async (signal) => {
      const bounded = session.withSignal(signal);
      const stacks = newestPerName(await listStacks(bounded, refs, { all: true }));
      if (stacks.length === 0) {
        throw new UsageError(`No matching stack for "${options.refText ?? refsText(refs)}" found`, {
          code: 'senza.wait-no-match',
        });
      }
      waiting = [];
      for (const s of stacks) {
        if (targets.includes(s.status)) continue;
        const notYetDeleting = options.deletion && (s.status === 'CREATE_COMPLETE' || s.status === 'UPDATE_COMPLETE');
        if (s.status.endsWith('_IN_PROGRESS') || notYetDeleting) {
          waiting.push(s);
          continue;
        }
        await reportFailedEvents(bounded, s, host);
        throw new OperationError(`Stack ${s.stackName} has status ${s.status}`, {
          code: 'senza.wait-failed',
          data: { stackName: s.stackName, status: s.status },
        });
      }
      if (waiting.length === 0) return { stacks: brief(stacks) };
      const remaining = Math.max(0, (deadline - now()) / 1000);
      // With no time left the timeout error says what is still running; "up to 0 more secs" would not.
      if (remaining <= 0) return undefined;
      host.notify({
        level: 'info',
        code: 'senza.wait-waiting',
        text: `Waiting up to ${remaining.toFixed(0)} more secs for stack${waiting.length > 1 ? 's' : ''} ${waiting
          .map((s) => `${s.stackName} (${s.status})`)
          .join(', ')}..`,
        data: { remainingSeconds: remaining, stacks: brief(waiting) },
      });
      return undefined;
    },
    {
      schedule: { delaysMs: [interval] },
      timeoutMs,
      signal: options.signal,
      sleep: options.sleep,
      now,
      onTimeout: () =>
        new OperationError('Aborted!', {
          code: 'senza.wait-timeout',
          hint: `Timed out after ${timeoutMs / 1000} s; ${
            waiting === undefined
              ? 'AWS did not answer in that time'
              : `still in progress: ${waiting.map((s) => `${s.stackName} (${s.status})`).join(', ')}`
          }. Run senza wait again to keep waiting.`,
          data: { stacks: waiting ? brief(waiting) : [] },
        }),
    },
  );
  const actions = [...new Set(result.stacks.map((s) => ACTIONS[s.status]))].join('/');
  // An outcome line on stderr, like the other progress of a wait (stdout stays for results).
  host.notify({
    level: 'info',
    code: 'senza.wait-ok',
    text: `OK: Stack(s) ${result.stacks.map((s) => s.stackName).join(', ')} ${actions} successfully.`,
    data: { stacks: result.stacks },
  });
  return result;
}
