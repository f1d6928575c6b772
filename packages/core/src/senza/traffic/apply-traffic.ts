import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { AwsSession } from '../../aws/aws-session.js';
import { NotFoundError, OperationError } from '../../errors.js';
import type { Message } from '../../io/messages.js';
import { pythonJsonDumps } from '../../io/python-json.js';
import { classicElbStates, targetGroupStates } from '../stacks/read/instance-health.js';
import type { WeightedRecord } from './route53-records.js';
import type { LoadBalancerResource, StackVersionInfo, TrafficState } from './traffic-discovery.js';
import { domainsWithoutTraffic, type TrafficPlan, type TrafficRow } from './traffic-plan.js';

/**
 * Applying a traffic plan. Deviation from the original, on purpose: weights are written to Route53
 * directly, all changes of a hosted zone in ONE ChangeResourceRecordSets batch (Route53 applies a
 * batch atomically), instead of one CloudFormation UpdateStack per version. A failed or interrupted
 * command therefore never leaves a half-switched state, and it is fast. The weights then live in
 * Route53 only; `senza update` reads them back (liveStackWeights) so that an update keeps them.
 *
 * Each weight change is a compare-and-set: the batch DELETEs the record exactly as it was read and
 * CREATEs it with the new weight. Route53 rejects the whole batch (`InvalidChangeBatch`) when any record
 * changed in between, so two commands racing can never both apply, nor mix their weights.
 */

/** One record whose weight changes. */
export interface RecordChange {
  zoneId: string;
  zoneName: string;
  name: string;
  type: string;
  setIdentifier: string;
  oldWeight: number;
  newWeight: number;
  record: ResourceRecordSet;
}

/** The exact Route53 changes of a plan: every record (A, AAAA, CNAME) of an identifier whose weight changes. */
export function trafficChanges(plan: TrafficPlan, state: Pick<TrafficState, 'records'>): RecordChange[] {
  const changes: RecordChange[] = [];
  for (const d of plan.domains) {
    const records = state.records.get(d.domain) ?? [];
    for (const e of d.entries) {
      if (e.newWeight === e.oldWeight) continue;
      const own = records.filter((r) => r.setIdentifier === e.identifier);
      if (own.length === 0) {
        throw new NotFoundError(`Route 53 Record not found: ${d.domain} (set identifier ${e.identifier})`, {
          code: 'senza.traffic-record-missing',
          hint: `The stack ${e.identifier} declares the main domain ${d.domain}, but Route53 has no weighted record of it.`,
        });
      }
      for (const r of own) changes.push(recordChange(r, e.newWeight));
    }
  }
  return changes;
}

function recordChange(r: WeightedRecord, newWeight: number): RecordChange {
  return {
    zoneId: r.zoneId,
    zoneName: r.zoneName,
    name: r.name,
    type: r.type,
    setIdentifier: r.setIdentifier,
    oldWeight: r.weight,
    newWeight,
    record: r.record,
  };
}

/**
 * `zone.ne. (Z123): UPSERT myapp.zo.ne. A myapp-v2 weight 0 → 100`, for --plan (sent as the DELETE of the
 * record read and the CREATE of the new one).
 */
export function describeChange(c: RecordChange): string {
  return `${c.zoneName} (${c.zoneId}): UPSERT ${c.name} ${c.type} ${c.setIdentifier} weight ${c.oldWeight} → ${c.newWeight}`;
}

/** The record with a weight, as a change states it (an alias record carries no TTL). */
function withWeight(c: RecordChange, weight: number): ResourceRecordSet {
  const record: ResourceRecordSet = { ...c.record, Weight: weight };
  if (record.AliasTarget) delete record.TTL;
  return record;
}

/** The record to write: the live one with the new weight. */
export function upsertRecord(c: RecordChange): ResourceRecordSet {
  return withWeight(c, c.newWeight);
}

