import type { DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../aws/aws-session.js';
import type { HostedZoneRef } from '../../aws/hosted-zones.js';
import { awsPages } from '../../aws/pages.js';
import { UsageError } from '../../errors.js';
import { listStackResources } from '../stacks/read/stack-resources.js';
import { matchesRef, splitStackName } from '../stacks/stack-ref.js';
import { normalizeDnsName, type WeightedRecord, weightedRecordsByName } from './route53-records.js';
import type { DomainWeights, TrafficVersion } from './traffic-plan.js';

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

/** The resources of one stack (ListStackResources, every page), reduced to its main domains. */
export async function stackMainDomains(session: AwsSession, stackName: string): Promise<MainDomainResource[]> {
  return mainDomainResources(await listStackResources(session, stackName));
}

/**
 * The live weights of one stack's own weighted main-domain records (SetIdentifier = stack name), read
 * from Route53, not from the template: `senza traffic` keeps weights in Route53 only. Used by
 * `senza delete` (refuse a stack that has traffic) and `senza update` (carry the weights over).
 * A domain without a record of the stack yields no entry. Calls: ListStackResources (every page), ListHostedZones,
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

/** A CloudFormation stack of the family `<name>-*`. */
export interface StackVersionInfo {
  stackName: string;
  name: string;
  version: string;
  /** `SetIdentifier` of its weighted records: the stack name. */
  identifier: string;
  status: string;
  notificationArns: string[];
  creationTime: Date;
}

/** Stacks in these states own no records: their versions are no targets, their records count as foreign. */
export const FAILED_STATUSES = new Set(['ROLLBACK_COMPLETE', 'CREATE_FAILED']);

/**
 * Every live stack whose name part fully matches `name` (a regular expression, like every STACK_REF),
 * newest first. One paginated DescribeStacks for the whole family: status, tags and notification ARNs
 * in one go, instead of ListStacks plus a DescribeStacks per version.
 */
export async function describeStackFamily(session: AwsSession, name: string): Promise<StackVersionInfo[]> {
  const out: StackVersionInfo[] = [];
  const pages = awsPages({
    fetch: (NextToken) =>
      session.send<DescribeStacksCommandOutput>('cloudformation', new DescribeStacksCommand({ NextToken })),
    next: (page) => page.NextToken,
  });
  for await (const page of pages) {
    for (const s of page.Stacks ?? []) {
      if (!s.StackName || s.StackStatus === 'DELETE_COMPLETE' || !matchesRef(s.StackName, { name })) continue;
      const split = splitStackName(s.StackName);
      const tag = (key: string) => s.Tags?.find((t) => t.Key === key)?.Value;
      out.push({
        stackName: s.StackName,
        name: split.name,
        version: tag('StackVersion') ?? split.version,
        identifier: s.StackName,
        status: s.StackStatus ?? '',
        notificationArns: s.NotificationARNs ?? [],
        creationTime: s.CreationTime ?? new Date(0),
      });
    }
  }
  return out.sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime());
}

/** Versions that take part in the plan (failed stacks left out, as in the original). */
export function usableVersions(family: StackVersionInfo[]): StackVersionInfo[] {
  return family.filter((s) => !FAILED_STATUSES.has(s.status));
}

/**
 * The version the command is about: the given one, or the newest usable one. Errors (exit 2) as in
 * the original, plus one for a name pattern that matches several applications.
 */
export function selectTarget(family: StackVersionInfo[], name: string, version?: string): StackVersionInfo {
  const names = [...new Set(family.map((s) => s.name))];
  if (names.length > 1) {
    throw new UsageError(`Stack name "${name}" matches several stacks: ${names.sort().join(', ')}`, {
      code: 'senza.traffic-ambiguous',
      hint: 'Give the exact stack name.',
    });
  }
  const usable = usableVersions(family);
  // No stack of the name at all says so even when a version was given: the name is what is wrong.
  if (family.length === 0 || (version === undefined && usable.length === 0)) {
    throw new UsageError(`No stack version of "${name}" found`, { code: 'senza.traffic-no-version' });
  }
  if (version === undefined) return usable[0];
  const found = usable.find((s) => s.version === version);
  if (!found) {
    const failed = family.find((s) => s.version === version);
    throw new UsageError(`Stack version ${version} not found`, {
      code: 'senza.traffic-version-not-found',
      hint: failed ? `${failed.stackName} is ${failed.status}: a failed stack cannot get traffic.` : undefined,
    });
  }
  return found;
}

/** A load balancer resource of a stack, for the health check before shifting traffic to it. */
export interface LoadBalancerResource {
  kind: 'elb' | 'target-group';
  /** Classic ELB name or target group ARN. */
  id: string;
}

/** Everything `senza traffic` reads before planning. */
export interface TrafficState {
  name: string;
  family: StackVersionInfo[];
  versions: TrafficVersion[];
  target: StackVersionInfo;
  mainDomains: MainDomainResource[];
  loadBalancers: LoadBalancerResource[];
  /** Live weights per main domain of the target, in the target's resource order. */
  domains: DomainWeights[];
  /** The records behind `domains`, keyed by domain, for applying. */
  records: Map<string, WeightedRecord[]>;
}

/**
 * Reads the state: the family (given, e.g. from a wait, or described now), the target's resources
 * (main domains and load balancers, ListStackResources, every page) and the live weights of all its main
 * domains (one ListHostedZones, one ListResourceRecordSets per domain).
 */
export async function readTrafficState(
  session: AwsSession,
  name: string,
  version: string | undefined,
  family?: StackVersionInfo[],
): Promise<TrafficState> {
  const stacks = family ?? (await describeStackFamily(session, name));
  const target = selectTarget(stacks, name, version);
  // Every page: DescribeStackResources would stop at 100 resources.
  const resources = await listStackResources(session, target.stackName);
  const mainDomains = mainDomainResources(resources);
  if (mainDomains.length === 0) {
    throw new UsageError(`Stack ${target.name} version ${target.version} has no domain`, {
      code: 'senza.traffic-no-domain',
    });
  }
  const loadBalancers: LoadBalancerResource[] = resources.flatMap((r): LoadBalancerResource[] => {
    if (!r.PhysicalResourceId) return [];
    if (r.ResourceType === 'AWS::ElasticLoadBalancing::LoadBalancer')
      return [{ kind: 'elb', id: r.PhysicalResourceId }];
    if (r.ResourceType === 'AWS::ElasticLoadBalancingV2::TargetGroup')
      return [{ kind: 'target-group', id: r.PhysicalResourceId }];
    return [];
  });
  const names = [...new Set(mainDomains.map((d) => d.name))];
  const records = await weightedRecordsByName(session, names);
  return {
    name: target.name,
    family: stacks,
    versions: usableVersions(stacks).map((s) => ({ identifier: s.identifier, version: s.version })),
    target,
    mainDomains,
    loadBalancers,
    domains: names.map((domain) => ({
      domain,
      weights: (records.get(domain) ?? []).map((r) => ({ identifier: r.setIdentifier, weight: r.weight })),
    })),
    records,
  };
}
