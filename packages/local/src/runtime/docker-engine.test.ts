import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectUserEngine, privateDockerdPaths, stateDirId } from './docker-engine.js';

describe('connectUserEngine without an engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-'));
  let server: Server | undefined;
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says why, naming the socket, instead of failing', async () => {
    const socket = join(dir, 'missing.sock');
    expect(await connectUserEngine({ DOCKER_HOST: `unix://${socket}` })).toEqual({
      unavailable: `no Docker engine at unix://${socket}: ENOENT`,
    });
  });

  it('an endpoint that accepts but never answers times out', async () => {
    const socket = join(dir, 'silent.sock');
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server?.listen(socket, resolve));
    const result = await connectUserEngine({ DOCKER_HOST: `unix://${socket}` });
    expect(result).toEqual({
      unavailable: expect.stringMatching(/^no Docker engine at unix:\/\/.*: no answer within/),
    });
  }, 10_000);

  it('a DOCKER_HOST it cannot use is reported too', async () => {
    expect(await connectUserEngine({ DOCKER_HOST: 'ssh://user@host' })).toEqual({
      unavailable: expect.stringContaining('no Docker engine at ssh://user@host'),
    });
  });
});

describe('privateDockerdPaths', () => {
  it('keeps the exec root short (containerd puts unix sockets there) and the rest in the state directory', () => {
    const long = join(tmpdir(), 'a'.repeat(80), 'state');
    const paths = privateDockerdPaths(long);
    expect(paths.execRoot).toBe(`/tmp/stups-dx-${stateDirId(long)}`);
    expect(paths.dataRoot).toBe(join(long, 'docker', 'data'));
    expect(stateDirId(long)).toMatch(/^[0-9a-f]{12}$/);
    expect(stateDirId(`${long}/`)).toBe(stateDirId(long));
  });
});
