import { createServer, type Server } from 'node:http';
import { ValidateTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DecryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../errors.js';
import { AwsSession } from './aws-session.js';

/**
 * Canned AWS answers (the documented shapes of errors a local peer does not produce on demand) through
 * the real SDK clients: genuine AWS errors keep their code, whatever their message says or lacks.
 */
let server: Server;
let endpoint: string;
let answer: { status: number; type: string; body: string } = { status: 200, type: 'text/plain', body: '' };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': answer.type, 'x-amzn-requestid': 'r-1' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (!a || typeof a === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${a.port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function failure(service: 'kms' | 'cloudformation', command: unknown): Promise<AwsError> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const session = new AwsSession({ region: 'eu-central-1', maxAttempts: 1 });
  try {
    return await session.send(service, command).then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );
  } finally {
    session.destroy();
    for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const cfnError = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;

describe('mapAwsError on genuine AWS errors', () => {
  it('an error without a message (KMS InvalidCiphertextException) keeps its code', async () => {
    answer = { status: 400, type: 'application/x-amz-json-1.1', body: '{"__type":"InvalidCiphertextException"}' };
    const e = await failure('kms', new DecryptCommand({ CiphertextBlob: Buffer.from('x') }));
    expect(e).toBeInstanceOf(AwsError);
    expect(e.awsCode).toBe('InvalidCiphertextException');
    expect(e.code).not.toBe('aws.bad-response');
    expect(e.message).not.toMatch(/no AWS error|not an AWS response/);
    expect(e.message).toMatch(/^KMS Decrypt: .*InvalidCiphertextException/);
  });

  it('a message that mentions parsing (template format error) keeps its code and text', async () => {
    answer = {
      status: 400,
      type: 'text/xml',
      body: cfnError('ValidationError', 'Template format error: Unable to parse the template body'),
    };
    const e = await failure('cloudformation', new ValidateTemplateCommand({ TemplateBody: '{' }));
    expect(e).toBeInstanceOf(AwsError);
    expect(e.awsCode).toBe('ValidationError');
    expect(e.code).not.toBe('aws.bad-response');
    expect(e.message).toBe('CloudFormation ValidateTemplate: Template format error: Unable to parse the template body');
  });

  it('an answer that is not AWS (an HTML page, an empty 404) is still called so', async () => {
    answer = { status: 500, type: 'text/html', body: '<html><body>Internal Server Error</body></html>' };
    const html = await failure('cloudformation', new ValidateTemplateCommand({ TemplateBody: '{}' }));
    expect(html.code).toBe('aws.bad-response');
    expect(html.message).toContain(`${endpoint} answered HTTP 500`);
    answer = { status: 404, type: 'text/plain', body: '' };
    const empty = await failure('kms', new DecryptCommand({ CiphertextBlob: Buffer.from('x') }));
    expect(empty.code).toBe('aws.bad-response');
    expect(empty.message).toContain(`${endpoint} answered HTTP 404`);
    answer = { status: 400, type: 'application/x-amz-json-1.1', body: 'not json {' };
    const garbage = await failure('kms', new DecryptCommand({ CiphertextBlob: Buffer.from('x') }));
    expect(garbage.code).toBe('aws.bad-response');
  });
});
