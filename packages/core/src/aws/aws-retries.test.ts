import { createServer, type Server } from 'node:http';
import { ListTopicsCommand, PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../errors.js';
import { AwsSession } from './aws-session.js';

/**
 * Retries only where they are safe: a call that AWS applies again when repeated (SNS Publish) is not
 * retried after its request may have been applied (the connection dropped after sending), but is after a
 * throttling refusal; an idempotent read is retried in both cases. Canned SNS answers on loopback.
 */
let server: Server;
let endpoint: string;
let script: ('drop' | 'throttle' | 'ok')[] = [];
const received: string[] = [];

const OK: Record<string, string> = {
  Publish:
    '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
  ListTopics:
    '<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListTopicsResult><Topics/></ListTopicsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListTopicsResponse>',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const action = new URLSearchParams(Buffer.concat(chunks).toString()).get('Action') ?? '';
      received.push(action);
      const step = script.shift() ?? 'ok';
      if (step === 'drop') return req.socket.destroy();
      if (step === 'throttle') {
        res.writeHead(400, { 'content-type': 'text/xml' });
        return res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>',
        );
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(OK[action]);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (!a || typeof a === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${a.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function run(steps: typeof script, command: unknown): Promise<unknown> {
  script = [...steps];
  received.length = 0;
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'x',
  });
  const session = new AwsSession({ region: 'eu-central-1', maxAttempts: 4 });
  try {
    return await session.send('sns', command).catch((e) => e);
  } finally {
    session.destroy();
    for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const publish = () => new PublishCommand({ TopicArn: 'arn:aws:sns:eu-central-1:123456789012:t', Message: 'hi' });

describe('retries of a call that is not idempotent', () => {
  it('Publish is not repeated after the connection dropped with the request sent: one notice at most', async () => {
    const e = await run(['drop', 'ok'], publish());
    expect(received).toEqual(['Publish']);
    expect(e).toBeInstanceOf(AwsError);
    expect((e as AwsError).code).toBe('aws.unreachable');
    expect((e as AwsError).message).toBe(`SNS Publish: ${endpoint} dropped the connection (ECONNRESET)`);
  });

  it('Publish is retried after throttling (refused, not applied)', async () => {
    const out = (await run(['throttle', 'ok'], publish())) as { MessageId?: string };
    expect(out.MessageId).toBe('m-1');
    expect(received).toEqual(['Publish', 'Publish']);
  });

  it('an idempotent read is retried after a dropped connection', async () => {
    const out = (await run(['drop', 'ok'], new ListTopicsCommand({}))) as { Topics?: unknown[] };
    expect(out.Topics ?? []).toEqual([]);
    expect(received).toEqual(['ListTopics', 'ListTopics']);
  });
});
