import type { AwsSession } from '../../aws/aws-session.js';
import { sdk } from '../../aws/sdk-modules.js';
import { type HostedZoneRef, normalizeDnsName, type WeightedRecord, weightedRecordsByName } from './route53-records.js';

/** A main-domain RecordSet resource of a stack (logical id without "version"). */
export interface MainDomainResource {
  logicalId: string;
  /** Normalized: lower case with the trailing dot. */
  name: string;
}

/** One weighted record of a stack's own main domain, with its live weight. */
export interface StackWeight {
  /** Logical id of the RecordSet in the stack's template (e.g. `AppLoadBalancerMainDomain`). */
  logicalId: string;
  /** The domain, lower case with the trailing dot. */
  domain: string;
  zoneId: string;
  type: string;
  setIdentifier: string;
  /** Route53 weight in half-percent units (200 = 100 %). */
  weight: number;
}

/** Main-domain RecordSets among a stack's resources (the version domain's logical id contains "version"). */
export function mainDomainResources(
  resources: { LogicalResourceId?: string; PhysicalResourceId?: string; ResourceType?: string }[],
): MainDomainResource[] {
  return resources
    .filter(
      (r) =>
        r.ResourceType === 'AWS::Route53::RecordSet' &&
        r.LogicalResourceId &&
        r.PhysicalResourceId &&
        !/version/i.test(r.LogicalResourceId),
    )
    .map((r) => ({ logicalId: r.LogicalResourceId as string, name: normalizeDnsName(r.PhysicalResourceId as string) }));
}

/** DescribeStackResources of one stack, reduced to its main domains. */
export async function stackMainDomains(session: AwsSession, stackName: string): Promise<MainDomainResource[]> {
  const { DescribeStackResourcesCommand } = sdk.cloudformation();
  const out = await session.send(
    'cloudformation',
    new DescribeStackResourcesCommand({ StackName: stackName }),
    stackName,
  );
  return mainDomainResources(out.StackResources ?? []);
}

/**
 * The live weights of one stack's own weighted main-domain records (SetIdentifier = stack name), read
 * from Route53, not from the template: `senza traffic` keeps weights in Route53 only. Used by
 * `senza delete` (refuse a stack that has traffic) and `senza update` (carry the weights over).
 * A domain without a record of the stack yields no entry. Calls: DescribeStackResources, ListHostedZones,
 * one ListResourceRecordSets per domain.
 */
export async function liveStackWeights(
  session: AwsSession,
  stackName: string,
  options: { zones?: HostedZoneRef[] } = {},
): Promise<StackWeight[]> {
  const domains = await stackMainDomains(session, stackName);
  if (domains.length === 0) return [];
  const records = await weightedRecordsByName(
    session,
    domains.map((d) => d.name),
    options.zones,
  );
  const out: StackWeight[] = [];
  for (const d of domains) {
    for (const r of records.get(d.name) ?? []) {
      if (r.setIdentifier !== stackName) continue;
      out.push({
        logicalId: d.logicalId,
        domain: d.name,
        zoneId: r.zoneId,
        type: r.type,
        setIdentifier: r.setIdentifier,
        weight: r.weight,
      });
    }
  }
  return out;
}

/** True when any of the stack's own main-domain records has a weight above 0. */
export function hasTraffic(weights: StackWeight[]): boolean {
  return weights.some((w) => w.weight > 0);
}

export type { WeightedRecord };
