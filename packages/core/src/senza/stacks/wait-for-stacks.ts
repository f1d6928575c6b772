import type { AwsSession } from '../../aws/aws-session.js';
import { OperationError, UsageError } from '../../errors.js';
import { type IoHost, silentHost } from '../../io/messages.js';
import { listStacks, newestPerName, type StackSummary } from './list-stacks.js';
import { abortableSleep, type Sleep } from './poll-schedule.js';
import { fetchStackEvents } from './stack-events.js';
import type { StackRef } from './stack-ref.js';

export interface WaitForStacksOptions {
  host?: IoHost;
  /** Wait for DELETE_COMPLETE (-d). */
  deletion?: boolean;
  timeoutSeconds?: number;
  intervalSeconds?: number;
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
      code: 'senza.wait.event',
      text: `ERROR: ${e.LogicalResourceId} ${status}: ${e.ResourceStatusReason}`,
      data: { stackName: stack.stackName, logicalId: e.LogicalResourceId, status, reason: e.ResourceStatusReason },
    });
  }
}

/**
 * `senza wait`: polls the newest stack per matching name until all reach CREATE_COMPLETE or
 * UPDATE_COMPLETE (DELETE_COMPLETE with `deletion`). A stack in any other final status fails with
 * its failure events. With `deletion`, a stack not yet being deleted is waited for (the original
 * failed on it).
 */
export async function waitForStacks(
  session: AwsSession,
  refs: StackRef[],
  options: WaitForStacksOptions = {},
): Promise<WaitForStacksResult> {
  const host = options.host ?? silentHost;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const timeout = (options.timeoutSeconds ?? 1800) * 1000;
  const interval = (options.intervalSeconds ?? 5) * 1000;
  const targets = options.deletion ? ['DELETE_COMPLETE'] : ['CREATE_COMPLETE', 'UPDATE_COMPLETE'];
  const deadline = now() + timeout;
  let stacks: StackSummary[] = [];
  while (now() < deadline) {
    stacks = newestPerName(await listStacks(session, refs, { all: true }));
    if (stacks.length === 0) {
      throw new UsageError(`No matching stack for "${options.refText ?? refsText(refs)}" found`, {
        code: 'senza.wait.no-match',
      });
    }
    const waiting: StackSummary[] = [];
    for (const s of stacks) {
      if (targets.includes(s.status)) continue;
      const notYetDeleting = options.deletion && (s.status === 'CREATE_COMPLETE' || s.status === 'UPDATE_COMPLETE');
      if (s.status.endsWith('_IN_PROGRESS') || notYetDeleting) {
        waiting.push(s);
        continue;
      }
      await reportFailedEvents(session, s, host);
      throw new OperationError(`Stack ${s.stackName} has status ${s.status}`, {
        code: 'senza.wait.failed',
        data: { stackName: s.stackName, status: s.status },
      });
    }
    if (waiting.length === 0) {
      const actions = [...new Set(stacks.map((s) => ACTIONS[s.status]))].join('/');
      // An outcome line on stderr, like the other progress of a wait (stdout stays for results).
      host.notify({
        level: 'info',
        code: 'senza.wait.ok',
        text: `OK: Stack(s) ${stacks.map((s) => s.stackName).join(', ')} ${actions} successfully.`,
        data: { stacks: stacks.map((s) => ({ stackName: s.stackName, status: s.status })) },
      });
      return { stacks: stacks.map((s) => ({ stackName: s.stackName, status: s.status })) };
    }
    const remaining = Math.max(0, (deadline - now()) / 1000);
    host.notify({
      level: 'info',
      code: 'senza.wait.waiting',
      text: `Waiting up to ${remaining.toFixed(0)} more secs for stack${waiting.length > 1 ? 's' : ''} ${waiting
        .map((s) => `${s.stackName} (${s.status})`)
        .join(', ')}..`,
      data: { remainingSeconds: remaining, stacks: waiting.map((s) => ({ stackName: s.stackName, status: s.status })) },
    });
    await sleep(Math.min(interval, Math.max(0, deadline - now())), options.signal);
  }
  throw new OperationError('Aborted!', {
    code: 'senza.wait.timeout',
    hint: `Timed out after ${timeout / 1000} s; still in progress: ${stacks
      .filter((s) => !targets.includes(s.status))
      .map((s) => `${s.stackName} (${s.status})`)
      .join(', ')}. Run senza wait again to keep waiting.`,
  });
}
