import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { fqdn, recordKey } from '../route53-records.js';
import { child, childText, elements, type XmlElement } from '../xml.js';

/**
 * Route53's rules for a change batch, which moto does not enforce: the batch is checked as a whole,
 * change by change against the zone as the earlier changes leave it, and rejected as a whole when
 * - a Weight is not an integer in 0..255 (`InvalidInput`: Route53 validates the body against its XML
 *   schema, type ResourceRecordSetWeight, before anything else);
 * - a DELETE names a record that does not exist, or whose values differ from the stored ones (weight,
 *   TTL and values, or alias target): this is what makes DELETE old + CREATE new a compare-and-set;
 * - a CREATE names a record that exists (moto would add a second one);
 * - a CREATE or UPSERT makes an alias to a load balancer (`….elb.amazonaws.com`) that does not exist;
 * - a CREATE or UPSERT leaves weighted records of one name and type with different TTLs.
 * These are `InvalidChangeBatch`, every failing change in one bracketed, comma-separated message as
 * Route53 lists them. moto instead applies a DELETE by name and SetIdentifier whatever its values,
 * and CREATE unchecked.
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

/** A load balancer the layer knows, under any spelling of its DNS name (see alias-targets). */
export interface KnownElb {
  /** The DNS name as AWS gives it (the load balancer's own region). */
  dnsName: string;
}

export interface BatchContext {
  /**
   * The load balancers the layer knows, by lower-case DNS name without final dot (moto's spelling and
   * AWS's). Without it no alias target is checked and DNS names compare as written.
   */
  elbs?: Map<string, KnownElb>;
}

export type BatchRejection = { code: 'InvalidInput' | 'InvalidChangeBatch'; error: string };

/**
 * The batch against the zone's records: the reason Route53 would reject it, or the records it names
 * as they are once it is applied (for the repair after moto applied it its own way).
 */
export function checkChangeBatch(
  changes: RequestedChange[],
  stored: ResourceRecordSet[],
  context: BatchContext = {},
): BatchRejection | { named: ResourceRecordSet[] } {
  const invalid = invalidWeight(changes);
  if (invalid) return { code: 'InvalidInput', error: invalid };
  const zone = new Map(stored.map((r) => [recordKey(r), r]));
  const keys = new Set(changes.map((c) => recordKey(c.record)));
  const errors = apply(changes, zone, context);
  if (errors.length > 0) return { code: 'InvalidChangeBatch', error: `[${errors.join(', ')}]` };
  return { named: [...keys].flatMap((k) => zone.get(k) ?? []) };
}

/**
 * Route53's schema: `Weight` is an integer within 0..255 (API_ResourceRecordSet, "Valid Range: Minimum
 * value of 0. Maximum value of 255."); the answer is the schema validator's, as for any invalid body.
 */
function invalidWeight(changes: RequestedChange[]): string | undefined {
  for (const { record } of changes) {
    const w = record.Weight;
    if (w === undefined) continue;
    if (!Number.isInteger(w)) {
      return `Invalid XML ; cvc-datatype-valid.1.2.1: '${w}' is not a valid value for 'integer'.`;
    }
    if (w < 0) {
      return `Invalid XML ; cvc-minInclusive-valid: Value '${w}' is not facet-valid with respect to minInclusive '0' for type 'ResourceRecordSetWeight'.`;
    }
    if (w > 255) {
      return `Invalid XML ; cvc-maxInclusive-valid: Value '${w}' is not facet-valid with respect to maxInclusive '255' for type 'ResourceRecordSetWeight'.`;
    }
  }
  return undefined;
}

