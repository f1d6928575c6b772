import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnoseZign } from './zign-doctor.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zign-doctor-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('diagnoseZign, the core action of `zign doctor`', () => {
  it('no server configured, a store readable by others: findings with their fixes; stups-tokens noted', async () => {
    const store = join(dir, 'zalando-token-cli');
    mkdirSync(store, { mode: 0o755 });
    chmodSync(store, 0o755);
    writeFileSync(join(store, 'tokens.yaml'), '{}\n', { mode: 0o600 });
    const checks = await diagnoseZign({}, { XDG_CONFIG_HOME: dir, HOME: dir, DISPLAY: ':0', CREDENTIALS_DIR: dir });
    expect(checks[0]).toEqual({
      ok: false,
      what: 'config: no OAuth server configured',
      fix: 'set ZIGN_ISSUER, or `issuer` in ~/.config/zign/zign.yaml',
    });
    expect(checks.find((c) => c.what.startsWith('token store:'))).toEqual({
      ok: false,
      what: `token store: ${store} readable by others`,
      fix: `chmod 700 ${store}`,
    });
    expect(checks.some((c) => c.ok && c.what.startsWith('sign-in redirect: 127.0.0.1:'))).toBe(true);
    expect(checks.at(-1)?.what).toBe(
      `service tokens: stups-tokens settings found (CREDENTIALS_DIR): \`zign token\` hands out a service token before it uses your sign-in; for personal tokens: unset CREDENTIALS_DIR`,
    );
  });

  it('names only the stups-tokens settings that are set, and none when none is', async () => {
    const base = { XDG_CONFIG_HOME: dir, HOME: dir };
    const both = await diagnoseZign(
      {},
      { ...base, OAUTH2_ACCESS_TOKEN_URL: 'http://127.0.0.1:1/t', CREDENTIALS_DIR: dir },
    );
    expect(both.at(-1)?.what).toContain(
      '(OAUTH2_ACCESS_TOKEN_URL, CREDENTIALS_DIR): `zign token` hands out a service token before it uses your sign-in; for personal tokens: unset OAUTH2_ACCESS_TOKEN_URL CREDENTIALS_DIR',
    );
    const none = await diagnoseZign({}, base);
    expect(none.some((c) => c.what.startsWith('service tokens:'))).toBe(false);
  });

  it('a bad setting is reported with its hint, not thrown', async () => {
    const checks = await diagnoseZign({ issuer: 'http://auth.example.org' }, { XDG_CONFIG_HOME: dir, HOME: dir });
    expect(checks[0]).toMatchObject({ ok: false, what: expect.stringContaining('config: The issuer') });
    expect(checks[0]?.fix).toContain('https');
  });
});
