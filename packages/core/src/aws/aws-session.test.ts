import { createServer, type Server, type Socket } from 'node:net';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError, AwsError, OperationError } from '../errors.js';
import { AwsSession } from './aws-session.js';
import { awsTimeoutsFrom, DEFAULT_AWS_TIMEOUTS } from './aws-timeouts.js';

/**
 * The real SDK client against a TCP server that accepts and never answers (a fault no real peer
 * can be made to produce on demand): timeouts end the call, and a signal reaches a call in flight.
 */
const sockets: Socket[] = [];
let server: Server;
let endpoint: string;

async function silent(): Promise<string> {
  server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (!a || typeof a === 'string') throw new Error('no port');
  return `http://127.0.0.1:${a.port}`;
}

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server?.close(r));
});

const env = (url: string) => ({
  AWS_ENDPOINT_URL: url,
  AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
  AWS_SECRET_ACCESS_KEY: 'local',
});

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
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

const listStacks = () => new ListStacksCommand({});

/** Accepts, then sends an answer one byte every 100 ms that never ends: never idle, never done. */
async function dripping(): Promise<string> {
  const drip = createServer((s) => {
    sockets.push(s);
    const text = `HTTP/1.1 200 OK\r\nx-drip: ${'a'.repeat(10_000)}`;
    let i = 0;
    const timer = setInterval(() => {
      if (s.destroyed) clearInterval(timer);
      else s.write(text[i++ % text.length]);
    }, 100);
    s.on('close', () => clearInterval(timer));
    s.on('error', () => clearInterval(timer));
  });
  await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
  afterAll(() => new Promise((r) => drip.close(r)));
  const a = drip.address();
  if (!a || typeof a === 'string') throw new Error('no port');
  return `http://127.0.0.1:${a.port}`;
}

describe('the time budget of an AWS call', () => {
  it('is 30 s in all by default, and what SENZA_AWS_TIMEOUT / aws.timeout say', () => {
    expect(DEFAULT_AWS_TIMEOUTS).toEqual({ connectMs: 5_000, requestMs: 30_000 });
    expect(awsTimeoutsFrom({}).requestMs).toBe(30_000);
    expect(awsTimeoutsFrom({ aws: { timeout: 90 } }).requestMs).toBe(90_000);
  });

  it('a dripping endpoint (never idle, never done) ends within the budget, retries allowed', async () => {
    const url = await dripping();
    const started = Date.now();
    const e = await withEnv(env(url), async () => {
      const session = new AwsSession({ region: 'eu-central-1', timeouts: { connectMs: 500, requestMs: 800 } });
      try {
        return await session.send('cloudformation', listStacks()).catch((x) => x);
      } finally {
        session.destroy();
      }
    });
    const seconds = (Date.now() - started) / 1000;
    expect(e).toBeInstanceOf(AwsError);
    expect(e.code).toBe('aws.timeout');
    expect(e.message).toBe(`CloudFormation ListStacks: ${url} did not answer within 0.8 s`);
    expect(seconds).toBeLessThan(3);
  });

  it('a silent endpoint with 6 attempts allowed still ends within the budget', async () => {
    const url = await silent();
    const started = Date.now();
    const e = await withEnv(env(url), async () => {
      const session = new AwsSession({
        region: 'eu-central-1',
        maxAttempts: 6,
        timeouts: { connectMs: 500, requestMs: 600 },
      });
      try {
        return await session.send('cloudformation', listStacks()).catch((x) => x);
      } finally {
        session.destroy();
      }
    });
    expect(e.code).toBe('aws.timeout');
    expect(e.message).toContain(`${url} did not answer within 0.6 s`);
    expect((Date.now() - started) / 1000).toBeLessThan(2.5);
  });
});

describe('AwsSession against an endpoint that never answers', () => {
  it('the time budget ends the call, retries included, naming service, endpoint and budget', async () => {
    endpoint = await silent();
    const e = await withEnv(env(endpoint), async () => {
      const session = new AwsSession({
        region: 'eu-central-1',
        maxAttempts: 2,
        timeouts: { connectMs: 500, requestMs: 300 },
      });
      try {
        return await session.send('cloudformation', listStacks()).catch((x) => x);
      } finally {
        session.destroy();
      }
    });
    expect(e).toBeInstanceOf(AwsError);
    expect(e.code).toBe('aws.timeout');
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(`CloudFormation ListStacks: ${endpoint} did not answer within 0.3 s`);
    expect(e.hint).toContain('stups-local status');
  });

  it('a signal reaches a call in flight: Ctrl-C is an interruption, a deadline is its own error', async () => {
    endpoint ??= await silent();
    await withEnv(env(endpoint), async () => {
      const session = new AwsSession({ region: 'eu-central-1', maxAttempts: 1 });
      try {
        const ctrlC = new AbortController();
        const pending = session
          .withSignal(ctrlC.signal)
          .send('cloudformation', listStacks())
          .catch((x) => x);
        setTimeout(() => ctrlC.abort(), 100);
        expect(await pending).toBeInstanceOf(AbortedError);

        const deadline = new AbortController();
        const late = new OperationError('Aborted!', { code: 'senza.wait-timeout' });
        const bounded = session
          .withSignal(deadline.signal)
          .send('cloudformation', listStacks())
          .catch((x) => x);
        setTimeout(() => deadline.abort(late), 100);
        expect(await bounded).toBe(late);
        // the derived sessions share the call log
        expect(session.calls.map((c) => c.operation)).toEqual(['ListStacks', 'ListStacks']);
      } finally {
        session.destroy();
      }
    });
  });
});
