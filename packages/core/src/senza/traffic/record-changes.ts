import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { NotFoundError } from '../../errors.js';
import type { WeightedRecord } from './route53-records.js';
import type { TrafficState } from './traffic-discovery.js';
import type { TrafficPlan } from './traffic-plan.js';

/**
 * The Route53 changes of a traffic plan, pure: which records change weight, how each is written as a
 * compare-and-set (the DELETE of the record as read, the CREATE of it with the new weight), grouped in
 * one batch per hosted zone, and the change that undoes one. apply-traffic.ts sends them.
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
