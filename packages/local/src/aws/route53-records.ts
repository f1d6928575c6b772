import {
  ChangeResourceRecordSetsCommand,
  type HostedZone,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { awsItems, nextRecordStart, type RecordStart } from '@stups/core/aws';
import { leaf, node, type XmlElement } from './xml.js';

/** Route53 look-ups and repairs the corrections make in moto (directly, not through the layer). */
export function fqdn(name: string | undefined): string {
  const n = name ?? '';
  return n.endsWith('.') ? n : `${n}.`;
}

/** Identity of a record as Route53 defines it: name (case and final dot aside), type, set identifier. */
export function recordKey(r: { Name?: string; Type?: string; SetIdentifier?: string }): string {
  return `${fqdn(r.Name).toLowerCase()}|${r.Type ?? ''}|${r.SetIdentifier ?? ''}`;
}

export async function listZones(route53: Route53Client): Promise<HostedZone[]> {
  return awsItems({
    fetch: (Marker) => route53.send(new ListHostedZonesCommand({ Marker })),
    next: (page) => (page.IsTruncated ? page.NextMarker : undefined),
    items: (page) => page.HostedZones,
  });
}

export async function listRecords(route53: Route53Client, zoneId: string): Promise<ResourceRecordSet[]> {
  return awsItems({
    fetch: (start: RecordStart | undefined) =>
      route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start })),
    next: nextRecordStart,
    items: (page) => page.ResourceRecordSets,
  });
}

/** The record as a Route53 API request states it: FQDN name; an alias carries no TTL. */
export function asRequested(r: ResourceRecordSet): ResourceRecordSet {
  const out: ResourceRecordSet = { Name: fqdn(r.Name), Type: r.Type };
  if (r.SetIdentifier !== undefined) out.SetIdentifier = r.SetIdentifier;
  if (r.Weight !== undefined) out.Weight = r.Weight;
  if (r.AliasTarget) {
    out.AliasTarget = {
      HostedZoneId: r.AliasTarget.HostedZoneId ?? '',
      DNSName: r.AliasTarget.DNSName ?? '',
      EvaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false,
    };
  } else {
    out.TTL = r.TTL;
    out.ResourceRecords = r.ResourceRecords;
  }
  return out;
}

/** The `<ResourceRecordSet>` element of a ChangeResourceRecordSets request for a record. */
export function recordSetXml(r: ResourceRecordSet): XmlElement {
  const children: XmlElement[] = [leaf('Name', r.Name ?? ''), leaf('Type', r.Type ?? '')];
  if (r.SetIdentifier !== undefined) children.push(leaf('SetIdentifier', r.SetIdentifier));
  if (r.Weight !== undefined) children.push(leaf('Weight', String(r.Weight)));
  if (r.TTL !== undefined) children.push(leaf('TTL', String(r.TTL)));
  if (r.ResourceRecords) {
    children.push(
      node(
        'ResourceRecords',
        r.ResourceRecords.map((v) => node('ResourceRecord', [leaf('Value', v.Value ?? '')])),
      ),
    );
  }
  if (r.AliasTarget) {
    children.push(
      node('AliasTarget', [
        leaf('HostedZoneId', r.AliasTarget.HostedZoneId ?? ''),
        leaf('DNSName', r.AliasTarget.DNSName ?? ''),
        leaf('EvaluateTargetHealth', String(r.AliasTarget.EvaluateTargetHealth ?? false)),
      ]),
    );
  }
  return node('ResourceRecordSet', children);
}

export async function changeRecords(
  route53: Route53Client,
  zoneId: string,
  action: 'CREATE' | 'UPSERT' | 'DELETE',
  records: ResourceRecordSet[],
): Promise<void> {
  if (records.length === 0) return;
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: records.map((r) => ({ Action: action, ResourceRecordSet: asRequested(r) })) },
    }),
  );
}

/**
 * Creates again the records of `before` that are gone now, except those `spare` names, and checks that
 * they are back. UPSERT, not CREATE: moto refuses a CREATE equal to one in its change journal ("already
 * exists") even when that record is long gone, which made every second repair of a name fail.
 * Throws when a record could not be restored: a failed repair must never pass for a success.
 */
export async function restoreMissing(
  route53: Route53Client,
  zoneId: string,
  before: ResourceRecordSet[],
  spare: (r: ResourceRecordSet) => boolean,
): Promise<ResourceRecordSet[]> {
  const now = new Set((await listRecords(route53, zoneId)).map(recordKey));
  const missing = before.filter((r) => !now.has(recordKey(r)) && !spare(r));
  if (missing.length === 0) return missing;
  await changeRecords(route53, zoneId, 'UPSERT', missing);
  const after = new Set((await listRecords(route53, zoneId)).map(recordKey));
  const lost = missing.filter((r) => !after.has(recordKey(r)));
  if (lost.length > 0) {
    throw new Error(`records not restored: ${lost.map((r) => recordKey(r)).join(', ')}`);
  }
  return missing;
}
