import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../aws/aws-session.js';
import { withoutDot } from '../aws/dns-names.js';
import { listHostedZones } from '../aws/hosted-zones.js';

/**
 * The Odd SSH bastion of the account and region: the first A record named `odd-<region>.<zone>` in any
 * hosted zone (piu's autodetection, ported from `senza --piu`); one ListResourceRecordSets per zone,
 * starting at that name. Without the trailing dot.
 */
export async function findOddHost(session: AwsSession): Promise<string | undefined> {
  for (const zone of await listHostedZones(session)) {
    const wanted = `odd-${session.region}.${zone.name}`;
    const page = await session.send(
      'route53',
      new ListResourceRecordSetsCommand({ HostedZoneId: zone.id, StartRecordName: wanted, MaxItems: 1 }),
      zone.id,
    );
    const record = page.ResourceRecordSets?.[0];
    if (record?.Name && record.Name.toLowerCase() === wanted) return withoutDot(record.Name);
  }
  return undefined;
}
