import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import {
  DescribeImagesCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  GetRolePolicyCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../contract/own-process.js';
import { type MotoServer, startMoto } from './moto-server.js';
import { type SeededAccount, seedStupsAccount } from './seed-account.js';

const REGION = 'eu-central-1';

describe('seedStupsAccount', () => {
  let moto: MotoServer;
  let dir: string;
  let seeded: SeededAccount;
  const config = () => ({
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stups-seed-test-'));
    moto = await startMoto({ stateDir: dir });
    seeded = await seedStupsAccount(moto.endpoint);
  });

  afterAll(async () => {
    if (moto) {
      await moto.stop();
      expect(isRunning(moto.pid)).toBe(false);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('names the account myorg-team', async () => {
    const iam = new IAMClient(config());
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['myorg-team']);
    expect(seeded.accountId).toMatch(/^\d{12}$/);
    expect(seeded.region).toBe(REGION);
    iam.destroy();
  });

  it('keeps the default VPC with only dmz, internal and nat subnets in three zones', async () => {
    const ec2 = new EC2Client(config());
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0]).toMatchObject({ VpcId: seeded.vpcId, IsDefault: true });
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
    const names = subnets.map((s) => s.Tags?.find((t) => t.Key === 'Name')?.Value).sort();
    const expected = ['dmz', 'internal', 'nat'].flatMap((k) => ['a', 'b', 'c'].map((z) => `${k}-${REGION}${z}`));
    expect(names).toEqual(expected);
    for (const s of subnets) {
      const name = s.Tags?.find((t) => t.Key === 'Name')?.Value ?? '';
      expect(s.VpcId).toBe(seeded.vpcId);
      expect(s.AvailabilityZone).toBe(name.replace(/^[a-z]+-/, ''));
      expect(seeded.subnets[name]).toBe(s.SubnetId);
    }
    const nats = (await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [];
    expect(Object.keys(seeded.natGateways).sort()).toEqual(expected.filter((n) => n.startsWith('nat-')));
    expect(nats.map((n) => n.SubnetId).sort()).toEqual(
      Object.keys(seeded.natGateways)
        .map((n) => seeded.subnets[n])
        .sort(),
    );
    ec2.destroy();
  });

  it('registers EBS-backed Taupage AMIs that the private Taupage search finds', async () => {
    const ec2 = new EC2Client(config());
    const images =
      (
        await ec2.send(
          new DescribeImagesCommand({
            Filters: [
              { Name: 'name', Values: ['Taupage-AMI-*', 'TaupageStaging-AMI-*', 'TaupageDev-AMI-*'] },
              { Name: 'is-public', Values: ['false'] },
              { Name: 'state', Values: ['available'] },
              { Name: 'root-device-type', Values: ['ebs'] },
            ],
          }),
        )
      ).Images ?? [];
    expect(images.map((i) => i.Name).sort()).toEqual([
      'Taupage-AMI-20260101-120000',
      'Taupage-AMI-20261101-120000',
      'TaupageDev-AMI-20261101-120000',
      'TaupageStaging-AMI-20261101-120000',
    ]);
    for (const i of images) expect(seeded.amis[i.Name ?? '']).toBe(i.ImageId);
    expect(seeded.amis['Taupage-AMI-20261101-120000']).toMatch(/^ami-/);
    ec2.destroy();
  });

  it('creates tagged security groups with their ingress rules', async () => {
    const ec2 = new EC2Client(config());
    const groups =
      (
        await ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [{ Name: 'tag:Name', Values: Object.keys(seeded.securityGroups) }],
          }),
        )
      ).SecurityGroups ?? [];
    const ports = Object.fromEntries(
      groups.map((g) => [
        g.Tags?.find((t) => t.Key === 'Name')?.Value,
        (g.IpPermissions ?? []).map((p) => p.FromPort).sort((a, b) => (a ?? 0) - (b ?? 0)),
      ]),
    );
    expect(ports).toEqual({
      'app-hello-world': [22, 8080],
      'app-hello-world-lb': [443],
      'app-shop': [22, 8080],
      'app-shop-lb': [443],
      'redis-cache': [6379],
    });
    for (const g of groups) {
      expect(g.VpcId).toBe(seeded.vpcId);
      expect(seeded.securityGroups[g.GroupName ?? '']).toBe(g.GroupId);
    }
    ec2.destroy();
  });

  it('creates the hosted zone, roles with an inline policy, certificates, topic and mint bucket', async () => {
    const route53 = new Route53Client(config());
    const zones = (await route53.send(new ListHostedZonesCommand({}))).HostedZones ?? [];
    expect(zones.map((z) => [z.Id?.replace('/hostedzone/', ''), z.Name])).toEqual([
      [seeded.hostedZoneId, 'team.example.org.'],
    ]);

    const iam = new IAMClient(config());
    for (const role of ['app-hello-world', 'app-shop']) {
      const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames;
      expect(names).toEqual(['AllowMintRead']);
      const doc = (await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: 'AllowMintRead' })))
        .PolicyDocument;
      expect(decodeURIComponent(doc ?? '')).toContain(seeded.mintBucket);
    }
    expect(seeded.iamServerCertificateArn).toMatch(/^arn:aws:iam::\d{12}:server-certificate\/team-example-org$/);

    const acm = new ACMClient(config());
    const cert = (await acm.send(new DescribeCertificateCommand({ CertificateArn: seeded.acmCertificateArn })))
      .Certificate;
    expect(cert).toMatchObject({ DomainName: '*.team.example.org', Status: 'ISSUED' });
    expect(cert?.SubjectAlternativeNames?.sort()).toEqual(['*.team.example.org', 'team.example.org']);

    expect(seeded.topicArn).toBe(`arn:aws:sns:${REGION}:${seeded.accountId}:my-operators`);
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(buckets).toEqual([`myorg-stups-mint-${seeded.accountId}-${REGION}`]);
    expect(seeded.mintBucket).toBe(`myorg-stups-mint-${seeded.accountId}-${REGION}`);
    for (const c of [route53, iam, acm, s3]) c.destroy();
  });

  it('can seed the same account again and keeps what exists', async () => {
    const again = await seedStupsAccount(moto.endpoint);
    expect(again).toEqual(seeded);
  });

  it('seeds another region of the same account on request', async () => {
    const west = await seedStupsAccount(moto.endpoint, { region: 'eu-west-1' });
    expect(west.region).toBe('eu-west-1');
    expect(west.accountId).toBe(seeded.accountId);
    expect(west.vpcId).not.toBe(seeded.vpcId);
    expect(Object.keys(west.subnets)).toContain('dmz-eu-west-1c');
    expect(west.mintBucket).toBe(`myorg-stups-mint-${seeded.accountId}-eu-west-1`);
    // IAM is global: the same alias, roles and server certificate.
    expect(west.iamServerCertificateArn).toBe(seeded.iamServerCertificateArn);
  });
});
