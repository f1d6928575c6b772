import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SERVICE_USER } from '../oauth/oauth-accounts.js';
import { CI_CLIENT, LEGACY_CLIENT } from '../oauth/oauth-clients.js';
import { type OAuthProvider, startOAuthProvider } from '../oauth/oauth-provider.js';
import { type RunningRegistry, startRegistry } from './registry-server.js';

let provider: OAuthProvider;
let registry: RunningRegistry;
let work: string;
let ciToken: string;
let robotToken: string;

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

async function grant(body: string, client: { client_id: string; client_secret: string }): Promise<string> {
  const res = await fetch(provider.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: basic(client.client_id, client.client_secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A tar with one file, as a layer. */
function tarWith(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc(Math.ceil(data.length / 512) * 512 - data.length);
  return Buffer.concat([header, data, pad, Buffer.alloc(1024)]);
}

function call(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('authorization', basic('oauth2', init.token));
  return fetch(`${registry.url}${path}`, { ...init, headers });
}

async function pushBlob(repo: string, bytes: Buffer, token = ciToken, chunked = false): Promise<string> {
  const digest = sha(bytes);
  if (!chunked) {
    const res = await call(`/v2/${repo}/blobs/uploads/?digest=${digest}`, { method: 'POST', body: bytes, token });
    expect(res.status).toBe(201);
    return digest;
  }
  const start = await call(`/v2/${repo}/blobs/uploads/`, { method: 'POST', token });
  expect(start.status).toBe(202);
  let location = start.headers.get('location') as string;
  const half = Math.floor(bytes.length / 2);
  for (const [from, to] of [
    [0, half],
    [half, bytes.length],
  ]) {
    const res = await call(location, {
      method: 'PATCH',
      body: bytes.subarray(from, to),
      headers: { 'content-range': `${from}-${to - 1}` },
      token,
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('range')).toBe(`0-${to - 1}`);
    location = res.headers.get('location') as string;
  }
  const done = await call(`${location}?digest=${digest}`, { method: 'PUT', token });
  expect(done.status).toBe(201);
  return digest;
}

async function pushImage(repo: string, tag: string, files: Record<string, string> = {}, token = ciToken) {
  const layer = gzipSync(tarWith(Object.keys(files)[0] ?? 'hello.txt', Object.values(files)[0] ?? 'hello'));
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { tag, ...files } } }),
  );
  const layerDigest = await pushBlob(repo, layer, token, true);
  const configDigest = await pushBlob(repo, config, token);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
  const res = await call(`/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    token,
  });
  return { res, manifest, configDigest };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'registry-'));
  provider = await startOAuthProvider({ accessTokenSeconds: 600 });
  registry = await startRegistry({
    root: work,
    tokeninfoUrl: provider.tokeninfoUrl,
    clientTeams: { [CI_CLIENT.client_id]: 'myteam' },
  });
  ciToken = await grant('grant_type=client_credentials&scope=uid application.write', CI_CLIENT);
  robotToken = await grant(
    `grant_type=password&username=${LOCAL_SERVICE_USER.uid}&password=${LOCAL_SERVICE_USER.password}&scope=uid`,
    LEGACY_CLIENT,
  );
});

afterAll(async () => {
  await registry?.close();
  await provider?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the local Pier One registry', () => {
  it('challenges without a token, with the v2 header; accepts Bearer, Token and Basic oauth2', async () => {
    const anon = await call('/v2/');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Basic realm="Pier One Docker Registry"');
    expect(anon.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect((await call('/v2/', { token: 'wrong' })).status).toBe(401);
    for (const authorization of [`Bearer ${ciToken}`, `Token ${ciToken}`, basic('oauth2', ciToken)])
      expect((await call('/v2/', { headers: { authorization } })).status).toBe(200);
    expect((await call('/teams', { headers: { authorization: basic('someone', 'pw') } })).status).toBe(401);
    expect(await (await call('/.well-known/health')).json()).toEqual({ health: true });
  });

  it('stores pushed images and answers the Pier One API: teams, artifacts, tags, scm-source, image prefix', async () => {
    const scm = { url: 'git:git@github.com:myteam/app.git', revision: 'cd768599e1bb', author: 'jdoe', status: '' };
    const first = await pushImage('myteam/app', '1.0', { 'scm-source.json': JSON.stringify(scm) });
    expect(first.res.status).toBe(201);
    expect(first.res.headers.get('docker-content-digest')).toBe(sha(first.manifest));
    expect((await pushImage('myteam/app', '1.1')).res.status).toBe(201);
    const auth = { headers: { authorization: `Bearer ${ciToken}` } };
    expect(await (await call('/teams', auth)).json()).toEqual(['myteam']);
    expect(await (await call('/teams/myteam/artifacts', auth)).json()).toEqual(['app']);
    const unknown = await call('/teams/nosuchteam/artifacts', auth);
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual([]);
    const tags = (await (await call('/teams/myteam/artifacts/app/tags', auth)).json()) as Record<string, string>[];
    expect(tags.map((t) => t.name)).toEqual(['1.0', '1.1']);
    expect(tags[0].created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(tags[0]).toMatchObject({ created_by: CI_CLIENT.client_id, image: first.configDigest });
    expect((await call('/teams/myteam/artifacts/nope/tags', auth)).status).toBe(404);
    expect(await (await call('/teams/myteam/artifacts/app/tags/1.0/scm-source', auth)).json()).toMatchObject(scm);
    expect((await call('/teams/myteam/artifacts/app/tags/1.1/scm-source', auth)).status).toBe(404);
    const byPrefix = await call(`/tags/${first.configDigest.slice(0, 20)}`, auth);
    expect(await byPrefix.json()).toEqual([{ name: '1.0', team: 'myteam', artifact: 'app' }]);
    expect((await call('/tags/sha256:', auth)).status).toBe(412);
    expect((await call('/tags/sha256:ffff0000', auth)).status).toBe(404);
    const manifest = await call('/v2/myteam/app/manifests/latest', auth);
    expect(manifest.headers.get('content-type')).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(await (await call('/v2/myteam/app/tags/list', auth)).json()).toEqual({
      name: 'myteam/app',
      tags: ['1.0', '1.1'],
    });
  });

  it('keeps tags immutable except -SNAPSHOT, and refuses latest', async () => {
    expect((await pushImage('myteam/app', '1.0', { 'other.txt': 'changed' })).res.status).toBe(409);
    const latest = await pushImage('myteam/app', 'latest');
    expect(latest.res.status).toBe(409);
    expect(await latest.res.json()).toMatchObject({
      errors: [{ code: 'TAG_INVALID', message: 'tag latest is not allowed' }],
    });
    expect((await pushImage('myteam/app', '2.0-SNAPSHOT')).res.status).toBe(201);
    expect((await pushImage('myteam/app', '2.0-SNAPSHOT', { 'x.txt': 'new' })).res.status).toBe(201);
  });

  it('refuses a digest mismatch, a manifest naming a blob never uploaded, and pushes to another team', async () => {
    const bytes = Buffer.from('some layer');
    const wrong = sha(Buffer.from('other'));
    const res = await call(`/v2/myteam/app/blobs/uploads/?digest=${wrong}`, {
      method: 'POST',
      body: bytes,
      token: ciToken,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0].code).toBe('DIGEST_INVALID');
    expect((await call(`/v2/myteam/app/blobs/${wrong}`, { method: 'HEAD', token: ciToken })).status).toBe(404);
    const missing = await call('/v2/myteam/app/manifests/3.0', {
      method: 'PUT',
      token: ciToken,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: JSON.stringify({
        schemaVersion: 2,
        config: { digest: wrong, size: 1 },
        layers: [{ digest: wrong, size: 1 }],
      }),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: { code: string }[] }).errors[0].code).toBe('MANIFEST_BLOB_UNKNOWN');
    const denied = await call('/v2/otherteam/app/blobs/uploads/', { method: 'POST', token: ciToken });
    expect(denied.status).toBe(403);
    // The service user of myteam without application.write may read but not push.
    expect((await call('/teams', { token: robotToken })).status).toBe(200);
    expect((await call('/v2/myteam/app/blobs/uploads/', { method: 'POST', token: robotToken })).status).toBe(403);
    expect(readdirSync(join(work, 'uploads'))).toEqual([]);
  });

  it('takes an OCI index whose manifests were pushed by digest, and refuses one naming an unknown manifest', async () => {
    const child = await pushImage('myteam/multi', 'child', { 'a.txt': 'amd64' });
    // pushImage tagged it; push the same manifest by digest, as skopeo does for an index's children.
    const digest = sha(child.manifest);
    const byDigest = await call(`/v2/myteam/multi/manifests/${digest}`, {
      method: 'PUT',
      body: child.manifest,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      token: ciToken,
    });
    expect(byDigest.status).toBe(201);
    const index = (manifest: string) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: manifest,
            size: child.manifest.length,
            platform: { architecture: 'amd64', os: 'linux' },
          },
        ],
      });
    const put = (body: string, tag: string) =>
      call(`/v2/myteam/multi/manifests/${tag}`, {
        method: 'PUT',
        body,
        headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
        token: ciToken,
      });
    expect((await put(index(digest), '1.0')).status).toBe(201);
    const got = await call('/v2/myteam/multi/manifests/1.0', { token: ciToken });
    expect(got.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(await got.text()).toBe(index(digest));
    const unknown = await put(index(sha(Buffer.from('nothing'))), '1.1');
    expect(unknown.status).toBe(400);
  });

  it('keeps its state across a restart', async () => {
    await registry.close();
    registry = await startRegistry({
      root: work,
      tokeninfoUrl: provider.tokeninfoUrl,
      clientTeams: { [CI_CLIENT.client_id]: 'myteam' },
    });
    const tags = (await (await call('/teams/myteam/artifacts/app/tags', { token: ciToken })).json()) as {
      name: string;
    }[];
    expect(tags.map((t) => t.name)).toEqual(['1.0', '1.1', '2.0-SNAPSHOT']);
    const pulled = await call('/v2/myteam/app/manifests/1.0', { token: ciToken });
    expect(pulled.status).toBe(200);
  });
});

describe('the local Pier One registry, under concurrent and expiring use', () => {
  it('takes concurrent pushes of the same blob (chunked and monolithic) and keeps it whole', async () => {
    const blob = Buffer.concat(Array.from({ length: 64 }, (_, i) => Buffer.alloc(16 * 1024, i)));
    const digests = await Promise.all([
      pushBlob('myteam/concurrent', blob, ciToken, true),
      pushBlob('myteam/concurrent', blob, ciToken, false),
      pushBlob('myteam/concurrent', blob, ciToken, true),
      pushBlob('myteam/concurrent', blob, ciToken, false),
    ]);
    expect(new Set(digests).size).toBe(1);
    const res = await call(`/v2/myteam/concurrent/blobs/${digests[0]}`, { token: ciToken });
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(digests[0]);
    expect(readdirSync(join(work, 'uploads'))).toEqual([]);
  });

  it('refuses an expired token', async () => {
    const short = await startOAuthProvider({ accessTokenSeconds: 1 });
    const root = mkdtempSync(join(tmpdir(), 'registry-expiry-'));
    const other = await startRegistry({ root, tokeninfoUrl: short.tokeninfoUrl });
    try {
      const res = await fetch(short.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: basic(CI_CLIENT.client_id, CI_CLIENT.client_secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=uid',
      });
      const { access_token } = (await res.json()) as { access_token: string };
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const answer = await fetch(`${other.url}/v2/`, { headers: { authorization: basic('oauth2', access_token) } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('Basic');
    } finally {
      await other.close();
      await short.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a revoked token loses write access at once (every write asks tokeninfo), reads may use the cache', async () => {
    const token = await grant('grant_type=client_credentials&scope=uid application.write', CI_CLIENT);
    const first = await call('/v2/myteam/revoked/blobs/uploads/', { method: 'POST', token });
    expect(first.status).toBe(202);
    const revoke = await fetch(`${provider.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: basic(CI_CLIENT.client_id, CI_CLIENT.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `token=${token}`,
    });
    expect(revoke.status).toBe(200);
    const after = await call('/v2/myteam/revoked/blobs/uploads/', { method: 'POST', token });
    expect(after.status).toBe(401);
    await after.body?.cancel();
  });

  it('removes an upload its client abandoned between requests after the idle time', async () => {
    const root = mkdtempSync(join(tmpdir(), 'registry-abandoned-'));
    const other = await startRegistry({
      root,
      tokeninfoUrl: provider.tokeninfoUrl,
      clientTeams: { [CI_CLIENT.client_id]: 'myteam' },
      uploadIdleMs: 400,
    });
    try {
      const post = (path: string, init: RequestInit = {}) =>
        fetch(`${other.url}${path}`, { ...init, headers: { authorization: basic('oauth2', ciToken) } });
      const begun = await post('/v2/myteam/abandoned/blobs/uploads/', { method: 'POST' });
      expect(begun.status).toBe(202);
      const location = begun.headers.get('location') as string;
      const patched = await post(location, { method: 'PATCH', body: Buffer.alloc(64 * 1024, 7) });
      expect(patched.status).toBe(202);
      const second = await post('/v2/myteam/abandoned/blobs/uploads/', { method: 'POST' });
      expect(second.status).toBe(202);
      expect(readdirSync(join(root, 'uploads'))).toHaveLength(2);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(readdirSync(join(root, 'uploads'))).toEqual([]);
      const late = await post(location, { method: 'PATCH', body: Buffer.alloc(10, 1) });
      expect(late.status).toBe(404);
      await late.body?.cancel();
    } finally {
      await other.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
