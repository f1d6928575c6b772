import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ARTIFACT_PATTERN, TAG_PATTERN, TEAM_PATTERN } from '@stups/core/pierone';
import { type BlobStore, DIGEST_PATTERN, DigestMismatchError } from './blob-store.js';
import { BodyTooLargeError, readBody, sendEmpty, sendJson, sendV2Error, V2_HEADER } from './http-answers.js';
import { parseManifest } from './manifests.js';
import type { Caller } from './registry-auth.js';
import type { RegistryCatalog } from './registry-catalog.js';

/**
 * The Docker Registry HTTP API v2 for repositories `team/artifact`: blob uploads (monolithic, and
 * chunked with PATCH and Content-Range), blob and manifest reads, manifest pushes by tag or digest
 * (Pier One's rules: immutable tags except `-SNAPSHOT`, no `latest`), tags/list and the catalog.
 */
export interface V2Context {
  blobs: BlobStore;
  catalog: RegistryCatalog;
  caller: Caller;
  /** The reason the caller may not push to the team, or undefined. */
  writeDenied(team: string): string | undefined;
}

const MANIFEST_LIMIT = 4 * 1024 * 1024;

function uploadHeaders(team: string, artifact: string, uuid: string, size: number): Record<string, string> {
  return {
    location: `/v2/${team}/${artifact}/blobs/uploads/${uuid}`,
    'docker-upload-uuid': uuid,
    range: `0-${Math.max(0, size - 1)}`,
    ...V2_HEADER,
  };
}

function blobCreated(res: ServerResponse, team: string, artifact: string, digest: string): void {
  sendEmpty(res, 201, {
    location: `/v2/${team}/${artifact}/blobs/${digest}`,
    'docker-content-digest': digest,
    ...V2_HEADER,
  });
}

async function commitOrRefuse(
  ctx: V2Context,
  res: ServerResponse,
  uuid: string,
  digest: string | null,
  names: [string, string],
): Promise<void> {
  if (!digest || !DIGEST_PATTERN.test(digest)) {
    ctx.blobs.cancel(uuid);
    sendV2Error(res, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content', { Digest: digest });
    return;
  }
  try {
    ctx.blobs.commit(uuid, digest);
  } catch (e) {
    if (!(e instanceof DigestMismatchError)) throw e;
    sendV2Error(res, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content', {
      Digest: digest,
      Actual: e.actual,
    });
    return;
  }
  blobCreated(res, names[0], names[1], digest);
}

async function appendOrFail(ctx: V2Context, res: ServerResponse, uuid: string, req: IncomingMessage): Promise<boolean> {
  const range = req.headers['content-range'];
  const size = ctx.blobs.uploadSize(uuid) ?? 0;
  if (typeof range === 'string') {
    const m = /^(?:bytes[ =])?(\d+)-(\d+)$/.exec(range.trim());
    if (!m || Number(m[1]) !== size) {
      req.resume();
      sendEmpty(res, 416, { range: `0-${Math.max(0, size - 1)}`, 'docker-upload-uuid': uuid, ...V2_HEADER });
      return false;
    }
  }
  if (!(await ctx.blobs.append(uuid, req))) {
    req.resume();
    sendV2Error(res, 409, 'BLOB_UPLOAD_INVALID', 'another request is writing to this upload', { UUID: uuid });
    return false;
  }
  return true;
}

