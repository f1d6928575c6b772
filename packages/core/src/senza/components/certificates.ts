import { withoutDot } from '../../aws/dns-names.js';
import { isArnOf } from '../../aws/partition.js';
import { NotFoundError } from '../../errors.js';
import type { AccountFacts, AcmCertificateFact, IamServerCertificateFact } from '../template/account-facts.js';
import { isObject, type Json } from '../template/template-types.js';
import { type ComponentContext, configError } from './component.js';

/** The domain a weighted DNS load balancer serves: `<subdomain>.<zone>` (zone with or without trailing dot). */
export interface WeightedDomain {
  subdomain: string;
  zone: string;
}

/** An ACM certificate ARN, in any partition (`arn:aws-cn:acm:…` in China, `arn:aws-us-gov:acm:…`). */
export function isAcmCertificateArn(value: string): boolean {
  return isArnOf(value, 'acm');
}

export function isIamServerCertificateArn(value: string): boolean {
  return isArnOf(value, 'iam') && value.includes('server-certificate');
}

/**
 * Whether resolving this `SSLCertificateId` value reads the account's certificates: everything but an
 * IAM server-certificate ARN (used as is) and an intrinsic function (passed through).
 */
export function certificateLookupNeeded(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return typeof value === 'string' && !isIamServerCertificateArn(value);
}

