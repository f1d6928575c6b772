import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACMClient, ListCertificatesCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateNatGatewayCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  DeleteSubnetCommand,
  DescribeImagesCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type IpPermission,
  RegisterImageCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type Subnet,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateAccountAliasCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListServerCertificatesCommand,
  PutRolePolicyCommand,
  UploadServerCertificateCommand,
} from '@aws-sdk/client-iam';
import { CreateHostedZoneCommand, ListHostedZonesByNameCommand, Route53Client } from '@aws-sdk/client-route-53';
import { type BucketLocationConstraint, CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { OperationError } from '@stups/core';
import { awsItems } from '@stups/core/aws';

/**
 * Seeds an emulated AWS account (moto) the way a STUPS team account looks: alias `myorg-team`, the
 * default VPC with `dmz-*`, `internal-*` and `nat-*` subnets in three zones, Taupage AMIs, the team's
 * hosted zone, application security groups and roles, an ACM and an IAM server certificate, the
 * operators' SNS topic and the mint bucket. Seeding again finds what exists and adds only what is
 * missing, so it may run against an already seeded endpoint.
 */
export interface SeedOptions {
  /** Default eu-central-1. */
  region?: string;
}

export interface SeededAccount {
  region: string;
  accountId: string;
  accountAlias: string;
  vpcId: string;
  vpcCidr: string;
  /** Subnet ids by Name tag (`dmz-eu-central-1a`, `internal-...`, `nat-...`). */
  subnets: Record<string, string>;
  /** NAT gateway ids by the name of their subnet (empty if moto cannot create them). */
  natGateways: Record<string, string>;
  /** AMI ids by image name. */
  amis: Record<string, string>;
  /** Security group ids by name (group name and Name tag are the same). */
  securityGroups: Record<string, string>;
  /** Without the `/hostedzone/` prefix. */
  hostedZoneId: string;
  hostedZoneName: string;
  /** IAM role names. */
  roles: string[];
  acmCertificateArn: string;
  iamServerCertificateArn: string;
  topicArn: string;
  mintBucket: string;
}

export const SEED_ACCOUNT_ALIAS = 'myorg-team';
/**
 * The day the emulated account was created: a new account, as every account opened today is. AWS
 * withholds some features from accounts created after a date (launch configurations since 2024-10-01,
 * corrections/launch-configurations.ts); `startPlatform({accountCreatedOn})` emulates an older account.
 */
export const ACCOUNT_CREATED_ON = '2025-01-01';
export const SEED_DOMAIN = 'team.example.org';
export const SEED_IAM_CERTIFICATE_NAME = 'team-example-org';
export const SEED_TOPIC_NAME = 'my-operators';
export const SEED_TAUPAGE_IMAGES = [
  'Taupage-AMI-20260101-120000',
  'Taupage-AMI-20261101-120000',
  'TaupageStaging-AMI-20261101-120000',
  'TaupageDev-AMI-20261101-120000',
] as const;
const BASE_IMAGE_NAME = 'stups-local-base';

interface GroupSpec {
  name: string;
  description: string;
  /** [port, source] where source `vpc` is the VPC CIDR. */
  ingress: [number, 'vpc' | 'world'][];
}

const SECURITY_GROUPS: GroupSpec[] = [
  {
    name: 'app-hello-world',
    description: 'hello-world application',
    ingress: [
      [8080, 'vpc'],
      [22, 'vpc'],
    ],
  },
  { name: 'app-hello-world-lb', description: 'hello-world load balancer', ingress: [[443, 'world']] },
  {
    name: 'app-shop',
    description: 'shop application',
    ingress: [
      [8080, 'vpc'],
      [22, 'vpc'],
    ],
  },
  { name: 'app-shop-lb', description: 'shop load balancer', ingress: [[443, 'world']] },
  { name: 'redis-cache', description: 'Redis cache', ingress: [[6379, 'vpc']] },
];
const ROLES = ['app-hello-world', 'app-shop'];
const SUBNET_KINDS = ['dmz', 'internal', 'nat'] as const;
const ZONE_SUFFIXES = ['a', 'b', 'c'];

const execFileAsync = promisify(execFile);

export async function seedStupsAccount(endpoint: string, options: SeedOptions = {}): Promise<SeededAccount> {
  const region = options.region ?? 'eu-central-1';
  const config = {
    region,
    endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 3,
  };
  const ec2 = new EC2Client(config);
  const iam = new IAMClient(config);
  const route53 = new Route53Client(config);
  const acm = new ACMClient(config);
  const sns = new SNSClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sts = new STSClient(config);
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const accountId = identity.Account ?? '';
    const mintBucket = `${SEED_ACCOUNT_ALIAS.split('-')[0]}-stups-mint-${accountId}-${region}`;

    const [network, accountAlias, zone, roles, acmCertificateArn, iamServerCertificateArn, topicArn] =
      await Promise.all([
        seedNetwork(ec2, region),
        seedAlias(iam),
        seedHostedZone(route53),
        seedRoles(iam, mintBucket),
        seedAcmCertificate(acm),
        seedIamServerCertificate(iam),
        sns.send(new CreateTopicCommand({ Name: SEED_TOPIC_NAME })).then((r) => r.TopicArn ?? ''),
        seedBucket(s3, mintBucket, region),
      ]);
    return {
      region,
      accountId,
      accountAlias,
      ...network,
      hostedZoneId: zone.id,
      hostedZoneName: zone.name,
      roles,
      acmCertificateArn,
      iamServerCertificateArn,
      topicArn,
      mintBucket,
    };
  } catch (e) {
    if (e instanceof OperationError) throw e;
    const err = e as { name?: string; message?: string };
    throw new OperationError(`Seeding the local AWS account at ${endpoint} failed: ${err.name}: ${err.message}`, {
      code: 'local.seed-failed',
      hint: 'Reset the emulator (stups-local reset) and seed again; see the moto log in the state directory.',
      cause: e,
    });
  } finally {
    for (const c of [ec2, iam, route53, acm, sns, s3, sts]) c.destroy();
  }
}

