import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../aws/aws-session.js';
import { fetchAccountFacts } from './account-facts-fetch.js';

// ACM certificates from canned AWS answers (API_CertificateSummary, API_DescribeCertificate): the summary
// serves when it lists every name (HasAdditionalSubjectAlternativeNames false) and has the validity; a
// certificate with more than the 100 names ListCertificates lists is described. The local platform's
// ListCertificates now answers as AWS does, so only canned answers reach the describe path.

const T = new Date('2026-01-01T00:00:00Z');
const U = new Date('2027-01-01T00:00:00Z');
const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}.example.org`);

function acmSession(summaries: Record<string, unknown>[], described: Record<string, Record<string, unknown>>) {
  const calls: string[] = [];
  const fake = {
    region: 'eu-central-1',
    // biome-ignore lint/suspicious/noExplicitAny: mirrors AwsSession.send
    async send(_service: string, command: any) {
      const operation = String(command.constructor.name).replace(/Command$/, '');
      calls.push(operation === 'DescribeCertificate' ? `${operation} ${command.input.CertificateArn}` : operation);
      if (operation === 'ListCertificates') return { CertificateSummaryList: summaries };
      if (operation === 'DescribeCertificate') return { Certificate: described[command.input.CertificateArn] };
      if (operation === 'ListServerCertificates') return { ServerCertificateMetadataList: [] };
      throw new Error(`unexpected ${operation}`);
    },
  };
  return { session: fake as unknown as AwsSession, calls };
}

describe('ACM certificates', () => {
  it('takes a complete summary as it is and describes only an issued certificate with more names', async () => {
    const { session, calls } = acmSession(
      [
        {
          CertificateArn: 'arn:complete',
          DomainName: '*.team.example.org',
          SubjectAlternativeNameSummaries: ['*.team.example.org', 'team.example.org'],
          HasAdditionalSubjectAlternativeNames: false,
          Status: 'ISSUED',
          NotBefore: T,
          NotAfter: U,
          CreatedAt: T,
        },
        {
          CertificateArn: 'arn:many',
          DomainName: 'n0.example.org',
          SubjectAlternativeNameSummaries: names(100),
          HasAdditionalSubjectAlternativeNames: true,
          Status: 'ISSUED',
          NotBefore: T,
          NotAfter: U,
        },
        {
          CertificateArn: 'arn:pending',
          DomainName: 'pending.example.org',
          HasAdditionalSubjectAlternativeNames: true,
          Status: 'PENDING_VALIDATION',
        },
      ],
      {
        'arn:many': {
          CertificateArn: 'arn:many',
          DomainName: 'n0.example.org',
          SubjectAlternativeNames: names(101),
          Status: 'ISSUED',
          NotBefore: T,
          NotAfter: U,
        },
      },
    );
    const facts = await fetchAccountFacts(session, [{ kind: 'certificates' }]);
    expect(calls.sort()).toEqual(['DescribeCertificate arn:many', 'ListCertificates', 'ListServerCertificates']);
    const byArn = Object.fromEntries((facts.acmCertificates ?? []).map((c) => [c.arn, c]));
    expect(byArn['arn:complete']).toMatchObject({
      domainName: '*.team.example.org',
      subjectAlternativeNames: ['*.team.example.org', 'team.example.org'],
      status: 'ISSUED',
      notAfter: U.toISOString(),
    });
    expect(byArn['arn:many']?.subjectAlternativeNames).toHaveLength(101);
    expect(byArn['arn:pending']).toMatchObject({ status: 'PENDING_VALIDATION' });
  });
});
