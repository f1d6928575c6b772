import type { ListResourceRecordSetsCommandOutput, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../../aws/aws-session.js';
import { normalizeDnsName, unescapeRoute53 } from '../../aws/dns-names.js';
import { type HostedZoneRef, listHostedZones, zonesForName } from '../../aws/hosted-zones.js';
import { awsPages, nextRecordStart, type RecordStart } from '../../aws/pages.js';

export { normalizeDnsName } from '../../aws/dns-names.js';

/** A weighted record of a main domain, as Route53 holds it now. */
export interface WeightedRecord {
  /** Hosted zone id without the `/hostedzone/` prefix. */
  zoneId: string;
  zoneName: string;
  /** Fully qualified, lower case, with the trailing dot. */
  name: string;
  type: string;
  setIdentifier: string;
  weight: number;
  /** The whole record, so that a change can UPSERT it with only the weight changed. */
  record: ResourceRecordSet;
}

const WEIGHTED_TYPES = new Set(['A', 'AAAA', 'CNAME']);

/**
 * Every record of exactly `name` in one zone: ListResourceRecordSets started at the name, following
 * pages only while they still hold that name.
 */
export async function listRecordsNamed(
  session: AwsSession,
  zone: HostedZoneRef,
  name: string,
): Promise<ResourceRecordSet[]> {
  const fqdn = normalizeDnsName(name);
  const out: ResourceRecordSet[] = [];
  const pages = awsPages({
    fetch: (start: RecordStart | undefined) =>
      session.send<ListResourceRecordSetsCommandOutput>(
        'route53',
        new ListResourceRecordSetsCommand({ HostedZoneId: zone.id, ...(start ?? { StartRecordName: fqdn }) }),
        `${zone.name} ${fqdn}`,
      ),
    // Records are sorted by name: the next page is only read while it still holds this name.
    next: (page) => {
      const start = nextRecordStart(page);
      const name = start && normalizeDnsName(unescapeRoute53(start.StartRecordName));
      return name === fqdn ? start : undefined;
    },
  });
  for await (const page of pages) {
    for (const r of page.ResourceRecordSets ?? []) {
      if (r.Name && normalizeDnsName(unescapeRoute53(r.Name)) === fqdn) out.push(r);
    }
  }
  return out;
}

/** The weighted A/AAAA/CNAME records of exactly `name` in one zone. */
export async function listWeightedRecords(
  session: AwsSession,
  zone: HostedZoneRef,
  name: string,
): Promise<WeightedRecord[]> {
  const fqdn = normalizeDnsName(name);
  return (await listRecordsNamed(session, zone, name)).flatMap((r) =>
    r.Type && WEIGHTED_TYPES.has(r.Type) && r.SetIdentifier !== undefined
      ? [
          {
            zoneId: zone.id,
            zoneName: zone.name,
            name: fqdn,
            type: r.Type,
            setIdentifier: r.SetIdentifier,
            weight: r.Weight ?? 0,
            record: r,
          },
        ]
      : [],
  );
}

/**
 * Weighted records of several names, each zone looked up once. `zones` is fetched when not given.
 * Result keyed by normalized name.
 */
export async function weightedRecordsByName(
  session: AwsSession,
  names: string[],
  zones?: HostedZoneRef[],
): Promise<Map<string, WeightedRecord[]>> {
  const unique = [...new Set(names.map(normalizeDnsName))];
  const result = new Map<string, WeightedRecord[]>();
  if (unique.length === 0) return result;
  const allZones = zones ?? (await listHostedZones(session));
  await Promise.all(
    unique.map(async (name) => {
      const perZone = await Promise.all(zonesForName(allZones, name).map((z) => listWeightedRecords(session, z, name)));
      result.set(name, perZone.flat());
    }),
  );
  return result;
}
