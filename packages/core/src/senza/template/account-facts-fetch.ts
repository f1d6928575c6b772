import type {
  DescribeCertificateCommandOutput,
  KeyAlgorithm,
  ListCertificatesCommandOutput,
} from '@aws-sdk/client-acm';
import { DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import type { DescribeStackResourceCommandOutput, DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import { DescribeStackResourceCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type {
  DescribeImagesCommandOutput,
  DescribeNatGatewaysCommandOutput,
  DescribeSecurityGroupsCommandOutput,
  DescribeSubnetsCommandOutput,
  DescribeVpcsCommandOutput,
} from '@aws-sdk/client-ec2';
import {
  DescribeImagesCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import type {
  GetRolePolicyCommandOutput,
  ListAccountAliasesCommandOutput,
  ListRolePoliciesCommandOutput,
  ListServerCertificatesCommandOutput,
} from '@aws-sdk/client-iam';
import {
  GetRolePolicyCommand,
  ListAccountAliasesCommand,
  ListRolePoliciesCommand,
  ListServerCertificatesCommand,
} from '@aws-sdk/client-iam';
import { DecryptCommand } from '@aws-sdk/client-kms';
import type { ListBucketsCommandOutput } from '@aws-sdk/client-s3';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { ListTopicsCommandOutput } from '@aws-sdk/client-sns';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { isStackMissing } from '../../aws/aws-errors.js';
import type { AwsSession } from '../../aws/aws-session.js';
import { listHostedZones } from '../../aws/hosted-zones.js';
import { awsItems } from '../../aws/pages.js';
import type { AccountFactsSnapshot, AcmCertificateFact, FactNeed, IamServerCertificateFact } from './account-facts.js';
import { dockerImageExists } from './docker-image.js';
import { DEFAULT_TAUPAGE_OWNERS } from './taupage-owners.js';

/** What the look-ups need besides the session. */
export interface AccountFactsOptions {
  /** Whose Taupage AMIs may be chosen (DescribeImages `Owners`); default {@link DEFAULT_TAUPAGE_OWNERS}. */
  taupageOwners?: readonly string[];
}

/**
 * Collects the account facts a definition needs: needs are deduplicated, independent look-ups run in
 * parallel, every AWS call is made at most once and paginated APIs are read to the end. SDK command
 * modules are imported lazily, like the clients, so that importing this module loads no SDK.
 */
export async function fetchAccountFacts(
  session: AwsSession,
  needs: FactNeed[],
  options: AccountFactsOptions = {},
): Promise<AccountFactsSnapshot> {
  const plan = planNeeds(needs);
  // Each entry resolves to part of the snapshot; they are merged in this fixed order so that the
  // snapshot's key order does not depend on which response came first.
  const parts: Promise<Partial<AccountFactsSnapshot>>[] = [];
  const add = <K extends keyof AccountFactsSnapshot>(key: K, value: Promise<AccountFactsSnapshot[K]>) =>
    parts.push(value.then((v) => ({ [key]: v }) as Partial<AccountFactsSnapshot>));

  if (plan.has('accountId')) add('accountId', fetchAccountId(session));
  if (plan.has('accountAlias')) add('accountAlias', fetchAccountAlias(session));
  if (plan.has('vpcs')) add('vpcs', fetchVpcs(session));
  if (plan.has('hostedZones')) add('hostedZones', fetchHostedZones(session));
  if (plan.has('subnets')) add('subnets', fetchSubnets(session));
  if (plan.has('taupageImages'))
    add('taupageImages', fetchTaupageImages(session, options.taupageOwners ?? DEFAULT_TAUPAGE_OWNERS));
  if (plan.has('securityGroups')) add('securityGroups', fetchSecurityGroups(session, [...plan.securityGroups]));
  if (plan.has('certificates')) {
    add('acmCertificates', fetchAcmCertificates(session));
    add('iamServerCertificates', fetchIamServerCertificates(session));
  }
  if (plan.has('natGateways')) add('natGateways', fetchNatGateways(session));
  if (plan.has('stackResource')) add('stackResources', fetchStackResources(session, plan.stackResources));
  if (plan.has('stackOutputs')) add('stacks', fetchStacks(session, [...plan.stacks]));
  if (plan.has('rolePolicies')) add('rolePolicies', fetchRolePolicies(session, [...plan.roles]));
  if (plan.has('topics')) add('topics', fetchTopics(session));
  if (plan.has('buckets')) add('buckets', fetchBuckets(session));
  if (plan.has('kmsDecrypt')) add('kmsPlaintexts', decryptAll(session, [...plan.ciphertexts]));
  if (plan.has('dockerImages')) add('dockerImages', checkDockerImages([...plan.images]));

  const snapshot: AccountFactsSnapshot = { region: session.region };
  for (const part of await Promise.all(parts)) Object.assign(snapshot, part);
  return snapshot;
}

interface NeedPlan {
  has(kind: FactNeed['kind']): boolean;
  securityGroups: Set<string>;
  stackResources: Map<string, { stack: string; logicalId: string }>;
  stacks: Set<string>;
  roles: Set<string>;
  ciphertexts: Set<string>;
  images: Set<string>;
}

function planNeeds(needs: FactNeed[]): NeedPlan {
  const kinds = new Set<FactNeed['kind']>();
  const plan: NeedPlan = {
    has: (kind) => kinds.has(kind),
    securityGroups: new Set(),
    stackResources: new Map(),
    stacks: new Set(),
    roles: new Set(),
    ciphertexts: new Set(),
    images: new Set(),
  };
  for (const need of needs) {
    kinds.add(need.kind);
    if (need.kind === 'securityGroups') for (const n of need.names) plan.securityGroups.add(n);
    if (need.kind === 'stackResource') {
      plan.stackResources.set(`${need.stack}/${need.logicalId}`, { stack: need.stack, logicalId: need.logicalId });
    }
    if (need.kind === 'stackOutputs') plan.stacks.add(need.stack);
    if (need.kind === 'rolePolicies') for (const r of need.roles) plan.roles.add(r);
    if (need.kind === 'kmsDecrypt') for (const c of need.ciphertexts) plan.ciphertexts.add(c);
    if (need.kind === 'dockerImages') for (const i of need.images) plan.images.add(i);
  }
  return plan;
}

const iso = (d: Date | string | undefined): string | undefined =>
  d === undefined ? undefined : d instanceof Date ? d.toISOString() : new Date(d).toISOString();

type Tag = { Key?: string; Value?: string };
const nameTag = (tags: Tag[] | undefined): string | undefined => tags?.find((t) => t.Key === 'Name')?.Value;

async function fetchAccountId(session: AwsSession): Promise<string | null> {
  const r = await session.send<GetCallerIdentityCommandOutput>('sts', new GetCallerIdentityCommand({}));
  return r.Account ?? null;
}

async function fetchAccountAlias(session: AwsSession): Promise<string | null> {
  const r = await session.send<ListAccountAliasesCommandOutput>('iam', new ListAccountAliasesCommand({}));
  return r.AccountAliases?.[0] ?? null;
}

async function fetchVpcs(session: AwsSession): Promise<NonNullable<AccountFactsSnapshot['vpcs']>> {
  const vpcs = await awsItems({
    fetch: (NextToken) => session.send<DescribeVpcsCommandOutput>('ec2', new DescribeVpcsCommand({ NextToken })),
    next: (r) => r.NextToken,
    items: (r) => r.Vpcs,
  });
  return vpcs.map((v) => ({ id: v.VpcId ?? '', isDefault: v.IsDefault === true, cidr: v.CidrBlock }));
}

async function fetchSubnets(session: AwsSession): Promise<NonNullable<AccountFactsSnapshot['subnets']>> {
  const subnets = await awsItems({
    fetch: (NextToken) => session.send<DescribeSubnetsCommandOutput>('ec2', new DescribeSubnetsCommand({ NextToken })),
    next: (r) => r.NextToken,
    items: (r) => r.Subnets,
  });
  return subnets.map((s) => {
    const name = nameTag(s.Tags);
    return {
      id: s.SubnetId ?? '',
      vpcId: s.VpcId ?? '',
      availabilityZone: s.AvailabilityZone ?? '',
      ...(name === undefined ? {} : { name }),
    };
  });
}

async function fetchHostedZones(session: AwsSession): Promise<NonNullable<AccountFactsSnapshot['hostedZones']>> {
  return listHostedZones(session);
}

type Channel = 'production' | 'staging' | 'dev';
const CHANNEL_PREFIX: Record<Channel, string> = { production: 'Taupage', staging: 'TaupageStaging', dev: 'TaupageDev' };
const CHANNELS = Object.keys(CHANNEL_PREFIX) as Channel[];

// Own (private) images are `<Prefix>-AMI-*`; a channel without one falls back to the public
// `<Prefix>-Public-AMI-*`. Both come from one paginated DescribeImages, told apart by the image's `Public`
// flag, which gives the same images as asking with `is-public=false` and then `is-public=true`. Only the
// trusted owners' images count: without `Owners` the search covers every public AMI of the region
// (API_DescribeImages), so any account could publish a newer-named Taupage image and have it chosen.
async function fetchTaupageImages(
  session: AwsSession,
  owners: readonly string[],
): Promise<NonNullable<AccountFactsSnapshot['taupageImages']>> {
  const OWN = '-AMI-';
  const PUBLIC = '-Public-AMI-';
  const images = await awsItems({
    fetch: (NextToken) =>
      session.send<DescribeImagesCommandOutput>(
        'ec2',
        new DescribeImagesCommand({
          Owners: [...owners],
          Filters: [
            {
              Name: 'name',
              Values: CHANNELS.flatMap((c) => [`${CHANNEL_PREFIX[c]}${OWN}*`, `${CHANNEL_PREFIX[c]}${PUBLIC}*`]),
            },
            { Name: 'state', Values: ['available'] },
            { Name: 'root-device-type', Values: ['ebs'] },
          ],
          // "We strongly recommend using only paginated requests" (API_DescribeImages).
          MaxResults: 1000,
          NextToken,
        }),
      ),
    next: (r) => r.NextToken,
    items: (r) => r.Images,
  });
  // Newest per channel = greatest name (the names end in a sortable timestamp).
  const newest = (isPublic: boolean) => {
    const infix = isPublic ? PUBLIC : OWN;
    const best: Partial<Record<Channel, { name: string; id: string }>> = {};
    for (const image of images) {
      if ((image.Public === true) !== isPublic) continue;
      const name = image.Name ?? '';
      const channel = CHANNELS.find((c) => name.startsWith(`${CHANNEL_PREFIX[c]}${infix}`));
      if (!channel || !image.ImageId) continue;
      const current = best[channel];
      if (!current || name > current.name) best[channel] = { name, id: image.ImageId };
    }
    return best;
  };

  const own = newest(false);
  const shared = newest(true);
  const result: NonNullable<AccountFactsSnapshot['taupageImages']> = {};
  for (const c of CHANNELS) {
    const id = own[c]?.id ?? shared[c]?.id;
    if (id) result[c] = id;
  }
  return result;
}

async function fetchSecurityGroups(
  session: AwsSession,
  names: string[],
): Promise<NonNullable<AccountFactsSnapshot['securityGroups']>> {
  // Ids are used as they are; only names need a look-up.
  const wanted = names.filter((n) => !n.startsWith('sg-'));
  const found = new Map<string, NonNullable<AccountFactsSnapshot['securityGroups']>[number]>();
  const describe = async (filter: string, values: string[]) => {
    const groups = await awsItems({
      fetch: (NextToken) =>
        session.send<DescribeSecurityGroupsCommandOutput>(
          'ec2',
          new DescribeSecurityGroupsCommand({ Filters: [{ Name: filter, Values: values }], NextToken }),
          values.join(', '),
        ),
      next: (r) => r.NextToken,
      items: (r) => r.SecurityGroups,
    });
    for (const g of groups) {
      if (!g.GroupId || found.has(g.GroupId)) continue;
      const tagName = nameTag(g.Tags);
      found.set(g.GroupId, {
        id: g.GroupId,
        name: g.GroupName ?? '',
        ...(tagName === undefined ? {} : { tagName }),
        ...(g.VpcId === undefined ? {} : { vpcId: g.VpcId }),
      });
    }
  };
  if (wanted.length === 0) return [];
  await describe('tag:Name', wanted);
  const byTag = new Set([...found.values()].map((g) => g.tagName));
  const remaining = wanted.filter((n) => !byTag.has(n));
  if (remaining.length > 0) await describe('group-name', remaining);
  return [...found.values()];
}

/**
 * Every key type ACM has: without `Includes.keyTypes`, ListCertificates returns only RSA_1024 and
 * RSA_2048 certificates (API_Filters, "keyTypes"), so ECDSA and RSA 3072/4096 ones could never be chosen.
 */
export const ACM_KEY_TYPES: KeyAlgorithm[] = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1',
  'EC_secp384r1',
  'EC_secp521r1',
];

async function fetchAcmCertificates(session: AwsSession): Promise<AcmCertificateFact[]> {
  const summaries = await awsItems({
    fetch: (NextToken) =>
      session.send<ListCertificatesCommandOutput>(
        'acm',
        new ListCertificatesCommand({ Includes: { keyTypes: ACM_KEY_TYPES }, NextToken }),
      ),
    next: (r) => r.NextToken,
    items: (r) => r.CertificateSummaryList,
  });
  return Promise.all(
    summaries.map(async (s): Promise<AcmCertificateFact> => {
      const arn = s.CertificateArn ?? '';
      const sans = s.HasAdditionalSubjectAlternativeNames ? undefined : s.SubjectAlternativeNameSummaries;
      const complete = sans !== undefined && s.NotBefore !== undefined && s.NotAfter !== undefined;
      // Only an issued certificate can be chosen for a listener, so only those are worth a describe call.
      if (!complete && s.Status === 'ISSUED') {
        const r = await session.send<DescribeCertificateCommandOutput>(
          'acm',
          new DescribeCertificateCommand({ CertificateArn: arn }),
          arn,
        );
        const c = r.Certificate ?? {};
        return acmFact({
          arn,
          domainName: c.DomainName ?? s.DomainName,
          sans: c.SubjectAlternativeNames ?? sans,
          status: c.Status ?? s.Status,
          notBefore: c.NotBefore ?? s.NotBefore,
          notAfter: c.NotAfter ?? s.NotAfter,
          createdAt: c.CreatedAt ?? s.CreatedAt,
          importedAt: c.ImportedAt ?? s.ImportedAt,
        });
      }
      return acmFact({
        arn,
        domainName: s.DomainName,
        sans,
        status: s.Status,
        notBefore: s.NotBefore,
        notAfter: s.NotAfter,
        createdAt: s.CreatedAt,
        importedAt: s.ImportedAt,
      });
    }),
  );
}

function acmFact(c: {
  arn: string;
  domainName?: string;
  sans?: string[];
  status?: string;
  notBefore?: Date;
  notAfter?: Date;
  createdAt?: Date;
  importedAt?: Date;
}): AcmCertificateFact {
  const domainName = c.domainName ?? '';
  const fact: AcmCertificateFact = {
    arn: c.arn,
    domainName,
    subjectAlternativeNames: c.sans ?? (domainName ? [domainName] : []),
    status: c.status ?? 'UNKNOWN',
  };
  const dates = {
    notBefore: iso(c.notBefore),
    notAfter: iso(c.notAfter),
    createdAt: iso(c.createdAt),
    importedAt: iso(c.importedAt),
  };
  for (const [k, v] of Object.entries(dates)) if (v !== undefined) fact[k as keyof typeof dates] = v;
  return fact;
}

async function fetchIamServerCertificates(session: AwsSession): Promise<IamServerCertificateFact[]> {
  const list = await awsItems({
    fetch: (Marker) =>
      session.send<ListServerCertificatesCommandOutput>('iam', new ListServerCertificatesCommand({ Marker })),
    next: (r) => (r.IsTruncated ? r.Marker : undefined),
    items: (r) => r.ServerCertificateMetadataList,
  });
  return list.map((m) => {
    const fact: IamServerCertificateFact = { name: m.ServerCertificateName ?? '', arn: m.Arn ?? '' };
    const uploadDate = iso(m.UploadDate);
    const expiration = iso(m.Expiration);
    if (uploadDate) fact.uploadDate = uploadDate;
    if (expiration) fact.expiration = expiration;
    return fact;
  });
}

async function fetchNatGateways(session: AwsSession): Promise<NonNullable<AccountFactsSnapshot['natGateways']>> {
  const gateways = await awsItems({
    fetch: (NextToken) =>
      session.send<DescribeNatGatewaysCommandOutput>(
        'ec2',
        new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }], NextToken }),
      ),
    next: (r) => r.NextToken,
    items: (r) => r.NatGateways,
  });
  return gateways.map((n) => {
    const privateIp = n.NatGatewayAddresses?.[0]?.PrivateIp;
    return {
      id: n.NatGatewayId ?? '',
      subnetId: n.SubnetId ?? '',
      ...(privateIp === undefined ? {} : { privateIp }),
    };
  });
}