/** The change that undoes `c`: from its new weight back to its old one. */
export function revertedChange(c: RecordChange): RecordChange {
  return { ...c, oldWeight: c.newWeight, newWeight: c.oldWeight, record: withWeight(c, c.newWeight) };
}

/**
 * Changes grouped per hosted zone, in first-seen order: one batch each, every change as the DELETE of
 * the record as read and the CREATE of it with the new weight (compare-and-set).
 */
export function changeBatches(changes: RecordChange[]): { zoneId: string; zoneName: string; changes: Change[] }[] {
  const batches = new Map<string, { zoneId: string; zoneName: string; changes: Change[] }>();
  for (const c of changes) {
    let b = batches.get(c.zoneId);
    if (!b) {
      b = { zoneId: c.zoneId, zoneName: c.zoneName, changes: [] };
      batches.set(c.zoneId, b);
    }
    b.changes.push(
      { Action: 'DELETE', ResourceRecordSet: withWeight(c, c.oldWeight) },
      { Action: 'CREATE', ResourceRecordSet: upsertRecord(c) },
    );
  }
  return [...batches.values()];
}

/** The three answers of Route53 to a compare-and-set that another change came first to. */
const RACE_OUTCOMES = [
  'but it was not found',
  'but the values provided do not match the current values',
  'but it already exists',
];

/**
 * True when Route53 rejected a batch only because records it names are no longer as read (another
 * change won): an `InvalidChangeBatch` whose every message (Route53 lists them in one bracket,
 * comma-separated) ends in one of the three race answers. Any other `InvalidChangeBatch` (an alias
 * whose target is not found, weighted sets with different TTLs, …) will never go away by retrying.
 */
export function isChangeConflict(e: unknown): boolean {
  const err = e as { awsCode?: string; message?: string; cause?: unknown } | undefined;
  if (err?.awsCode !== 'InvalidChangeBatch') return false;
  const messages = route53Messages(err.cause instanceof Error ? err.cause.message : (err.message ?? ''));
  return messages.length > 0 && messages.every((m) => RACE_OUTCOMES.some((o) => m.endsWith(o)));
}

/** `[msg1, msg2]` → its messages; a message's own commas are followed by lower case (`…, but`, `, type=`). */
function route53Messages(text: string): string[] {
  const inner = /\[(.*)\]\s*$/s.exec(text.trim())?.[1] ?? text;
  return inner
    .split(/,\s+(?=[A-Z])/)
    .map((m) => m.trim().replace(/\.$/, ''))
    .filter((m) => m !== '');
}

/**
 * Sends the changes: one ChangeResourceRecordSets per hosted zone. When a later zone's batch fails, the
 * zones already changed are set back (compare-and-set again), so the command changes all or nothing.
 * Returns the Route53 change ids.
 */
export async function applyTrafficChanges(session: AwsSession, changes: RecordChange[], comment?: string) {
  const send = (batch: ReturnType<typeof changeBatches>[number], note?: string) =>
    session.send(
      'route53',
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: batch.zoneId,
        ChangeBatch: { Comment: note, Changes: batch.changes },
      }),
      `${batch.zoneName} (${batch.zoneId})`,
    );
  const ids: string[] = [];
  const done: string[] = [];
  for (const batch of changeBatches(changes)) {
    try {
      const out = await send(batch, comment);
      if (out.ChangeInfo?.Id) ids.push(out.ChangeInfo.Id);
      done.push(batch.zoneId);
    } catch (e) {
      const back = changes.filter((c) => done.includes(c.zoneId)).map(revertedChange);
      for (const b of changeBatches(back)) await send(b, 'senza traffic: set back').catch(() => undefined);
      throw e;
    }
  }
  return ids;
}

const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);

/** True when the plan raises the target's weight in some domain. */
export function shiftsTrafficToTarget(plan: TrafficPlan): boolean {
  return plan.domains.some((d) => d.entries.some((e) => e.identifier === plan.target && e.newWeight > e.oldWeight));
}

