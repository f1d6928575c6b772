import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { AwsSession } from '../../aws/aws-session.js';
import { partitionOf } from '../../aws/partition.js';
import type { InitResource } from './init-templates.js';

const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** The resources of a `senza init` template that the account does not have yet. */
export async function missingInitResources(session: AwsSession, resources: InitResource[]): Promise<InitResource[]> {
  const groups = resources.filter((r) => r.kind === 'securityGroup').map((r) => r.name);
  const existing = new Set<string>();
  if (groups.length > 0) {
    const out = await session.send(
      'ec2',
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: groups }] }),
    );
    for (const g of out.SecurityGroups ?? []) existing.add(`sg:${g.GroupName}`);
  }
  await Promise.all(
    resources
      .filter((r) => r.kind === 'iamRole')
      .map(async (r) => {
        try {
          await session.send('iam', new GetRoleCommand({ RoleName: r.name }), r.name);
          existing.add(`role:${r.name}`);
        } catch (e) {
          if (
            (e as { awsCode?: string }).awsCode !== 'NoSuchEntity' &&
            (e as { awsCode?: string }).awsCode !== 'NoSuchEntityException'
          )
            throw e;
        }
      }),
  );
  return resources.filter((r) => !existing.has(r.kind === 'securityGroup' ? `sg:${r.name}` : `role:${r.name}`));
}

/** Creates security groups (in the VPC) and IAM roles for a new definition. */
export async function createInitResources(
  session: AwsSession,
  resources: InitResource[],
  vpcId: string,
): Promise<void> {
  for (const r of resources) {
    if (r.kind === 'securityGroup') {
      const created = await session.send(
        'ec2',
        new CreateSecurityGroupCommand({
          GroupName: r.name,
          Description: `Application security group (${r.name})`,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: r.name }] }],
        }),
        r.name,
      );
      const permissions = r.tcpPorts.map((p) => ({
        IpProtocol: 'tcp',
        FromPort: p,
        ToPort: p,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      }));
      if (r.allowSelf)
        permissions.push({ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: created.GroupId }] } as never);
      await session.send(
        'ec2',
        new AuthorizeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: permissions }),
        r.name,
      );
    } else {
      await session.send(
        'iam',
        new CreateRoleCommand({ RoleName: r.name, Path: '/', AssumeRolePolicyDocument: JSON.stringify(EC2_TRUST) }),
        r.name,
      );
      if (r.mintBucket) {
        const policy = mintReadPolicy(r.mintBucket, r.applicationId, session.region);
        await session.send(
          'iam',
          new PutRolePolicyCommand({
            RoleName: r.name,
            PolicyName: r.name,
            PolicyDocument: JSON.stringify(policy),
          }),
          r.name,
        );
      }
    }
  }
}

/** The role's read access to its application's folder of the mint bucket (the ARN in the region's partition). */
export function mintReadPolicy(bucket: string, applicationId: string, region: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowMintRead',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`arn:${partitionOf(region)}:s3:::${bucket}/${applicationId}/*`],
      },
    ],
  };
}