async function fetchStackResources(
  session: AwsSession,
  wanted: Map<string, { stack: string; logicalId: string }>,
): Promise<NonNullable<AccountFactsSnapshot['stackResources']>> {
  const entries = await Promise.all(
    [...wanted].map(async ([key, { stack, logicalId }]) => {
      try {
        const r = await session.send<DescribeStackResourceCommandOutput>(
          'cloudformation',
          new DescribeStackResourceCommand({ StackName: stack, LogicalResourceId: logicalId }),
          key,
        );
        const d = r.StackResourceDetail;
        if (!d) return [key, null] as const;
        let physicalId: string | undefined = d.PhysicalResourceId;
        const type: string = d.ResourceType ?? '';
        // A security group created outside a VPC is known by its name; templates need its id.
        if (type === 'AWS::EC2::SecurityGroup' && physicalId && !physicalId.startsWith('sg-')) {
          physicalId = (await securityGroupIdByName(session, physicalId)) ?? physicalId;
        }
        const value = {
          status: d.ResourceStatus ?? '',
          type,
          ...(physicalId === undefined ? {} : { physicalId }),
        };
        return [key, value] as const;
      } catch (e) {
        if (isStackMissing(e)) return [key, null] as const;
        throw e;
      }
    }),
  );
  return Object.fromEntries(entries);
}

