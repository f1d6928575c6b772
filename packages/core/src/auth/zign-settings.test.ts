import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { resolveZignSettings } from './zign-settings.js';

let dir: string;
const write = (tool: string, text: string) => {
  mkdirSync(join(dir, tool), { recursive: true });
  writeFileSync(join(dir, tool, `${tool}.yaml`), text);
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zign-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('zign settings', () => {
  it('reads zign.yaml, lets ZIGN_* override it and flags override both', () => {
    write('zign', 'issuer: https://file.example.org\nclient_id: from-file\nscope: uid\nredirect_ports: 8081-8181\n');
    const env = { XDG_CONFIG_HOME: dir, ZIGN_CLIENT_ID: 'from-env' };
    expect(resolveZignSettings({}, env)).toMatchObject({
      issuer: 'https://file.example.org',
      clientId: 'from-env',
      scopes: ['uid'],
      redirectPorts: { from: 8081, to: 8181 },
    });
    expect(resolveZignSettings({ issuer: 'https://flag.example.org' }, env).issuer).toBe('https://flag.example.org');
  });

  it("uses the original's zalando-token-cli.yaml keys where no issuer is configured", () => {
    write(
      'zalando-token-cli',
      'authorize_url: https://idp.example.org/authorize\ntoken_url: https://idp.example.org/token\nclient_id: ztoken\n',
    );
    expect(resolveZignSettings({}, { XDG_CONFIG_HOME: dir })).toMatchObject({
      issuer: undefined,
      authorizeUrl: 'https://idp.example.org/authorize',
      tokenUrl: 'https://idp.example.org/token',
      clientId: 'ztoken',
    });
    const withIssuer = resolveZignSettings({}, { XDG_CONFIG_HOME: dir, ZIGN_ISSUER: 'https://oidc.example.org' });
    expect(withIssuer).toMatchObject({ tokenUrl: undefined, clientId: 'zign' });
  });

  it('refuses http:// except to loopback addresses', () => {
    expect(() => resolveZignSettings({}, { XDG_CONFIG_HOME: dir, ZIGN_ISSUER: 'http://idp.example.org' })).toThrow(
      UsageError,
    );
    for (const ok of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:2', 'https://idp.example.org'])
      expect(resolveZignSettings({}, { XDG_CONFIG_HOME: dir, ZIGN_ISSUER: ok }).issuer).toBe(ok);
  });
});
