/**
 * The rollout record in Route53, beside the weights. Every write is one ChangeResourceRecordSets
 * batch per hosted zone that holds the compare-and-set of the TXT record (DELETE of the record as
 * read, CREATE of the new one) and of every weight that changes, so Route53 applies state and
 * weights together or not at all:
 * - start: CREATE of the TXT (rejected when a rollout already has one: never two on one domain);
 * - each step, pause, verdict: DELETE + CREATE of the TXT (rejected when another command changed it);
 * - promote, revert, abort: DELETE of the TXT with the last weight change.
 */
import type { Change, ListResourceRecordSetsCommandOutput, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../../aws/aws-session.js';
import { normalizeDnsName, unescapeRoute53 } from '../../aws/dns-names.js';
import type { HostedZoneRef } from '../../aws/hosted-zones.js';
import { changeBatches, type RecordChange } from '../traffic/record-changes.js';
import type { WeightedRecord } from '../traffic/route53-records.js';
import type { DomainWeights } from '../traffic/traffic-plan.js';
import {
  decodeRolloutRecord,
  encodeRolloutRecord,
  RECORD_TTL,
  type RolloutRecord,
  rolloutRecordName,
} from './rollout-record.js';
import { sameWeights } from './rollout-steps.js';

/** The rollout TXT record of one main domain in one hosted zone, as read. */
export interface StoredRecord {
  zoneId: string;
  zoneName: string;
  domain: string;
  /** The record set exactly as Route53 returned it (for the DELETE of a compare-and-set). */
  rrset: ResourceRecordSet;
  /** Undefined when the values are not a readable rollout record. */
  record?: RolloutRecord;
}

/** A change of the TXT record in one zone: from `old` (as read; absent: it must not exist) to `next` (absent: removed). */
export interface TxtChange {
  zoneId: string;
  zoneName: string;
  domain: string;
  old?: ResourceRecordSet;
  next?: RolloutRecord;
}

/** The TXT record set of a rollout record. */
export function rolloutRecordSet(domain: string, record: RolloutRecord): ResourceRecordSet {
  return {
    Name: rolloutRecordName(domain),
    Type: 'TXT',
    TTL: RECORD_TTL,
    ResourceRecords: encodeRolloutRecord(record).map((Value) => ({ Value })),
  };
}

/**
 * The batches of one rollout write: per hosted zone, the TXT compare-and-set first, then the weight
 * changes (each the DELETE of the record read and the CREATE with the new weight).
 */
export function rolloutBatches(
  txt: TxtChange[],
  weights: RecordChange[],
): { zoneId: string; zoneName: string; changes: Change[] }[] {
  const batches = new Map<string, { zoneId: string; zoneName: string; changes: Change[] }>();
  const batchOf = (zoneId: string, zoneName: string) => {
    let b = batches.get(zoneId);
    if (!b) {
      b = { zoneId, zoneName, changes: [] };
      batches.set(zoneId, b);
    }
    return b;
  };
  for (const t of txt) {
    const b = batchOf(t.zoneId, t.zoneName);
    if (t.old) b.changes.push({ Action: 'DELETE', ResourceRecordSet: t.old });
    if (t.next) b.changes.push({ Action: 'CREATE', ResourceRecordSet: rolloutRecordSet(t.domain, t.next) });
  }
  for (const w of changeBatches(weights)) batchOf(w.zoneId, w.zoneName).changes.push(...w.changes);
  return [...batches.values()].filter((b) => b.changes.length > 0);
}

/** The exact inverse of a compare-and-set batch: the changes in reverse order, DELETE and CREATE swapped. */
export function invertChanges(changes: Change[]): Change[] {
  return [...changes].reverse().map((c) => ({ ...c, Action: c.Action === 'DELETE' ? 'CREATE' : 'DELETE' }));
}

/**
 * Sends the batches, one ChangeResourceRecordSets per zone. When a later zone's batch fails, the zones
 * already written are set back with the inverse batches, so the write is all or nothing.
 */
export async function writeRolloutBatches(
  session: AwsSession,
  batches: ReturnType<typeof rolloutBatches>,
  comment: string,
): Promise<void> {
  const done: typeof batches = [];
  for (const b of batches) {
    try {
      await session.send(
        'route53',
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: b.zoneId,
          ChangeBatch: { Comment: comment, Changes: b.changes },
        }),
        `${b.zoneName} (${b.zoneId})`,
      );
      done.push(b);
    } catch (e) {
      for (const d of done.reverse()) {
        await session
          .send(
            'route53',
            new ChangeResourceRecordSetsCommand({
              HostedZoneId: d.zoneId,
              ChangeBatch: { Comment: `${comment}: set back`, Changes: invertChanges(d.changes) },
            }),
            `${d.zoneName} (${d.zoneId})`,
          )
          .catch(() => undefined);
      }
      throw e;
    }
  }
}