async function seedAlias(iam: IAMClient): Promise<string> {
  const existing = await iam.send(new ListAccountAliasesCommand({}));
  if (!existing.AccountAliases?.includes(SEED_ACCOUNT_ALIAS)) {
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: SEED_ACCOUNT_ALIAS }));
  }
  return SEED_ACCOUNT_ALIAS;
}

async function seedNetwork(ec2: EC2Client, region: string) {
  const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs;
  const vpc = vpcs?.[0];
  if (!vpc?.VpcId || !vpc.CidrBlock) {
    throw new OperationError(`The emulator has no default VPC in ${region}`, { code: 'local.seed-failed' });
  }
  const vpcId = vpc.VpcId;
  const vpcCidr = vpc.CidrBlock;
  const [a, b] = vpcCidr.split('.');
  const prefix = `${a}.${b}`;

  const existing = await describeSubnets(ec2, vpcId);
  // moto's unnamed default subnets cover the VPC; a STUPS account has only named subnets.
  for (const s of existing.filter((s) => !nameTag(s.Tags))) {
    await ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId }));
  }
  const byName = new Map(existing.filter((s) => nameTag(s.Tags)).map((s) => [nameTag(s.Tags) as string, s]));

  const subnets: Record<string, string> = {};
  for (const kind of SUBNET_KINDS) {
    for (const [i, suffix] of ZONE_SUFFIXES.entries()) {
      const az = `${region}${suffix}`;
      const name = `${kind}-${az}`;
      let id = byName.get(name)?.SubnetId;
      if (!id) {
        // dmz 172.31.0-2.0/24, internal 172.31.16/32/48.0/20, nat 172.31.64.0/28 ... (for the default /16)
        const cidr =
          kind === 'dmz'
            ? `${prefix}.${i}.0/24`
            : kind === 'internal'
              ? `${prefix}.${16 * (i + 1)}.0/20`
              : `${prefix}.64.${16 * i}/28`;
        const created = await ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: cidr,
            AvailabilityZone: az,
            TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'Name', Value: name }] }],
          }),
        );
        id = created.Subnet?.SubnetId ?? '';
      }
      subnets[name] = id;
    }
  }

  const natGateways = await seedNatGateways(ec2, subnets);
  const securityGroups = await seedSecurityGroups(ec2, vpcId, vpcCidr);
  const amis = await seedImages(ec2, subnets[`internal-${region}a`]);
  return { vpcId, vpcCidr, subnets, natGateways, securityGroups, amis };
}

