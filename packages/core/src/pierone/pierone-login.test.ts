import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieroneLogin } from './pierone-login.js';

/** A registry whose `GET /v2/` takes one token. */
let server: Server;
let url: string;
let dir: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.headers.authorization === 'Bearer good' ? 200 : 401, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'pierone-login-'));
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const envWith = (token: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  HOME: dir,
  XDG_CONFIG_HOME: join(dir, 'config'),
  DOCKER_CONFIG: join(dir, 'docker'),
  OAUTH2_ACCESS_TOKENS: `pierone=${token}`,
  PATH: '',
  ...extra,
});

describe('pieroneLogin, the core action of `pierone login`', () => {
  it('checks the token at the registry, then writes it into config.json (storeToken)', async () => {
    const result = await pieroneLogin({ url, storeToken: true, env: envWith('good') });
    expect(result.mode).toBe('token');
    const auths = JSON.parse(readFileSync(result.change.path, 'utf8')).auths;
    expect(Buffer.from(auths[url.replace('http://', '')].auth, 'base64').toString()).toBe('oauth2:good');
  });

  it('registers the helper only when docker-credential-pierone is on PATH', async () => {
    await expect(pieroneLogin({ url, env: envWith('good') })).rejects.toMatchObject({
      code: 'pierone.helper-not-on-path',
      exitCode: 1,
    });
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'docker-credential-pierone'), '#!/bin/sh\n');
    chmodSync(join(bin, 'docker-credential-pierone'), 0o755);
    const result = await pieroneLogin({ url, env: envWith('good', { PATH: bin }) });
    expect(result.mode).toBe('helper');
    expect(JSON.parse(readFileSync(result.change.path, 'utf8')).credHelpers).toMatchObject({
      [url.replace('http://', '')]: 'pierone',
    });
  });

  it('a token the registry refuses is an authentication error (exit 3), and config.json is left alone', async () => {
    const env = envWith('bad', { DOCKER_CONFIG: join(dir, 'untouched') });
    await expect(pieroneLogin({ url, storeToken: true, env })).rejects.toMatchObject({
      code: 'pierone.unauthorized',
      exitCode: 3,
    });
    expect(() => readFileSync(join(dir, 'untouched', 'config.json'))).toThrow();
  });
});
