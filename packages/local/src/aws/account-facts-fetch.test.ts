import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import {
  CreateImageCommand,
  DescribeImagesCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsSession } from '@stups/core/aws';
import { AccountFacts, type FactNeed, fetchAccountFacts, fetchImageFacts } from '@stups/core/senza';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isRunning } from '../contract/own-process.js';
import { type MotoServer, startMoto } from './moto-server.js';
import { type SeededAccount, seedStupsAccount } from './seed-account.js';

const REGION = 'eu-central-1';
const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
] as const;

const HELLO_WORLD_NEEDS: FactNeed[] = [
  { kind: 'accountAlias' },
  { kind: 'vpcs' },
  { kind: 'subnets' },
  { kind: 'taupageImages' },
  { kind: 'securityGroups', names: ['app-hello-world', 'app-hello-world-lb'] },
  { kind: 'hostedZones' },
  { kind: 'certificates' },
  { kind: 'natGateways' },
];

const callNames = (s: AwsSession) => s.calls.map((c) => `${c.service} ${c.operation}`).sort();

describe('fetchAccountFacts against a seeded moto', () => {
  let moto: MotoServer;
  let dir: string;
  let seeded: SeededAccount;
  const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  const sessions: AwsSession[] = [];
  const session = (region = REGION) => {
    const s = new AwsSession({ region });
    sessions.push(s);
    return s;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stups-facts-test-'));
    moto = await startMoto({ stateDir: dir });
    seeded = await seedStupsAccount(moto.endpoint);
    // The engine reaches moto the way users do: through the SDK's standard environment.
    for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCAL';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.AWS_REGION = REGION;
  });

  afterAll(async () => {
    for (const s of sessions) s.destroy();
    for (const k of ENV_KEYS) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
    if (moto) {
      await moto.stop();
      expect(isRunning(moto.pid)).toBe(false);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('collects the facts of a hello-world definition in one call per API', async () => {
    const s = session();
    const snapshot = await fetchAccountFacts(s, HELLO_WORLD_NEEDS);

    expect(snapshot.region).toBe(REGION);
    expect(snapshot.accountAlias).toBe('myorg-team');
    expect(snapshot.vpcs).toEqual([{ id: seeded.vpcId, isDefault: true, cidr: seeded.vpcCidr }]);
    expect(snapshot.subnets?.map((x) => [x.name, x.id, x.availabilityZone, x.vpcId]).sort()).toEqual(
      Object.entries(seeded.subnets)
        .map(([name, id]) => [name, id, name.replace(/^[a-z]+-/, ''), seeded.vpcId])
        .sort(),
    );
    expect(snapshot.taupageImages).toEqual({
      production: seeded.amis['Taupage-AMI-20261101-120000'],
      staging: seeded.amis['TaupageStaging-AMI-20261101-120000'],
      dev: seeded.amis['TaupageDev-AMI-20261101-120000'],
    });
    expect(snapshot.securityGroups?.map((g) => [g.tagName, g.id, g.name, g.vpcId]).sort()).toEqual([
      ['app-hello-world', seeded.securityGroups['app-hello-world'], 'app-hello-world', seeded.vpcId],
      ['app-hello-world-lb', seeded.securityGroups['app-hello-world-lb'], 'app-hello-world-lb', seeded.vpcId],
    ]);
    expect(snapshot.hostedZones).toEqual([{ id: seeded.hostedZoneId, name: 'team.example.org.' }]);

    expect(snapshot.acmCertificates).toHaveLength(1);
    const acm = snapshot.acmCertificates?.[0];
    expect(acm).toMatchObject({ arn: seeded.acmCertificateArn, domainName: '*.team.example.org', status: 'ISSUED' });
    expect(acm?.subjectAlternativeNames.slice().sort()).toEqual(['*.team.example.org', 'team.example.org']);
    for (const d of [acm?.notBefore, acm?.notAfter, acm?.createdAt]) {
      expect(d).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    expect(Date.parse(acm?.notBefore ?? '')).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(acm?.notAfter ?? '')).toBeGreaterThan(Date.now());
    expect(snapshot.iamServerCertificates).toEqual([
      {
        name: 'team-example-org',
        arn: seeded.iamServerCertificateArn,
        uploadDate: expect.stringMatching(/^\d{4}-/),
        expiration: expect.stringMatching(/^\d{4}-/),
      },
    ]);
    expect(snapshot.natGateways?.map((n) => [n.id, n.subnetId]).sort()).toEqual(
      Object.entries(seeded.natGateways)
        .map(([subnet, id]) => [id, seeded.subnets[subnet]])
        .sort(),
    );
    for (const n of snapshot.natGateways ?? []) expect(n.privateIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    // ListCertificates' summaries carry the names (AWS's CertificateSummary; stups_moto_acm.py), so no
    // certificate needs a DescribeCertificate: 9 calls, as against AWS.
    expect(callNames(s)).toEqual([
      'ACM ListCertificates',
      'EC2 DescribeImages',
      'EC2 DescribeNatGateways',
      'EC2 DescribeSecurityGroups',
      'EC2 DescribeSubnets',
      'EC2 DescribeVpcs',
      'IAM ListAccountAliases',
      'IAM ListServerCertificates',
      'Route53 ListHostedZones',
    ]);

    // The compiler's view over the snapshot resolves what a hello-world template needs.
    const facts = new AccountFacts(snapshot);
    expect(facts.teamId()).toBe('team');
    expect(facts.vpcId()).toBe(seeded.vpcId);
    expect(facts.domain()).toBe('team.example.org');
    expect(facts.taupageImage('production')).toBe(seeded.amis['Taupage-AMI-20261101-120000']);
    expect(facts.securityGroupId('app-hello-world-lb')).toBe(seeded.securityGroups['app-hello-world-lb']);
  });

  it('deduplicates needs and merges their names into one look-up', async () => {
    const s = session();
    const snapshot = await fetchAccountFacts(s, [
      { kind: 'vpcs' },
      { kind: 'vpcs' },
      { kind: 'securityGroups', names: ['app-shop'] },
      { kind: 'securityGroups', names: ['app-shop', 'redis-cache', sgIdOf('app-shop-lb')] },
      { kind: 'rolePolicies', roles: ['app-shop'] },
      { kind: 'rolePolicies', roles: ['app-shop', 'app-hello-world'] },
    ]);
    expect(snapshot.securityGroups?.map((g) => g.tagName).sort()).toEqual(['app-shop', 'redis-cache']);
    expect(Object.keys(snapshot.rolePolicies ?? {}).sort()).toEqual(['app-hello-world', 'app-shop']);
    expect(snapshot.rolePolicies?.['app-shop']).toEqual([
      {
        PolicyName: 'AllowMintRead',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${seeded.mintBucket}/shop/*`] },
            { Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: ['*'] },
          ],
        },
      },
    ]);
    expect(callNames(s)).toEqual([
      'EC2 DescribeSecurityGroups',
      'EC2 DescribeVpcs',
      'IAM GetRolePolicy',
      'IAM GetRolePolicy',
      'IAM ListRolePolicies',
      'IAM ListRolePolicies',
    ]);
  });

  it('finds security groups by group name when no Name tag matches, with a second call only then', async () => {
    const s = session();
    const groupOnly = 'default';
    const snapshot = await fetchAccountFacts(s, [{ kind: 'securityGroups', names: ['app-shop-lb', groupOnly] }]);
    const facts = new AccountFacts(snapshot);
    expect(facts.securityGroupId('app-shop-lb')).toBe(seeded.securityGroups['app-shop-lb']);
    expect(facts.securityGroupId('default')).toMatch(/^sg-/);
    expect(callNames(s)).toEqual(['EC2 DescribeSecurityGroups', 'EC2 DescribeSecurityGroups']);
  });

  it('reads the account id, topics, buckets and cross-stack references', async () => {
    const cfn = new CloudFormationClient({ region: REGION });
    const template = {
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'shared-events' } },
        Group: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: { GroupDescription: 'shared', VpcId: seeded.vpcId },
        },
      },
      Outputs: { TopicArn: { Value: { Ref: 'Topic' } }, GroupId: { Value: { Ref: 'Group' } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'shared-1', TemplateBody: JSON.stringify(template) }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 30, minDelay: 1 }, { StackName: 'shared-1' });
    cfn.destroy();

    const s = session();
    const snapshot = await fetchAccountFacts(s, [
      { kind: 'accountId' },
      { kind: 'accountAlias' },
      { kind: 'topics' },
      { kind: 'buckets' },
      { kind: 'stackOutputs', stack: 'shared-1' },
      { kind: 'stackOutputs', stack: 'missing-1' },
      { kind: 'stackResource', stack: 'shared-1', logicalId: 'Group' },
      { kind: 'stackResource', stack: 'shared-1', logicalId: 'Topic' },
      { kind: 'stackResource', stack: 'missing-1', logicalId: 'Group' },
    ]);
    expect(snapshot.accountId).toBe(seeded.accountId);
    expect(snapshot.topics?.sort()).toEqual(
      [seeded.topicArn, `arn:aws:sns:${REGION}:${seeded.accountId}:shared-events`].sort(),
    );
    expect(snapshot.buckets).toEqual([seeded.mintBucket]);
    const facts = new AccountFacts(snapshot);
    expect(facts.mintBucket()).toBe(seeded.mintBucket);

    const shared = facts.stack('shared-1');
    expect(shared?.status).toBe('CREATE_COMPLETE');
    expect(shared?.outputs.TopicArn).toBe(`arn:aws:sns:${REGION}:${seeded.accountId}:shared-events`);
    expect(shared?.outputs.GroupId).toMatch(/^sg-/);
    expect(facts.stack('missing-1')).toBeNull();

    expect(facts.stackResource('shared-1', 'Group')).toEqual({
      status: 'CREATE_COMPLETE',
      type: 'AWS::EC2::SecurityGroup',
      physicalId: shared?.outputs.GroupId,
    });
    expect(facts.stackResource('shared-1', 'Topic')).toMatchObject({ type: 'AWS::SNS::Topic' });
    expect(facts.stackResource('missing-1', 'Group')).toBeNull();
    expect(callNames(s)).toEqual([
      'CloudFormation DescribeStackResource',
      'CloudFormation DescribeStackResource',
      'CloudFormation DescribeStackResource',
      'CloudFormation DescribeStacks',
      'CloudFormation DescribeStacks',
      'IAM ListAccountAliases',
      'S3 ListBuckets',
      'SNS ListTopics',
      'STS GetCallerIdentity',
    ]);
  });

  it('takes own Taupage images first and public ones for the other channels, from one DescribeImages call', async () => {
    const region = 'eu-west-1';
    const ec2 = new EC2Client({ region });
    try {
      const base = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }));
      const run = await ec2.send(
        new RunInstancesCommand({ ImageId: base.Images?.[0]?.ImageId, MinCount: 1, MaxCount: 1 }),
      );
      const instance = run.Instances?.[0]?.InstanceId;
      const image = async (name: string, isPublic: boolean) => {
        const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: name }));
        if (isPublic)
          await ec2.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } }));
        return ImageId;
      };
      const ownProduction = await image('Taupage-AMI-20250101-120000', false);
      await image('Taupage-Public-AMI-20270101-120000', true); // newer, but an own image wins
      const publicDev = await image('TaupageDev-Public-AMI-20260101-120000', true);
      await image('TaupageDev-Public-AMI-20250101-120000', true);
      await image('TaupageStaging-AMI-20990101-120000', true); // public under an own name: neither kind
      await image('TaupageStaging-Public-AMI-20260101-120000', false); // private under a public name: neither
      const s = session(region);
      const snapshot = await fetchAccountFacts(s, [{ kind: 'taupageImages' }]);
      expect(snapshot.taupageImages).toEqual({ production: ownProduction, dev: publicDev });
      expect(callNames(s)).toEqual(['EC2 DescribeImages']);
    } finally {
      ec2.destroy();
    }
  });

  it('chooses Taupage images only from trusted owners, in pages: a foreign public image never wins', async () => {
    const region = 'eu-west-3';
    // Another account publishes a newer-named public Taupage image (AMI name squatting): made through
    // the SDK in that account (STS AssumeRole into it), as a publisher would.
    const sts = new STSClient({ region });
    const role = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999988887777:role/publisher', RoleSessionName: 'squatter' }),
    );
    sts.destroy();
    const c = role.Credentials;
    const foreign = new EC2Client({
      region,
      credentials: {
        accessKeyId: c?.AccessKeyId ?? '',
        secretAccessKey: c?.SecretAccessKey ?? '',
        sessionToken: c?.SessionToken,
      },
    });
    const own = new EC2Client({ region });
    const publish = async (ec2: EC2Client, name: string) => {
      const base = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }));
      const run = await ec2.send(
        new RunInstancesCommand({ ImageId: base.Images?.[0]?.ImageId, MinCount: 1, MaxCount: 1 }),
      );
      const { ImageId } = await ec2.send(
        new CreateImageCommand({ InstanceId: run.Instances?.[0]?.InstanceId, Name: name }),
      );
      await ec2.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } }));
      return ImageId ?? '';
    };
    try {
      const squatted = await publish(foreign, 'Taupage-Public-AMI-99999999');
      const squattedOwnName = await publish(foreign, 'Taupage-AMI-99999999');
      const ownPublic = await publish(own, 'Taupage-Public-AMI-20260101-120000');
      // The squatted image is visible to this account, as on AWS.
      const visible = await own.send(
        new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['Taupage-Public-AMI-*'] }] }),
      );
      expect(visible.Images?.map((i) => [i.ImageId, i.OwnerId])).toContainEqual([squatted, '999988887777']);

      const s = session(region);
      const inputs: Record<string, unknown>[] = [];
      const send = s.send.bind(s);
      vi.spyOn(s, 'send').mockImplementation((service, command, ...rest) => {
        inputs.push((command as { input: Record<string, unknown> }).input);
        return send(service, command, ...rest);
      });
      expect((await fetchAccountFacts(s, [{ kind: 'taupageImages' }])).taupageImages).toEqual({
        production: ownPublic,
      });
      expect(inputs).toEqual([expect.objectContaining({ Owners: ['self'], MaxResults: 1000 })]);

      // A configured publisher is trusted, and then its newer image is chosen.
      const trusting = session(region);
      const facts = await fetchAccountFacts(trusting, [{ kind: 'taupageImages' }], {
        taupageOwners: ['self', '999988887777'],
      });
      expect(facts.taupageImages).toEqual({ production: squatted });

      // `senza images` lists only the trusted owners' Taupage AMIs too.
      const listed = (await fetchImageFacts(session(region), [])).images.map((i) => i.ImageId);
      expect(listed).not.toContain(squattedOwnName);
      const trusted = (await fetchImageFacts(session(region), [], ['self', '999988887777'])).images;
      expect(trusted.map((i) => i.ImageId)).toContain(squattedOwnName);
    } finally {
      foreign.destroy();
      own.destroy();
    }
  });

  it('falls back to public Taupage images only for missing channels, in an unseeded region', async () => {
    const s = session('us-west-2');
    const snapshot = await fetchAccountFacts(s, [
      { kind: 'taupageImages' },
      { kind: 'securityGroups', names: ['app-hello-world'] },
      { kind: 'hostedZones' },
    ]);
    expect(snapshot.taupageImages).toEqual({});
    expect(snapshot.securityGroups).toEqual([]);
    // Route53 is global: the zone seeded from eu-central-1 is visible everywhere.
    expect(snapshot.hostedZones).toEqual([{ id: seeded.hostedZoneId, name: 'team.example.org.' }]);
    expect(callNames(s)).toEqual([
      'EC2 DescribeImages',
      'EC2 DescribeSecurityGroups',
      'EC2 DescribeSecurityGroups',
      'Route53 ListHostedZones',
    ]);
  });

  it('asks ACM for certificates of every key type, not only RSA_1024/RSA_2048', async () => {
    const s = session();
    const inputs: unknown[] = [];
    const send = s.send.bind(s);
    vi.spyOn(s, 'send').mockImplementation((service, command, ...rest) => {
      if (service === 'acm') inputs.push((command as { input: unknown }).input);
      return send(service, command, ...rest);
    });
    await fetchAccountFacts(s, [{ kind: 'certificates' }]);
    expect(inputs[0]).toMatchObject({
      Includes: {
        keyTypes: ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'],
      },
    });
  });

  it('asks nothing for no needs', async () => {
    const s = session();
    expect(await fetchAccountFacts(s, [])).toEqual({ region: REGION });
    expect(s.calls).toEqual([]);
  });

  function sgIdOf(name: string): string {
    return seeded.securityGroups[name];
  }
});
