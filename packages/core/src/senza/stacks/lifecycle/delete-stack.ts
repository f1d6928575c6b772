import { DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../../aws/aws-session.js';
import { clientRequestToken } from '../../../aws/client-request-token.js';
import { NotFoundError, OperationError, UsageError } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import { applyTrafficChanges } from '../../traffic/apply-traffic.js';
import { recordsOfStack, removeLeftovers } from '../../traffic/leftover-records.js';
import type { RecordChange } from '../../traffic/record-changes.js';
import { weightedRecordsByName } from '../../traffic/route53-records.js';
import {
  describeStackFamily,
  hasTraffic,
  liveStackWeights,
  type StackWeight,
  usableVersions,
} from '../../traffic/traffic-discovery.js';
import { switchTraffic } from '../../traffic/traffic-switch.js';
import { listStacks, type StackSummary } from '../read/list-stacks.js';
import { type StackRef, splitStackName } from '../stack-ref.js';
import { latestEventId, type WatchTarget } from '../watch/stack-events-watch.js';
import { readDeployedStack, statedWeight, weightedRecordSets } from './deployed-records.js';
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

/** A deleted stack's main domains, where a record with its SetIdentifier must not stay. */
export interface DeletedStackRecords {
  stackName: string;
  stackId: string;
  domains: string[];
}

export interface DeleteStacksResult {
  /** Stacks whose deletion was requested (watchable); empty on a dry run. */
  deleted: WatchTarget[];
  /** The deleted stacks that had weighted records (for removeLeftRecords after a wait). */
  records: DeletedStackRecords[];
  skipped: string[];
  matched: string[];
}

/**
 * `senza delete`: matching stacks, refusals (several matches without a version, stacks with traffic),
 * then DeleteStack by stack id. Unlike the original, every matched stack is checked for traffic
 * before the first one is deleted, so a refusal never leaves a half-done batch. With `force`, a stack
 * with traffic first gives it to the other versions (traffic switch). Before DeleteStack the weighted
 * records are made to match what CloudFormation stored, and afterwards no record with the stack's
 * SetIdentifier may stay (removeLeftRecords).
 */
export async function deleteStacks(
  session: AwsSession,
  refs: StackRef[],
  options: DeleteStacksOptions = {},
): Promise<DeleteStacksResult> {
  const host = options.host ?? silentHost;
  if (refs.length === 0) throw new UsageError('Please specify at least one stack', { code: 'senza.delete-no-ref' });
  const stacks: StackSummary[] = await listStacks(session, refs);
  if (refs.some((r) => r.version === undefined) && stacks.length > 1 && !options.dryRun && !options.force) {
    throw new OperationError(
      `${stacks.length} matching stacks found. Please use the "--force" flag if you really want to delete multiple stacks.`,
      {
        code: 'senza.delete-several',
        hint: `Name the version to delete one (e.g. senza delete ${Object.values(splitStackName(stacks[0].stackName)).join(' ')}); --force deletes all of ${stacks.map((s) => s.stackName).join(', ')}.`,
        data: { stacks: stacks.map((s) => s.stackName) },
      },
    );
  }
  if (stacks.length === 0) {
    if (options.ignoreNonExistent) return { deleted: [], skipped: [], matched: [], records: [] };
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
  const result: DeleteStacksResult = { deleted: [], skipped: [], matched: stacks.map((s) => s.stackName), records: [] };
  for (const s of stacks) {
    if (options.confirm && !(await options.confirm(s.stackName))) {
      result.skipped.push(s.stackName);
      continue;
    }
    if (options.dryRun) {
      // The original prints the same line as a real delete; the verdict says that nothing was deleted.
      startAction(host, `Deleting Cloud Formation stack ${s.stackName}..`, { stackName: s.stackName });
      endAction(host, 'DRY-RUN', { dryRun: true });
      continue;
    }
    let weights = await weightsOf(s.stackName);
    const domains = [...new Set([...(domainsOf.get(s.stackName) ?? []), ...weights.map((w) => w.domain)])];
    if (options.force && hasTraffic(weights)) {
      await moveTrafficAway(session, s, host);
      weights = await weightsOf(s.stackName);
    }
    // Checked again, just before and just after DeleteStack: a traffic switch may run at the same time.
    // (With --force the stack may keep traffic: it is the last version that has any.)
    const raceDomains = options.force ? [] : domains;
    const before = await domainWeights(session, s.stackName, raceDomains);
    const gained = raceDomains.filter((d) => (before.get(d)?.own ?? 0) > 0);
    if (gained.length > 0) throw hasTrafficError(s.stackName, { domains: gained });
    await matchStoredWeights(session, s, weights);
    startAction(host, `Deleting Cloud Formation stack ${s.stackName}..`, { stackName: s.stackName });
    const afterEventId = await latestEventId(session, s.stackId);
    await session.send(
      'cloudformation',
      new DeleteStackCommand({ StackName: s.stackId, ClientRequestToken: clientRequestToken() }),
      s.stackName,
    );
    result.deleted.push({ stackName: s.stackName, stackId: s.stackId, afterEventId });
    if (domains.length > 0) result.records.push({ stackName: s.stackName, stackId: s.stackId, domains });
    const after = await domainWeights(session, s.stackName, raceDomains);
    const raced = raceDomains.filter(
      (d) => (after.get(d)?.own ?? 0) > 0 || (after.get(d)?.others ?? 0) < (before.get(d)?.others ?? 0),
    );
    if (raced.length > 0) {
      endAction(host, 'FAILED');
      // Its record must not keep answering for a deleted load balancer: weight 0 (so that CloudFormation's
      // DELETE matches), and removed if CloudFormation already left it. Best effort: the error below stands.
      // (Once deleted, Route53 refuses to write its alias again: the left record is removed instead.)
      await removeLeftRecords(session, [{ stackName: s.stackName, stackId: s.stackId, domains }], host).catch(
        () => undefined,
      );
      await takeWeightAway(session, s, raced).catch(() => undefined);
      throw new OperationError(
        `Stack ${s.stackName} got traffic while it was being deleted: ${raced.join(', ')} lost that weight with it`,
        {
          code: 'senza.delete-traffic-raced',
          hint: `Its deletion is under way. Give the traffic to a version that stays (senza traffic ${s.name} VERSION PERCENTAGE).`,
          data: { stackName: s.stackName, domains: raced },
        },
      );
    }
    endAction(host);
  }
  await removeLeftRecords(session, result.records, host);
  return result;
}

/**
 * `delete --force` of a version with traffic: first the normal switch gives its share to the other
 * versions (so no answer points at the deleted load balancer); when it was the only version with
 * traffic, the newest other usable version gets all of it. Forced like the delete (no health refusal).
 */
async function moveTrafficAway(session: AwsSession, s: StackSummary, host: IoHost): Promise<void> {
  host.notify({
    level: 'info',
    code: 'senza.delete-moving-traffic',
    text: `Stack ${s.stackName} has traffic: moving it to the other versions first`,
    data: { stackName: s.stackName },
  });
  const comment = `senza delete --force ${s.stackName}`;
  await switchTraffic(session, { name: s.name, version: s.version, percentage: 0, force: true, host, comment });
  if (!hasTraffic(await liveStackWeights(session, s.stackName))) return;
  const other = usableVersions(await describeStackFamily(session, s.name)).find(
    (v) => v.stackName !== s.stackName && !v.status.startsWith('DELETE_'),
  );
  if (other) {
    await switchTraffic(session, { name: s.name, version: other.version, percentage: 100, force: true, host, comment });
  }
}

/**
 * Makes CloudFormation's DELETE of each weighted record (sent with the weight it stored) match Route53:
 * a record whose stored weight is 0 but still has weight (the last version with traffic) is set to 0,
 * compare-and-set. A record stored with another weight (a stack the original senza switched through
 * UpdateStack) keeps its live weight 0: CloudFormation will leave it, and it is removed after the
 * deletion (removeLeftRecords).
 */
async function matchStoredWeights(session: AwsSession, s: StackSummary, weights: StackWeight[]): Promise<void> {
  if (weights.length === 0) return;
  const deployed = await readDeployedStack(session, s.stackId);
  const stored = new Map(weightedRecordSets(deployed.template).map((r) => [r.logicalId, statedWeight(r.weight)]));
  const byName = await weightedRecordsByName(session, [...new Set(weights.map((w) => w.domain))]);
  const changes: RecordChange[] = [];
  for (const w of weights) {
    if (stored.get(w.logicalId) !== 0 || w.weight === 0) continue;
    const r = byName
      .get(w.domain)
      ?.find((x) => x.setIdentifier === s.stackName && x.zoneId === w.zoneId && x.type === w.type);
    if (r) changes.push({ ...r, oldWeight: r.weight, newWeight: 0 });
  }
  await applyTrafficChanges(session, changes, `senza delete ${s.stackName}: the weight CloudFormation stored`);
}

/** The stack's own records of `domains` that have weight get 0 (compare-and-set): a stack being deleted. */
async function takeWeightAway(session: AwsSession, s: StackSummary, domains: string[]): Promise<void> {
  const own = await recordsOfStack(session, s.stackName, domains);
  const changes: RecordChange[] = own
    .filter((r) => r.weight > 0)
    .map((r) => ({ ...r, oldWeight: r.weight, newWeight: 0 }));
  await applyTrafficChanges(session, changes, `senza delete ${s.stackName}: deleted while it got traffic`);
}

/**
 * After the deletion: no record with the stack's SetIdentifier may stay in any zone. Removes what is
 * left (saying so) for the stacks whose deletion is complete; for the others (still deleting) tells
 * how to check later. `senza delete --wait` calls it again once the deletion is done.
 */
export async function removeLeftRecords(
  session: AwsSession,
  targets: DeletedStackRecords[],
  host: IoHost = silentHost,
): Promise<void> {
  for (const t of targets) {
    const status = (
      await session.send('cloudformation', new DescribeStacksCommand({ StackName: t.stackId }), t.stackName)
    ).Stacks?.[0]?.StackStatus;
    if (status !== 'DELETE_COMPLETE') continue;
    const left = await recordsOfStack(session, t.stackName, t.domains);
    await removeLeftovers(session, left, {
      code: 'senza.delete-record-left',
      host,
      comment: `senza delete ${t.stackName}: record left by CloudFormation`,
    });
  }
}

function hasTrafficError(stackName: string, data: Record<string, unknown>): OperationError {
  const { name, version } = splitStackName(stackName);
  return new OperationError(`Stack ${stackName} has traffic!\nUse --force if you really want to delete it`, {
    code: 'senza.delete-has-traffic',
    hint: `Move its traffic first (senza traffic ${name} OTHER_VERSION 100); --force moves it to the other versions, then deletes ${name} ${version}.`,
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
