import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPortFree, closeServer, listenOnLoopback, portIsFree } from './loopback-port.js';

describe('loopback ports', () => {
  const holder = createServer();
  afterAll(() => closeServer(holder));

  it('listens on an ephemeral loopback port and reports it', async () => {
    const port = await listenOnLoopback(holder);
    expect(port).toBeGreaterThan(0);
    expect(holder.address()).toMatchObject({ address: '127.0.0.1', port });
    expect(await portIsFree('127.0.0.1', port)).toBe(false);
  });

  it('names a taken port with local.port-taken', async () => {
    const port = (holder.address() as { port: number }).port;
    const second = createServer();
    await expect(listenOnLoopback(second, port)).rejects.toMatchObject({
      code: 'local.port-taken',
      message: `Port ${port} on 127.0.0.1 is already in use`,
    });
    await expect(assertPortFree(port)).rejects.toMatchObject({ code: 'local.port-taken' });
  });

  it('closes a server with a keep-alive connection open', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const port = await listenOnLoopback(server);
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'keep-alive' } });
    expect(await res.text()).toBe('ok');
    await closeServer(server);
    expect(server.listening).toBe(false);
    await assertPortFree(port);
  });
});
