import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import {
  diagnoseDockerConfig,
  MalformedDockerConfigError,
  registerCredentialHelper,
  removeRegistryLogin,
  storeRegistryToken,
} from './docker-config.js';
import { parseImageRef } from './image-ref.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const configPath = () => join(dir, 'config.json');
const read = () => JSON.parse(readFileSync(configPath(), 'utf8'));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'docker-config-'));
  env = { DOCKER_CONFIG: dir, PATH: '' };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Docker config editing', () => {
  it('registers the helper under host:port, 0600 on create', async () => {
    const change = await registerCredentialHelper('http://127.0.0.1:5000', env);
    expect(change).toMatchObject({ registry: '127.0.0.1:5000', created: true, removedAuths: [] });
    expect(read()).toEqual({ auths: {}, credHelpers: { '127.0.0.1:5000': 'pierone' } });
    expect(statSync(configPath()).mode & 0o777).toBe(0o600);
  });

  it('keeps every other key, removes stale auths of that registry only; a file with credentials ends 0600', async () => {
    writeFileSync(
      configPath(),
      JSON.stringify({
        credsStore: 'desktop',
        credHelpers: { 'gcr.io': 'gcloud' },
        auths: {
          'https://pierone.example.org': { auth: 'eA==' },
          'pierone.example.org': { auth: 'eQ==' },
          'other.example.org': { auth: 'eg==' },
        },
        experimental: 'enabled',
      }),
      { mode: 0o644 },
    );
    const change = await registerCredentialHelper('pierone.example.org', env);
    expect(change.removedAuths.sort()).toEqual(['https://pierone.example.org', 'pierone.example.org']);
    expect(read()).toEqual({
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud', 'pierone.example.org': 'pierone' },
      auths: { 'other.example.org': { auth: 'eg==' } },
      experimental: 'enabled',
    });
    // other.example.org's credentials are still inside: not readable by others any more
    expect(statSync(configPath()).mode & 0o777).toBe(0o600);
  });

  it('a file without credentials keeps its mode; --store-token over a 0644 file leaves it 0600', async () => {
    writeFileSync(configPath(), JSON.stringify({ auths: {} }), { mode: 0o644 });
    chmodSync(configPath(), 0o644);
    await registerCredentialHelper('pierone.example.org', env);
    expect(statSync(configPath()).mode & 0o777).toBe(0o644);
    await storeRegistryToken('pierone.example.org', 'secret-token', env);
    expect(statSync(configPath()).mode & 0o777).toBe(0o600);
    chmodSync(configPath(), 0o664);
    await storeRegistryToken('other.example.org', 'secret-token', env);
    expect(statSync(configPath()).mode & 0o777).toBe(0o600);
  });

  it('concurrent edits keep every entry (the file lock)', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? registerCredentialHelper(`http://127.0.0.1:${5000 + i}`, env)
          : storeRegistryToken(`http://127.0.0.1:${5000 + i}`, `t${i}`, env),
      ),
    );
    const config = read();
    expect(Object.keys(config.credHelpers)).toHaveLength(10);
    expect(Object.keys(config.auths)).toHaveLength(10);
  });

  it('--store-token writes oauth2:<token> and logout undoes either', async () => {
    await storeRegistryToken('http://127.0.0.1:5000', 'tok', env);
    expect(read().auths['127.0.0.1:5000'].auth).toBe(Buffer.from('oauth2:tok').toString('base64'));
    await removeRegistryLogin('http://127.0.0.1:5000', env);
    expect(read()).toEqual({ auths: {} });
    await registerCredentialHelper('http://127.0.0.1:5000', env);
    const out = await removeRegistryLogin('http://127.0.0.1:5000', env);
    expect(out.removedHelper).toBe(true);
    expect(read()).toEqual({ auths: {}, credHelpers: {} });
  });

  it('never overwrites a malformed config.json, and names it', async () => {
    writeFileSync(configPath(), '{"auths": {');
    const e = await registerCredentialHelper('pierone.example.org', env).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MalformedDockerConfigError);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toContain(configPath());
    expect(readFileSync(configPath(), 'utf8')).toBe('{"auths": {');
  });

  it('an unreadable config.json (here a directory) is named as unreadable, not malformed, and left alone', async () => {
    mkdirSync(configPath());
    const e = await registerCredentialHelper('pierone.example.org', env).catch((err: unknown) => err);
    expect(e).not.toBeInstanceOf(MalformedDockerConfigError);
    expect(e).toMatchObject({ code: 'file.error', data: { path: configPath(), errno: 'EISDIR' } });
    expect((e as Error).message).toBe(`Cannot read ${configPath()}: it is a directory, not a file (EISDIR)`);
    expect(statSync(configPath()).isDirectory()).toBe(true);
    const findings = diagnoseDockerConfig('pierone.example.org', env);
    expect(findings.map((f) => f.code)).toEqual(['pierone.doctor-config-unreadable']);
  });

  it('doctor reports another helper, a missing binary and plaintext auths', async () => {
    writeFileSync(
      configPath(),
      JSON.stringify({ credsStore: 'osxkeychain', auths: { 'pierone.example.org': { auth: 'eA==' } } }),
    );
    const codes = diagnoseDockerConfig('pierone.example.org', env).map((f) => `${f.level}:${f.code}`);
    expect(codes).toContain('error:pierone.doctor-helper-missing');
    expect(codes).toContain('warn:pierone.doctor-plaintext-auth');
    await registerCredentialHelper('pierone.example.org', env);
    const after = diagnoseDockerConfig('pierone.example.org', env).map((f) => `${f.level}:${f.code}`);
    expect(after).toContain('ok:pierone.doctor-helper-registered');
    expect(after).toContain('error:pierone.doctor-helper-binary-missing');
  });
});

describe('image references', () => {
  it('parses [REGISTRY/]TEAM/ARTIFACT[:TAG] with the original rules', () => {
    expect(parseImageRef('127.0.0.1:5000/myteam/app:1.0')).toEqual({
      registry: '127.0.0.1:5000',
      team: 'myteam',
      artifact: 'app',
      tag: '1.0',
    });
    expect(parseImageRef('myteam/app')).toEqual({
      registry: undefined,
      team: 'myteam',
      artifact: 'app',
      tag: undefined,
    });
    expect(() => parseImageRef('app')).toThrow(
      'Invalid docker image "app" (format must be [REGISTRY/]TEAM/ARTIFACT:TAG)',
    );
  });
});
