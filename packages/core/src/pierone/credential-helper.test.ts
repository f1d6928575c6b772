import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import { runCredentialHelper } from './credential-helper.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'helper-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const io = (stdin: string, extra: Partial<Parameters<typeof runCredentialHelper>[1]> = {}) => ({
  env: { DOCKER_CONFIG: dir, XDG_CONFIG_HOME: dir },
  readStdin: async () => stdin,
  ...extra,
});

describe('the credential-helper protocol', () => {
  it('get answers oauth2 and the token; a token failure is exit 3 on stderr, the message on stdout', async () => {
    const ok = await runCredentialHelper(['get'], io('127.0.0.1:5000\n', { token: async () => 'tok' }));
    expect(ok).toEqual({
      code: 0,
      stdout: '{"ServerURL":"127.0.0.1:5000","Username":"oauth2","Secret":"tok"}\n',
      stderr: '',
    });
    const failed = await runCredentialHelper(
      ['get'],
      io('127.0.0.1:5000', {
        token: async () => {
          throw new AuthError('No valid token for "pierone"', { hint: 'Run `pierone login`.' });
        },
      }),
    );
    expect(failed.code).toBe(3);
    expect(failed.stderr).toBe('Error: No valid token for "pierone"\nHint: Run `pierone login`.\n');
    expect(failed.stdout).toBe('No valid token for "pierone"\n');
  });

  it('reads a valid stored pierone token without the auth engine, and ignores an expired one', async () => {
    const store = join(dir, 'zalando-token-cli');
    mkdirSync(store);
    const write = (created: number, scope = 'uid application.write') =>
      writeFileSync(
        join(store, 'tokens.yaml'),
        `pierone:\n  access_token: stored-token\n  creation_time: ${created}\n  expires_in: 3600\n  name: pierone\n  scope: ${scope}\n`,
      );
    write(Date.now() / 1000);
    const ok = await runCredentialHelper(['get'], io('h'));
    expect(JSON.parse(ok.stdout).Secret).toBe('stored-token');
    write(Date.now() / 1000 - 3500);
    const expired = await runCredentialHelper(['get'], io('h'));
    expect(expired.code).toBe(3);
  });

  it('never hands Docker a stored token without the write scopes (a read token, or one that records none)', async () => {
    const store = join(dir, 'zalando-token-cli');
    mkdirSync(store);
    for (const scope of ['uid', "''"]) {
      writeFileSync(
        join(store, 'tokens.yaml'),
        `pierone:\n  access_token: read-token\n  creation_time: ${Date.now() / 1000}\n  expires_in: 3600\n  name: pierone\n  scope: ${scope}\n`,
      );
      // No OAuth server here: the auth engine is asked, and says so (exit 3), rather than the read token.
      const refused = await runCredentialHelper(['get'], io('h'));
      expect(refused.code).toBe(3);
      expect(refused.stdout).not.toContain('read-token');
    }
  });

  it('store and erase keep nothing, list names the registries handed to the helper', async () => {
    expect((await runCredentialHelper(['store'], io('{"ServerURL":"h","Username":"oauth2","Secret":"s"}'))).code).toBe(
      0,
    );
    expect((await runCredentialHelper(['store'], io('not json'))).code).toBe(2);
    expect((await runCredentialHelper(['erase'], io('h'))).code).toBe(0);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'a:1': 'pierone', b: 'gcloud' } }));
    expect((await runCredentialHelper(['list'], io(''))).stdout).toBe('{"a:1":"oauth2"}\n');
    const unknown = await runCredentialHelper([], io(''));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No command given');
  });
});
