import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getToken } from './get-token.js';
import { grantsScopes, peekValidToken, storedToken, TokenStore } from './token-store.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'token-scopes-'));
  // No OAuth server and no service token: only the store can answer.
  env = { XDG_CONFIG_HOME: dir, HOME: dir };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a stored token is handed out only for the scopes it was granted', () => {
  it('grantsScopes: every needed scope recorded; nothing needed is always granted', () => {
    expect(grantsScopes('uid application.write', ['uid', 'application.write'])).toBe(true);
    expect(grantsScopes('openid uid', ['uid'])).toBe(true);
    expect(grantsScopes('uid', ['uid', 'application.write'])).toBe(false);
    expect(grantsScopes('', ['uid'])).toBe(false);
    expect(grantsScopes(undefined, ['uid'])).toBe(false);
    expect(grantsScopes('', [])).toBe(true);
  });

  it('getToken and peekValidToken reuse a read token for reading, never for writing', async () => {
    const store = TokenStore.fromEnv(env);
    await store.update((tokens) => {
      tokens.pierone = storedToken('pierone', { access_token: 'read-token', expires_in: 3600, scope: 'uid' });
    });
    expect((await getToken('pierone', ['uid'], { env })).access_token).toBe('read-token');
    expect(peekValidToken('pierone', env, ['uid'])).toBe('read-token');
    expect(peekValidToken('pierone', env)).toBe('read-token');
    expect(peekValidToken('pierone', env, ['uid', 'application.write'])).toBeUndefined();
    await expect(getToken('pierone', ['uid', 'application.write'], { env })).rejects.toMatchObject({
      code: 'auth.not-configured',
    });
  });
});
