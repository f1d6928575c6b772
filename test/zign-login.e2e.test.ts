import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenStore } from '@stups/core/auth';
import { LOCAL_PERSON, type OAuthProvider, RESOURCE_SERVERS, startOAuthProvider } from '@stups/local';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';
import { ZIGN, ZignSession } from './support/zign-session.js';

// People signing in: the built `zign` runs as a subprocess while a real headless Chromium opens the
// URL it prints and signs in on the local provider's page. Access tokens live 60 s here, less than
// the 5 minutes zign wants left, so every `zign token -n` refreshes (and rotates the refresh token).
let provider: OAuthProvider;
let browser: Browser;
let work: string;
let env: NodeJS.ProcessEnv;
/** Every token seen, and everything zign printed on stderr, to check no token ever shows up there. */
const seenTokens = new Set<string>();
const stderrs: string[] = [];
let revokedRefreshToken = '';

const storeDir = () => join(work, 'cfg', 'zalando-token-cli');
const tokensFile = () => join(storeDir(), 'tokens.yaml');
const refreshFile = () => join(storeDir(), 'refresh-token.yaml');
const storedTokens = () => new TokenStore(storeDir()).read();
const refreshToken = () => new TokenStore(storeDir()).readRefreshToken() ?? null;

async function zign(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const result = await runCli(ZIGN, args, { ...env, ...extra });
  stderrs.push(result.stderr);
  return result;
}

async function tokeninfo(token: string) {
  const res = await fetch(`${provider.tokeninfoUrl}?access_token=${encodeURIComponent(token)}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function introspect(token: string) {
  const rs = RESOURCE_SERVERS[0] as { client_id: string; client_secret: string };
  const res = await fetch(`${provider.issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${rs.client_id}:${rs.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  return (await res.json()) as { active: boolean };
}

async function signInOnPage(page: Page, action: 'allow' | 'deny' = 'allow'): Promise<void> {
  await page.waitForSelector('input[name=login]');
  await page.fill('input[name=login]', LOCAL_PERSON.uid);
  await page.fill('input[name=password]', LOCAL_PERSON.password);
  await Promise.all([page.waitForLoadState(), page.click(`button[value=${action}]`)]);
}

/** `zign login --no-browser`: the test is the person who opens the printed URL. */
async function browserLogin(args: string[] = [], extra: NodeJS.ProcessEnv = {}) {
  const session = new ZignSession(['login', '--no-browser', ...args], { ...env, ...extra });
  const url = await session.waitFor(/\t(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/);
  return { session, url: new URL(url) };
}

async function finish(session: ZignSession) {
  const code = await session.exited;
  stderrs.push(session.stderr);
  return code;
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'zign-login-e2e-'));
  provider = await startOAuthProvider({ accessTokenSeconds: 60 });
  env = { HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), ZIGN_ISSUER: provider.issuer, ZIGN_CLIENT_ID: 'zign' };
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await rm(work, { recursive: true, force: true });
});

