import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from './aws-session.js';
import { resolveRegion } from './region.js';

/**
 * AWS_DEFAULT_PROFILE alone selects the profile's region AND its credentials: the access key that signs
 * a real SDK request (read off the Authorization header by a loopback endpoint) is the profile's.
 */
let server: Server;
let endpoint: string;
const signedWith: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const m = /Credential=([^/]+)\/\d+\/([^/]+)\//.exec(req.headers.authorization ?? '');
    signedWith.push(m ? `${m[1]} ${m[2]}` : '(unsigned)');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<ListStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStacksResult><StackSummaries/></ListStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListStacksResponse>',
      );
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

const PROFILE_VARS = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'HOME',
];

async function signerUnder(vars: Record<string, string>): Promise<{ key: string; region: string }> {
  const saved = Object.fromEntries(PROFILE_VARS.map((k) => [k, process.env[k]]));
  for (const k of PROFILE_VARS) delete process.env[k];
  Object.assign(process.env, vars, { AWS_ENDPOINT_URL: endpoint });
  try {
    const region = resolveRegion({});
    const session = new AwsSession({ region, maxAttempts: 1 });
    try {
      await session.send('cloudformation', new ListStacksCommand({}));
    } finally {
      session.destroy();
    }
    const [key, signedRegion] = (signedWith.at(-1) ?? '').split(' ');
    expect(signedRegion).toBe(region);
    return { key, region };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('the selected AWS profile', () => {
  const home = mkdtempSync(join(tmpdir(), 'aws-profile-'));
  const config = join(home, 'config');
  const credentials = join(home, 'credentials');
  writeFileSync(config, '[default]\nregion = eu-west-1\n\n[profile prod]\nregion = eu-central-1\n');
  writeFileSync(
    credentials,
    '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = p\n',
  );
  const files = { HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };

  it('AWS_DEFAULT_PROFILE alone gives the profile region and the profile credentials', async () => {
    expect(await signerUnder({ ...files, AWS_DEFAULT_PROFILE: 'prod' })).toEqual({
      key: 'AKIDPROD',
      region: 'eu-central-1',
    });
  });

  it('AWS_PROFILE does the same and wins over AWS_DEFAULT_PROFILE; neither gives [default]', async () => {
    expect(await signerUnder({ ...files, AWS_PROFILE: 'prod', AWS_DEFAULT_PROFILE: 'default' })).toEqual({
      key: 'AKIDPROD',
      region: 'eu-central-1',
    });
    expect(await signerUnder(files)).toEqual({ key: 'AKIDDEFAULT', region: 'eu-west-1' });
  });
});
