import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadToolConfig } from '@stups/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

/**
 * senza against endpoints that misbehave in ways a real peer (moto) cannot be made to: one that
 * accepts connections and never answers, nothing listening, and foreign HTTP servers. The built CLI
 * runs as a user runs it; every case must end with one honest error, exit 1, in bounded time.
 */
let work: string;
const servers: (Server | HttpServer)[] = [];
const sockets: Socket[] = [];

async function listen(server: Server | HttpServer): Promise<string> {
  servers.push(server);
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** Accepts every connection and never answers: the fault behind "senza hangs forever". */
const silentEndpoint = () => listen(createServer(() => {}));
const httpEndpoint = (status: number, body: string, type = 'text/plain') =>
  listen(
    createHttpServer((_req, res) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }),
  );

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'senza-faults-'));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(work, { recursive: true, force: true });
});

/** senza with its own config home; `config` lands in senza.yaml there. */
function senzaWith(endpoint: string, config?: Record<string, unknown>) {
  const home = mkdtempSync(join(work, 'home-'));
  if (config) {
    mkdirSync(join(home, 'senza'), { recursive: true });
    writeFileSync(join(home, 'senza', 'senza.yaml'), JSON.stringify(config));
  }
  const env = { ...localAwsEnv(endpoint), XDG_CONFIG_HOME: home, AWS_MAX_ATTEMPTS: '2' };
  return async (...args: string[]) => {
    const started = Date.now();
    const r = await runCli(SENZA, args, env);
    return { ...r, seconds: (Date.now() - started) / 1000 };
  };
}

describe('an endpoint that accepts connections and never answers', () => {
  it('list: the time budget from the config file ends it with exit 1 naming service, endpoint and budget', async () => {
    const endpoint = await silentEndpoint();
    const r = await senzaWith(endpoint, { aws_timeout: 0.5, aws_connect_timeout: 0.5 })('list');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`Error: CloudFormation ListStacks: ${endpoint} did not answer within 0.5 s`);
    expect(r.stderr).toContain('stups-local status');
    expect(r.seconds).toBeLessThan(20);
  });

  it('senza config aws.timeout sets it; an invalid value is a usage error (exit 2)', async () => {
    const endpoint = await silentEndpoint();
    const run = senzaWith(endpoint, { aws_connect_timeout: 0.5 });
    expect((await run('config', 'aws.timeout', '0.4')).code).toBe(0);
    const r = await run('list');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('did not answer within 0.4 s');
    expect((await run('config', 'aws.timeout', 'soon')).code).toBe(0);
    const bad = await run('list');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Error: Invalid aws_timeout "soon": expected a number of seconds above 0');
  });

  it('SENZA_AWS_TIMEOUT wins over the file', async () => {
    const endpoint = await silentEndpoint();
    const home = mkdtempSync(join(work, 'home-'));
    mkdirSync(join(home, 'senza'));
    writeFileSync(join(home, 'senza', 'senza.yaml'), 'aws_timeout: 300\n');
    const env = {
      ...localAwsEnv(endpoint),
      XDG_CONFIG_HOME: home,
      AWS_MAX_ATTEMPTS: '1',
      SENZA_AWS_TIMEOUT: '0.3',
    };
    const r = await runCli(SENZA, ['list'], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('did not answer within 0.3 s');
  });

  it('list with the default retries gives up within the budget (SENZA_AWS_TIMEOUT), naming the endpoint', async () => {
    const endpoint = await silentEndpoint();
    const env = { ...localAwsEnv(endpoint), XDG_CONFIG_HOME: mkdtempSync(join(work, 'home-')), SENZA_AWS_TIMEOUT: '2' };
    const started = Date.now();
    const r = await runCli(SENZA, ['list'], env);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`Error: CloudFormation ListStacks: ${endpoint} did not answer within 2 s`);
    // 6 attempts × 2 s before: 12 s and more
    expect(seconds).toBeLessThan(8);
  });

  it('list against a dripping endpoint (one byte every 0.2 s) ends within the budget: exit 1, endpoint named', async () => {
    const endpoint = await listen(
      createServer((s) => {
        // a valid answer that never ends: the status line, then a header one byte at a time
        const text = `HTTP/1.1 200 OK\r\nx-drip: ${'a'.repeat(10_000)}`;
        let i = 0;
        const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write(text[i++ % text.length])), 200);
        s.on('close', () => clearInterval(timer));
        s.on('error', () => clearInterval(timer));
      }),
    );
    const env = { ...localAwsEnv(endpoint), XDG_CONFIG_HOME: mkdtempSync(join(work, 'home-')), SENZA_AWS_TIMEOUT: '2' };
    const started = Date.now();
    const r = await runCli(SENZA, ['list'], env);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`Error: CloudFormation ListStacks: ${endpoint} did not answer within 2 s`);
    expect(seconds).toBeLessThan(8);
  });

  it('wait -t 2 bounds the whole command, a request in flight included (default 30 s request timeout)', async () => {
    const endpoint = await silentEndpoint();
    const r = await senzaWith(endpoint)('wait', 'hello-world', '1', '-t', '2');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Error: Aborted!');
    expect(r.stderr).toContain('Timed out after 2 s; AWS did not answer in that time.');
    expect(r.seconds).toBeLessThan(15);
  });
});

