import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../aws/aws-session.js';
import { httpFetch } from './http-gateway.js';
import { agentsFromEnv } from './network-agents.js';
import { bypassesProxy, proxyFor } from './proxy-env.js';

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY and AWS_CA_BUNDLE through a real CONNECT proxy on loopback (written
 * here: it counts the tunnels it opens), an HTTPS AWS endpoint with its own CA, and a plain HTTP API.
 */
const servers: (Server | HttpServer)[] = [];
const sockets: Socket[] = [];
const tunnels: string[] = [];
let proxyUrl: string;
let awsUrl: string;
let apiUrl: string;
let caFile: string;
const awsRequests: string[] = [];

async function listen(server: Server | HttpServer): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (!a || typeof a === 'string') throw new Error('no port');
  return a.port;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-test-'));
  caFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { stdio: 'ignore' },
  );
  const aws = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
    awsRequests.push(`${req.method} ${req.headers.host}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<ListStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStacksResult><StackSummaries/></ListStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListStacksResponse>',
      );
    });
  });
  awsUrl = `https://localhost:${await listen(aws)}`;
  const api = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  apiUrl = `http://127.0.0.1:${await listen(api)}`;
  // A CONNECT proxy: reads the request head, opens the tunnel, answers 200, then relays bytes.
  const proxy = createServer((client) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const m = /^CONNECT (\S+):(\d+) HTTP\/1\.1/.exec(head.toString('latin1'));
      if (!m) return client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
      tunnels.push(`${m[1]}:${m[2]}`);
      const upstream = connect(Number(m[2]), m[1] === 'localhost' ? '127.0.0.1' : m[1], () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      sockets.push(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'AWS_CA_BUNDLE',
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
];

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function listStacks(vars: Record<string, string>): Promise<unknown> {
  return withEnv(
    { AWS_ENDPOINT_URL: awsUrl, AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'x', ...vars },
    async () => {
      const session = new AwsSession({
        region: 'eu-central-1',
        maxAttempts: 1,
        timeouts: { connectMs: 2000, requestMs: 5000 },
      });
      try {
        return await session.send('cloudformation', new ListStacksCommand({})).catch((e) => e);
      } finally {
        session.destroy();
      }
    },
  );
}

describe('AWS calls and the proxy variables', () => {
  it('HTTPS_PROXY: the call goes through the CONNECT proxy; AWS_CA_BUNDLE is trusted', async () => {
    const before = tunnels.length;
    const out = (await listStacks({ HTTPS_PROXY: proxyUrl, AWS_CA_BUNDLE: caFile })) as { StackSummaries?: unknown };
    expect(out).not.toBeInstanceOf(Error);
    expect(out.StackSummaries).toEqual([]);
    expect(tunnels.slice(before)).toEqual([`localhost:${new URL(awsUrl).port}`]);
  });

  it('lower-case https_proxy works too; NO_PROXY bypasses the proxy', async () => {
    let before = tunnels.length;
    expect(await listStacks({ https_proxy: proxyUrl, AWS_CA_BUNDLE: caFile })).not.toBeInstanceOf(Error);
    expect(tunnels.length).toBe(before + 1);
    before = tunnels.length;
    const requests = awsRequests.length;
    expect(
      await listStacks({ HTTPS_PROXY: proxyUrl, NO_PROXY: 'example.org,localhost', AWS_CA_BUNDLE: caFile }),
    ).not.toBeInstanceOf(Error);
    expect(tunnels.length).toBe(before);
    expect(awsRequests.length).toBe(requests + 1);
  });

  it('a proxy that is down: the hint names it and NO_PROXY', async () => {
    const e = (await listStacks({ HTTPS_PROXY: 'http://127.0.0.1:9', AWS_ENDPOINT_URL: '' })) as Error & {
      hint?: string;
    };
    expect(e).toBeInstanceOf(Error);
    expect(e.hint).toContain('Requests go through the proxy http://127.0.0.1:9 (HTTPS_PROXY/HTTP_PROXY)');
    expect(e.hint).toContain('NO_PROXY');
  });

  it('a proxy that refuses the tunnel: the error says the proxy refused, naming the endpoint', async () => {
    const api = new URL(apiUrl);
    const e = (await listStacks({ HTTPS_PROXY: apiUrl, AWS_CA_BUNDLE: caFile })) as Error & { code?: string };
    expect(e.code).toBe('aws.unreachable');
    expect(e.message).toContain(`CloudFormation ListStacks: cannot reach ${awsUrl}: proxy ${api.host}`);
  });

  it('AWS_CA_BUNDLE without a proxy: the endpoint certificate of a private CA is trusted, the call goes direct', async () => {
    const before = tunnels.length;
    const requests = awsRequests.length;
    const out = (await listStacks({ AWS_CA_BUNDLE: caFile })) as { StackSummaries?: unknown };
    expect(out).not.toBeInstanceOf(Error);
    expect(out.StackSummaries).toEqual([]);
    expect(tunnels.length).toBe(before);
    expect(awsRequests.length).toBe(requests + 1);
    expect(await listStacks({})).toBeInstanceOf(Error);
  });

  it('an unreadable AWS_CA_BUNDLE is a usage error naming the file', async () => {
    const e = (await listStacks({ AWS_CA_BUNDLE: '/nonexistent/ca.pem' })) as Error & { code?: string };
    expect(e.code).toBe('aws.ca-bundle-unreadable');
    expect(e.message).toBe('Cannot read AWS_CA_BUNDLE /nonexistent/ca.pem: ENOENT');
  });

  it('without AWS_CA_BUNDLE the endpoint certificate of a private CA is refused', async () => {
    const e = await listStacks({ HTTPS_PROXY: proxyUrl });
    expect(e).toBeInstanceOf(Error);
  });
});

describe('platform API calls (OAuth, Pier One, even) and the proxy variables', () => {
  it('HTTP_PROXY: the gateway goes through the proxy; NO_PROXY bypasses it', async () => {
    const before = tunnels.length;
    const through = await withEnv({ HTTP_PROXY: proxyUrl }, () => httpFetch(`${apiUrl}/oauth2/token`));
    expect(await through.json()).toEqual({ ok: true });
    expect(tunnels.slice(before)).toEqual([`127.0.0.1:${new URL(apiUrl).port}`]);
    const direct = await withEnv({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }, () => httpFetch(`${apiUrl}/v2/`));
    expect(direct.status).toBe(200);
    expect(tunnels.length).toBe(before + 1);
  });

  it('a proxy that refuses the tunnel is a clear unreachable error naming the endpoint', async () => {
    const e = await withEnv({ HTTP_PROXY: apiUrl }, () => httpFetch(`${apiUrl}/v2/`).catch((x) => x));
    expect(e.code).toBe('http.unreachable');
    expect(e.message).toContain(`GET ${apiUrl}/v2/`);
    expect(e.message).toContain('proxy 127.0.0.1');
  });
});

describe('which requests use a proxy', () => {
  const env = {
    HTTPS_PROXY: 'http://proxy.corp:3128',
    HTTP_PROXY: 'proxy.corp:8080',
    NO_PROXY: '.internal, localhost,10.0.0.1:8443',
  };
  it('per scheme, with NO_PROXY hosts, domains and ports', () => {
    expect(proxyFor('https://cloudformation.eu-central-1.amazonaws.com/', env)?.href).toBe('http://proxy.corp:3128/');
    expect(proxyFor('http://registry.example.com/', env)?.href).toBe('http://proxy.corp:8080/');
    expect(proxyFor('https://auth.internal/', env)).toBeUndefined();
    expect(proxyFor('https://a.b.internal/', env)).toBeUndefined();
    expect(proxyFor('http://localhost:4566/', env)).toBeUndefined();
    expect(bypassesProxy('10.0.0.1', 8443, env)).toBe(true);
    expect(bypassesProxy('10.0.0.1', 443, env)).toBe(false);
    expect(bypassesProxy('anything', 1, { NO_PROXY: '*' })).toBe(true);
    expect(proxyFor('https://x.amazonaws.com/', {})).toBeUndefined();
  });

  it('nothing is loaded when no proxy and no CA bundle is set', async () => {
    expect(await agentsFromEnv({}, { awsCaBundle: true })).toBeUndefined();
    expect(await agentsFromEnv({ AWS_CA_BUNDLE: caFile })).toBeUndefined();
    expect(await agentsFromEnv({ AWS_CA_BUNDLE: caFile }, { awsCaBundle: true })).toBeDefined();
  });
});
