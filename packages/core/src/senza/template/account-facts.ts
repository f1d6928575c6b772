import { withoutDot } from '../../aws/dns-names.js';
import { NotFoundError, UsageError } from '../../errors.js';

/**
 * Facts about the target AWS account that template generation needs. They are collected from AWS
 * before compiling (each at most once per run, independent look-ups in parallel) into this plain,
 * JSON-serialisable snapshot; compiling reads only the snapshot and does no I/O.
 */
export interface AccountFactsSnapshot {
  region: string;
  accountId?: string | null;
  accountAlias?: string | null;
  vpcs?: { id: string; isDefault: boolean; cidr?: string }[];
  /** Hosted zones in API order; names carry the trailing dot (`team.example.org.`). */
  hostedZones?: { id: string; name: string }[];
  subnets?: { id: string; vpcId: string; availabilityZone: string; name?: string }[];
  /** Newest Taupage AMI per channel (greatest name), private images first, else public ones. */
  taupageImages?: { production?: string; staging?: string; dev?: string };
  securityGroups?: { id: string; name: string; tagName?: string; vpcId?: string }[];
  acmCertificates?: AcmCertificateFact[];
  iamServerCertificates?: IamServerCertificateFact[];
  natGateways?: { id: string; subnetId: string; privateIp?: string }[];
  /** Cross-stack resources, keyed `<stack>/<logicalId>`; null when the stack or resource does not exist. */
  stackResources?: Record<string, { status: string; physicalId?: string; type: string } | null>;
  /** Cross-stack outputs keyed by stack name; null when the stack does not exist. */
  stacks?: Record<string, { status: string; outputs: Record<string, string> } | null>;
  /** Inline policies of existing IAM roles (for merged roles). */
  rolePolicies?: Record<string, { PolicyName: string; PolicyDocument: unknown }[]>;
  /** SNS topic ARNs in the region. */
  topics?: string[];
  /** S3 bucket names of the account (for AccountInfo.MintBucket). */
  buckets?: string[];
  /**
   * Whether Docker images exist in their registries, keyed by image: true/false, or null when the
   * registry could not be asked (it needs credentials, e.g. Pier One's OAuth token).
   */
  dockerImages?: Record<string, boolean | null>;
  /** Plaintexts of `senza:kms:` SenzaInfo values, keyed by the base64 ciphertext. */
  kmsPlaintexts?: Record<string, string>;
}

export interface AcmCertificateFact {
  arn: string;
  domainName: string;
  subjectAlternativeNames: string[];
  status: string;
  notBefore?: string;
  notAfter?: string;
  createdAt?: string;
  importedAt?: string;
}

export interface IamServerCertificateFact {
  name: string;
  arn: string;
  uploadDate?: string;
  expiration?: string;
}

/** What a definition needs to know about the account. Collected before compiling. */
export type FactNeed =
  | { kind: 'accountId' }
  | { kind: 'accountAlias' }
  | { kind: 'vpcs' }
  | { kind: 'hostedZones' }
  | { kind: 'subnets' }
  | { kind: 'taupageImages' }
  | { kind: 'securityGroups'; names: string[] }
  | { kind: 'certificates' }
  | { kind: 'natGateways' }
  | { kind: 'stackResource'; stack: string; logicalId: string }
  | { kind: 'stackOutputs'; stack: string }
  | { kind: 'rolePolicies'; roles: string[] }
  | { kind: 'topics' }
  | { kind: 'buckets' }
  | { kind: 'kmsDecrypt'; ciphertexts: string[] }
  | { kind: 'dockerImages'; images: string[] };

function missing(what: string): never {
  // A component read a fact it did not declare in needs(): a bug in the engine, not in the input.
  throw new Error(`internal: account fact "${what}" was not collected before compiling`);
}

/** Read-only, synchronous view over a snapshot, with the look-up rules of the original senza. */
export class AccountFacts {
  constructor(readonly snapshot: AccountFactsSnapshot) {}

  get region(): string {
    return this.snapshot.region;
  }

  accountId(): string | null {
    if (this.snapshot.accountId === undefined) missing('accountId');
    return this.snapshot.accountId;
  }

  accountAlias(): string | null {
    if (this.snapshot.accountAlias === undefined) missing('accountAlias');
    return this.snapshot.accountAlias;
  }

  /** Account alias after its first dash (`myorg-team` → `team`); the whole alias without a dash. */
  teamId(): string | null {
    const alias = this.accountAlias();
    if (alias === null) return null;
    const i = alias.indexOf('-');
    return i < 0 ? alias : alias.slice(i + 1);
  }

