import type { HostedZone, ListResourceRecordSetsCommandOutput, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../../../aws/aws-session.js';
import { longestZones, normalizeDnsName, unescapeRoute53, withoutDot } from '../../../aws/dns-names.js';
import { listHostedZones } from '../../../aws/hosted-zones.js';
import { awsItems, nextRecordStart, type RecordStart } from '../../../aws/pages.js';
import type { StackResources } from './stack-resources.js';
import { byStringKeys, epochSeconds } from './stack-tables.js';

/** A row of `senza domains`. */
export interface DomainRow {
  stack_name: string;
  version: string;
  resource_id: string;
  domain: string;
  weight: string;
  type: string | null;
  value: string | null;
  create_time: number | null;
}

/**
 * Route53 record sets of one name, each name read once and reused for every stack: ListResourceRecordSets
 * started at the name (`StartRecordName`), following pages only while they still hold it, so a large zone
 * costs one call per name, not a listing of the whole zone (Route53 allows 5 requests/s per account).
 */
export class RecordSetCache {
  private zones?: Promise<HostedZone[]>;
  private readonly records = new Map<string, Promise<ResourceRecordSet[]>>();

  constructor(private readonly session: AwsSession) {}

  hostedZones(): Promise<HostedZone[]> {
    // Same shape as the SDK's (callers read Id and Name); the ids come without the /hostedzone/ prefix.
    this.zones ??= listHostedZones(this.session).then((zones) =>
      zones.map((z) => ({ Id: z.id, Name: z.name, CallerReference: '' })),
    );
    return this.zones;
  }

  /** The zone of a record: the longest zone name that is a whole-label suffix of it. */
  async zoneOf(recordName: string): Promise<HostedZone | undefined> {
    return longestZones(await this.hostedZones(), recordName, (z) => z.Name ?? '')[0];
  }

  /** The record sets of exactly `recordName` in a zone (names compared unescaped, without case). */
  recordSetsNamed(zoneId: string, recordName: string): Promise<ResourceRecordSet[]> {
    const fqdn = normalizeDnsName(recordName);
    const key = `${zoneId} ${fqdn}`;
    let p = this.records.get(key);
    if (!p) {
      const named = (n: string | undefined) => n !== undefined && normalizeDnsName(unescapeRoute53(n)) === fqdn;
      p = awsItems({
        fetch: (start: RecordStart | undefined) =>
          this.session.send<ListResourceRecordSetsCommandOutput>(
            'route53',
            new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...(start ?? { StartRecordName: fqdn }) }),
            `${zoneId} ${fqdn}`,
          ),
        // Records come sorted by name: the next page is only read while it still holds this name.
        next: (page) => {
          const start = nextRecordStart(page);
          return start && named(start.StartRecordName) ? start : undefined;
        },
        items: (page) => page.ResourceRecordSets,
      }).then((records) => records.filter((r) => named(r.Name)));
      this.records.set(key, p);
    }
    return p;
  }

  /** The record of that name belonging to the stack (its SetIdentifier), else the one without identifier. */
  async recordFor(recordName: string, stackName: string): Promise<ResourceRecordSet | undefined> {
    const zone = await this.zoneOf(recordName);
    if (!zone?.Id) return undefined;
    const named = await this.recordSetsNamed(zone.Id, recordName);
    return named.find((r) => r.SetIdentifier === stackName) ?? named.find((r) => r.SetIdentifier === undefined);
  }
}

/** `a,b` for plain records, the alias target's DNS name for aliases. */
export function recordValue(record: ResourceRecordSet): string | null {
  if (record.ResourceRecords?.length) return record.ResourceRecords.map((r) => r.Value ?? '').join(',');
  return record.AliasTarget?.DNSName ?? null;
}

/**
 * `senza domains` rows: the Route53 records behind each stack's RecordSet resources, ordered by
 * (name, version); a stack's records keep CloudFormation's order.
 */
export async function domainRows(cache: RecordSetCache, all: StackResources[]): Promise<DomainRow[]> {
  const rows: DomainRow[] = [];
  for (const { stack, resources } of all) {
    if (stack.status === 'ROLLBACK_COMPLETE') continue;
    for (const res of resources) {
      if (res.ResourceType !== 'AWS::Route53::RecordSet' || !res.PhysicalResourceId) continue;
      const record = await cache.recordFor(res.PhysicalResourceId, stack.stackName);
      if (!record) continue;
      rows.push({
        stack_name: stack.name,
        version: stack.version,
        resource_id: res.LogicalResourceId ?? '',
        domain: withoutDot(res.PhysicalResourceId),
        weight: record.Weight === undefined ? '' : String(record.Weight),
        type: record.Type ?? null,
        value: recordValue(record),
        create_time: epochSeconds(res.LastUpdatedTimestamp),
      });
    }
  }
  return rows.sort(
    byStringKeys(
      (r) => r.stack_name,
      (r) => r.version,
    ),
  );
}
