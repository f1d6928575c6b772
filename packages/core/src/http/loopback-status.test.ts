import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackGetStatus } from './loopback-status.js';

let http: Server;
let garbage: TcpServer;
let base: string;
let garbageUrl: string;
const seen: { url?: string; host?: string; authorization?: string }[] = [];
beforeAll(async () => {
  http = createHttpServer((req, res) => {
    if (req.url?.startsWith('/silent')) return; // never answers
    seen.push({ url: req.url, host: req.headers.host, authorization: req.headers.authorization });
    res.writeHead(req.headers.authorization === 'Basic good' ? 200 : 401, { 'content-type': 'application/json' });
    res.end('{"errors":[]}');
  });
  garbage = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}/v2/`;
});
afterAll(() => {
  http.closeAllConnections();
  http.close();
  garbage.close();
});

const timeouts = { connectMs: 2_000, requestMs: 3_000 };

describe('the status of a GET to a loopback server over a bare socket', () => {
  it('is the status line’s code, for a request with the path, the Host and the headers given', async () => {
    seen.length = 0;
    expect(await loopbackGetStatus(new URL(`${base}/v2/`), { authorization: 'Basic bad' }, timeouts)).toBe(401);
    expect(await loopbackGetStatus(new URL(`${base}/v2/?a=1`), { authorization: 'Basic good' }, timeouts)).toBe(200);
    expect(seen).toEqual([
      { url: '/v2/', host: new URL(base).host, authorization: 'Basic bad' },
      { url: '/v2/?a=1', host: new URL(base).host, authorization: 'Basic good' },
    ]);
  });

  it('is undefined when nothing listens, nothing answers in time, or the answer is not HTTP', async () => {
    // Port 9 (discard): served by nothing here, unlike a just-closed ephemeral port that another test
    // file's listen(0) may draw before this connects.
    expect(await loopbackGetStatus(new URL('http://127.0.0.1:9/v2/'), {}, timeouts)).toBeUndefined();
    const started = Date.now();
    expect(
      await loopbackGetStatus(new URL(`${base}/silent`), {}, { connectMs: 2_000, requestMs: 200 }),
    ).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await loopbackGetStatus(new URL(garbageUrl), {}, timeouts)).toBeUndefined();
  });
});
