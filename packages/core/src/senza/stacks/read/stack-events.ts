import type { DescribeStackEventsCommandOutput, StackEvent } from '@aws-sdk/client-cloudformation';
import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../../aws/aws-session.js';
import { awsItems } from '../../../aws/pages.js';
import type { StackSummary } from './list-stacks.js';
import { epochSeconds } from './stack-tables.js';

/** A row of `senza events`. */
export interface StackEventRow {
  stack_name: string;
  version: string;
  resource_type: string;
  LogicalResourceId: string | null;
  ResourceStatus: string | null;
  ResourceStatusReason: string | null;
  event_time: number | null;
  /** Identity of the event, to tell new events from seen ones when watching (not a column). */
  event_id: string;
}

export interface StackEvents {
  stack: StackSummary;
  events: StackEvent[];
}

/** Every event of every stack: DescribeStackEvents by stack id, all pages, stacks in parallel. */
export async function fetchStackEvents(session: AwsSession, stacks: StackSummary[]): Promise<StackEvents[]> {
  return Promise.all(
    stacks.map(async (stack) => {
      const events = await awsItems({
        fetch: (NextToken) =>
          session.send<DescribeStackEventsCommandOutput>(
            'cloudformation',
            new DescribeStackEventsCommand({ StackName: stack.stackId || stack.stackName, NextToken }),
            stack.stackName,
          ),
        next: (page) => page.NextToken,
        items: (page) => page.StackEvents,
      });
      return { stack, events };
    }),
  );
}

/** `AWS::EC2::Instance` → `EC2::Instance`, as the events table shows it. */
export function shortResourceType(type: string | undefined): string {
  if (!type) return '';
  return type.startsWith('AWS::') ? type.slice('AWS::'.length) : type;
}

/**
 * `senza events` rows, oldest first. Sorted by the full timestamp (the shown time has whole seconds);
 * events of the same instant keep their causal order, which is the API's newest-first order reversed.
 */
export function stackEventRows(all: StackEvents[]): StackEventRow[] {
  const keyed: { row: StackEventRow; ms: number; index: number }[] = [];
  for (const { stack, events } of all) {
    events.forEach((e, index) => {
      keyed.push({
        ms: e.Timestamp?.getTime() ?? 0,
        index,
        row: {
          stack_name: stack.name,
          version: stack.version,
          resource_type: shortResourceType(e.ResourceType),
          LogicalResourceId: e.LogicalResourceId ?? null,
          ResourceStatus: e.ResourceStatus ?? null,
          ResourceStatusReason: e.ResourceStatusReason ?? null,
          event_time: epochSeconds(e.Timestamp),
          event_id:
            e.EventId ?? `${e.StackId}/${e.LogicalResourceId}/${e.Timestamp?.toISOString()}/${e.ResourceStatus}`,
        },
      });
    });
  }
  return keyed.sort((a, b) => a.ms - b.ms || b.index - a.index).map((k) => k.row);
}

/** Rows not seen before (by event id); records them as seen. For `events --watch` off a TTY. */
export function unseenEvents(rows: StackEventRow[], seen: Set<string>): StackEventRow[] {
  const fresh = rows.filter((r) => !seen.has(r.event_id));
  for (const r of fresh) seen.add(r.event_id);
  return fresh;
}
