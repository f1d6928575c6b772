import { ListHostedZonesCommand, type ListHostedZonesCommandOutput } from '@aws-sdk/client-route-53';
import type { AwsSession } from './aws-session.js';
import { longestZones, normalizeDnsName } from './dns-names.js';
import { awsItems } from './pages.js';

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
  const zones = await awsItems({
    fetch: (Marker) => session.send<ListHostedZonesCommandOutput>('route53', new ListHostedZonesCommand({ Marker })),
    next: (page) => (page.IsTruncated ? page.NextMarker : undefined),
    items: (page) => page.HostedZones,
  });
  return zones.flatMap((z) => (z.Id && z.Name ? [{ id: bareZoneId(z.Id), name: normalizeDnsName(z.Name) }] : []));
}

/**
 * The zones that hold a name: those with the longest name that is a suffix of it (the original took
 * the first suffix match, so `zo.ne` could win over `app.zo.ne`). A public and a private zone of the
 * same name are both returned.
 */
export function zonesForName(zones: HostedZoneRef[], name: string): HostedZoneRef[] {
  return longestZones(zones, normalizeDnsName(name), (z) => z.name);
}
