import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../aws/aws-session.js';
import { NotFoundError, OperationError, UsageError } from '../../errors.js';
import { type IoHost, silentHost } from '../../io/messages.js';
import { hasTraffic, liveStackWeights, type StackWeight } from '../traffic/traffic-discovery.js';
import { listStacks, type StackSummary } from './list-stacks.js';
import { endAction, startAction } from './stack-action.js';
import { latestEventId, type WatchTarget } from './stack-events-watch.js';
import type { StackRef } from './stack-ref.js';

export interface DeleteStacksOptions {
  host?: IoHost;
  dryRun?: boolean;
  /** No matching stack is no error (-g). */
  ignoreNonExistent?: boolean;
  /** Delete several matches of a versionless ref, and stacks that still get traffic. */
  force?: boolean;
  /** Asked per stack (-i); false skips it. */
  confirm?: (stackName: string) => Promise<boolean>;
  /** Live weights per stack (read from Route53 when not given). */
  weightsOf?: (stackName: string) => Promise<StackWeight[]>;
}

export interface DeleteStacksResult {
  /** Stacks whose deletion was requested (watchable); empty on a dry run. */
  deleted: WatchTarget[];
  skipped: string[];
  matched: string[];
}

/**
 * `senza delete`: matching stacks, refusals (several matches without a version, stacks with traffic),
 * then DeleteStack by stack id. Unlike the original, every matched stack is checked for traffic
 * before the first one is deleted, so a refusal never leaves a half-done batch.
 */
export async function deleteStacks(
  session: AwsSession,
  refs: StackRef[],
  options: DeleteStacksOptions = {},
): Promise<DeleteStacksResult> {
  const host = options.host ?? silentHost;
  if (refs.length === 0) throw new UsageError('Please specify at least one stack', { code: 'senza.delete.no-ref' });
  const stacks: StackSummary[] = await listStacks(session, refs);
  if (refs.some((r) => r.version === undefined) && stacks.length > 1 && !options.dryRun && !options.force) {
    throw new OperationError(
      `${stacks.length} matching stacks found. Please use the "--force" flag if you really want to delete multiple stacks.`,
      { code: 'senza.delete.several', data: { stacks: stacks.map((s) => s.stackName) } },
    );
  }
  if (stacks.length === 0) {
    if (options.ignoreNonExistent) return { deleted: [], skipped: [], matched: [] };
    throw new NotFoundError(`Stack ${refs[0].name} not found!`, { code: 'senza.stack-not-found' });
  }
  const weightsOf = options.weightsOf ?? ((name: string) => liveStackWeights(session, name));
  if (!options.force) {
    for (const s of stacks) {
      const weights = await weightsOf(s.stackName);
      if (hasTraffic(weights)) {
        throw new OperationError(`Stack ${s.stackName} has traffic!\nUse --force if you really want to delete it`, {
          code: 'senza.delete.has-traffic',
          data: { stackName: s.stackName, weights },
        });
      }
    }
  }
  const result: DeleteStacksResult = { deleted: [], skipped: [], matched: stacks.map((s) => s.stackName) };
  for (const s of stacks) {
    if (options.confirm && !(await options.confirm(s.stackName))) {
      result.skipped.push(s.stackName);
      continue;
    }
    startAction(host, `Deleting Cloud Formation stack ${s.stackName}..`, { stackName: s.stackName });
    if (!options.dryRun) {
      const afterEventId = await latestEventId(session, s.stackId);
      await session.send('cloudformation', new DeleteStackCommand({ StackName: s.stackId }), s.stackName);
      result.deleted.push({ stackName: s.stackName, stackId: s.stackId, afterEventId });
    }
    endAction(host);
  }
  return result;
}