  /** The default VPC, or the only VPC. */
  vpcId(): string {
    const vpcs = this.snapshot.vpcs ?? missing('vpcs');
    const def = vpcs.find((v) => v.isDefault);
    if (def) return def.id;
    if (vpcs.length === 1) return vpcs[0].id;
    if (vpcs.length === 0) {
      throw new NotFoundError(`Can't find any VPC in region ${this.region}`, {
        code: 'aws.vpc-missing',
        hint: 'Create a VPC in this region, or deploy to a region that has one.',
      });
    }
    throw new UsageError(
      `Multiple VPCs are only supported if one VPC is the default VPC (IsDefault=true)! Found ${vpcs.map((v) => v.id).join(', ')} in ${this.region}`,
      { code: 'aws.vpc-ambiguous', hint: 'Set VpcId on the configuration and load balancer components.' },
    );
  }

  hostedZones(): { id: string; name: string }[] {
    return this.snapshot.hostedZones ?? missing('hostedZones');
  }

  /** AccountInfo.Domain: the only hosted zone's name, without the trailing dot. */
  domain(): string {
    const zones = this.hostedZones();
    if (zones.length === 0) {
      throw new NotFoundError('No Domain configured: the account has no Route53 hosted zone', {
        code: 'aws.domain-missing',
        hint: 'Create a hosted zone for your team domain in Route53.',
      });
    }
    const names = [...new Set(zones.map((z) => withoutDot(z.name)))].sort();
    if (names.length > 1) {
      throw new UsageError(`Several hosted zones found (${names.join(', ')}); cannot pick the account domain`, {
        code: 'aws.domain-ambiguous',
        hint: 'Set MainDomain and VersionDomain on the load balancer component to choose the zone explicitly.',
      });
    }
    return names[0];
  }

  subnets(vpcId: string): { id: string; vpcId: string; availabilityZone: string; name?: string }[] {
    return (this.snapshot.subnets ?? missing('subnets')).filter((s) => s.vpcId === vpcId);
  }

  taupageImage(channel: 'production' | 'staging' | 'dev'): string | undefined {
    return (this.snapshot.taupageImages ?? missing('taupageImages'))[channel];
  }

  /** Security group id by `Name` tag, then by group name (first hit wins, like the original). */
  securityGroupId(name: string): string {
    const groups = this.snapshot.securityGroups ?? missing('securityGroups');
    const hit = groups.find((g) => g.tagName === name) ?? groups.find((g) => g.name === name);
    if (!hit) {
      throw new NotFoundError(`Security Group "${name}" does not exist in region ${this.region}`, {
        code: 'aws.security-group-missing',
        hint: 'Run `senza init` to (re-)create the security group, or fix the name in the definition.',
        data: { name, region: this.region },
      });
    }
    return hit.id;
  }

  acmCertificates(): AcmCertificateFact[] {
    return this.snapshot.acmCertificates ?? missing('acmCertificates');
  }

  iamServerCertificates(): IamServerCertificateFact[] {
    return this.snapshot.iamServerCertificates ?? missing('iamServerCertificates');
  }

  natGateways(): { id: string; subnetId: string; privateIp?: string }[] {
    return this.snapshot.natGateways ?? missing('natGateways');
  }

  stackResource(stack: string, logicalId: string): { status: string; physicalId?: string; type: string } | null {
    const all = this.snapshot.stackResources ?? missing('stackResources');
    const key = `${stack}/${logicalId}`;
    if (!(key in all)) missing(`stackResource ${key}`);
    return all[key];
  }

  stack(name: string): { status: string; outputs: Record<string, string> } | null {
    const all = this.snapshot.stacks ?? missing('stacks');
    if (!(name in all)) missing(`stack ${name}`);
    return all[name];
  }

  rolePolicies(role: string): { PolicyName: string; PolicyDocument: unknown }[] {
    const all = this.snapshot.rolePolicies ?? missing('rolePolicies');
    if (!(role in all)) missing(`rolePolicies ${role}`);
    return all[role];
  }

  topics(): string[] {
    return this.snapshot.topics ?? missing('topics');
  }

  buckets(): string[] {
    return this.snapshot.buckets ?? missing('buckets');
  }

  /** Whether a Docker image exists in its registry (null: not checkable without credentials). */
  dockerImageExists(image: string): boolean | null {
    const all = this.snapshot.dockerImages ?? missing('dockerImages');
    if (!(image in all)) missing(`dockerImage ${image}`);
    return all[image];
  }

  /** The plaintext of a base64 KMS ciphertext (decrypted in this region before compiling). */
  kmsPlaintext(ciphertext: string): string {
    const all = this.snapshot.kmsPlaintexts ?? missing('kmsPlaintexts');
    if (!(ciphertext in all)) missing(`kmsPlaintext ${ciphertext.slice(0, 12)}…`);
    return all[ciphertext];
  }

  /**
   * AccountInfo.MintBucket: `<org>-stups-mint-<account>-<region>` if it exists, else the first bucket
   * with that prefix, else the computed name.
   */
  mintBucket(): string {
    const alias = this.accountAlias() ?? '';
    const prefix = alias.split('-')[0];
    const base = `${prefix}-stups-mint-${this.accountId()}-`;
    const wanted = `${base}${this.region}`;
    const buckets = this.buckets();
    if (buckets.includes(wanted)) return wanted;
    return buckets.find((b) => b.startsWith(base)) ?? wanted;
  }
}
