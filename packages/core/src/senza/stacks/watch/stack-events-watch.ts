import {
  DescribeStackEventsCommand,
  type DescribeStackEventsCommandOutput,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { isStackMissing } from '../../../aws/aws-errors.js';
import type { AwsSession } from '../../../aws/aws-session.js';
import { awsPages } from '../../../aws/pages.js';
import { OperationError, throwIfAborted } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import {
  abortableSleep,
  DEFAULT_POLL_SCHEDULE,
  type PollSchedule,
  pollDelay,
  type Sleep,
} from '../../../io/poll-schedule.js';

/** One CloudFormation stack event, reduced to what a watcher shows. */
export interface StackEvent {
  eventId: string;
  stackName: string;
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: Date;
}

export type StackOperation = 'create' | 'update' | 'delete';

export interface WatchTarget {
  stackName: string;
  /** The stack id (ARN): unlike the name, it still resolves after the stack is deleted. */
  stackId: string;
  /** Events up to and including this one belong to earlier operations and are not shown. */
  afterEventId?: string;
}

export interface ResourceFailure {
  stackName: string;
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string;
}

export interface WatchedStack {
  stackName: string;
  stackId: string;
  status: string;
  succeeded: boolean;
  failures: ResourceFailure[];
}

export interface WatchResult {
  ok: boolean;
  operation: StackOperation;
  stacks: WatchedStack[];
}

export interface StackWatchOptions {
  operation: StackOperation;
  host?: IoHost;
  signal?: AbortSignal;
  schedule?: PollSchedule;
  sleep?: Sleep;
}

const SUCCESS: Record<StackOperation, string[]> = {
  create: ['CREATE_COMPLETE'],
  update: ['UPDATE_COMPLETE'],
  delete: ['DELETE_COMPLETE'],
};

export function isFinalStatus(status: string): boolean {
  return status !== '' && !status.endsWith('_IN_PROGRESS');
}

export function isSuccessStatus(operation: StackOperation, status: string): boolean {
  return SUCCESS[operation].includes(status);
}

/** `AWS::AutoScaling::AutoScalingGroup` → `AutoScaling::AutoScalingGroup`, like `senza events`. */
function withoutAwsPrefix(type: string): string {
  return type.replace(/^AWS::/, '');
}

/** One append-only line per event (CI logs, pipes): time (UTC), stack, status, resource, reason. */
export function formatStackEvent(e: StackEvent): string {
  const time = e.timestamp.toISOString().slice(11, 19);
  const reason = e.reason ? `: ${e.reason}` : '';
  return `${time} ${e.stackName} ${e.status} ${e.logicalId} (${withoutAwsPrefix(e.resourceType)})${reason}`;
}

/** `ERROR: <LogicalResourceId> <ResourceStatus>: <reason>`, the line `senza wait` prints per failure. */
export function formatFailure(f: ResourceFailure): string {
  return `${f.logicalId} ${f.status}: ${f.reason}`;
}

/** Failed resources among events: `*_FAILED` with a reason, oldest first, the stack itself last. */
export function failuresOf(events: StackEvent[]): ResourceFailure[] {
  return events
    .filter((e) => e.status.endsWith('_FAILED') && e.reason)
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())
    .sort((a, b) => Number(a.logicalId === a.stackName) - Number(b.logicalId === b.stackName))
    .map((e) => ({
      stackName: e.stackName,
      logicalId: e.logicalId,
      resourceType: e.resourceType,
      status: e.status,
      reason: e.reason as string,
    }));
}

/**
 * The latest status of every resource of the watched stacks, for a live view on a terminal that is
 * redrawn in place (pure: fed with events, asked for lines).
 */
export class StackProgressBoard {
  private readonly stacks = new Map<string, { status: string; resources: Map<string, StackEvent> }>();

  constructor(stackNames: string[]) {
    for (const n of stackNames) this.stacks.set(n, { status: 'WAITING', resources: new Map() });
  }

  apply(e: StackEvent): void {
    let s = this.stacks.get(e.stackName);
    if (!s) {
      s = { status: '', resources: new Map() };
      this.stacks.set(e.stackName, s);
    }
    if (e.logicalId === e.stackName && e.resourceType === 'AWS::CloudFormation::Stack') s.status = e.status;
    else s.resources.set(e.logicalId, e);
  }

  setStatus(stackName: string, status: string): void {
    const s = this.stacks.get(stackName);
    if (s) s.status = status;
  }

  lines(maxResources = 20): string[] {
    const out: string[] = [];
    for (const [name, s] of this.stacks) {
      out.push(`${name} ${s.status}`);
      const resources = [...s.resources.values()].sort((a, b) => a.logicalId.localeCompare(b.logicalId));
      const shown = resources.slice(0, maxResources);
      const width = Math.max(0, ...shown.map((r) => r.logicalId.length));
      for (const r of shown) {
        out.push(
          `  ${r.logicalId.padEnd(width)} ${r.status}${r.reason && r.status.endsWith('FAILED') ? `: ${r.reason}` : ''}`,
        );
      }
      if (resources.length > shown.length) out.push(`  ... ${resources.length - shown.length} more`);
    }
    return out;
  }
}

/** An SDK stack event as a watcher (and a diagnosis) reads it. */
export function toEvent(e: import('@aws-sdk/client-cloudformation').StackEvent): StackEvent {
  return {
    eventId: e.EventId ?? '',
    stackName: e.StackName ?? '',
    logicalId: e.LogicalResourceId ?? '',
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    reason: e.ResourceStatusReason || undefined,
    timestamp: e.Timestamp ?? new Date(0),
  };
}

