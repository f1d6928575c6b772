import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MotoClients } from '../aws/moto-clients.js';
import { type MotoServer, startMoto } from '../aws/moto-server.js';
import { demuxFrames } from './container-logs.js';
import {
  containerPorts,
  decryptEnvironment,
  kmsDecrypt,
  parseTaupageUserData,
  userDataText,
} from './taupage-config.js';

/** senza's user data for hello-world (senza.md §4.5 golden layout), base64 as EC2 hands it out. */
const USER_DATA = [
  '#taupage-ami-config',
  'application_id: hello-world',
  "application_version: '1'",
  'environment:',
  '  GREETING: hello',
  '  PORT: 8080',
  '  DEBUG: true',
  'health_check_path: /health',
  'notify_cfn:',
  '  resource: AppServer',
  '  stack: hello-world-1',
  'ports:',
  '  80: 8080',
  '  8443: 8443',
  'runtime: Docker',
  'source: pierone.example.org/myteam/hello-world:1',
  '',
].join('\n');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('parseTaupageUserData', () => {
  it('reads source, environment (as text), ports, health check path, application id and version', () => {
    const config = parseTaupageUserData(b64(USER_DATA));
    expect(config).toMatchObject({
      source: 'pierone.example.org/myteam/hello-world:1',
      environment: { GREETING: 'hello', PORT: '8080', DEBUG: 'true' },
      ports: { 80: 8080, 8443: 8443 },
      healthCheckPath: '/health',
      applicationId: 'hello-world',
      applicationVersion: '1',
      runtime: 'Docker',
    });
    expect(config?.raw.notify_cfn).toEqual({ resource: 'AppServer', stack: 'hello-world-1' });
    expect(config && containerPorts(config)).toEqual([8080, 8443]);
  });

  it('accepts plain text; numeric versions stay text', () => {
    const config = parseTaupageUserData('#taupage-ami-config\nsource: team/app:2\napplication_version: 2\n');
    expect(config).toMatchObject({ source: 'team/app:2', applicationVersion: '2', ports: {}, environment: {} });
  });

  it('is undefined for user data that is not Taupage, has no source, or is no YAML map', () => {
    expect(parseTaupageUserData(undefined)).toBeUndefined();
    expect(parseTaupageUserData(b64('#!/bin/sh\necho hi\n'))).toBeUndefined();
    expect(parseTaupageUserData(b64('#taupage-ami-config\nruntime: Docker\n'))).toBeUndefined();
    expect(parseTaupageUserData(b64('#taupage-ami-config\n- a\n- b\n'))).toBeUndefined();
    expect(parseTaupageUserData(b64('#taupage-ami-config\nsource: [unclosed\n'))).toBeUndefined();
  });

  it('userDataText decodes base64 and leaves text alone', () => {
    expect(userDataText(b64(USER_DATA))).toBe(USER_DATA);
    expect(userDataText(USER_DATA)).toBe(USER_DATA);
  });

  it('drops ports that are no port numbers', () => {
    const config = parseTaupageUserData(
      b64('#taupage-ami-config\nsource: t/a:1\nports:\n  x: 1\n  80: 70000\n  81: 81\n'),
    );
    expect(config?.ports).toEqual({ 81: 81 });
  });
});

describe('decryptEnvironment', () => {
  it('replaces aws:kms: values by what decrypt returns and keeps the others', async () => {
    const seen: string[] = [];
    const env = await decryptEnvironment({ PLAIN: 'x', SECRET: `aws:kms:${b64('cipher')}` }, async (c) => {
      seen.push(Buffer.from(c).toString());
      return 'plain-secret';
    });
    expect(env).toEqual({ PLAIN: 'x', SECRET: 'plain-secret' });
    expect(seen).toEqual(['cipher']);
  });

  it('names the key whose value does not decrypt', async () => {
    const failing = decryptEnvironment({ OK: 'x', DB_PASSWORD: `aws:kms:${b64('junk')}` }, async () => {
      throw new Error('InvalidCiphertextException');
    });
    await expect(failing).rejects.toMatchObject({
      name: 'EnvironmentDecryptError',
      key: 'DB_PASSWORD',
      message: 'DB_PASSWORD: InvalidCiphertextException',
    });
  });
});

describe('demuxFrames', () => {
  it('joins the payloads of stdout and stderr frames; unframed bytes stay as they are', () => {
    const frame = (stream: number, text: string) => {
      const head = Buffer.alloc(8);
      head[0] = stream;
      head.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([head, Buffer.from(text)]);
    };
    expect(demuxFrames(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more')])).toString()).toBe(
      'out\nerr\nmore',
    );
    expect(demuxFrames(Buffer.from('plain tty output')).toString()).toBe('plain tty output');
  });
});

describe('aws:kms: values against moto KMS', () => {
  let dir: string;
  let moto: MotoServer;
  let clients: MotoClients;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'taupage-kms-'));
    moto = await startMoto({ stateDir: dir });
    clients = new MotoClients(moto.endpoint);
  }, 60_000);
  afterAll(async () => {
    clients?.destroy();
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decrypts what KMS Encrypt made, as Taupage does', async () => {
    const kms = clients.kms('eu-central-1');
    const key = await kms.send(new CreateKeyCommand({ Description: 'taupage test' }));
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: key.KeyMetadata?.KeyId, Plaintext: Buffer.from('s3cr3t value') }),
    );
    const blob = Buffer.from(encrypted.CiphertextBlob ?? new Uint8Array()).toString('base64');
    const config = parseTaupageUserData(
      b64(`#taupage-ami-config\nsource: t/a:1\nenvironment:\n  DB_PASSWORD: "aws:kms:${blob}"\n  USER: app\n`),
    );
    expect(config).toBeDefined();
    const env = await decryptEnvironment(config?.environment ?? {}, kmsDecrypt(kms));
    expect(env).toEqual({ DB_PASSWORD: 's3cr3t value', USER: 'app' });
    await expect(decryptEnvironment({ X: `aws:kms:${b64('garbage')}` }, kmsDecrypt(kms))).rejects.toThrow();
  });
});
