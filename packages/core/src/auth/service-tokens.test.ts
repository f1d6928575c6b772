import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import { fixedTokens, serviceToken } from './service-tokens.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'service-tokens-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('service tokens in the stups-tokens order', () => {
  it('parses OAUTH2_ACCESS_TOKENS and prefers it over a token file', async () => {
    expect(fixedTokens({ OAUTH2_ACCESS_TOKENS: 'a=1,b=2=x, c = 3' })).toEqual({ a: '1', b: '2=x', c: '3' });
    writeFileSync(join(dir, 'a-token-secret'), 'from-file\n');
    const env = { OAUTH2_ACCESS_TOKENS: 'a=fixed', CREDENTIALS_DIR: dir };
    expect(await serviceToken('a', [], env)).toMatchObject({ access_token: 'fixed', source: 'fixed' });
  });

  it('re-reads <CREDENTIALS_DIR>/<name>-token-secret on every call (rotating secrets)', async () => {
    const env = { CREDENTIALS_DIR: dir };
    writeFileSync(join(dir, 'pierone-token-secret'), 'one\n');
    expect(await serviceToken('pierone', [], env)).toMatchObject({ access_token: 'one', source: 'token-secret' });
    writeFileSync(join(dir, 'pierone-token-secret'), 'two');
    expect((await serviceToken('pierone', [], env))?.access_token).toBe('two');
  });

  it('falls through when nothing is set up, and when the credential files are missing', async () => {
    expect(await serviceToken('x', [], { CREDENTIALS_DIR: dir })).toBeUndefined();
    expect(
      await serviceToken('x', [], { CREDENTIALS_DIR: dir, OAUTH2_ACCESS_TOKEN_URL: 'http://127.0.0.1:9/t' }),
    ).toBeUndefined();
  });

  it('names the file and the key when a credentials file lacks one (exit 3)', async () => {
    writeFileSync(join(dir, 'user.json'), JSON.stringify({ application_username: 'app' }));
    writeFileSync(join(dir, 'client.json'), JSON.stringify({ client_id: 'c', client_secret: 's' }));
    const env = { CREDENTIALS_DIR: dir, OAUTH2_ACCESS_TOKEN_URL: 'http://127.0.0.1:9/t' };
    const error = await serviceToken('x', [], env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(3);
    expect((error as Error).message).toContain(join(dir, 'user.json'));
    expect((error as Error).message).toContain('application_password');
  });
});