function time(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * TLS host name matching (RFC 6125, as Python's `ssl.match_hostname`): case-insensitive; a `*` is
 * allowed only as the whole left-most label and stands for exactly one non-empty label, so
 * `*.zo.ne` matches `a.zo.ne` but neither `a.b.zo.ne` nor `zo.ne`.
 */
export function hostnameMatches(pattern: string, hostname: string): boolean {
  const p = withoutDot(pattern.toLowerCase());
  const h = withoutDot(hostname.toLowerCase());
  if (!p.includes('*')) return p === h;
  const [first, ...rest] = p.split('.');
  if (first !== '*' || rest.length === 0 || rest.some((label) => label.includes('*'))) return false;
  const [hostFirst, ...hostRest] = h.split('.');
  return hostFirst.length > 0 && hostRest.join('.') === rest.join('.');
}

/** The names an ACM certificate is good for: its SANs, or its domain name when it has none. */
export function acmCertificateMatches(cert: AcmCertificateFact, hostname: string): boolean {
  const names = cert.subjectAlternativeNames.length > 0 ? cert.subjectAlternativeNames : [cert.domainName];
  return names.some((n) => hostnameMatches(n, hostname));
}

/** `ISSUED` and `NotBefore < now < NotAfter` (a missing bound does not limit). */
export function acmCertificateValid(cert: AcmCertificateFact, now: Date): boolean {
  if (cert.status !== 'ISSUED') return false;
  const t = now.getTime();
  const notBefore = time(cert.notBefore);
  const notAfter = time(cert.notAfter);
  return (notBefore === undefined || notBefore < t) && (notAfter === undefined || t < notAfter);
}

/** IAM server certificates are valid until they expire (the original checked only `now < Expiration`). */
export function iamCertificateValid(cert: IamServerCertificateFact, now: Date): boolean {
  const expiration = time(cert.expiration);
  return expiration === undefined || now.getTime() < expiration;
}

function newestFirst<T>(items: T[], date: (item: T) => number | undefined): T[] {
  // Stable sort; undated items go last.
  return [...items].sort((a, b) => (date(b) ?? Number.NEGATIVE_INFINITY) - (date(a) ?? Number.NEGATIVE_INFINITY));
}

const acmDate = (c: AcmCertificateFact) => time(c.createdAt) ?? time(c.importedAt);
const iamDate = (c: IamServerCertificateFact) => time(c.uploadDate);

/**
 * The certificate a weighted DNS load balancer gets when `SSLCertificateId` is absent: valid ACM
 * certificates matching `<subdomain>.<zone>`, newest first; then valid IAM server certificates whose
 * name starts with the zone with dots as dashes (`team.example.org.` → `team-example-org`), or, when
 * none does, any valid IAM certificate. Returns the ARN, or null when nothing fits.
 */
export function selectCertificate(
  domain: WeightedDomain,
  certificates: { acm: AcmCertificateFact[]; iam: IamServerCertificateFact[] },
  now: Date,
): string | null {
  const zone = withoutDot(domain.zone);
  const acm = zone
    ? newestFirst(
        certificates.acm.filter(
          (c) => acmCertificateValid(c, now) && acmCertificateMatches(c, `${domain.subdomain}.${zone}`),
        ),
        acmDate,
      )
    : [];
  if (acm.length > 0) return acm[0].arn;
  const pattern = zone.toLowerCase().replace(/\./g, '-');
  const valid = certificates.iam.filter((c) => iamCertificateValid(c, now));
  const named = valid.filter((c) => c.name.startsWith(pattern));
  // Deviation from senza: the newest matching IAM certificate wins; the original sorted the
  // zone-named ones oldest first and so picked the certificate closest to expiry.
  const iam = newestFirst(named.length > 0 ? named : valid, iamDate);
  return iam.length > 0 ? iam[0].arn : null;
}

/**
 * An IAM server certificate by name (like `GetServerCertificate`); failing that, the newest valid one
 * whose name starts with `name` (certificates renewed with a date suffix).
 */
export function iamCertificateByName(name: string, certificates: IamServerCertificateFact[], now: Date): string {
  const exact = certificates.find((c) => c.name === name);
  if (exact) return exact.arn;
  const prefixed = newestFirst(
    certificates.filter((c) => c.name.startsWith(name) && iamCertificateValid(c, now)),
    iamDate,
  );
  if (prefixed.length > 0) return prefixed[0].arn;
  throw new NotFoundError(`The Server Certificate with name ${name} cannot be found.`, {
    code: 'aws.certificate-missing',
    hint: 'Check SSLCertificateId: use an ACM certificate ARN, an IAM server-certificate ARN or an existing IAM server certificate name.',
    data: { name },
  });
}

/**
 * Resolves one explicit `SSLCertificateId` string to an ARN: an ACM ARN must exist in the account,
 * an IAM server-certificate ARN is used as is, anything else names an IAM server certificate.
 */
export function resolveCertificateId(value: string, facts: AccountFacts, now: Date): string {
  if (isAcmCertificateArn(value)) {
    if (!facts.acmCertificates().some((c) => c.arn === value)) {
      throw new NotFoundError(`Could not find certificate ${value}`, {
        code: 'aws.certificate-missing',
        hint: `The ACM certificate does not exist in region ${facts.region}; check SSLCertificateId.`,
        data: { arn: value, region: facts.region },
      });
    }
    return value;
  }
  if (isIamServerCertificateArn(value)) return value;
  return iamCertificateByName(value, facts.iamServerCertificates(), now);
}

/** The automatic certificate for a weighted domain, or NotFoundError like the original. */
export function requireDomainCertificate(domain: WeightedDomain, facts: AccountFacts, now: Date): string {
  const arn = selectCertificate(domain, { acm: facts.acmCertificates(), iam: facts.iamServerCertificates() }, now);
  if (arn !== null) return arn;
  const zone = withoutDot(domain.zone);
  const text = zone
    ? `Could not find any matching SSL certificate for "${domain.subdomain}.${zone}"`
    : 'Could not find any SSL certificate';
  throw new NotFoundError(text, {
    code: 'senza.certificate-missing',
    hint: 'Request an ACM certificate for the domain (or a wildcard for its zone), or set SSLCertificateId.',
    data: { domain: zone ? `${domain.subdomain}.${zone}` : null },
  });
}

/**
 * The certificate of one HTTPS/SSL listener: an explicit `SSLCertificateId` resolved, an intrinsic
 * function (`{Ref: ...}`) passed through, or, when absent, the automatic choice for the weighted domain.
 * `key` locates the value in the component for error messages.
 */
export function listenerCertificate(
  value: unknown,
  weighted: WeightedDomain | null,
  ctx: ComponentContext,
  key: string | (string | number)[],
  now: Date,
): Json {
  if (typeof value === 'string') return resolveCertificateId(value, ctx.facts, now);
  if (isObject(value)) return value;
  if (value !== undefined && value !== null) {
    throw configError(ctx, key, `SSLCertificateId must be a certificate ARN or name, not ${JSON.stringify(value)}`);
  }
  if (weighted !== null) return requireDomainCertificate(weighted, ctx.facts, now);
  // Deviation from senza: the original left the certificate null and CloudFormation rejected the
  // stack later; without a weighted domain there is nothing to choose a certificate for.
  throw configError(
    ctx,
    key,
    'an HTTPS listener needs a certificate',
    'Set SSLCertificateId (an ACM or IAM certificate ARN, or an IAM certificate name), or use HTTP Listeners.',
  );
}
