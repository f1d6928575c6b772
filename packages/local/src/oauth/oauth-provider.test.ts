import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PERSON, LOCAL_SERVICE_USER } from './oauth-accounts.js';
import { CI_CLIENT, LEGACY_CLIENT, RESOURCE_SERVERS } from './oauth-clients.js';
import { type OAuthProvider, startOAuthProvider } from './oauth-provider.js';

let provider: OAuthProvider;
beforeAll(async () => {
  provider = await startOAuthProvider({ accessTokenSeconds: 600 });
});
afterAll(async () => {
  await provider?.close();
});

const basic = (c: { client_id: string; client_secret: string }) =>
  `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;

async function passwordGrant(url: string, scope: string, password = LOCAL_SERVICE_USER.password) {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: basic(LEGACY_CLIENT),
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'python-tokens/1.1.19',
    },
    body: `grant_type=password&username=${encodeURIComponent(LOCAL_SERVICE_USER.uid)}&password=${encodeURIComponent(password)}&scope=${encodeURIComponent(scope)}`,
  });
}

async function tokeninfo(token: string, how: 'query' | 'bearer' = 'query') {
  const res =
    how === 'query'
      ? await fetch(`${provider.tokeninfoUrl}?access_token=${encodeURIComponent(token)}`)
      : await fetch(provider.tokeninfoUrl, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A browser that follows redirects and posts the sign-in form, as a person would (cookies by name). */
async function signInByForm(start: string, redirectPrefix: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  let init: RequestInit = {};
  for (let i = 0; i < 20; i++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = (pair ?? '').split('=');
      if (k) jar.set(k, v ?? '');
    }
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectPrefix)) return next;
      url = next.href;
      init = {};
      continue;
    }
    const html = await res.text();
    if (!html.includes('name="login"')) throw new Error(`unexpected page: ${html.slice(0, 200)}`);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `login=${LOCAL_PERSON.uid}&password=${LOCAL_PERSON.password}&action=allow`,
    };
  }
  throw new Error('too many redirects');
}

describe('the local OAuth provider', () => {
  it('answers the stups-tokens 1.1.19 password grant (Basic auth, empty scope=, query string on the URL kept)', async () => {
    const res = await passwordGrant(`${provider.tokenUrl}?realm=/services`, '');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; expires_in: unknown };
    expect(typeof body.access_token).toBe('string');
    expect(body.expires_in).toBe(600);
    const info = await tokeninfo(body.access_token);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ uid: LOCAL_SERVICE_USER.uid, realm: '/services', scope: [] });
  });

  it('puts the granted scopes on the token and refuses a wrong password', async () => {
    const ok = (await (await passwordGrant(provider.tokenUrl, 'uid application.write')).json()) as {
      access_token: string;
    };
    expect((await tokeninfo(ok.access_token, 'bearer')).body.scope).toEqual(['uid', 'application.write']);
    const refused = await passwordGrant(provider.tokenUrl, 'uid', 'wrong');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('issues client-credentials tokens that tokeninfo and introspection (by a resource server) accept', async () => {
    const res = await fetch(provider.tokenUrl, {
      method: 'POST',
      headers: { authorization: basic(CI_CLIENT), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=application.read',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    expect((await tokeninfo(access_token)).body).toMatchObject({
      uid: 'stups-ci',
      realm: '/services',
      scope: ['application.read'],
    });
    const introspection = await fetch(`${provider.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: basic(RESOURCE_SERVERS[0] as never),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `token=${access_token}`,
    });
    expect(await introspection.json()).toMatchObject({ active: true, client_id: 'stups-ci' });
  });

  it('answers 401 for an unknown token and 400 without one', async () => {
    expect((await tokeninfo('garbage')).status).toBe(401);
    expect((await fetch(provider.tokeninfoUrl)).status).toBe(400);
  });

  it('rejects an authorization code redeemed with the wrong PKCE verifier', async () => {
    const redirect = 'http://127.0.0.1:15999/';
    const verifier = 'a'.repeat(43);
    const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString(
      'base64url',
    );
    const start = new URL(`${provider.issuer}/auth`);
    for (const [k, v] of Object.entries({
      client_id: 'zign',
      response_type: 'code',
      redirect_uri: redirect,
      scope: 'openid uid',
      state: 's1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }))
      start.searchParams.set(k, v);
    const back = await signInByForm(start.href, redirect);
    const code = back.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    const redeem = (v: string) =>
      fetch(provider.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'zign',
          code,
          redirect_uri: redirect,
          code_verifier: v,
        }),
      });
    const wrong = await redeem('b'.repeat(43));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
  });
});