async function describeSubnets(ec2: EC2Client, vpcId: string): Promise<Subnet[]> {
  return awsItems({
    fetch: (NextToken) =>
      ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken })),
    next: (page) => page.NextToken,
    items: (page) => page.Subnets,
  });
}

function nameTag(tags: { Key?: string; Value?: string }[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === 'Name')?.Value;
}

async function seedNatGateways(ec2: EC2Client, subnets: Record<string, string>): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  try {
    const existing = await ec2.send(
      new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['pending', 'available'] }] }),
    );
    for (const [name, subnetId] of Object.entries(subnets)) {
      if (!name.startsWith('nat-')) continue;
      let id = existing.NatGateways?.find((n) => n.SubnetId === subnetId)?.NatGatewayId;
      if (!id) {
        const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
        const nat = await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: eip.AllocationId }));
        id = nat.NatGateway?.NatGatewayId;
      }
      if (id) result[name] = id;
    }
  } catch {
    // NAT gateways are optional for the seed: an emulator without them still serves everything else.
    return {};
  }
  return result;
}

async function seedSecurityGroups(ec2: EC2Client, vpcId: string, vpcCidr: string): Promise<Record<string, string>> {
  const existing = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: SECURITY_GROUPS.map((g) => g.name) },
      ],
    }),
  );
  const result: Record<string, string> = {};
  for (const spec of SECURITY_GROUPS) {
    let id = existing.SecurityGroups?.find((g) => g.GroupName === spec.name)?.GroupId;
    if (!id) {
      const created = await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: spec.name,
          Description: spec.description,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: spec.name }] }],
        }),
      );
      id = created.GroupId ?? '';
      const permissions: IpPermission[] = spec.ingress.map(([port, source]) => ({
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        IpRanges: [{ CidrIp: source === 'vpc' ? vpcCidr : '0.0.0.0/0' }],
      }));
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: permissions }));
    }
    result[spec.name] = id;
  }
  return result;
}

/**
 * Taupage AMIs owned by the account, made like real ones: CreateImage of an (EBS-backed) instance.
 * RegisterImage alone would give a non-EBS image in moto that a `root-device-type=ebs` search skips.
 */
async function seedImages(ec2: EC2Client, subnetId: string): Promise<Record<string, string>> {
  const names = [...SEED_TAUPAGE_IMAGES, BASE_IMAGE_NAME];
  const existing = await ec2.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: names }] }),
  );
  const amis: Record<string, string> = {};
  for (const image of existing.Images ?? []) {
    if (image.Name && image.ImageId) amis[image.Name] = image.ImageId;
  }
  const missing = SEED_TAUPAGE_IMAGES.filter((n) => !amis[n]);
  if (missing.length > 0) {
    let base = amis[BASE_IMAGE_NAME];
    if (!base) {
      const registered = await ec2.send(
        new RegisterImageCommand({
          Name: BASE_IMAGE_NAME,
          Architecture: 'x86_64',
          RootDeviceName: '/dev/xvda',
          VirtualizationType: 'hvm',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3' } }],
        }),
      );
      base = registered.ImageId ?? '';
    }
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: base,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
        SubnetId: subnetId,
      }),
    );
    const instanceId = run.Instances?.[0]?.InstanceId ?? '';
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    for (const name of missing) {
      const created = await ec2.send(
        new CreateImageCommand({ InstanceId: instanceId, Name: name, Description: `${name} (stups-local)` }),
      );
      amis[name] = created.ImageId ?? '';
    }
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  }
  delete amis[BASE_IMAGE_NAME];
  return amis;
}

