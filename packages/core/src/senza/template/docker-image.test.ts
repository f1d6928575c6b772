import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, OperationError } from '../../errors.js';
import { dockerImageExists, parseDockerImage } from './docker-image.js';

describe('Docker image references', () => {
  it('parses [REGISTRY/]TEAM/ARTIFACT[:TAG]', () => {
    expect(parseDockerImage('stups/hello-world:1.0')).toEqual({ repository: 'stups/hello-world', tag: '1.0' });
    expect(parseDockerImage('pierone.example.org/team/app:2')).toEqual({
      registry: 'pierone.example.org',
      repository: 'team/app',
      tag: '2',
    });
    expect(parseDockerImage('127.0.0.1:5000/team/app')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/app',
      tag: 'latest',
    });
  });
});

describe('checking that an image exists (Docker Registry v2 tags/list)', () => {
  let server: Server;
  let registry: string;
  const requests: string[] = [];

  beforeAll(async () => {
    // A registry speaking plain HTTP on loopback: the HTTPS attempt fails, the HTTP one answers.
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/v2/team/app/tags/list') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name: 'team/app', tags: ['1.0', '1.1'] }));
      } else if (req.url === '/v2/team/private/tags/list') {
        res.statusCode = 401;
        res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      } else {
        res.statusCode = 404;
        res.end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('finds an existing tag and misses an absent one or repository', async () => {
    expect(await dockerImageExists(`${registry}/team/app:1.1`)).toBe(true);
    expect(await dockerImageExists(`${registry}/team/app:9.9`)).toBe(false);
    expect(await dockerImageExists(`${registry}/team/nope:1.0`)).toBe(false);
    expect(requests).toContain('/v2/team/app/tags/list');
  });

  it('cannot tell without credentials (null), and skips registry-less images', async () => {
    expect(await dockerImageExists(`${registry}/team/private:1.0`)).toBeNull();
    expect(await dockerImageExists('stups/hello-world:1.0')).toBe(true);
  });

  it('asks Pier One with the pierone token, and fails clearly when there is none', async () => {
    const e = await dockerImageExists('pierone.stups.example.org/team/app:1.0', 1000, { HOME: '/nonexistent' }).catch(
      (err) => err,
    );
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).message).toContain(
      'Cannot check whether Docker image "pierone.stups.example.org/team/app:1.0" exists in Pier One',
    );
    expect((e as AuthError).hint).toContain('--force');
  });

  it('names the registry when it cannot be reached', async () => {
    // Port 9 (discard) on loopback: privileged and served by nothing here. A just-closed ephemeral port
    // could be handed to another test file's listen(0) before this connects.
    const port = 9;
    const e = await dockerImageExists(`127.0.0.1:${port}/team/app:1.0`, 1000).catch((err) => err);
    expect(e).toBeInstanceOf(OperationError);
    expect((e as OperationError).message).toContain(`Cannot reach the Docker registry 127.0.0.1:${port}`);
    expect((e as OperationError).hint).toContain('--force');
  });
});
