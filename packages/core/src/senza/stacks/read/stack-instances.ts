import type { Filter, Instance } from '@aws-sdk/client-ec2';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import { parse } from 'yaml';
import type { AwsSession } from '../../../aws/aws-session.js';
import { awsItems } from '../../../aws/pages.js';
import { matchesAnyRef, type StackRef } from '../stack-ref.js';
import { fetchHealthByName, type InstanceHealth } from './instance-health.js';
import { byStringKeys, epochSeconds } from './stack-tables.js';

/** A row of `senza instances`. */
export interface InstanceRow {
  stack_name: string;
  version: string;
  resource_id: string;
  instance_id: string;
  public_ip: string | null;
  private_ip: string | null;
  state: string;
  lb_status: string | null;
  docker_source?: string | null;
  launch_time: number | null;
}

export interface InstanceQuery {
  /** Also instances without a `Name` tag. */
  all?: boolean;
  /** Also terminated instances. */
  terminated?: boolean;
}

const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

export function tagValue(instance: Instance, key: string): string | undefined {
  return instance.Tags?.find((t) => t.Key === key)?.Value;
}

/** EC2 instances, every page, with the filters `senza instances` uses. */
export async function describeInstances(session: AwsSession, filters: Filter[]): Promise<Instance[]> {
  return awsItems({
    fetch: (NextToken) =>
      session.send<DescribeInstancesCommandOutput>(
        'ec2',
        new DescribeInstancesCommand({ Filters: filters.length ? filters : undefined, NextToken }),
      ),
    next: (page) => page.NextToken,
    items: (page) => (page.Reservations ?? []).flatMap((r) => r.Instances ?? []),
  });
}

export function instanceFilters(query: InstanceQuery): Filter[] {
  const filters: Filter[] = [];
  if (!query.all) filters.push({ Name: 'tag-key', Values: ['Name'] });
  if (!query.terminated) filters.push({ Name: 'instance-state-name', Values: LIVE_STATES });
  return filters;
}

/** Instances whose `Name` tag (the CloudFormation stack name) matches the refs; all without refs. */
export async function fetchStackInstances(
  session: AwsSession,
  refs: StackRef[],
  query: InstanceQuery = {},
): Promise<Instance[]> {
  const instances = await describeInstances(session, instanceFilters(query));
  return instances.filter((i) => {
    const name = tagValue(i, 'Name');
    return refs.length === 0 || (name !== undefined && matchesAnyRef(name, refs));
  });
}

/** LB health of the given instances, looked up once per stack (`Name` tag). */
export function fetchHealthOfInstances(session: AwsSession, instances: Instance[]) {
  return fetchHealthByName(
    session,
    instances.map((i) => tagValue(i, 'Name') ?? ''),
  );
}

/** `running` → `RUNNING`, `shutting-down` → `SHUTTING_DOWN`. */
export function instanceState(instance: Instance): string {
  return (instance.State?.Name ?? '').toUpperCase().replaceAll('-', '_');
}

/** `senza instances` rows ordered by (stack name, version, instance id). */
export function instanceRows(
  instances: Instance[],
  health: Map<string, InstanceHealth>,
  dockerSources?: Map<string, string | null>,
): InstanceRow[] {
  return instances
    .map((i) => {
      const id = i.InstanceId ?? '';
      const row: InstanceRow = {
        stack_name: tagValue(i, 'StackName') ?? '',
        version: tagValue(i, 'StackVersion') ?? '',
        resource_id: tagValue(i, 'aws:cloudformation:logical-id') ?? '',
        instance_id: id,
        public_ip: i.PublicIpAddress ?? null,
        private_ip: i.PrivateIpAddress ?? null,
        state: instanceState(i),
        lb_status: health.get(tagValue(i, 'Name') ?? '')?.get(id) ?? null,
        launch_time: epochSeconds(i.LaunchTime),
      };
      if (dockerSources) row.docker_source = dockerSources.get(id) ?? null;
      return row;
    })
    .sort(
      byStringKeys(
        (r) => r.stack_name,
        (r) => r.version,
        (r) => r.instance_id,
      ),
    );
}

/** The `source` of Taupage user data (base64 of YAML), or null when it is no such document. */
export function dockerSourceOf(userDataBase64: string | undefined): string | null {
  if (!userDataBase64) return null;
  try {
    const doc = parse(Buffer.from(userDataBase64, 'base64').toString('utf8'));
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'source' in doc) {
      const source = (doc as Record<string, unknown>).source;
      return source === null || source === undefined ? null : String(source);
    }
  } catch {
    // not YAML: no image to show
  }
  return null;
}

/** Docker image of each instance from its user data; EC2 has no batch call for this attribute. */
export async function fetchDockerSources(
  session: AwsSession,
  instances: Instance[],
): Promise<Map<string, string | null>> {
  const entries = await Promise.all(
    instances.map(async (i) => {
      const id = i.InstanceId ?? '';
      const attr = await session.send(
        'ec2',
        new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }),
        id,
      );
      return [id, dockerSourceOf(attr.UserData?.Value)] as const;
    }),
  );
  return new Map(entries);
}
