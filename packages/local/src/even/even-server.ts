import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { httpFetch } from '@stups/core/http';
import { USERNAME_PATTERN } from '@stups/core/piu';
import { closeServer, listenOnLoopback } from '../contract/loopback-port.js';
import type { AccessGranting, Answer } from './access-granting.js';
import { readPublicKey } from './public-keys.js';

/**
 * even's HTTP API on loopback (shared/specs/even-api.yaml): `POST` and `GET /access-requests` with a
 * bearer token checked at the platform's tokeninfo endpoint, and `GET /public-keys/{name}/sshkey.pub`
 * without authentication (the bastion's grant command fetches keys there).
 */
export interface EvenServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface EvenServerOptions {
  granting: AccessGranting;
  evenDir: string;
  tokeninfoUrl: string;
  port?: number;
}

const UNAUTHORIZED = 'Unauthorized. Please authenticate with a valid OAuth2 token.';

async function uidOf(req: IncomingMessage, tokeninfoUrl: string): Promise<string | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return undefined;
  const url = new URL(tokeninfoUrl);
  url.searchParams.set('access_token', token);
  const res = await httpFetch(url, { timeouts: { connectMs: 2_000, requestMs: 5_000 } });
  if (res.status !== 200) return undefined;
  const info = (await res.json()) as { uid?: unknown };
  return typeof info.uid === 'string' && info.uid ? info.uid : undefined;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('request body too large');
  }
  return body;
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    'content-type': answer.type === 'json' ? 'application/json' : 'text/plain; charset=utf-8',
  });
  res.end(answer.body);
}

async function handle(options: EvenServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (req.method === 'GET' && path === '/') {
    res.writeHead(302, { location: '/ui/' });
    res.end();
    return;
  }
  if (req.method === 'GET' && path === '/ui') {
    send(res, { status: 200, body: 'even: SSH access granting service (stups-local)\n' });
    return;
  }
  const key = /^\/public-keys\/([^/]+)\/sshkey\.pub$/.exec(path);
  if (key && req.method === 'GET') {
    const name = decodeURIComponent(key[1] as string);
    if (!USERNAME_PATTERN.test(name)) return send(res, { status: 400, body: 'Invalid username parameter' });
    const found = readPublicKey(options.evenDir, name);
    return send(res, found ? { status: 200, body: `${found} ${name}\n` } : { status: 404, body: 'User not found' });
  }
  if (path === '/access-requests' && (req.method === 'GET' || req.method === 'POST')) {
    const uid = await uidOf(req, options.tokeninfoUrl);
    if (!uid) return send(res, { status: 401, body: UNAUTHORIZED });
    if (req.method === 'GET') return send(res, options.granting.list(url.searchParams));
    let parsed: unknown;
    try {
      parsed = JSON.parse(await bodyOf(req));
    } catch (e) {
      return send(res, { status: 400, body: `Invalid request: ${(e as Error).message}` });
    }
    return send(res, await options.granting.request(uid, parsed as Record<string, unknown>));
  }
  send(res, { status: 404, body: 'Not found' });
}

export async function startEvenServer(options: EvenServerOptions): Promise<EvenServer> {
  const server: Server = createServer((req, res) => {
    handle(options, req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: `Internal error: ${(e as Error).message}` });
      else res.end();
    });
  });
  const port = await listenOnLoopback(server, options.port);
  return { url: `http://127.0.0.1:${port}`, port, close: () => closeServer(server) };
}
