import type { ListStackResourcesCommandOutput, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../../aws/aws-session.js';
import { awsItems } from '../../../aws/pages.js';
import type { StackSummary } from './list-stacks.js';
import { byStringKeys, epochSeconds } from './stack-tables.js';

/** A row of `senza resources`. */
export interface StackResourceRow {
  stack_name: string;
  version: string;
  LogicalResourceId: string;
  resource_type: string;
  ResourceStatus: string | null;
  PhysicalResourceId: string | null;
  creation_time: number | null;
}

export interface StackResources {
  stack: StackSummary;
  resources: StackResourceSummary[];
}

/**
 * Every resource of one stack (name or id): ListStackResources, all pages. DescribeStackResources is
 * not used anywhere: "Only the first 100 resources will be returned" (API_DescribeStackResources).
 */
export async function listStackResources(
  session: AwsSession,
  stack: string,
  label: string = stack,
): Promise<StackResourceSummary[]> {
  return awsItems({
    fetch: (NextToken) =>
      session.send<ListStackResourcesCommandOutput>(
        'cloudformation',
        new ListStackResourcesCommand({ StackName: stack, NextToken }),
        label,
      ),
    next: (page) => page.NextToken,
    items: (page) => page.StackResourceSummaries,
  });
}

/** Every resource of every stack (all pages), stacks in parallel. */
export async function fetchStackResources(session: AwsSession, stacks: StackSummary[]): Promise<StackResources[]> {
  return Promise.all(
    stacks.map(async (stack) => ({
      stack,
      resources: await listStackResources(session, stack.stackId || stack.stackName, stack.stackName),
    })),
  );
}

/** `senza resources` rows ordered by (name, version, logical id). */
export function stackResourceRows(all: StackResources[]): StackResourceRow[] {
  const rows: StackResourceRow[] = [];
  for (const { stack, resources } of all) {
    for (const r of resources) {
      rows.push({
        stack_name: stack.name,
        version: stack.version,
        LogicalResourceId: r.LogicalResourceId ?? '',
        resource_type: r.ResourceType ?? '',
        ResourceStatus: r.ResourceStatus ?? null,
        PhysicalResourceId: r.PhysicalResourceId ?? null,
        creation_time: epochSeconds(r.LastUpdatedTimestamp),
      });
    }
  }
  return rows.sort(
    byStringKeys(
      (r) => r.stack_name,
      (r) => r.version,
      (r) => r.LogicalResourceId,
    ),
  );
}