/** The rollout TXT record of `domain` in `zone`, if any. */
export async function readStoredRecord(
  session: AwsSession,
  zone: HostedZoneRef,
  domain: string,
): Promise<StoredRecord | undefined> {
  const name = rolloutRecordName(domain);
  const out = await session.send<ListResourceRecordSetsCommandOutput>(
    'route53',
    new ListResourceRecordSetsCommand({
      HostedZoneId: zone.id,
      StartRecordName: name,
      StartRecordType: 'TXT',
      MaxItems: 1,
    }),
    `${zone.name} ${name}`,
  );
  const rrset = out.ResourceRecordSets?.find(
    (r) => r.Type === 'TXT' && r.Name !== undefined && normalizeDnsName(unescapeRoute53(r.Name)) === name,
  );
  if (!rrset) return undefined;
  let record: RolloutRecord | undefined;
  try {
    record = decodeRolloutRecord((rrset.ResourceRecords ?? []).map((r) => r.Value ?? ''));
  } catch {
    record = undefined;
  }
  return { zoneId: zone.id, zoneName: zone.name, domain: normalizeDnsName(domain), rrset, record };
}

/** The live weights of a domain from its weighted records (an identifier with several records counts once). */
export function liveDomainWeights(domain: string, records: WeightedRecord[]): DomainWeights {
  const seen = new Map<string, number>();
  for (const r of records) if (!seen.has(r.setIdentifier)) seen.set(r.setIdentifier, r.weight);
  return {
    domain: normalizeDnsName(domain),
    weights: [...seen].map(([identifier, weight]) => ({ identifier, weight })),
  };
}

/**
 * The domains whose live weights differ from what the record says they are (the weights of its
 * current step): somebody changed them by hand during the rollout. Records of one identifier that
 * disagree with each other (an A and an AAAA record) count as a change too.
 */
export function manuallyChangedDomains(
  expected: DomainWeights[],
  live: Map<string, WeightedRecord[]>,
): { domain: string; expected: DomainWeights; live: DomainWeights }[] {
  const out: { domain: string; expected: DomainWeights; live: DomainWeights }[] = [];
  for (const e of expected) {
    const records = live.get(e.domain) ?? [];
    const current = liveDomainWeights(e.domain, records);
    const byId = new Map(e.weights.map((w) => [w.identifier, w.weight]));
    const inconsistent = records.some(
      (r) => r.weight !== (current.weights.find((w) => w.identifier === r.setIdentifier)?.weight ?? 0),
    );
    const unknown = current.weights.some((w) => !byId.has(w.identifier) && w.weight > 0);
    if (inconsistent || unknown || !sameWeights(e.weights, current.weights)) {
      out.push({ domain: e.domain, expected: e, live: current });
    }
  }
  return out;
}

/** The weight changes that bring the live records to `target` weights (records of identifiers not in it keep theirs). */
export function weightChangesTo(target: DomainWeights[], live: Map<string, WeightedRecord[]>): RecordChange[] {
  const changes: RecordChange[] = [];
  for (const d of target) {
    const want = new Map(d.weights.map((w) => [w.identifier, w.weight]));
    for (const r of live.get(d.domain) ?? []) {
      const weight = want.get(r.setIdentifier);
      if (weight === undefined || weight === r.weight) continue;
      changes.push({
        zoneId: r.zoneId,
        zoneName: r.zoneName,
        name: r.name,
        type: r.type,
        setIdentifier: r.setIdentifier,
        oldWeight: r.weight,
        newWeight: weight,
        record: r.record,
      });
    }
  }
  return changes;
}
