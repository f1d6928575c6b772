import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../../aws/aws-session.js';
import { clientRequestToken } from '../../../aws/client-request-token.js';
import { NotFoundError, OperationError, UsageError } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import { weightedRecordsByName } from '../../traffic/route53-records.js';
import { hasTraffic, liveStackWeights, type StackWeight } from '../../traffic/traffic-discovery.js';
import { listStacks, type StackSummary } from '../read/list-stacks.js';
import type { StackRef } from '../stack-ref.js';
import { latestEventId, type WatchTarget } from '../watch/stack-events-watch.js';
import { endAction, startAction } from './stack-action.js';

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
  /** The main domains of each stack, for the checks around its DeleteStack. */
  const domainsOf = new Map<string, string[]>();
  if (!options.force) {
    for (const s of stacks) {
      const weights = await weightsOf(s.stackName);
      domainsOf.set(s.stackName, [...new Set(weights.map((w) => w.domain))]);
      if (hasTraffic(weights)) throw hasTrafficError(s.stackName, { weights });
    }
  }
  const result: DeleteStacksResult = { deleted: [], skipped: [], matched: stacks.map((s) => s.stackName) };
  for (const s of stacks) {
    if (options.confirm && !(await options.confirm(s.stackName))) {
      result.skipped.push(s.stackName);
      continue;
    }
    // Checked again, just before and just after DeleteStack: a traffic switch may run at the same time.
    const domains = options.dryRun ? [] : (domainsOf.get(s.stackName) ?? []);
    const before = await domainWeights(session, s.stackName, domains);
    const gained = domains.filter((d) => (before.get(d)?.own ?? 0) > 0);
    if (gained.length > 0) throw hasTrafficError(s.stackName, { domains: gained });
    startAction(host, `Deleting Cloud Formation stack ${s.stackName}..`, { stackName: s.stackName });
    if (!options.dryRun) {
      const afterEventId = await latestEventId(session, s.stackId);
      await session.send(
        'cloudformation',
        new DeleteStackCommand({ StackName: s.stackId, ClientRequestToken: clientRequestToken() }),
        s.stackName,
      );
      result.deleted.push({ stackName: s.stackName, stackId: s.stackId, afterEventId });
      const after = await domainWeights(session, s.stackName, domains);
      const raced = domains.filter(
        (d) => (after.get(d)?.own ?? 0) > 0 || (after.get(d)?.others ?? 0) < (before.get(d)?.others ?? 0),
      );
      if (raced.length > 0) {
        endAction(host, 'FAILED');
        throw new OperationError(
          `Stack ${s.stackName} got traffic while it was being deleted: ${raced.join(', ')} lost that weight with it`,
          {
            code: 'senza.delete.traffic-raced',
            hint: `Its deletion is under way. Give the traffic to a version that stays (senza traffic ${s.name} VERSION PERCENTAGE).`,
            data: { stackName: s.stackName, domains: raced },
          },
        );
      }
    }
    endAction(host);
  }
  return result;
}

function hasTrafficError(stackName: string, data: Record<string, unknown>): OperationError {
  return new OperationError(`Stack ${stackName} has traffic!\nUse --force if you really want to delete it`, {
    code: 'senza.delete.has-traffic',
    data: { stackName, ...data },
  });
}

/**
 * Per domain: the weight of the stack's own records and the sum of the others'. When a switch gave
 * the stack traffic after the check, the deletion takes that weight along: the own weight is above 0
 * (AWS deletes the record a little later), or the others' sum dropped (the record is already gone).
 */
async function domainWeights(
  session: AwsSession,
  stackName: string,
  domains: string[],
): Promise<Map<string, { own: number; others: number }>> {
  const out = new Map<string, { own: number; others: number }>();
  if (domains.length === 0) return out;
  for (const [domain, records] of await weightedRecordsByName(session, domains)) {
    const sum = (own: boolean) =>
      records.filter((r) => (r.setIdentifier === stackName) === own).reduce((a, r) => a + r.weight, 0);
    out.set(domain, { own: sum(true), others: sum(false) });
  }
  return out;
}