async function seedHostedZone(route53: Route53Client): Promise<{ id: string; name: string }> {
  const name = `${SEED_DOMAIN}.`;
  const found = await route53.send(new ListHostedZonesByNameCommand({ DNSName: name, MaxItems: 1 }));
  let id = found.HostedZones?.find((z) => z.Name === name)?.Id;
  if (!id) {
    const created = await route53.send(
      new CreateHostedZoneCommand({ Name: name, CallerReference: `stups-local-${Date.now()}` }),
    );
    id = created.HostedZone?.Id ?? '';
  }
  return { id: id.replace(/^\/hostedzone\//, ''), name };
}

async function seedRoles(iam: IAMClient, mintBucket: string): Promise<string[]> {
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  for (const role of ROLES) {
    const exists = await iam.send(new GetRoleCommand({ RoleName: role })).then(
      () => true,
      (e: { name?: string }) => {
        if (e.name === 'NoSuchEntity' || e.name === 'NoSuchEntityException') return false;
        throw e;
      },
    );
    if (!exists) {
      await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    }
    const app = role.replace(/^app-/, '');
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${mintBucket}/${app}/*`] },
        { Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: ['*'] },
      ],
    };
    await iam.send(
      new PutRolePolicyCommand({ RoleName: role, PolicyName: 'AllowMintRead', PolicyDocument: JSON.stringify(policy) }),
    );
  }
  return [...ROLES];
}

async function seedAcmCertificate(acm: ACMClient): Promise<string> {
  const domain = `*.${SEED_DOMAIN}`;
  const summaries = await awsItems({
    fetch: (NextToken) => acm.send(new ListCertificatesCommand({ NextToken })),
    next: (page) => page.NextToken,
    items: (page) => page.CertificateSummaryList,
  });
  const found = summaries.find((c) => c.DomainName === domain)?.CertificateArn;
  if (found) return found;
  // Requested, not imported: moto's imported certificates lack DomainValidationOptions, and with
  // MOTO_ACM_VALIDATION_WAIT=0 a requested one is ISSUED at once.
  const requested = await acm.send(
    new RequestCertificateCommand({
      DomainName: domain,
      SubjectAlternativeNames: [domain, SEED_DOMAIN],
      ValidationMethod: 'DNS',
    }),
  );
  return requested.CertificateArn ?? '';
}

async function seedIamServerCertificate(iam: IAMClient): Promise<string> {
  const listed = await iam.send(new ListServerCertificatesCommand({}));
  const found = listed.ServerCertificateMetadataList?.find(
    (c) => c.ServerCertificateName === SEED_IAM_CERTIFICATE_NAME,
  );
  if (found?.Arn) return found.Arn;
  const { certificate, privateKey } = await selfSignedCertificate(`*.${SEED_DOMAIN}`);
  const uploaded = await iam.send(
    new UploadServerCertificateCommand({
      ServerCertificateName: SEED_IAM_CERTIFICATE_NAME,
      CertificateBody: certificate,
      PrivateKey: privateKey,
    }),
  );
  return uploaded.ServerCertificateMetadata?.Arn ?? '';
}

/** A self-signed certificate from the openssl CLI (node:crypto can parse but not issue X.509). */
async function selfSignedCertificate(commonName: string): Promise<{ certificate: string; privateKey: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'stups-local-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await execFileAsync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '365',
      '-subj',
      `/CN=${commonName}`,
    ]).catch((e: NodeJS.ErrnoException) => {
      throw new OperationError(`Cannot create a self-signed certificate with openssl: ${e.message}`, {
        code: 'local.openssl-missing',
        hint: 'Install the openssl command line tool (apt-get install openssl).',
        cause: e,
      });
    });
    return { certificate: await readFile(cert, 'utf8'), privateKey: await readFile(key, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function seedBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  const listed = await s3.send(new ListBucketsCommand({}));
  if (listed.Buckets?.some((b) => b.Name === bucket)) return;
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration:
        region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint },
    }),
  );
}