function apply(changes: RequestedChange[], zone: Map<string, ResourceRecordSet>, context: BatchContext): string[] {
  const errors: string[] = [];
  const written: ResourceRecordSet[] = [];
  for (const { action, record } of changes) {
    const key = recordKey(record);
    const existing = zone.get(key);
    if (action === 'CREATE' || action === 'UPSERT') {
      if (action === 'CREATE' && existing) {
        errors.push(tried('create', record, 'but it already exists'));
        continue;
      }
      const missing = missingAliasTarget(record, context);
      if (missing) {
        errors.push(missing);
        continue;
      }
      zone.set(key, record);
      written.push(record);
    } else if (action === 'DELETE') {
      if (!existing) errors.push(tried('delete', record, 'but it was not found'));
      else if (!sameValues(existing, record, context)) {
        errors.push(tried('delete', record, 'but the values provided do not match the current values'));
      } else zone.delete(key);
    }
  }
  for (const record of written) {
    if (zone.get(recordKey(record)) !== record) continue;
    const ttl = differentWeightedTtl(record, zone);
    if (ttl) errors.push(ttl);
  }
  return errors;
}

function tried(verb: string, r: ResourceRecordSet, outcome: string): string {
  const setId = r.SetIdentifier === undefined ? '' : `, set-identifier='${r.SetIdentifier}'`;
  return `Tried to ${verb} resource record set [name='${fqdn(r.Name)}', type='${r.Type}'${setId}] ${outcome}`;
}

const ELB_NAME = /\.elb\.amazonaws\.com$/;

/**
 * An alias to a load balancer that does not exist: Route53 answers "Tried to create an alias that
 * targets X., type A in zone Z, but that target was not found" (harmony-one/harmony-ops#491,
 * barnybug/cli53#227; Z is the alias target's hosted zone id).
 */
function missingAliasTarget(record: ResourceRecordSet, context: BatchContext): string | undefined {
  const alias = record.AliasTarget;
  if (!alias || !context.elbs) return undefined;
  const name = lower(alias.DNSName).replace(/^dualstack\./, '');
  if (!ELB_NAME.test(name) || context.elbs.has(name)) return undefined;
  return `Tried to create an alias that targets ${fqdn(alias.DNSName)}, type ${record.Type} in zone ${alias.HostedZoneId}, but that target was not found`;
}

/**
 * Weighted records of one name and type must have the same TTL: "RRSet with DNS name X and type A,
 * SetIdentifier S cannot be created as weighted sets must contain the same TTL." (aws/aws-sdk-go-v2#518).
 * Alias records have no TTL of their own.
 */
function differentWeightedTtl(record: ResourceRecordSet, zone: Map<string, ResourceRecordSet>): string | undefined {
  if (record.Weight === undefined || record.AliasTarget) return undefined;
  const group = (r: ResourceRecordSet) => `${lower(r.Name)}|${r.Type}`;
  const clash = [...zone.values()].some(
    (r) =>
      r !== record &&
      r.Weight !== undefined &&
      !r.AliasTarget &&
      group(r) === group(record) &&
      (r.TTL ?? undefined) !== (record.TTL ?? undefined),
  );
  if (!clash) return undefined;
  return `RRSet with DNS name ${fqdn(record.Name)} and type ${record.Type}, SetIdentifier ${record.SetIdentifier} cannot be created as weighted sets must contain the same TTL.`;
}

/**
 * The stored record (as moto holds it) against the one a DELETE states (as the layer showed it: see
 * alias-targets): weight, and TTL and values, or the alias target. moto keeps alias targets as
 * CloudFormation gave them (no final dot, an unresolved zone id, a us-east-1 ELB name): DNS names
 * compare without case and final dot, a load balancer's name as AWS spells it (its own region; another
 * region's name is another name), and the zone id only when moto holds a real one.
 */
function sameValues(stored: ResourceRecordSet, requested: ResourceRecordSet, context: BatchContext): boolean {
  const dnsName = (name: string | undefined) => {
    const n = lower(name);
    return context.elbs?.get(n)?.dnsName.toLowerCase() ?? n;
  };
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

/** A DNS name compared as Route53 compares it: case and final dot aside. */
function lower(name: string | undefined): string {
  return (name ?? '').toLowerCase().replace(/\.$/, '');
}
