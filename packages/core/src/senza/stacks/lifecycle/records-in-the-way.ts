import type { AwsSession } from '../../../aws/aws-session.js';
import { normalizeDnsName } from '../../../aws/dns-names.js';
import { listHostedZones, zonesForName } from '../../../aws/hosted-zones.js';
import { describeRecord, recordsOfStack } from '../../traffic/leftover-records.js';
import { listRecordsNamed } from '../../traffic/route53-records.js';
import { splitStackName } from '../stack-ref.js';
import { weightedRecordSets } from './deployed-records.js';

/** A Route53 record that would make the new stack's RecordSet fail ("already exists"). */
export interface RecordInTheWay {
  /** `left`: a weighted record with this version's SetIdentifier; `taken`: the version domain's name. */
  kind: 'left' | 'taken';
  /** Fully qualified, with the trailing dot. */
  name: string;
  type: string;
  zoneId: string;
  zoneName: string;
  /** Weighted records: this version's SetIdentifier and the weight it has. */
  setIdentifier?: string;
  weight?: number;
  /** `name (SetIdentifier X, weight W, zone Z)` or `name (type T, zone Z)`. */
  described: string;
  /** How to remove it. */
  removal: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The template's RecordSets without SetIdentifier (the version domain): name, type and zone. */
function plainRecordSets(template: { Resources?: unknown }): { name: string; type: string; zone?: string }[] {
  const resources = isObject(template.Resources) ? template.Resources : {};
  return Object.values(resources).flatMap((r) => {
    if (!isObject(r) || r.Type !== 'AWS::Route53::RecordSet' || !isObject(r.Properties)) return [];
    const p = r.Properties;
    if (p.SetIdentifier !== undefined || typeof p.Name !== 'string' || typeof p.Type !== 'string') return [];
    return [{ name: p.Name, type: p.Type, zone: typeof p.HostedZoneName === 'string' ? p.HostedZoneName : undefined }];
  });
}

/**
 * The records in the way of creating `stackName` (one home: `senza create` refuses them, `--preflight`
 * reports them): a weighted record of the template's domains with this version's SetIdentifier, which an
 * earlier stack of that name left behind (CloudFormation reports its deletion as success when Route53
 * rejects it, senza#184), and a record of the version domain's name that Route53 would not let the new
 * one join (same type, or a CNAME on either side: RFC 1034 §3.6.2). Creating the RecordSet would fail
 * ("already exists", senza#268). The caller decides whether an existing stack owns them.
 */
export async function recordsInTheWay(
  session: AwsSession,
  compiled: { stackName: string; template: { Resources?: unknown } },
): Promise<RecordInTheWay[]> {
  const { stackName, template } = compiled;
  const { name: family } = splitStackName(stackName);
  const weightedNames = weightedRecordSets(template)
    .filter((r) => r.setIdentifier === stackName && typeof r.properties.Name === 'string')
    .map((r) => r.properties.Name as string);
  const out: RecordInTheWay[] = (await recordsOfStack(session, stackName, weightedNames)).map((r) => ({
    kind: 'left' as const,
    name: r.name,
    type: r.type,
    zoneId: r.zoneId,
    zoneName: r.zoneName,
    setIdentifier: r.setIdentifier,
    weight: r.weight,
    described: describeRecord(r),
    removal: `A traffic switch of ${family} removes records of deleted versions (senza traffic ${family} VERSION PERCENTAGE), or delete that record in hosted zone ${r.zoneId}`,
  }));
  const plain = plainRecordSets(template);
  if (plain.length === 0) return out;
  const zones = await listHostedZones(session);
  for (const wanted of plain) {
    const fqdn = normalizeDnsName(wanted.name);
    const candidates = zonesForName(zones, fqdn).filter(
      (z) => !wanted.zone || normalizeDnsName(z.name) === normalizeDnsName(wanted.zone),
    );
    for (const zone of candidates) {
      for (const r of await listRecordsNamed(session, zone, fqdn)) {
        if (r.Type !== wanted.type && r.Type !== 'CNAME' && wanted.type !== 'CNAME') continue;
        out.push({
          kind: 'taken',
          name: fqdn,
          type: r.Type ?? '',
          zoneId: zone.id,
          zoneName: zone.name,
          ...(r.SetIdentifier !== undefined ? { setIdentifier: r.SetIdentifier, weight: r.Weight ?? 0 } : {}),
          described: `${fqdn} (type ${r.Type}${r.SetIdentifier !== undefined ? `, SetIdentifier ${r.SetIdentifier}` : ''}, zone ${zone.name})`,
          removal: `Delete that record in hosted zone ${zone.name} (${zone.id}) (the Route53 console, or \`aws route53 change-resource-record-sets --hosted-zone-id ${zone.id}\` with a DELETE of it), or deploy another version`,
        });
      }
    }
  }
  return out;
}
