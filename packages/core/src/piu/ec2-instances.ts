import type { Instance } from '@aws-sdk/client-ec2';
import { DescribeInstancesCommand, type DescribeInstancesCommandOutput } from '@aws-sdk/client-ec2';
import type { AwsSession } from '../aws/aws-session.js';
import { awsItems } from '../aws/pages.js';

/**
 * The EC2 lookups piu makes: whether a private IP belongs to a running instance (`--check`), the
 * running instances of a stack to pick from (`--interactive`), and the instances EC2 Instance Connect
 * pushes a key to (the bastion by public IP, the target by private IP).
 */
/** The private network of STUPS accounts: targets inside it are checked against EC2 and reached via odd. */
export const STUPS_CIDR = '172.31.0.0/16';

export function inStupsCidr(host: string): boolean {
  const m = /^172\.31\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return Boolean(m && Number(m[1]) < 256 && Number(m[2]) < 256);
}

async function runningInstances(session: AwsSession, filters: { Name: string; Values: string[] }[]) {
  return awsItems({
    fetch: (NextToken) =>
      session.send<DescribeInstancesCommandOutput>(
        'ec2',
        new DescribeInstancesCommand({
          Filters: [{ Name: 'instance-state-name', Values: ['running'] }, ...filters],
          NextToken,
        }),
      ),
    next: (page) => page.NextToken,
    items: (page) => (page.Reservations ?? []).flatMap((r) => r.Instances ?? []),
  });
}

/**
 * By the instance's primary private IP (`private-ip-address`; piu used the ENI filter, which also
 * matches secondary addresses; moto knows only this one, and STUPS instances have one address).
 */
export function findInstanceByPrivateIp(session: AwsSession, ip: string): Promise<Instance | undefined> {
  return runningInstances(session, [{ Name: 'private-ip-address', Values: [ip] }]).then((list) => list[0]);
}

export function findInstanceByPublicIp(session: AwsSession, ip: string): Promise<Instance | undefined> {
  return runningInstances(session, [{ Name: 'ip-address', Values: [ip] }]).then((list) => list[0]);
}

/** A running instance of a stack, as `--interactive` lists it. */
export interface StackInstance {
  name: string;
  stack_name: string;
  stack_version: string;
  private_ip: string;
  instance_id: string;
}

function tag(instance: Instance, key: string): string | undefined {
  return instance.Tags?.find((t) => t.Key === key)?.Value;
}

/** Running instances tagged Name, StackName and StackVersion, sorted by stack name and version. */
export async function listStackInstances(session: AwsSession): Promise<StackInstance[]> {
  const instances = await runningInstances(session, [{ Name: 'tag-key', Values: ['StackName'] }]);
  const rows: StackInstance[] = [];
  for (const i of instances) {
    const name = tag(i, 'Name');
    const stackName = tag(i, 'StackName');
    const stackVersion = tag(i, 'StackVersion');
    if (!name || !stackName || !stackVersion || !i.PrivateIpAddress || !i.InstanceId) continue;
    rows.push({
      name,
      stack_name: stackName,
      stack_version: stackVersion,
      private_ip: i.PrivateIpAddress,
      instance_id: i.InstanceId,
    });
  }
  return rows.sort((a, b) =>
    a.stack_name === b.stack_name
      ? a.stack_version.localeCompare(b.stack_version)
      : a.stack_name.localeCompare(b.stack_name),
  );
}
