import { createServer, type Server, type Socket } from 'node:net';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError, AwsError, OperationError } from '../errors.js';
import { AwsSession } from './aws-session.js';

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

describe('AwsSession against an endpoint that never answers', () => {
  it('the request timeout ends the call after the retries, naming service, endpoint and timeout', async () => {
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
    expect(e.message).toBe(
      `CloudFormation ListStacks: ${endpoint} did not answer within the request timeout of 0.3 s (2 attempts)`,
    );
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
        const late = new OperationError('Aborted!', { code: 'senza.wait.timeout' });
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
