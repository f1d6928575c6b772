import { ListStacksCommand, type ListStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../../aws/aws-session.js';
import { awsPages } from '../../../aws/pages.js';
import { assertRefFilesExist } from '../ref-files.js';
import { matchesAnyRef, type StackRef, splitStackName } from '../stack-ref.js';

export interface StackSummary {
  stackName: string;
  /** Application name: the stack name up to its last dash. */
  name: string;
  version: string;
  status: string;
  stackId: string;
  creationTime: Date;
  lastUpdatedTime?: Date;
  deletionTime?: Date;
  description?: string;
}

const ALL_BUT_DELETED: import('@aws-sdk/client-cloudformation').StackStatus[] = [
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
  'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'REVIEW_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_IN_PROGRESS',
  'IMPORT_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_COMPLETE',
];

/**
 * Stacks matching the refs (all stacks without refs), newest first; `DELETE_COMPLETE` ones only with
 * `all`. One paginated ListStacks; matching happens locally. A `*.yaml` ref that is no readable file
 * and matched nothing fails like the original (a mistyped definition file name).
 */
export async function listStacks(
  session: AwsSession,
  refs: StackRef[],
  options: { all?: boolean } = {},
): Promise<StackSummary[]> {
  const out: StackSummary[] = [];
  const pages = awsPages({
    fetch: (NextToken) =>
      session.send<ListStacksCommandOutput>(
        'cloudformation',
        new ListStacksCommand({ NextToken, StackStatusFilter: options.all ? undefined : ALL_BUT_DELETED }),
      ),
    next: (page) => page.NextToken,
  });
  for await (const page of pages) {
    for (const s of page.StackSummaries ?? []) {
      if (!s.StackName || !matchesAnyRef(s.StackName, refs)) continue;
      out.push({
        stackName: s.StackName,
        ...splitStackName(s.StackName),
        status: s.StackStatus ?? '',
        stackId: s.StackId ?? '',
        creationTime: s.CreationTime ?? new Date(0),
        lastUpdatedTime: s.LastUpdatedTime,
        deletionTime: s.DeletionTime,
        description: s.TemplateDescription,
      });
    }
  }
  assertRefFilesExist(
    refs,
    out.map((s) => s.stackName),
  );
  return out.sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime());
}

/** Only the newest summary per stack name (a deleted stack and its re-creation share a name). */
export function newestPerName(stacks: StackSummary[]): StackSummary[] {
  const seen = new Set<string>();
  return stacks.filter((s) => {
    if (seen.has(s.stackName)) return false;
    seen.add(s.stackName);
    return true;
  });
}