async function securityGroupIdByName(session: AwsSession, name: string): Promise<string | undefined> {
  const r = await session.send<DescribeSecurityGroupsCommandOutput>(
    'ec2',
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }),
    name,
  );
  return r.SecurityGroups?.[0]?.GroupId;
}

async function fetchStacks(session: AwsSession, names: string[]): Promise<NonNullable<AccountFactsSnapshot['stacks']>> {
  const entries = await Promise.all(
    names.map(async (name) => {
      try {
        const r = await session.send<DescribeStacksCommandOutput>(
          'cloudformation',
          new DescribeStacksCommand({ StackName: name }),
          name,
        );
        const stack = r.Stacks?.[0];
        if (!stack) return [name, null] as const;
        const outputs: Record<string, string> = {};
        for (const o of stack.Outputs ?? []) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? '';
        return [name, { status: stack.StackStatus ?? '', outputs }] as const;
      } catch (e) {
        if (isStackMissing(e)) return [name, null] as const;
        throw e;
      }
    }),
  );
  return Object.fromEntries(entries);
}

async function fetchRolePolicies(
  session: AwsSession,
  roles: string[],
): Promise<NonNullable<AccountFactsSnapshot['rolePolicies']>> {
  const entries = await Promise.all(
    roles.map(async (role) => {
      const names = await awsItems({
        fetch: (Marker) =>
          session.send<ListRolePoliciesCommandOutput>(
            'iam',
            new ListRolePoliciesCommand({ RoleName: role, Marker }),
            role,
          ),
        next: (r) => (r.IsTruncated ? r.Marker : undefined),
        items: (r) => r.PolicyNames,
      });
      const policies = await Promise.all(
        names.map(async (PolicyName: string) => {
          const r = await session.send<GetRolePolicyCommandOutput>(
            'iam',
            new GetRolePolicyCommand({ RoleName: role, PolicyName }),
            `${role}/${PolicyName}`,
          );
          return { PolicyName, PolicyDocument: parsePolicyDocument(r.PolicyDocument ?? '') };
        }),
      );
      return [role, policies] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
function parsePolicyDocument(raw: string): unknown {
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // Not encoded after all (a literal `%` in plain JSON): parse as it is.
  }
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(raw);
  }
}

async function fetchTopics(session: AwsSession): Promise<string[]> {
  const topics = await awsItems({
    fetch: (NextToken) => session.send<ListTopicsCommandOutput>('sns', new ListTopicsCommand({ NextToken })),
    next: (r) => r.NextToken,
    items: (r) => r.Topics,
  });
  return topics.map((t) => t.TopicArn ?? '').filter(Boolean);
}

async function fetchBuckets(session: AwsSession): Promise<string[]> {
  const buckets = await awsItems({
    fetch: (ContinuationToken) =>
      session.send<ListBucketsCommandOutput>('s3', new ListBucketsCommand({ ContinuationToken })),
    next: (r) => r.ContinuationToken,
    items: (r) => r.Buckets,
  });
  return buckets.map((b) => b.Name ?? '').filter(Boolean);
}

/** KMS Decrypt of each base64 ciphertext, in parallel; the plaintexts are UTF-8 text. */
async function decryptAll(session: AwsSession, ciphertexts: string[]): Promise<Record<string, string>> {
  const plaintexts = await Promise.all(
    ciphertexts.map(async (c) => {
      const out = await session.send(
        'kms',
        new DecryptCommand({ CiphertextBlob: Buffer.from(c, 'base64') }),
        'senza:kms value',
      );
      return [c, Buffer.from(out.Plaintext ?? new Uint8Array()).toString('utf8')] as const;
    }),
  );
  return Object.fromEntries(plaintexts);
}

/** Registry look-ups for Taupage images, in parallel (not AWS, but facts the template depends on). */
async function checkDockerImages(images: string[]): Promise<Record<string, boolean | null>> {
  return Object.fromEntries(await Promise.all(images.map(async (i) => [i, await dockerImageExists(i)] as const)));
}