/** Healthy when any instance behind any of the stack's load balancers (classic ELB or ELBv2 target group) is. */
export async function countHealthy(session: AwsSession, lbs: LoadBalancerResource[]): Promise<number> {
  const counts = await Promise.all(
    lbs.map(async (lb) => {
      const states =
        lb.kind === 'elb' ? await classicElbStates(session, lb.id) : await targetGroupStates(session, lb.id);
      const healthy = lb.kind === 'elb' ? 'InService' : 'healthy';
      return [...states.values()].filter((s) => s === healthy).length;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Refusals before applying (all skipped with `force`): a result without traffic on a domain (Route53
 * would then spread traffic equally over every record, new stacks included), and shifting traffic to
 * a target that is not complete or has no healthy instance. Returns notes for the user.
 */
export async function checkTrafficChange(
  session: AwsSession,
  plan: TrafficPlan,
  state: Pick<TrafficState, 'target' | 'loadBalancers'>,
  options: { force?: boolean } = {},
): Promise<Message[]> {
  const notes: Message[] = [];
  const t = state.target;
  if (t.status.startsWith('DELETE_') && shiftsTrafficToTarget(plan)) {
    // Not even with --force: the stack's records and load balancer are going away.
    throw new OperationError(`Stack ${t.stackName} is ${t.status}: traffic not shifted to it`, {
      code: 'senza.traffic-target-deleting',
      hint: `Choose a version that is not being deleted (senza traffic ${t.name}).`,
    });
  }
  if (options.force || !plan.changed) return notes;
  const empty = domainsWithoutTraffic(plan);
  if (empty.length > 0) {
    throw new OperationError(
      `No version of ${plan.stackName} would get traffic on ${empty.join(', ')}: Route53 would then spread it over every record, new stacks included`,
      { code: 'senza.traffic-none-left', hint: 'Give another version traffic first, or use --force.' },
    );
  }
  if (!shiftsTrafficToTarget(plan)) return notes;
  if (!COMPLETE.has(t.status)) {
    throw new OperationError(`Stack ${t.stackName} is ${t.status}: traffic not shifted to it`, {
      code: 'senza.traffic-target-not-ready',
      hint: `Wait for it (senza wait ${t.name} ${t.version}), or use --force.`,
    });
  }
  if (state.loadBalancers.length === 0) {
    notes.push({
      level: 'info',
      code: 'senza.traffic-health-unchecked',
      text: `Stack ${t.stackName} has no load balancer: its health was not checked`,
    });
    return notes;
  }
  if ((await countHealthy(session, state.loadBalancers)) === 0) {
    throw new OperationError(
      `Stack ${t.stackName} has no healthy instance in its load balancer: traffic not shifted to it`,
      {
        code: 'senza.traffic-target-unhealthy',
        hint: `Check senza instances ${t.name} ${t.version} / senza health, or use --force.`,
      },
    );
  }
  return notes;
}

/**
 * Publishes the change rows (JSON, as the original) to every distinct notification ARN of the family,
 * subject `SenzaTrafficRedirect`. Failures become warnings: the weights are already set.
 */
export async function publishTrafficChange(
  session: AwsSession,
  family: StackVersionInfo[],
  rows: TrafficRow[],
): Promise<Message[]> {
  const arns = [...new Set(family.flatMap((s) => s.notificationArns))];
  if (arns.length === 0) return [];
  const message = pythonJsonDumps(rows);
  const results = await Promise.allSettled(
    arns.map((arn) =>
      session.send(
        'sns',
        new PublishCommand({ TopicArn: arn, Subject: 'SenzaTrafficRedirect', Message: message }),
        arn,
      ),
    ),
  );
  return results.flatMap((r, i): Message[] =>
    r.status === 'rejected'
      ? [
          {
            level: 'warn',
            code: 'senza.traffic-notify-failed',
            text: `Could not notify ${arns[i]}: ${(r.reason as Error)?.message ?? r.reason}`,
          },
        ]
      : [],
  );
}
