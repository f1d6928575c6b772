import { describe, expect, it } from 'vitest';
import { DefinitionError, NotFoundError } from '../../errors.js';
import type { AcmCertificateFact, IamServerCertificateFact } from '../template/account-facts.js';
import {
  acmCertificateValid,
  certificateLookupNeeded,
  hostnameMatches,
  iamCertificateValid,
  listenerCertificate,
  requireDomainCertificate,
  resolveCertificateId,
  selectCertificate,
} from './certificates.js';
import { testContext } from './test-context.js';

const NOW = new Date('2024-06-01T00:00:00Z');

function acm(arn: string, names: string[], extra: Partial<AcmCertificateFact> = {}): AcmCertificateFact {
  return {
    arn,
    domainName: names[0],
    subjectAlternativeNames: names,
    status: 'ISSUED',
    notBefore: '2024-01-01T00:00:00Z',
    notAfter: '2025-01-01T00:00:00Z',
    createdAt: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

function iam(name: string, uploadDate: string, expiration = '2030-01-01T00:00:00Z'): IamServerCertificateFact {
  return { name, arn: `arn:aws:iam::123456789012:server-certificate/${name}`, uploadDate, expiration };
}

const domain = { subdomain: 'app', zone: 'zo.ne.' };

describe('hostnameMatches (TLS wildcard rules)', () => {
  it('matches exact names case-insensitively', () => {
    expect(hostnameMatches('app.zo.ne', 'APP.zo.ne')).toBe(true);
    expect(hostnameMatches('app.zo.ne', 'app.zo.ne.')).toBe(true);
    expect(hostnameMatches('app.zo.ne', 'other.zo.ne')).toBe(false);
  });

  it('lets a left-most * stand for exactly one label', () => {
    expect(hostnameMatches('*.zo.ne', 'a.zo.ne')).toBe(true);
    expect(hostnameMatches('*.ZO.NE', 'a.zo.ne')).toBe(true);
    expect(hostnameMatches('*.zo.ne', 'a.b.zo.ne')).toBe(false);
    expect(hostnameMatches('*.zo.ne', 'zo.ne')).toBe(false);
    expect(hostnameMatches('*.zo.ne', '.zo.ne')).toBe(false);
  });

  it('rejects partial and non-left-most wildcards', () => {
    expect(hostnameMatches('a*.zo.ne', 'ab.zo.ne')).toBe(false);
    expect(hostnameMatches('a.*.ne', 'a.zo.ne')).toBe(false);
    expect(hostnameMatches('*', 'localhost')).toBe(false);
  });
});

describe('validity windows', () => {
  it('accepts ACM certificates only when ISSUED and NotBefore < now < NotAfter', () => {
    expect(acmCertificateValid(acm('a', ['x']), NOW)).toBe(true);
    expect(acmCertificateValid(acm('a', ['x'], { status: 'PENDING_VALIDATION' }), NOW)).toBe(false);
    expect(acmCertificateValid(acm('a', ['x'], { notAfter: '2024-05-01T00:00:00Z' }), NOW)).toBe(false);
    expect(acmCertificateValid(acm('a', ['x'], { notBefore: '2024-07-01T00:00:00Z' }), NOW)).toBe(false);
  });

  it('accepts IAM certificates until they expire', () => {
    expect(iamCertificateValid(iam('c', '2020-01-01T00:00:00Z'), NOW)).toBe(true);
    expect(iamCertificateValid(iam('c', '2020-01-01T00:00:00Z', '2024-05-31T23:59:59Z'), NOW)).toBe(false);
  });
});

describe('selectCertificate', () => {
  it('prefers a matching ACM certificate over IAM certificates', () => {
    const arn = selectCertificate(
      domain,
      { acm: [acm('acm-wild', ['*.zo.ne'])], iam: [iam('zo-ne', '2024-01-01T00:00:00Z')] },
      NOW,
    );
    expect(arn).toBe('acm-wild');
  });

  it('takes the newest matching ACM certificate (CreatedAt, else ImportedAt)', () => {
    const certs = [
      acm('old', ['*.zo.ne'], { createdAt: '2024-01-01T00:00:00Z' }),
      acm('imported', ['app.zo.ne'], { createdAt: undefined, importedAt: '2024-03-01T00:00:00Z' }),
      acm('newer', ['*.zo.ne'], { createdAt: '2024-02-01T00:00:00Z' }),
    ];
    expect(selectCertificate(domain, { acm: certs, iam: [] }, NOW)).toBe('imported');
  });

  it('skips expired, not-yet-valid, unissued and non-matching ACM certificates', () => {
    const certs = [
      acm('expired', ['*.zo.ne'], { createdAt: '2024-05-01T00:00:00Z', notAfter: '2024-05-30T00:00:00Z' }),
      acm('future', ['*.zo.ne'], { createdAt: '2024-05-02T00:00:00Z', notBefore: '2024-07-01T00:00:00Z' }),
      acm('pending', ['*.zo.ne'], { createdAt: '2024-05-03T00:00:00Z', status: 'PENDING_VALIDATION' }),
      acm('deeper', ['*.app.zo.ne'], { createdAt: '2024-05-04T00:00:00Z' }),
      acm('other', ['*.other.zone'], { createdAt: '2024-05-05T00:00:00Z' }),
      acm('good', ['zo.ne', 'app.zo.ne'], { createdAt: '2023-12-01T00:00:00Z' }),
    ];
    expect(selectCertificate(domain, { acm: certs, iam: [] }, NOW)).toBe('good');
    expect(selectCertificate(domain, { acm: certs.slice(0, 5), iam: [] }, NOW)).toBeNull();
  });

  it('matches the domain name when a certificate lists no SANs', () => {
    const cert = acm('cn-only', ['*.zo.ne'], { subjectAlternativeNames: [] });
    expect(selectCertificate(domain, { acm: [cert], iam: [] }, NOW)).toBe('cn-only');
  });

  // Deviation from senza: the newest valid IAM certificate named after the zone wins (upstream: the oldest).
  it('falls back to the newest valid IAM certificate named after the zone', () => {
    const certs = [
      iam('zo-ne-2022', '2022-01-01T00:00:00Z'),
      iam('zo-ne-2024', '2024-01-01T00:00:00Z'),
      iam('zo-ne-2025', '2024-05-01T00:00:00Z', '2024-05-31T00:00:00Z'),
      iam('unrelated', '2024-04-01T00:00:00Z'),
    ];
    expect(selectCertificate(domain, { acm: [], iam: certs }, NOW)).toBe(
      'arn:aws:iam::123456789012:server-certificate/zo-ne-2024',
    );
  });

  it('uses any valid IAM certificate, newest first, when none is named after the zone', () => {
    const certs = [iam('b', '2021-01-01T00:00:00Z'), iam('a', '2023-01-01T00:00:00Z')];
    expect(selectCertificate({ subdomain: 'app', zone: 'Team.Example.org.' }, { acm: [], iam: certs }, NOW)).toBe(
      'arn:aws:iam::123456789012:server-certificate/a',
    );
    const named = [...certs, iam('team-example-org', '2020-01-01T00:00:00Z')];
    expect(selectCertificate({ subdomain: 'app', zone: 'Team.Example.org.' }, { acm: [], iam: named }, NOW)).toBe(
      'arn:aws:iam::123456789012:server-certificate/team-example-org',
    );
  });

  it('returns null when nothing fits', () => {
    expect(selectCertificate(domain, { acm: [], iam: [] }, NOW)).toBeNull();
  });
});

describe('resolveCertificateId', () => {
  const acmArn = 'arn:aws:acm:eu-central-1:123456789012:certificate/abc';
  const facts = (certs: { acm?: AcmCertificateFact[]; iam?: IamServerCertificateFact[] }) =>
    testContext({ facts: { acmCertificates: certs.acm ?? [], iamServerCertificates: certs.iam ?? [] } }).ctx.facts;

  it('checks that an ACM ARN exists', () => {
    expect(resolveCertificateId(acmArn, facts({ acm: [acm(acmArn, ['x'])] }), NOW)).toBe(acmArn);
    expect(() => resolveCertificateId(acmArn, facts({}), NOW)).toThrow(NotFoundError);
  });

  it('uses an IAM server-certificate ARN as is, without reading the account', () => {
    const arn = 'arn:aws:iam::123456789012:server-certificate/mine';
    expect(resolveCertificateId(arn, testContext().ctx.facts, NOW)).toBe(arn);
  });

  it('knows certificate ARNs of every partition (aws-cn, aws-us-gov)', () => {
    const cn = 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc';
    expect(resolveCertificateId(cn, facts({ acm: [acm(cn, ['x'])] }), NOW)).toBe(cn);
    expect(() => resolveCertificateId(cn, facts({}), NOW)).toThrow(NotFoundError);
    const gov = 'arn:aws-us-gov:iam::123456789012:server-certificate/mine';
    expect(certificateLookupNeeded(gov)).toBe(false);
    expect(resolveCertificateId(gov, testContext().ctx.facts, NOW)).toBe(gov);
  });

  it('looks an IAM certificate up by name, then by the newest valid name prefix', () => {
    const certs = [
      iam('my-cert', '2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'),
      iam('other-2023', '2023-01-01T00:00:00Z'),
      iam('other-2024', '2024-01-01T00:00:00Z'),
      iam('other-2025', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'),
    ];
    // An exact name is used even when expired, like GetServerCertificate.
    expect(resolveCertificateId('my-cert', facts({ iam: certs }), NOW)).toBe(certs[0].arn);
    expect(resolveCertificateId('other', facts({ iam: certs }), NOW)).toBe(certs[2].arn);
    expect(() => resolveCertificateId('missing', facts({ iam: certs }), NOW)).toThrow(
      'The Server Certificate with name missing cannot be found.',
    );
  });
});

describe('requireDomainCertificate', () => {
  it('names the domain when nothing matches', () => {
    const { ctx } = testContext({ facts: { acmCertificates: [], iamServerCertificates: [] } });
    const run = () => requireDomainCertificate(domain, ctx.facts, NOW);
    expect(run).toThrow(NotFoundError);
    expect(run).toThrow('Could not find any matching SSL certificate for "app.zo.ne"');
  });
});

describe('listenerCertificate', () => {
  const { ctx } = testContext({
    name: 'LB',
    facts: { acmCertificates: [acm('acm-wild', ['*.zo.ne'])], iamServerCertificates: [] },
  });

  it('chooses the certificate of the weighted domain when none is given', () => {
    expect(listenerCertificate(undefined, domain, ctx, 'SSLCertificateId', NOW)).toBe('acm-wild');
  });

  it('passes intrinsic functions through', () => {
    expect(listenerCertificate({ Ref: 'CertArn' }, null, ctx, 'SSLCertificateId', NOW)).toEqual({ Ref: 'CertArn' });
  });

  // Deviation from senza: upstream emitted SSLCertificateId null, which CloudFormation rejects.
  it('rejects an HTTPS listener without certificate and without weighted domain', () => {
    try {
      listenerCertificate(null, null, ctx, ['Listeners', 1, 'SSLCertificateId'], NOW);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DefinitionError);
      const err = e as DefinitionError;
      expect(err.reason).toBe('an HTTPS listener needs a certificate');
      expect(err.location.path).toEqual(['SenzaComponents', 0, 'LB', 'Listeners', 1, 'SSLCertificateId']);
      expect(err.hint).toMatch(/SSLCertificateId.*HTTP Listeners/);
    }
  });

  it('rejects values that are no certificate', () => {
    expect(() => listenerCertificate(42, domain, ctx, 'SSLCertificateId', NOW)).toThrow(DefinitionError);
  });
});

describe('certificateLookupNeeded', () => {
  it('needs the account certificates except for IAM ARNs and intrinsics', () => {
    expect(certificateLookupNeeded(undefined)).toBe(true);
    expect(certificateLookupNeeded('my-cert')).toBe(true);
    expect(certificateLookupNeeded('arn:aws:acm:eu-central-1:1:certificate/x')).toBe(true);
    expect(certificateLookupNeeded('arn:aws:iam::1:server-certificate/x')).toBe(false);
    expect(certificateLookupNeeded({ Ref: 'X' })).toBe(false);
  });
});
