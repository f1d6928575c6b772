import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, ImportCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { AwsSession } from '@stups/core/aws';
import { fetchAccountFacts } from '@stups/core/senza';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsProxy, startAwsProxy } from '../aws-proxy.js';
import { type MotoServer, startMoto } from '../moto-server.js';

const REGION = 'eu-central-1';
let dir: string;
let moto: MotoServer;
let layer: AwsProxy;
let acm: ACMClient;
const arns: Record<string, string> = {};

/** A self-signed certificate with that key (`openssl req -newkey …`), imported into ACM through the layer. */
async function importCertificate(name: string, newkey: string[]): Promise<string> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...newkey,
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${name}.team.example.org`,
      '-addext',
      `subjectAltName=DNS:${name}.team.example.org`,
    ],
    { stdio: 'pipe' },
  );
  const r = await acm.send(
    new ImportCertificateCommand({ Certificate: await readFile(cert), PrivateKey: await readFile(key) }),
  );
  return r.CertificateArn ?? '';
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stups-acm-key-types-'));
  moto = await startMoto({ stateDir: dir });
  layer = await startAwsProxy({ motoEndpoint: moto.endpoint });
  acm = new ACMClient({
    region: REGION,
    endpoint: layer.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  arns.rsa = await importCertificate('rsa', ['-newkey', 'rsa:2048']);
  arns.ec = await importCertificate('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']);
});

afterAll(async () => {
  acm?.destroy();
  await layer?.close();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('ACM ListCertificates key types (correction acm-key-types)', () => {
  it('AWS lists only RSA_1024/RSA_2048 certificates unless Includes.keyTypes asks for others', async () => {
    const list = async (keyTypes?: ('RSA_2048' | 'EC_prime256v1')[]) =>
      (
        await acm.send(new ListCertificatesCommand(keyTypes ? { Includes: { keyTypes } } : {}))
      ).CertificateSummaryList?.map((c) => c.CertificateArn);
    expect(await list()).toEqual([arns.rsa]);
    expect(await list(['EC_prime256v1'])).toEqual([arns.ec]);
    expect((await list(['RSA_2048', 'EC_prime256v1']))?.sort()).toEqual([arns.rsa, arns.ec].sort());
  });

  it('senza considers certificates of every key type, ECDSA included', async () => {
    const saved = {
      endpoint: process.env.AWS_ENDPOINT_URL,
      id: process.env.AWS_ACCESS_KEY_ID,
      secret: process.env.AWS_SECRET_ACCESS_KEY,
    };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: layer.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    const session = new AwsSession({ region: REGION });
    try {
      const facts = await fetchAccountFacts(session, [{ kind: 'certificates' }]);
      expect(facts.acmCertificates?.map((c) => [c.domainName, c.status]).sort()).toEqual([
        ['ec.team.example.org', 'ISSUED'],
        ['rsa.team.example.org', 'ISSUED'],
      ]);
    } finally {
      session.destroy();
      for (const [k, v] of [
        ['AWS_ENDPOINT_URL', saved.endpoint],
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
