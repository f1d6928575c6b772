import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../../../aws/aws-session.js';
import { withoutDot } from '../../../aws/dns-names.js';
import { RecordSetCache } from './stack-domains.js';

/** `piu request-access` argument lists for `senza instances --piu`: `--connect` only for a single host. */
export function piuCommands(privateIps: string[], reason: string, oddHost: string | undefined): string[][] {
  return privateIps.map((ip) => [
    'request-access',
    ip,
    `${reason} via senza`,
    ...(privateIps.length === 1 ? ['--connect'] : []),
    ...(oddHost ? ['-O', oddHost] : []),
  ]);
}

/**
 * The Odd SSH bastion: the first record named `odd-<region>.<zone>` in any hosted zone; one
 * ListResourceRecordSets per zone, starting at that name.
 */
export async function findOddHost(
  session: AwsSession,
  cache = new RecordSetCache(session),
): Promise<string | undefined> {
  for (const zone of await cache.hostedZones()) {
    if (!zone.Id || !zone.Name) continue;
    const wanted = `odd-${session.region}.${zone.Name}`.toLowerCase();
    const page = await session.send(
      'route53',
      new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id, StartRecordName: wanted, MaxItems: 1 }),
      zone.Id,
    );
    const record = page.ResourceRecordSets?.[0];
    if (record?.Name && record.Name.toLowerCase() === wanted) return withoutDot(record.Name);
  }
  return undefined;
}