describe('zign login and token with a real browser against the local provider', () => {
  it('signs in with the authorization code + PKCE: the listener on 127.0.0.1 gets the code', async () => {
    const { session, url } = await browserLogin(['-n', 'first', 'uid']);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
    expect(redirect.hostname).toBe('127.0.0.1');
    const port = Number(redirect.port);
    // Bound to 127.0.0.1 only: nothing answers on [::1] at the same port.
    expect(await listening('127.0.0.1', port)).toBe(true);
    expect(await listening('::1', port)).toBe(false);

    const page = await browser.newPage();
    await page.goto(url.href);
    await signInOnPage(page);
    await page.waitForURL(`http://127.0.0.1:${port}/**`);
    expect(await page.textContent('h1')).toBe('Signed in');
    await page.close();

    expect(await finish(session)).toBe(0);
    expect(session.stdout).toBe('');
    // Who signed in, as the ID token names them.
    expect(session.stderr).toContain(`Signed in as ${LOCAL_PERSON.uid}; the token is stored as "first" (scope: `);
    expect(statSync(tokensFile()).mode & 0o777).toBe(0o600);
    expect(statSync(refreshFile()).mode & 0o777).toBe(0o600);
    expect(statSync(storeDir()).mode & 0o777).toBe(0o700);
    const first = storedTokens().first?.access_token ?? '';
    seenTokens.add(first);
    seenTokens.add(refreshToken() ?? '');
    const info = await tokeninfo(first);
    expect(info.body).toMatchObject({ uid: LOCAL_PERSON.uid, realm: '/employees' });
    expect(info.body.scope).toContain('uid');
  });

  it('10 concurrent `zign token -n NAMEi` leave a valid store holding all 10 (refreshes take turns)', async () => {
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => zign(['token', '-n', `name${i}`])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const stored = storedTokens();
    for (let i = 0; i < 10; i++) {
      const token = stored[`name${i}`]?.access_token ?? '';
      expect(token).toBe(runs[i]?.stdout.trim());
      seenTokens.add(token);
      expect((await tokeninfo(token)).status).toBe(200);
    }
    expect(Object.keys(stored)).toHaveLength(11);
  });

  it('refreshes silently after expiry and rotates the refresh token', async () => {
    const before = refreshToken() ?? '';
    const run = await zign(['token', '-n', 'first']);
    expect(run.code, run.stderr).toBe(0);
    const after = refreshToken() ?? '';
    seenTokens.add(after);
    seenTokens.add(run.stdout.trim());
    expect(after).not.toBe(before);
    expect((await introspect(before)).active).toBe(false);
    expect((await introspect(after)).active).toBe(true);
    expect(run.stdout.trim()).not.toBe(storedTokens().name0?.access_token);
  });

  it('signs in with the device flow; the code is approved in the browser', async () => {
    const session = new ZignSession(['login', '--device', '-n', 'device'], env);
    const complete = await session.waitFor(/\(or open (http:\/\/\S+)\)/);
    const page = await browser.newPage();
    await page.goto(complete);
    await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
    await signInOnPage(page);
    expect(await page.textContent('h1')).toBe('Signed in');
    await page.close();
    expect(await finish(session)).toBe(0);
    expect(session.stdout).toBe('');
    const token = storedTokens().device?.access_token ?? '';
    seenTokens.add(token);
    expect((await tokeninfo(token)).body.uid).toBe(LOCAL_PERSON.uid);
  });

  it('the device flow denied in the browser: the page says so (not "the code is not valid"), zign exits 3', async () => {
    const session = new ZignSession(['login', '--device', '-n', 'device-denied'], env);
    const complete = await session.waitFor(/\(or open (http:\/\/\S+)\)/);
    const page = await browser.newPage();
    await page.goto(complete);
    await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
    await signInOnPage(page, 'deny');
    expect(await page.textContent('#error')).toBe(
      'The sign-in was denied: zign stops. Run zign login again to sign in.',
    );
    await page.close();
    expect(await finish(session)).toBe(3);
  });

  it("opens the browser ($BROWSER) with its output kept off zign's stdout and stderr", async () => {
    const opened = join(work, 'opened-url');
    const fakeBrowser = join(work, 'browser.sh');
    writeFileSync(
      fakeBrowser,
      `#!/bin/sh\necho "Created new window in existing browser session."\necho "browser noise" >&2\nprintf %s "$1" > "${opened}"\n`,
      { mode: 0o755 },
    );
    const session = new ZignSession(['login', '-n', 'via-browser'], { ...env, BROWSER: fakeBrowser, DISPLAY: ':99' });
    await session.waitFor(/Your browser has been opened/);
    let url = '';
    for (let i = 0; i < 200 && !url; i++) {
      await new Promise((r) => setTimeout(r, 25));
      url = existsSync(opened) ? readFileSync(opened, 'utf8') : '';
    }
    const page = await browser.newPage();
    await page.goto(url);
    await signInOnPage(page);
    await page.close();
    expect(await finish(session)).toBe(0);
    expect(session.stdout).toBe('');
    expect(session.stderr).not.toContain('browser noise');
    seenTokens.add(storedTokens()['via-browser']?.access_token ?? '');
  });

  it('denied consent exits 3', async () => {
    const { session, url } = await browserLogin();
    const page = await browser.newPage();
    await page.goto(url.href);
    await signInOnPage(page, 'deny');
    await page.close();
    expect(await finish(session)).toBe(3);
    expect(session.stderr).toContain('Error: The sign-in was denied');
  });

  it('refuses a redirect with the wrong state and still takes the real one', async () => {
    const { session, url } = await browserLogin(['-n', 'after-forgery']);
    const redirect = url.searchParams.get('redirect_uri') ?? '';
    const forged = await fetch(`${redirect}?code=forged&state=not-the-state`);
    expect(forged.status).toBe(400);
    const page = await browser.newPage();
    await page.goto(url.href);
    await signInOnPage(page);
    await page.close();
    expect(await finish(session)).toBe(0);
    expect(session.stderr).toContain('wrong state was refused');
  });

  it('skips a port another program holds on 127.0.0.1, and is not fooled by one bound on [::1]', async () => {
    const squatters: Server[] = [];
    const hits: string[] = [];
    const squat = (host: string, port: number) =>
      new Promise<boolean>((resolve) => {
        const s = createServer((req, res) => {
          hits.push(`${host}:${port}${req.url}`);
          res.end('squatter');
        });
        s.once('error', () => resolve(false));
        s.listen({ host, port, exclusive: true }, () => {
          squatters.push(s);
          resolve(true);
        });
      });
    // Below the kernel's ephemeral range: there no other test's outgoing connection or listen(0) can take
    // base + 1 on 127.0.0.1 between the squat and zign's bind (CI saw that once, with 20000-40000).
    const ephemeralFrom = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);
    let base = 0;
    for (let p = 10000 + Math.floor(Math.random() * (ephemeralFrom - 10100)); p + 2 < ephemeralFrom; p += 3)
      if ((await squat('127.0.0.1', p)) && (await squat('::1', p + 1))) {
        base = p;
        break;
      }
    try {
      expect(base, 'no free ports below the ephemeral range').toBeGreaterThan(0);
      const { session, url } = await browserLogin(['-n', 'ranged'], { ZIGN_REDIRECT_PORTS: `${base}-${base + 2}` });
      expect(new URL(url.searchParams.get('redirect_uri') ?? '').port).toBe(String(base + 1));
      const page = await browser.newPage();
      await page.goto(url.href);
      await signInOnPage(page);
      await page.close();
      expect(await finish(session)).toBe(0);
      expect(hits).toEqual([]);
    } finally {
      for (const s of squatters) s.close();
    }
  });

  it('times out with a hint to --device when the browser never comes back (exit 3)', async () => {
    const { session } = await browserLogin([], { ZIGN_LOGIN_TIMEOUT: '1' });
    expect(await finish(session)).toBe(3);
    expect(session.stderr).toContain('Error: The browser did not come back within 1 s');
    expect(session.stderr).toContain('zign login --device');
  });

  it('logout NAME revokes that token; logout revokes the sign-in and empties the store', async () => {
    const named = storedTokens().name1?.access_token ?? '';
    const one = await zign(['logout', 'name1']);
    expect(one.code, one.stderr).toBe(0);
    expect((await tokeninfo(named)).status).toBe(401);
    expect(storedTokens().name1).toBeUndefined();

    const rt = refreshToken() ?? '';
    seenTokens.add(rt);
    revokedRefreshToken = rt;
    const other = storedTokens().name2?.access_token ?? '';
    const all = await zign(['logout', '--debug']);
    expect(all.code, all.stderr).toBe(0);
    expect((await introspect(rt)).active).toBe(false);
    expect((await tokeninfo(other)).status).toBe(401);
    expect(storedTokens()).toEqual({});
    expect(refreshToken()).toBeNull();

    // A revoked refresh token off a terminal: exit 3, naming `zign login`.
    writeFileSync(refreshFile(), `refresh_token: ${rt}\n`, { mode: 0o600 });
    const revoked = await zign(['token', '-n', 'again', '--debug']);
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toContain('zign login');
    expect(refreshToken()).toBeNull();
  });

  it('in a terminal, a revoked refresh token falls back to signing in', async () => {
    expect(revokedRefreshToken).not.toBe('');
    writeFileSync(refreshFile(), `refresh_token: ${revokedRefreshToken}\n`, { mode: 0o600 });
    const session = ZignSession.inTerminal(['token', '-n', 'tty', '--no-browser'], env);
    const url = await session.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/);
    const page = await browser.newPage();
    await page.goto(url);
    await signInOnPage(page);
    await page.close();
    expect(await session.exited).toBe(0);
    expect(session.stdout).toContain('The stored sign-in has expired or was revoked');
    const token = storedTokens().tty?.access_token ?? '';
    expect(session.stdout).toContain(token);
    expect((await tokeninfo(token)).body.uid).toBe(LOCAL_PERSON.uid);
  });

  it('a scope the sign-in did not grant: off a terminal exit 3 naming the login; in one, a new sign-in with it', async () => {
    // The previous test signed in without scopes (openid offline_access): docs/zign.md's first example.
    const before = refreshToken();
    const off = await zign(['token', '-n', 'mytok', 'uid']);
    expect(off.code, off.stderr).toBe(3);
    expect(off.stderr).toContain('Error: The sign-in did not grant the scopes asked for (uid)');
    expect(off.stderr).toContain(
      'Hint: Sign in with those scopes in a terminal: `zign login uid`, then run this again.',
    );
    expect(refreshToken()).toBe(before);
    const session = ZignSession.inTerminal(['token', '-n', 'mytok', '--no-browser', 'uid'], env);
    const url = new URL(await session.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/));
    expect(url.searchParams.get('scope')?.split(' ')).toContain('uid');
    const page = await browser.newPage();
    await page.goto(url.href);
    await signInOnPage(page);
    await page.close();
    expect(await session.exited, session.stdout).toBe(0);
    expect(session.stdout).toContain('signing in again with it');
    const token = storedTokens().mytok?.access_token ?? '';
    seenTokens.add(token);
    expect((await tokeninfo(token)).body.scope).toContain('uid');
    // The new sign-in covers uid: the next run refreshes silently.
    const again = await zign(['token', '-n', 'other', '-r', 'uid']);
    expect(again.code, again.stderr).toBe(0);
    seenTokens.add(again.stdout.trim());
  });

  it('never prints a token on stderr, also with --debug', () => {
    expect(seenTokens.size).toBeGreaterThan(10);
    const all = stderrs.join('\n');
    for (const token of seenTokens) if (token) expect(all).not.toContain(token);
  });
});
