import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptTokenStoreError, isTokenValid, storedToken, TokenStore, tokenStoreDir } from './token-store.js';

let dir: string;
let store: TokenStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'token-store-'));
  store = new TokenStore(join(dir, 'zalando-token-cli'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('token store (the original zign file and format)', () => {
  it('lives in XDG_CONFIG_HOME (or ~/.config) /zalando-token-cli', () => {
    expect(tokenStoreDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/zalando-token-cli');
    expect(tokenStoreDir({ HOME: '/home/jdoe' })).toBe('/home/jdoe/.config/zalando-token-cli');
  });

  it('reads the block style of PyYAML >= 5.1 and the flow style of older PyYAML', () => {
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(
      store.path,
      [
        'pierone:',
        '  access_token: a.b.c',
        '  creation_time: 1581950000.123',
        '  expires_in: 3600',
        '  name: pierone',
        '  refresh_token: null',
        "  scope: ''",
        '  token_type: Bearer',
        "piu: {access_token: x.y.z, creation_time: 1581950001.5, expires_in: 7200, name: piu, refresh_token: null, scope: '', token_type: Bearer}",
        '',
      ].join('\n'),
    );
    const tokens = store.read();
    expect(tokens.pierone).toMatchObject({ access_token: 'a.b.c', creation_time: 1581950000.123, expires_in: 3600 });
    expect(tokens.piu).toMatchObject({ access_token: 'x.y.z', expires_in: 7200, token_type: 'Bearer', scope: '' });
  });

  it('writes 0600 in a 0700 directory, with the original keys, sorted', async () => {
    await store.update((t) => {
      t.b = storedToken('b', { access_token: 'tok-b', expires_in: 3600 }, 1000);
      t.a = storedToken('a', { access_token: 'tok-a', expires_in: 60 }, 1000);
    });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(store.dir).mode & 0o777).toBe(0o700);
    const text = readFileSync(store.path, 'utf8');
    expect(text.indexOf('a:')).toBeLessThan(text.indexOf('b:'));
    expect(text).toContain(
      'access_token: tok-a\n  creation_time: 1000\n  expires_in: 60\n  name: a\n  refresh_token: null\n',
    );
  });

  it('keeps every token when many writers change it at once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((t) => {
          t[`n${i}`] = storedToken(`n${i}`, { access_token: `t${i}` });
        }),
      ),
    );
    expect(Object.keys(store.read()).sort()).toHaveLength(20);
  });

  it('moves a corrupt store aside and reports its path', () => {
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(store.path, 'pierone: [unclosed\n  : :');
    let error: unknown;
    try {
      store.read();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorruptTokenStoreError);
    expect((error as Error).message).toContain(store.path);
    const backups = readdirSync(store.dir).filter((f) => f.startsWith('tokens.yaml.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(store.dir, backups[0] as string), 'utf8')).toContain('unclosed');
    expect(store.read()).toEqual({});
  });

  it('counts a token valid until 5 minutes before it expires', () => {
    expect(isTokenValid({ creation_time: 1000, expires_in: 3600 }, 1000 + 3600 - 301)).toBe(true);
    expect(isTokenValid({ creation_time: 1000, expires_in: 3600 }, 1000 + 3600 - 300)).toBe(false);
    expect(isTokenValid({ creation_time: 1000, expires_in: 200 }, 1000)).toBe(false);
  });

  it('keeps one refresh token next to the store, 0600', async () => {
    await store.locked(() => store.writeRefreshToken('rt-1'));
    expect(store.readRefreshToken()).toBe('rt-1');
    expect(statSync(store.refreshTokenPath).mode & 0o777).toBe(0o600);
    await store.locked(() => store.writeRefreshToken(undefined));
    expect(store.readRefreshToken()).toBeUndefined();
  });
});