function manifestDigest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function putManifest(
  ctx: V2Context,
  req: IncomingMessage,
  res: ServerResponse,
  team: string,
  artifact: string,
  ref: string,
): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readBody(req, MANIFEST_LIMIT);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    sendV2Error(res, 413, 'SIZE_INVALID', `manifest larger than ${MANIFEST_LIMIT} bytes`);
    return;
  }
  const manifest = parseManifest(bytes, req.headers['content-type']);
  if (manifest.kind === 'invalid') {
    sendV2Error(res, 400, 'MANIFEST_INVALID', manifest.message);
    return;
  }
  const repo = ctx.catalog.get(team, artifact);
  const missing =
    manifest.kind === 'image'
      ? [manifest.config, ...manifest.layers].find((d) => !ctx.blobs.has(d))
      : manifest.manifests.find((d) => !repo?.manifests[d]);
  if (missing) {
    const what = manifest.kind === 'image' ? 'blob' : 'manifest';
    sendV2Error(res, 400, 'MANIFEST_BLOB_UNKNOWN', `image ${what} ${missing} does not exist`, { Digest: missing });
    return;
  }
  const digest = manifestDigest(bytes);
  const byDigest = ref.startsWith('sha256:');
  if (byDigest && ref !== digest) {
    sendV2Error(res, 400, 'DIGEST_INVALID', 'manifest digest does not match the reference', {
      Digest: ref,
      Actual: digest,
    });
    return;
  }
  if (!byDigest && ref === 'latest') {
    sendV2Error(res, 409, 'TAG_INVALID', 'tag latest is not allowed', { Tag: ref });
    return;
  }
  if (!byDigest && !TAG_PATTERN.test(ref)) {
    sendV2Error(res, 400, 'TAG_INVALID', 'invalid tag name', { Tag: ref });
    return;
  }
  ctx.blobs.putBytes(bytes);
  ctx.catalog.addManifest(team, artifact, digest, manifest.mediaType);
  if (!byDigest) {
    const layers = manifest.kind === 'image' ? [...manifest.layers].reverse() : childLayers(ctx, manifest.manifests);
    const image = manifest.kind === 'image' ? manifest.config : digest;
    const outcome = ctx.catalog.putTag(team, artifact, {
      name: ref,
      manifest: digest,
      image,
      created_by: ctx.caller.uid,
      layers,
    });
    if (outcome === 'immutable') {
      sendV2Error(res, 409, 'TAG_INVALID', 'tag already exists', { Tag: ref });
      return;
    }
  }
  sendEmpty(res, 201, {
    location: `/v2/${team}/${artifact}/manifests/${digest}`,
    'docker-content-digest': digest,
    ...V2_HEADER,
  });
}

/** The layers of an index's first image manifest (where scm-source.json is looked for). */
function childLayers(ctx: V2Context, manifests: string[]): string[] {
  const first = manifests[0];
  if (!first || !ctx.blobs.has(first)) return [];
  const parsed = parseManifest(readFileSync(ctx.blobs.pathOf(first)), undefined);
  return parsed.kind === 'image' ? [...parsed.layers].reverse() : [];
}

