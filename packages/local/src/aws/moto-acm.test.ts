import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  RequestCertificateCommand,
} from '@aws-sdk/client-acm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_PYTHON_DIR, type MotoServer, startMoto } from './moto-server.js';

/**
 * moto with the ACM patch (python/stups_moto_acm.py): ListCertificates answers with AWS's
 * CertificateSummary (API_CertificateSummary): the names in `SubjectAlternativeNameSummaries` (the first
 * 100), `HasAdditionalSubjectAlternativeNames`, and no member that only DescribeCertificate has.
 */
let moto: MotoServer;
let dir: string;
let acm: ACMClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stups-moto-acm-'));
  moto = await startMoto({ stateDir: dir });
  acm = new ACMClient({
    region: 'eu-central-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
}, 60_000);

afterAll(async () => {
  acm?.destroy();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('ListCertificates as AWS answers it', () => {
  it('lists the names of each certificate in its summary, as DescribeCertificate has them', async () => {
    const { CertificateArn } = await acm.send(
      new RequestCertificateCommand({
        DomainName: '*.team.example.org',
        SubjectAlternativeNames: ['team.example.org', 'www.team.example.org'],
        ValidationMethod: 'DNS',
      }),
    );
    const listed = await acm.send(new ListCertificatesCommand({}));
    const summary = listed.CertificateSummaryList?.find((s) => s.CertificateArn === CertificateArn);
    const described = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    expect(summary?.SubjectAlternativeNameSummaries).toEqual(described.Certificate?.SubjectAlternativeNames);
    expect(summary?.SubjectAlternativeNameSummaries).toEqual(
      expect.arrayContaining(['*.team.example.org', 'team.example.org', 'www.team.example.org']),
    );
    expect(summary?.HasAdditionalSubjectAlternativeNames).toBe(false);
    expect(summary?.DomainName).toBe('*.team.example.org');
    expect(summary?.Status).toBe(described.Certificate?.Status);
    expect(summary?.NotAfter).toEqual(described.Certificate?.NotAfter);
  });

  it('sends no member that only DescribeCertificate has', async () => {
    // The raw answer: the SDK would drop unknown members, so only the wire shows them.
    const res = await fetch(moto.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'CertificateManager.ListCertificates',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20261207/eu-central-1/acm/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { CertificateSummaryList: Record<string, unknown>[] };
    expect(body.CertificateSummaryList.length).toBeGreaterThan(0);
    for (const summary of body.CertificateSummaryList) {
      for (const member of ['SubjectAlternativeNames', 'Issuer', 'Serial', 'Subject', 'Options', 'InUseBy'])
        expect(summary).not.toHaveProperty(member);
      expect(summary).toHaveProperty('SubjectAlternativeNameSummaries');
    }
  });

  it('lists only the first 100 names, and says when there are more', () => {
    // No certificate with more than 100 names can be requested (moto keeps ACM's quota), so the
    // summary is built from a described certificate directly.
    const script = [
      'import json, stups_moto_acm',
      'names = ["n%d.example.org" % i for i in range(101)]',
      'described = {"CertificateArn": "arn", "SubjectAlternativeNames": names, "Serial": "1", "Status": "ISSUED"}',
      'print(json.dumps([stups_moto_acm.summary_of(described), stups_moto_acm.summary_of(dict(described, SubjectAlternativeNames=names[:100]))]))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], {
      env: { ...process.env, PYTHONPATH: MOTO_PYTHON_DIR, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    const [more, all] = JSON.parse(out) as Record<string, unknown>[];
    expect((more.SubjectAlternativeNameSummaries as string[]).length).toBe(100);
    expect(more.HasAdditionalSubjectAlternativeNames).toBe(true);
    expect(more).toEqual(expect.not.objectContaining({ Serial: expect.anything() }));
    expect(more.Status).toBe('ISSUED');
    expect((all.SubjectAlternativeNameSummaries as string[]).length).toBe(100);
    expect(all.HasAdditionalSubjectAlternativeNames).toBe(false);
  });
});
