import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CI_CLIENT,
  LOCAL_SERVICE_USER,
  type OAuthProvider,
  startOAuthProvider,
  writeCredentialsDir,
} from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/run-cli.js';
import { ZIGN, ZTOKEN } from './support/zign-session.js';

// Tokens without a person: CI (client credentials), services with the stups-tokens layouts, the
// stored-token cache, and the bad input of issue 8 — the built zign against the local provider.
let provider: OAuthProvider;
let work: string;
let notOidc: Server;
let notOidcUrl: string;
let n = 0;

/** A fresh config home per case, so that stores do not leak between cases. */
function home(): NodeJS.ProcessEnv {
  const dir = join(work, `home${n++}`);
  mkdirSync(dir, { recursive: true });
  return { HOME: dir, XDG_CONFIG_HOME: join(dir, 'cfg') };
}
const storeDir = (env: NodeJS.ProcessEnv) => join(env.XDG_CONFIG_HOME as string, 'zalando-token-cli');
const zign = (args: string[], env: NodeJS.ProcessEnv) => runCli(ZIGN, args, env);

async function tokeninfo(token: string) {
  const res = await fetch(provider.tokeninfoUrl, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'zign-service-e2e-'));
  provider = await startOAuthProvider({});
  notOidc = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>a web site</html>');
  });
  await new Promise<void>((resolve) => notOidc.listen(0, '127.0.0.1', () => resolve()));
  notOidcUrl = `http://127.0.0.1:${(notOidc.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await provider?.close();
  notOidc?.close();
  await rm(work, { recursive: true, force: true });
});

describe('zign for CI jobs and services', () => {
  it('client credentials: a confidential client gets a token, stores it and reuses it without the network', async () => {
    const env = {
      ...home(),
      ZIGN_ISSUER: provider.issuer,
      ZIGN_CLIENT_ID: CI_CLIENT.client_id,
      ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    };
    const first = await zign(['token', '-n', 'ci', 'application.write'], env);
    expect(first.code, first.stderr).toBe(0);
    const token = first.stdout.trim();
    expect((await tokeninfo(token)).body).toMatchObject({
      uid: 'stups-ci',
      realm: '/services',
      scope: ['application.write'],
    });
    // Cached: the issuer may be gone, the stored token still answers.
    const cached = await runCli(ZTOKEN, ['-n', 'ci'], { ...env, ZIGN_ISSUER: 'http://127.0.0.1:9' });
    expect(cached).toMatchObject({ code: 0, stdout: `${token}\n`, stderr: '' });
    const list = await zign(['list'], env);
    expect(list.stdout).toMatch(/^Name│Access Token *│Scope *│Created│Expires In\n/);
    expect(list.stdout).toMatch(/ci +\S{4}…\*{8} +application\.write +\d+s ago +60m/);
    expect(list.stdout).not.toContain(token);
    const json = JSON.parse((await zign(['list', '-o', 'json'], env)).stdout);
    expect(json).toEqual([
      expect.objectContaining({ name: 'ci', access_token: token, scope: 'application.write', expires_in: '60m' }),
    ]);
  });

  it('takes fixed tokens from OAUTH2_ACCESS_TOKENS first, then <CREDENTIALS_DIR>/<name>-token-secret', async () => {
    const dir = join(work, 'k8s');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pierone-token-secret'), 'from-the-secret\n');
    const env = { ...home(), CREDENTIALS_DIR: dir, OAUTH2_ACCESS_TOKENS: 'piu=fixed-piu' };
    expect((await zign(['token', '-n', 'piu'], env)).stdout).toBe('fixed-piu\n');
    expect((await zign(['token', '-n', 'pierone'], env)).stdout).toBe('from-the-secret\n');
    writeFileSync(join(dir, 'pierone-token-secret'), 'rotated');
    expect((await zign(['token', '-n', 'pierone'], env)).stdout).toBe('rotated\n');
    expect(existsSync(join(storeDir(env), 'tokens.yaml'))).toBe(false);
  });

  it('uses the legacy password grant with CREDENTIALS_DIR/{user,client}.json, the query string kept', async () => {
    const dir = writeCredentialsDir(join(work, 'taupage'));
    const env = { ...home(), CREDENTIALS_DIR: dir, OAUTH2_ACCESS_TOKEN_URL: `${provider.tokenUrl}?realm=/services` };
    const run = await zign(['token', '-n', 'app', 'uid'], env);
    expect(run.code, run.stderr).toBe(0);
    expect((await tokeninfo(run.stdout.trim())).body).toMatchObject({
      uid: LOCAL_SERVICE_USER.uid,
      realm: '/services',
      scope: ['uid'],
      grant_type: 'password',
    });
  });

  it('names the file and the key when a credentials file lacks one (exit 3)', async () => {
    const dir = join(work, 'broken-credentials');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'user.json'), JSON.stringify({ application_username: 'x', application_password: 'y' }));
    writeFileSync(join(dir, 'client.json'), JSON.stringify({ client_id: 'stups-legacy' }));
    const run = await zign(['token', '-n', 'app'], {
      ...home(),
      CREDENTIALS_DIR: dir,
      OAUTH2_ACCESS_TOKEN_URL: provider.tokenUrl,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`${join(dir, 'client.json')} has no "client_secret"`);
  });
});

describe('zign bad input', () => {
  it('an unreachable issuer names the URL (exit 1)', async () => {
    const run = await zign(['token', '-n', 'x'], { ...home(), ZIGN_ISSUER: 'http://127.0.0.1:9' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error: Could not reach GET http://127.0.0.1:9/.well-known/openid-configuration');
  });

  it('an issuer that is not OpenID Connect (exit 1)', async () => {
    const run = await zign(['token', '-n', 'x'], { ...home(), ZIGN_ISSUER: notOidcUrl });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Error: ${notOidcUrl} is not an OpenID Connect issuer`);
  });

  it('an http:// issuer that is not loopback is refused (exit 2)', async () => {
    const run = await zign(['token', '-n', 'x'], { ...home(), ZIGN_ISSUER: 'http://identity.example.org' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Error: The issuer http://identity.example.org does not use https');
  });

  it('a malformed tokens.yaml is backed up and reported (exit 1)', async () => {
    const env = { ...home(), ZIGN_ISSUER: provider.issuer };
    mkdirSync(storeDir(env), { recursive: true });
    writeFileSync(join(storeDir(env), 'tokens.yaml'), 'pierone: {access_token: [broken\n');
    const run = await zign(['list'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Error: The token store ${join(storeDir(env), 'tokens.yaml')} is corrupt`);
    const backups = readdirSync(storeDir(env)).filter((f) => f.startsWith('tokens.yaml.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(storeDir(env), backups[0] as string), 'utf8')).toContain('broken');
    expect((await zign(['list', '-o', 'json'], env)).stdout).toBe('[]\n');
  });

  it('a corrupt store under the fast path (`token -n NAME`) is reported, not silently set aside (exit 1)', async () => {
    const env = {
      ...home(),
      ZIGN_ISSUER: provider.issuer,
      ZIGN_CLIENT_ID: CI_CLIENT.client_id,
      ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    };
    expect((await zign(['token', '-n', 'keep1'], env)).code).toBe(0);
    const file = join(storeDir(env), 'tokens.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}  [broken\n`);
    for (const bin of [ZIGN, ZTOKEN]) {
      const run = await runCli(bin, bin === ZIGN ? ['token', '-n', 'keep1'] : ['-n', 'keep1'], env);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`Error: The token store ${file} is corrupt`);
      writeFileSync(file, '  [broken\n');
    }
  });

  it('a tokens.yaml that is a directory names the file and the fix, not "a bug" (exit 1)', async () => {
    const env = { ...home(), ZIGN_ISSUER: provider.issuer, ZIGN_CLIENT_ID: CI_CLIENT.client_id };
    const file = join(storeDir(env), 'tokens.yaml');
    mkdirSync(file, { recursive: true });
    const run = await zign(['token', '-n', 'x'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Error: Cannot read ${file}: it is a directory, not a file (EISDIR)\nHint: Check ${file} and move the directory away; then run the command again.\n`,
    );
  });

  it('delete of an unknown name succeeds and says nothing was stored under it', async () => {
    const run = await zign(['delete', 'nothing-here'], home());
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toContain('Nothing was stored under "nothing-here"');
  });

  it('without a terminal and without a sign-in: exit 3 naming zign login and the CI settings', async () => {
    const run = await zign(['token', '-n', 'x'], { ...home(), ZIGN_ISSUER: provider.issuer });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Run `zign login` in a terminal first');
    expect(run.stderr).toContain('ZIGN_CLIENT_SECRET');
    const none = await zign(['token'], home());
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('Error: No OAuth server is configured');
  });

  it('doctor reports each check as ok or with the fix', async () => {
    const good = await zign(['doctor'], { ...home(), ZIGN_ISSUER: provider.issuer });
    expect(good.code, good.stdout).toBe(0);
    expect(good.stdout).toContain(
      `ok   issuer: ${provider.issuer} answers (OpenID Connect; device flow yes, revocation yes)`,
    );
    const bad = await zign(['doctor'], { ...home(), ZIGN_ISSUER: notOidcUrl });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FIX {2}issuer: .* is not an OpenID Connect issuer/);
  });

  it('ztoken and zign print their versions; unique prefixes select commands', async () => {
    expect((await runCli(ZTOKEN, ['--version'], {})).stdout).toMatch(/^ztoken \d+\.\d+\.\d+\n$/);
    expect((await runCli(ZIGN, ['-V'], {})).stdout).toMatch(/^zign \d+\.\d+\.\d+\n$/);
    const env = { ...home(), OAUTH2_ACCESS_TOKENS: 'a=fixed-a' };
    expect((await zign(['to', '-n', 'a'], env)).stdout).toBe('fixed-a\n');
    expect((await zign(['li', '-o', 'json'], env)).stdout).toBe('[]\n');
    const ambiguous = await zign(['lo'], env);
    expect(ambiguous.code).toBe(2);
  });
});

describe('stups-local up and zign', () => {
  it('exports what a plain zign token needs (stups-tokens layout and ZIGN_*)', async () => {
    const stateDir = join(work, 'platform');
    const cli = `${ROOT}packages/local/dist/cli.js`;
    const up = await runCli(cli, ['up', '--state-dir', stateDir]);
    try {
      expect(up.code, up.stderr).toBe(0);
      const exported = Object.fromEntries(
        up.stdout
          .trim()
          .split('\n')
          .map((l) => /^export ([A-Z0-9_]+)=(.*)$/.exec(l)?.slice(1) ?? []),
      );
      expect(Object.keys(exported)).toEqual(
        expect.arrayContaining([
          'OAUTH2_ACCESS_TOKEN_URL',
          'TOKENINFO_URL',
          'CREDENTIALS_DIR',
          'ZIGN_ISSUER',
          'ZIGN_CLIENT_ID',
        ]),
      );
      expect(JSON.parse(readFileSync(join(exported.CREDENTIALS_DIR as string, 'client.json'), 'utf8'))).toHaveProperty(
        'client_secret',
      );
      const run = await zign(['token', '-n', 'svc', 'uid'], { ...home(), ...exported });
      expect(run.code, run.stderr).toBe(0);
      const info = await fetch(`${exported.TOKENINFO_URL}?access_token=${run.stdout.trim()}`);
      expect(await info.json()).toMatchObject({ uid: LOCAL_SERVICE_USER.uid, realm: '/services' });
    } finally {
      await runCli(cli, ['down', '--state-dir', stateDir]);
    }
  });
});
