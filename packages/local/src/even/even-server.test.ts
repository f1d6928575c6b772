import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SERVICE_USER } from '../oauth/oauth-accounts.js';
import { CI_CLIENT, LEGACY_CLIENT } from '../oauth/oauth-clients.js';
import { type OAuthProvider, startOAuthProvider } from '../oauth/oauth-provider.js';
import { AccessGranting } from './access-granting.js';
import { type EvenServer, startEvenServer } from './even-server.js';
import { registerPublicKey } from './public-keys.js';

/**
 * even's HTTP answers against the real local OAuth provider (tokens checked at its tokeninfo); the
 * hosts are directories here (the sshd side is covered end to end in test/piu*.e2e.test.ts).
 */
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
let work: string;
let provider: OAuthProvider;
let even: EvenServer;
let granting: AccessGranting;
let robotToken: string;
let ciToken: string;
let clock = new Date('2026-01-01T12:00:00.000Z');

const basic = (c: { client_id: string; client_secret: string }) =>
  `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;

async function token(body: string, client: typeof CI_CLIENT): Promise<string> {
  const res = await fetch(provider.tokenUrl, {
    method: 'POST',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'even-server-'));
  provider = await startOAuthProvider({ accessTokenSeconds: 600 });
  granting = new AccessGranting({
    evenDir: work,
    hosts: [
      { name: 'odd-eu-central-1.myteam.example.org', address: '127.0.0.1', dir: join(work, 'odd') },
      { name: 'app-1.myteam.example.org', address: '127.0.0.2', dir: join(work, 'app') },
    ],
    hostnameTemplate: 'odd-[a-z0-9-]*[.]{team}[.]example[.]org',
    teamsOf: (uid) => (uid === LOCAL_SERVICE_USER.uid ? ['myteam'] : []),
    minuteMs: 60_000,
    publicKeyUrl: (n) => `${even?.url}/public-keys/${n}/sshkey.pub`,
    now: () => clock,
  });
  even = await startEvenServer({ granting, evenDir: work, tokeninfoUrl: provider.tokeninfoUrl });
  registerPublicKey(work, 'jdoe', `${KEY} jdoe@laptop`);
  robotToken = await token(
    `grant_type=password&username=${LOCAL_SERVICE_USER.uid}&password=${LOCAL_SERVICE_USER.password}&scope=uid`,
    LEGACY_CLIENT,
  );
  ciToken = await token('grant_type=client_credentials&scope=uid', CI_CLIENT);
});

afterAll(async () => {
  await even?.close();
  await provider?.close();
  rmSync(work, { recursive: true, force: true });
});

async function post(body: unknown, bearer?: string) {
  const res = await fetch(`${even.url}/access-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const odd = 'odd-eu-central-1.myteam.example.org';

describe('even API (stups-local)', () => {
  it('answers 401 without a valid token, 403 to a caller without teams', async () => {
    expect(await post({ hostname: odd, reason: 'x' })).toMatchObject({
      status: 401,
      text: 'Unauthorized. Please authenticate with a valid OAuth2 token.',
    });
    expect((await post({ hostname: odd, reason: 'x' }, 'not-a-token')).status).toBe(401);
    expect(await post({ hostname: odd, reason: 'x' }, ciToken)).toMatchObject({
      status: 403,
      text: 'Forbidden. user has no teams',
    });
  });

  it('checks the body against the spec (400, plain text)', async () => {
    for (const [body, part] of [
      ['{', 'Invalid request:'],
      [{ reason: 'x' }, 'hostname is required'],
      [{ hostname: odd }, 'reason is required'],
      [{ hostname: odd, reason: 'x', username: 'Bad' }, 'username "Bad" does not match'],
      [{ hostname: 'UPPER', reason: 'x' }, 'hostname "UPPER" does not match'],
      [
        { hostname: odd, reason: 'x', lifetime_minutes: 525601 },
        'lifetime_minutes must be an integer from 1 to 525600',
      ],
    ] as const) {
      const answer = await post(body, robotToken);
      expect(answer.status).toBe(400);
      expect(answer.type).toMatch(/^text\/plain/);
      expect(answer.text).toContain(part);
    }
  });

  it('grants with the original text, for the token user by default, lists newest first with ms UTC times', async () => {
    const first = await post(
      { hostname: odd, reason: 'first', username: 'jdoe', remote_host: 'app-1.myteam.example.org' },
      robotToken,
    );
    expect(first).toMatchObject({ status: 200, text: `Access to host ${odd}/127.0.0.1 for user jdoe was granted.` });
    expect(readFileSync(join(work, 'app', 'authorized_keys', 'jdoe'), 'utf8')).toContain(
      `${KEY} jdoe (generated by even)`,
    );
    clock = new Date(clock.getTime() + 1_000);
    const second = await post({ hostname: odd, reason: 'second', lifetime_minutes: 5 }, robotToken);
    // No key registered for the token's own uid: even's grant command fails.
    expect(second.status).toBe(400);
    expect(second.text).toContain(`Failed to download public key for "${LOCAL_SERVICE_USER.uid}"`);

    const res = await fetch(`${even.url}/access-requests?limit=10`, {
      headers: { authorization: `Bearer ${robotToken}` },
    });
    const rows = (await res.json()) as Record<string, unknown>[];
    expect(rows.map((r) => [r.reason, r.status, r.username])).toEqual([
      ['second', 'FAILED', LOCAL_SERVICE_USER.uid],
      ['first', 'GRANTED', 'jdoe'],
    ]);
    expect(rows[1]).toMatchObject({
      created: '2026-01-01T12:00:00.000Z',
      created_by: LOCAL_SERVICE_USER.uid,
      lifetime_minutes: 60,
      expires: '2026-01-01T13:00:00.000Z',
    });
    const filtered = await fetch(`${even.url}/access-requests?status=GRANTED&username=jdoe`, {
      headers: { authorization: `Bearer ${robotToken}` },
    });
    expect(((await filtered.json()) as unknown[]).length).toBe(1);
  });

  it('expires grants after their lifetime and removes the key', async () => {
    clock = new Date('2026-01-01T13:00:00.001Z');
    const expired = await granting.expire();
    expect(expired.map((r) => r.reason)).toEqual(['first']);
    expect(() => readFileSync(join(work, 'app', 'authorized_keys', 'jdoe'), 'utf8')).toThrow();
    expect(granting.store.read().find((r) => r.reason === 'first')).toMatchObject({
      status: 'REVOKED',
      status_reason: `Access to host ${odd} for user jdoe was revoked.`,
      last_modified_by: 'job',
    });
  });

  it('serves public keys without a token', async () => {
    const ok = await fetch(`${even.url}/public-keys/jdoe/sshkey.pub`);
    expect([ok.status, await ok.text()]).toEqual([200, `${KEY} jdoe\n`]);
    expect((await fetch(`${even.url}/public-keys/nobody/sshkey.pub`)).status).toBe(404);
    expect((await fetch(`${even.url}/public-keys/Bad_Name/sshkey.pub`)).status).toBe(400);
  });
});
