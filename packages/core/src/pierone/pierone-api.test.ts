import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, EXIT } from '../errors.js';
import { PierOneClient } from './pierone-api.js';

/** A Pier One that answers /teams at once and never answers /teams/slow/artifacts. */
let server: Server;
let url: string;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/teams/slow/artifacts') return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(['myteam', 'other']));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const client = (signal?: AbortSignal) => new PierOneClient({ url, token: async () => 't', signal });

describe('PierOneClient and abort signals', () => {
  it('answers a call that is not aborted', async () => {
    expect(await client().teams({ signal: new AbortController().signal })).toEqual(['myteam', 'other']);
  });

  it('ends a call in flight when its signal is aborted: exit 130, long before the request timeout', async () => {
    const started = Date.now();
    const error = await client()
      .artifacts('slow', { signal: AbortSignal.any([AbortSignal.timeout(60_000), abortAfter(150)]) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).exitCode).toBe(EXIT.INTERRUPTED);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("ends a call in flight when the client's own signal is aborted (Ctrl-C)", async () => {
    const error = await client(abortAfter(150))
      .artifacts('slow')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const before = seen.length;
    const error = await client()
      .teams({ signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(seen.length).toBe(before);
  });
});

function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}
