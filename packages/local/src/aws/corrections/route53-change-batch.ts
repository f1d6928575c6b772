import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { fqdn, recordKey } from '../route53-records.js';
import { child, childText, elements, type XmlElement } from '../xml.js';

/**
 * Route53's rules for a change batch, which moto does not enforce: the batch is checked as a whole,
 * change by change against the zone as the earlier changes leave it, and rejected as a whole
 * (`InvalidChangeBatch`) when
 * - a DELETE names a record that does not exist, or whose values differ from the stored ones (weight,
 *   TTL and values, or alias target): this is what makes DELETE old + CREATE new a compare-and-set;
 * - a CREATE names a record that exists (moto would add a second one).
 * moto instead applies a DELETE by name and SetIdentifier whatever its values, and CREATE unchecked.
 */

/** One change of a ChangeResourceRecordSets request, as sent. */
export interface RequestedChange {
  action: string;
  record: ResourceRecordSet;
}

/** The changes of a request body's `<ChangeBatch>`. */
export function requestedChanges(changes: XmlElement[]): RequestedChange[] {
  return changes.map((change) => ({
    action: childText(change, 'Action') ?? '',
    record: recordOf(child(change, 'ResourceRecordSet')),
  }));
}

function recordOf(rrs: XmlElement | undefined): ResourceRecordSet {
  const weight = childText(rrs, 'Weight');
  const ttl = childText(rrs, 'TTL');
  const alias = child(rrs, 'AliasTarget');
  const values = child(rrs, 'ResourceRecords');
  return {
    Name: childText(rrs, 'Name'),
    Type: childText(rrs, 'Type') as ResourceRecordSet['Type'],
    SetIdentifier: childText(rrs, 'SetIdentifier'),
    Weight: weight === undefined ? undefined : Number(weight),
    TTL: ttl === undefined ? undefined : Number(ttl),
    ResourceRecords: values
      ? elements(values, 'ResourceRecord').map((v) => ({ Value: childText(v, 'Value') ?? '' }))
      : undefined,
    AliasTarget: alias
      ? {
          HostedZoneId: childText(alias, 'HostedZoneId') ?? '',
          DNSName: childText(alias, 'DNSName') ?? '',
          EvaluateTargetHealth: childText(alias, 'EvaluateTargetHealth') === 'true',
        }
      : undefined,
  };
}

/**
 * The batch against the zone's records: the reason Route53 would reject it, or the records it names
 * as they are once it is applied (for the repair after moto applied it its own way).
 */
export function checkChangeBatch(
  changes: RequestedChange[],
  stored: ResourceRecordSet[],
): { error: string } | { named: ResourceRecordSet[] } {
  const zone = new Map(stored.map((r) => [recordKey(r), r]));
  const keys = new Set(changes.map((c) => recordKey(c.record)));
  const error = apply(changes, zone);
  if (error) return { error };
  return { named: [...keys].flatMap((k) => zone.get(k) ?? []) };
}

function apply(changes: RequestedChange[], zone: Map<string, ResourceRecordSet>): string | undefined {
  for (const { action, record } of changes) {
    const key = recordKey(record);
    const existing = zone.get(key);
    if (action === 'CREATE') {
      if (existing) return tried('create', record, 'but it already exists');
      zone.set(key, record);
    } else if (action === 'DELETE') {
      if (!existing) return tried('delete', record, 'but it was not found');
      if (!sameValues(existing, record)) {
        return tried('delete', record, 'but the values provided do not match the current values');
      }
      zone.delete(key);
    } else if (action === 'UPSERT') {
      zone.set(key, record);
    }
  }
  return undefined;
}

function tried(verb: string, r: ResourceRecordSet, outcome: string): string {
  const setId = r.SetIdentifier === undefined ? '' : `, set-identifier='${r.SetIdentifier}'`;
  return `[Tried to ${verb} resource record set [name='${fqdn(r.Name)}', type='${r.Type}'${setId}] ${outcome}]`;
}

/**
 * The stored record (as moto holds it) against the one a DELETE states (as the layer showed it: see
 * alias-targets): weight, and TTL and values, or the alias target. moto keeps alias targets as
 * CloudFormation gave them (no final dot, an unresolved zone id, a us-east-1 ELB name), so DNS names
 * compare without final dot and region, and the zone id only when moto holds a real one.
 */
function sameValues(stored: ResourceRecordSet, requested: ResourceRecordSet): boolean {
  if ((stored.Weight ?? undefined) !== requested.Weight) return false;
  if (requested.AliasTarget || stored.AliasTarget) {
    const a = stored.AliasTarget;
    const b = requested.AliasTarget;
    if (!a || !b) return false;
    if (dnsName(a.DNSName) !== dnsName(b.DNSName)) return false;
    if ((a.EvaluateTargetHealth ?? false) !== (b.EvaluateTargetHealth ?? false)) return false;
    return !/^Z[0-9A-Z]+$/.test(a.HostedZoneId ?? '') || a.HostedZoneId === b.HostedZoneId;
  }
  if ((stored.TTL ?? undefined) !== requested.TTL) return false;
  const values = (r: ResourceRecordSet) =>
    (r.ResourceRecords ?? [])
      .map((v) => dnsName(v.Value))
      .sort()
      .join('\n');
  return values(stored) === values(requested);
}

const REGIONAL_ELB = /\.[a-z]{2}(-[a-z]+)+-\d\.elb\.amazonaws\.com$/;

function dnsName(name: string | undefined): string {
  return (name ?? '').toLowerCase().replace(/\.$/, '').replace(REGIONAL_ELB, '.elb.amazonaws.com');
}

/** Route53's `InvalidChangeBatch` text for a change it rejects (also what CloudFormation reports). */
export { tried as changeRejection };