function getManifest(
  ctx: V2Context,
  req: IncomingMessage,
  res: ServerResponse,
  team: string,
  artifact: string,
  ref: string,
): void {
  const repo = ctx.catalog.get(team, artifact);
  let digest: string | undefined;
  if (ref.startsWith('sha256:')) digest = repo?.manifests[ref] ? ref : undefined;
  else {
    const tag =
      repo?.tags.find((t) => t.name === ref) ?? (ref === 'latest' ? ctx.catalog.latest(team, artifact) : undefined);
    digest = tag?.manifest;
  }
  if (!digest || !repo || !ctx.blobs.has(digest)) {
    sendV2Error(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown', { Tag: ref });
    return;
  }
  const size = ctx.blobs.sizeOf(digest) ?? 0;
  res.writeHead(200, {
    'content-type': repo.manifests[digest],
    'content-length': String(size),
    'docker-content-digest': digest,
    etag: `"${digest}"`,
    ...V2_HEADER,
  });
  if (req.method === 'HEAD') res.end();
  else ctx.blobs.read(digest).pipe(res);
}

function getBlob(ctx: V2Context, req: IncomingMessage, res: ServerResponse, digest: string): void {
  const size = ctx.blobs.sizeOf(digest);
  if (size === undefined) {
    if (req.method === 'HEAD') sendEmpty(res, 404, V2_HEADER);
    else sendV2Error(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry', { Digest: digest });
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(size),
    'docker-content-digest': digest,
    etag: `"${digest}"`,
    ...V2_HEADER,
  });
  if (req.method === 'HEAD') res.end();
  else ctx.blobs.read(digest).pipe(res);
}

const REPO_ROUTE = /^\/v2\/([^/]+)\/([^/]+)\/(tags\/list|manifests\/[^/]+|blobs\/uploads\/?[^/]*|blobs\/[^/]+)$/;

/** Answers a /v2/{team}/{artifact}/… request or /v2/_catalog; false when the path is none of them. */
export async function handleV2(ctx: V2Context, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const method = req.method ?? 'GET';
  if (url.pathname === '/v2/_catalog') {
    const repositories = ctx.catalog
      .all()
      .filter((r) => r.tags.length > 0)
      .map((r) => `${r.team}/${r.artifact}`)
      .sort();
    sendJson(res, 200, { repositories }, V2_HEADER);
    return true;
  }
  const m = REPO_ROUTE.exec(url.pathname);
  if (!m) return false;
  const team = decodeURIComponent(m[1]);
  const artifact = decodeURIComponent(m[2]);
  const rest = m[3];
  if (!TEAM_PATTERN.test(team) || !ARTIFACT_PATTERN.test(artifact)) {
    req.resume();
    sendV2Error(res, 400, 'NAME_INVALID', 'invalid repository name', { Name: `${team}/${artifact}` });
    return true;
  }
  const writing = method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
  if (writing) {
    const denied = ctx.writeDenied(team);
    if (denied) {
      req.resume();
      sendV2Error(res, 403, 'DENIED', denied, { Team: team });
      return true;
    }
  }
  if (rest === 'tags/list' && method === 'GET') {
    const tags = (ctx.catalog.get(team, artifact)?.tags ?? []).map((t) => t.name);
    sendJson(res, 200, { name: `${team}/${artifact}`, tags }, V2_HEADER);
    return true;
  }
  if (rest.startsWith('manifests/')) {
    const ref = decodeURIComponent(rest.slice('manifests/'.length));
    if (method === 'GET' || method === 'HEAD') getManifest(ctx, req, res, team, artifact, ref);
    else if (method === 'PUT') await putManifest(ctx, req, res, team, artifact, ref);
    else unsupported(req, res);
    return true;
  }
  if (rest.startsWith('blobs/uploads')) {
    const uuid = rest.slice('blobs/uploads'.length).replace(/^\//, '');
    if (!uuid && method === 'POST') {
      const mount = url.searchParams.get('mount');
      if (mount && ctx.blobs.has(mount)) {
        req.resume();
        blobCreated(res, team, artifact, mount);
        return true;
      }
      const id = ctx.blobs.begin();
      const digest = url.searchParams.get('digest');
      if (digest) {
        if (await appendOrFail(ctx, res, id, req)) await commitOrRefuse(ctx, res, id, digest, [team, artifact]);
        return true;
      }
      req.resume();
      sendEmpty(res, 202, uploadHeaders(team, artifact, id, 0));
      return true;
    }
    if (!uuid || !ctx.blobs.isUpload(uuid)) {
      req.resume();
      sendV2Error(res, 404, 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { UUID: uuid });
      return true;
    }
    if (method === 'PATCH') {
      if (await appendOrFail(ctx, res, uuid, req))
        sendEmpty(res, 202, uploadHeaders(team, artifact, uuid, ctx.blobs.uploadSize(uuid) ?? 0));
    } else if (method === 'PUT') {
      if (await appendOrFail(ctx, res, uuid, req))
        await commitOrRefuse(ctx, res, uuid, url.searchParams.get('digest'), [team, artifact]);
    } else if (method === 'GET') {
      sendEmpty(res, 204, uploadHeaders(team, artifact, uuid, ctx.blobs.uploadSize(uuid) ?? 0));
    } else if (method === 'DELETE') {
      ctx.blobs.cancel(uuid);
      sendEmpty(res, 204, V2_HEADER);
    } else unsupported(req, res);
    return true;
  }
  if (rest.startsWith('blobs/') && (method === 'GET' || method === 'HEAD')) {
    getBlob(ctx, req, res, decodeURIComponent(rest.slice('blobs/'.length)));
    return true;
  }
  unsupported(req, res);
  return true;
}

function unsupported(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  sendV2Error(res, 405, 'UNSUPPORTED', `${req.method} is not supported here (images cannot be deleted)`);
}