/**
 * Events newer than `afterEventId`, oldest first. DescribeStackEvents pages newest first, so paging
 * stops at the first known event.
 */
export async function newStackEvents(
  session: AwsSession,
  stackId: string,
  known: { afterEventId?: string; seen: Set<string> },
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  const pages = awsPages({
    fetch: (NextToken) =>
      session.send<DescribeStackEventsCommandOutput>(
        'cloudformation',
        new DescribeStackEventsCommand({ StackName: stackId, NextToken }),
        stackId,
      ),
    next: (page) => page.NextToken,
  });
  // Leaving the loop early reads no further page.
  read: for await (const page of pages) {
    for (const raw of page.StackEvents ?? []) {
      const e = toEvent(raw);
      if (e.eventId === known.afterEventId || known.seen.has(e.eventId)) break read;
      fresh.push(e);
    }
  }
  for (const e of fresh) known.seen.add(e.eventId);
  return fresh.reverse();
}

/** The newest event id of a stack (undefined for a stack without events), taken before an operation. */
export async function latestEventId(session: AwsSession, stackId: string): Promise<string | undefined> {
  const page = await session.send('cloudformation', new DescribeStackEventsCommand({ StackName: stackId }), stackId);
  return page.StackEvents?.[0]?.EventId;
}

/** The stack's status by id; a stack that is gone counts as DELETE_COMPLETE. */
export async function stackStatus(session: AwsSession, stackId: string): Promise<string> {
  try {
    const out = await session.send('cloudformation', new DescribeStacksCommand({ StackName: stackId }), stackId);
    return out.Stacks?.[0]?.StackStatus ?? 'DELETE_COMPLETE';
  } catch (e) {
    if (isStackMissing(e)) return 'DELETE_COMPLETE';
    throw e;
  }
}

/**
 * Watches stacks until every one reaches a final status, emitting each new event (`senza.stack-event`)
 * and each final status (`senza.stack-done`). Polls on a back-off schedule (two calls per stack per
 * poll); an abort signal (Ctrl-C) ends the watch with AbortedError and leaves the stacks alone.
 */
export async function watchStacks(
  targets: WatchTarget[],
  session: AwsSession,
  options: StackWatchOptions,
): Promise<WatchResult> {
  const host = options.host ?? silentHost;
  // Ctrl-C also ends a call in flight, not only the sleep between polls.
  const aws = session.withSignal(options.signal);
  const schedule = options.schedule ?? DEFAULT_POLL_SCHEDULE;
  const sleep = options.sleep ?? abortableSleep;
  const state = targets.map((t) => ({
    target: t,
    known: { afterEventId: t.afterEventId, seen: new Set<string>() },
    events: [] as StackEvent[],
    status: '',
  }));
  let attempt = 0;
  for (;;) {
    throwIfAborted(options.signal);
    let activity = false;
    for (const s of state) {
      if (isFinalStatus(s.status)) continue;
      const status = await stackStatus(aws, s.target.stackId);
      const events = await newStackEvents(aws, s.target.stackId, s.known);
      for (const e of events) {
        s.events.push(e);
        host.notify({ level: 'info', code: 'senza.stack-event', text: formatStackEvent(e), data: { event: e } });
      }
      activity ||= events.length > 0;
      s.status = status;
      if (isFinalStatus(status)) {
        host.notify({
          level: isSuccessStatus(options.operation, status) ? 'info' : 'error',
          code: 'senza.stack-done',
          text: `Stack ${s.target.stackName} has status ${status}`,
          data: { stackName: s.target.stackName, status },
        });
      }
    }
    if (state.every((s) => isFinalStatus(s.status))) break;
    // New events mean CloudFormation is busy: look again soon, but never faster than the second step.
    if (activity) attempt = Math.min(attempt, 1);
    await sleep(pollDelay(schedule, attempt), options.signal);
    attempt++;
  }
  const stacks = state.map((s) => ({
    stackName: s.target.stackName,
    stackId: s.target.stackId,
    status: s.status,
    succeeded: isSuccessStatus(options.operation, s.status),
    failures: failuresOf(s.events),
  }));
  return { ok: stacks.every((s) => s.succeeded), operation: options.operation, stacks };
}

/** A failed watch as one typed error (exit 1) that names the failed resources and their reasons. */
export function watchFailure(result: WatchResult): OperationError | undefined {
  const failed = result.stacks.filter((s) => !s.succeeded);
  if (failed.length === 0) return undefined;
  const parts = failed.map((s) => {
    const resources = s.failures.filter((f) => f.logicalId !== s.stackName);
    const named = (resources.length > 0 ? resources : s.failures).map(formatFailure);
    return `Stack ${s.stackName} has status ${s.status}${named.length ? ` (${named.join('; ')})` : ''}`;
  });
  return new OperationError(parts.join('; '), {
    code: 'senza.stack-failed',
    hint: nextAfterFailure(result.operation, failed),
    data: { stacks: failed },
  });
}

/** What to do after a failed operation: a failed creation keeps its name until it is deleted. */
function nextAfterFailure(operation: StackOperation, failed: { stackName: string }[]): string {
  const refs = failed.map((s) => s.stackName.replace(/-([^-]+)$/, ' $1')).join(' ');
  if (operation === 'create')
    return `The version keeps its name until it is deleted: senza delete ${refs}, then create it again (or create another version).`;
  if (operation === 'update')
    return `See senza events ${refs} for the cause; CloudFormation rolls a failed update back to the previous template.`;
  return `See senza events ${refs} for what could not be deleted, then run senza delete ${refs} again.`;
}
