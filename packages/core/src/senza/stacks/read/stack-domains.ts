import type { HostedZone, ListResourceRecordSetsCommandOutput, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../../../aws/aws-session.js';
import { longestZones, withDot, withoutDot } from '../../../aws/dns-names.js';
import { awsItems, nextRecordStart, type RecordStart } from '../../../aws/pages.js';
import { listHostedZones } from '../../hosted-zones.js';
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

/** Route53 record sets, listed once per hosted zone (every page) and reused for every stack. */
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

  recordSets(zoneId: string): Promise<ResourceRecordSet[]> {
    let p = this.records.get(zoneId);
    if (!p) {
      p = awsItems({
        fetch: (start: RecordStart | undefined) =>
          this.session.send<ListResourceRecordSetsCommandOutput>(
            'route53',
            new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start }),
            zoneId,
          ),
        next: nextRecordStart,
        items: (page) => page.ResourceRecordSets,
      });
      this.records.set(zoneId, p);
    }
    return p;
  }

  /** The record of that name belonging to the stack (its SetIdentifier), else the one without identifier. */
  async recordFor(recordName: string, stackName: string): Promise<ResourceRecordSet | undefined> {
    const zone = await this.zoneOf(recordName);
    if (!zone?.Id) return undefined;
    const name = withDot(recordName).toLowerCase();
    const named = (await this.recordSets(zone.Id)).filter((r) => withDot(r.Name ?? '').toLowerCase() === name);
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
