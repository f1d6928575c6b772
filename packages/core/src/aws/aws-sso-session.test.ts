import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import { AwsSession } from './aws-session.js';

/**
 * The SDK's own SSO credential provider, with a profile whose cached SSO token has expired (what
 * `aws sso login` wrote a day ago): the provider fails before any request is sent.
 */
const home = mkdtempSync(join(tmpdir(), 'stups-sso-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('an expired AWS SSO session', () => {
  it('is reported as such, with `aws sso login` as the fix, not as missing credentials', async () => {
    const startUrl = 'https://example.awsapps.com/start';
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile team]\nsso_start_url = ${startUrl}\nsso_region = eu-central-1\nsso_account_id = 123456789012\nsso_role_name = Deployer\nregion = eu-central-1\n`,
    );
    writeFileSync(join(home, '.aws', 'credentials'), '');
    writeFileSync(
      join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(startUrl).digest('hex')}.json`),
      JSON.stringify({
        startUrl,
        region: 'eu-central-1',
        accessToken: 'expired',
        expiresAt: new Date(Date.now() - 86_400_000).toISOString(),
      }),
    );
    const vars: Record<string, string | undefined> = {
      HOME: home,
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
      AWS_PROFILE: 'team',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_DEFAULT_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const session = new AwsSession({ region: 'eu-central-1', maxAttempts: 1 });
    try {
      const e = await session.send('cloudformation', new ListStacksCommand({})).catch((x) => x);
      expect(e).toBeInstanceOf(AuthError);
      expect(e.code).toBe('aws.credentials-expired');
      expect(e.message).toBe('The AWS SSO session has expired or is invalid.');
      expect(e.hint).toBe('Run `aws sso login --profile team` and try again.');
    } finally {
      session.destroy();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