describe('Ctrl-C while a request hangs', () => {
  it('wait stops at once (the signal reaches the call in flight): exit 130 and the resume command', async () => {
    const endpoint = await silentEndpoint();
    const child = spawn(process.execPath, [SENZA, 'wait', 'hello-world', '1'], {
      env: {
        PATH: process.env.PATH,
        NODE_NO_WARNINGS: '1',
        ...localAwsEnv(endpoint),
        XDG_CONFIG_HOME: mkdtempSync(join(work, 'home-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // once the request is on its way (the server has the connection), press Ctrl-C
    const connections = sockets.length;
    while (sockets.length === connections) await new Promise((r) => setTimeout(r, 50));
    const pressed = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Stopped waiting; CloudFormation carries on.\nHint: To resume: senza wait hello-world 1');
    expect((Date.now() - pressed) / 1000).toBeLessThan(10);
  });
});

describe('dead or foreign endpoints: the endpoint, the HTTP status and what to do', () => {
  it('nothing listening (moto killed): cannot reach, stups-local status', async () => {
    const server = createServer();
    const endpoint = await listen(server);
    await new Promise((r) => server.close(r));
    const r = await senzaWith(endpoint)('list');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`Error: CloudFormation ListStacks: cannot reach ${endpoint} (ECONNREFUSED)`);
    expect(r.stderr).toContain(
      'Hint: This is the local platform (AWS_ENDPOINT_URL on loopback): run `stups-local status`',
    );
    expect(r.stderr).not.toContain('$response');
  });

  it.each([
    ['an empty 404', 404, '', 'text/plain', 'answered HTTP 404 with no AWS error in its answer'],
    [
      'an HTML 502 page',
      502,
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'text/html',
      'answered HTTP 502 with no AWS error in its answer',
    ],
    [
      'garbage XML with 200',
      200,
      '<ListStacksResponse><oops',
      'text/xml',
      'answered HTTP 200 with an answer that is not an AWS response',
    ],
  ])('%s, also with --debug', async (_label, status, body, type, says) => {
    const endpoint = await httpEndpoint(status, body, type);
    const run = senzaWith(endpoint);
    for (const args of [['list'], ['list', '--debug']]) {
      const r = await run(...args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`Error: CloudFormation ListStacks: ${endpoint} ${says}`);
      expect(r.stderr).toContain('run `stups-local status`');
      expect(r.stderr).not.toMatch(/ListStacks: Unknown|XML parse error|\$response/);
    }
  });
});

describe('senza config under concurrency', () => {
  it('20 concurrent writers leave 20 keys in a 0600 file', async () => {
    const home = mkdtempSync(join(work, 'cfg-'));
    const env = { XDG_CONFIG_HOME: home };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => runCli(SENZA, ['config', `section.key${n}`, `value${n}`], env)),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const file = join(home, 'senza', 'senza.yaml');
    const config = loadToolConfig('senza', env) as { section: Record<string, string> };
    expect(Object.keys(config.section).sort()).toEqual(Array.from({ length: 20 }, (_, n) => `key${n}`).sort());
    for (let n = 0; n < 20; n++) expect(config.section[`key${n}`]).toBe(`value${n}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('an existing 0644 file becomes 0600 when written', async () => {
    const home = mkdtempSync(join(work, 'cfg-'));
    mkdirSync(join(home, 'senza'));
    const file = join(home, 'senza', 'senza.yaml');
    writeFileSync(file, 'a:\n  b: c\n');
    chmodSync(file, 0o644);
    const r = await runCli(SENZA, ['config', 'sentry.endpoint', 'secret'], { XDG_CONFIG_HOME: home });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadToolConfig('senza', { XDG_CONFIG_HOME: home })).toEqual({
      a: { b: 'c' },
      sentry: { endpoint: 'secret' },
    });
  });
});
