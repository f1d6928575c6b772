import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../aws/aws-session.js';
import { longestZones, normalizeDnsName } from '../aws/dns-names.js';

/** The one reader of the account's Route53 hosted zones (account facts, traffic, domains, piu). */
export interface HostedZoneRef {
  id: string;
  name: string;
}

function bareZoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}

/** Every hosted zone of the account (paginated; one call for most accounts). */
export async function listHostedZones(session: AwsSession): Promise<HostedZoneRef[]> {
  const zones: HostedZoneRef[] = [];
  let marker: string | undefined;
  do {
    const page = await session.send('route53', new ListHostedZonesCommand({ Marker: marker }));
    for (const z of page.HostedZones ?? []) {
      if (z.Id && z.Name) zones.push({ id: bareZoneId(z.Id), name: normalizeDnsName(z.Name) });
    }
    marker = page.IsTruncated ? page.NextMarker : undefined;
  } while (marker);
  return zones;
}

/**
 * The zones that hold a name: those with the longest name that is a suffix of it (the original took
 * the first suffix match, so `zo.ne` could win over `app.zo.ne`). A public and a private zone of the
 * same name are both returned.
 */
export function zonesForName(zones: HostedZoneRef[], name: string): HostedZoneRef[] {
  return longestZones(zones, normalizeDnsName(name), (z) => z.name);
}
