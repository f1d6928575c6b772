import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../contract/loopback-port.js';
import { BlobStore, UPLOAD_IDLE_MS } from './blob-store.js';
import { sendJson, sendV2Error, V2_HEADER } from './http-answers.js';
import { handleRest } from './pierone-rest.js';
import { type Authentication, TokenChecker, WRITE_CACHE_MS, writeDenied } from './registry-auth.js';
import { RegistryCatalog } from './registry-catalog.js';
import { handleV2 } from './registry-v2.js';
import type { ScmSourceJson } from './scm-source.js';

/**
 * A Pier One-compatible registry on loopback: Docker Registry v2 and the Pier One REST API over one
 * state directory (blobs, uploads, repositories), every call but the health check authenticated at
 * the tokeninfo endpoint. `GET /v2/` without a valid token answers 401 with a Basic challenge and the
 * v2 header, which makes Docker and skopeo send `oauth2:<token>` from the credential helper.
 */
export interface RegistryOptions {
  /** Where blobs and repositories live (kept across restarts). */
  root: string;
  tokeninfoUrl: string;
  /** Teams of OAuth clients whose tokeninfo names none (the CI client). */
  clientTeams?: Record<string, string>;
  port?: number;
  /** An upload idle this long (no request streaming into it) is removed (default 10 minutes). */
  uploadIdleMs?: number;
}

export interface RunningRegistry {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CHALLENGE = { 'www-authenticate': 'Basic realm="Pier One Docker Registry"', ...V2_HEADER };

function refuse(res: ServerResponse, auth: Exclude<Authentication, { kind: 'ok' }>, v2: boolean): void {
  const status = auth.kind === 'unauthorized' ? 401 : 403;
  const headers = status === 401 ? CHALLENGE : {};
  if (v2) sendV2Error(res, status, status === 401 ? 'UNAUTHORIZED' : 'DENIED', auth.reason, {}, headers);
  else sendJson(res, status, { title: status === 401 ? 'Unauthorized' : 'Forbidden', detail: auth.reason }, headers);
}

export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  const blobs = new BlobStore(options.root);
  const catalog = new RegistryCatalog(options.root);
  const scmCache = new Map<string, ScmSourceJson | null>();
  const checker = new TokenChecker(options.tokeninfoUrl, options.clientTeams);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry.local');
    const path = url.pathname;
    if (path === '/.well-known/health') return sendJson(res, 200, { health: true });
    if (path === '/swagger.json') return sendJson(res, 200, { swagger: '2.0', info: { title: 'Pier One API' } });
    if (path === '/') return sendJson(res, 200, { name: 'Pier One (stups-local)' });
    const v2 = path === '/v2' || path.startsWith('/v2/');
    const writing = req.method !== 'GET' && req.method !== 'HEAD';
    const auth = await checker.authenticate(req.headers.authorization, writing ? WRITE_CACHE_MS : undefined);
    if (auth.kind !== 'ok') {
      req.resume();
      return refuse(res, auth, v2);
    }
    if (path === '/v2' || path === '/v2/') return sendJson(res, 200, {}, V2_HEADER);
    const caller = auth.caller;
    if (v2) {
      const handled = await handleV2(
        { blobs, catalog, caller, writeDenied: (team) => writeDenied(caller, team) },
        req,
        res,
        url,
      );
      if (!handled) sendV2Error(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry (team/artifact)');
      return;
    }
    if (req.method === 'GET' && (await handleRest({ blobs, catalog, scmCache }, res, url))) return;
    req.resume();
    sendJson(res, 404, { title: 'Not Found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { title: 'Internal Server Error', detail: (e as Error).message });
      else res.destroy();
    });
  });
  // Large layers over a slow client are fine; a stalled one is cut off after a minute.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  const port = await listenOnLoopback(server, options.port);
  // Abandoned uploads (the client went away between requests) do not fill the disk while it runs.
  const idleMs = options.uploadIdleMs ?? UPLOAD_IDLE_MS;
  const sweeper = setInterval(() => blobs.expireIdleUploads(idleMs), Math.max(100, Math.min(60_000, idleMs / 2)));
  sweeper.unref();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      clearInterval(sweeper);
      return closeServer(server);
    },
  };
}
