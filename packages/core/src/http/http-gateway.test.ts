import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import { HttpUnreachableError, httpFetch } from './http-gateway.js';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/silent')) return; // never answers
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-seen': req.headers['content-type'] ?? '' });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('the HTTP gateway', () => {
  it('answers with a Fetch Response: status, headers, body; forms are sent form-encoded', async () => {
    const res = await httpFetch(`${base}/x`, { method: 'POST', body: new URLSearchParams({ a: '1 2' }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-seen')).toContain('application/x-www-form-urlencoded');
    expect(await res.json()).toEqual({ method: 'POST', body: 'a=1+2' });
  });

  it('names the endpoint, never its query string, when nothing answers in time', async () => {
    const error = await httpFetch(`${base}/silent?access_token=SECRET`, { timeouts: { requestMs: 200 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpUnreachableError);
    expect((error as Error).message).toBe(`Could not reach GET ${base}/silent: no answer within 200 ms`);
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('reports a refused connection with the endpoint (exit 1)', async () => {
    const error = (await httpFetch('http://127.0.0.1:9/token', { method: 'POST' }).catch(
      (e: unknown) => e,
    )) as HttpUnreachableError;
    expect(error.message).toBe('Could not reach POST http://127.0.0.1:9/token: connection refused');
    expect(error.exitCode).toBe(1);
    // A loopback URL is the local platform's (zign, pierone and piu say so as senza does for AWS).
    expect(error.hint).toBe(
      'This is the local platform (the URL on loopback): run `stups-local status` and, if it is down, `stups-local up`.',
    );
  });

  it('a URL elsewhere gets the general hint', async () => {
    const error = (await httpFetch('http://no-such-host.invalid/token').catch(
      (e: unknown) => e,
    )) as HttpUnreachableError;
    expect(error.hint).toBe('Check that the URL is right and the server runs; set it in the tool config or flags.');
  });
});

describe('the HTTP gateway and abort signals', () => {
  it('an abort (Ctrl-C, a spent completion budget) ends the call as an interruption, exit 130', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = (await httpFetch(`${base}/silent`, { signal: controller.signal }).catch((e: unknown) => e)) as {
      exitCode: number;
    };
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.exitCode).toBe(130);
  });

  it("a signal's typed reason is kept; a timeout signal names the endpoint", async () => {
    const reason = new HttpUnreachableError('GET x', 'budget');
    const typed = await httpFetch(`${base}/silent`, { signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
    expect(typed).toBe(reason);
    const timedOut = await httpFetch(`${base}/silent`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(HttpUnreachableError);
    expect((timedOut as Error).message).toBe(`Could not reach GET ${base}/silent: timed out`);
  });
});
