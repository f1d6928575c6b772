import { openLoopbackListener } from './loopback-listener.js';
import { openServer } from './oauth-client.js';
import { isHeadless } from './sign-in.js';
import { TokenStore } from './token-store.js';
import { hasServer, resolveZignSettings, type ZignFlags, type ZignSettings } from './zign-settings.js';

/** One finding of `zign doctor`: what was checked, and what to do when it is not ok. */
export interface ZignCheck {
  ok: boolean;
  what: string;
  fix?: string;
}

const failed = (area: string, e: unknown): ZignCheck => ({
  ok: false,
  what: `${area}: ${(e as Error).message}`,
  fix: (e as { hint?: string }).hint,
});

/**
 * `zign doctor`: the settings (flags, `ZIGN_*`, zign.yaml), whether the issuer answers, the token
 * store's privacy and readability, a free loopback port for the sign-in, how a sign-in would happen
 * (browser or device flow) and whether stups-tokens settings are present. Nothing is changed.
 */
export async function diagnoseZign(flags: ZignFlags = {}, env: NodeJS.ProcessEnv = process.env): Promise<ZignCheck[]> {
  const checks: ZignCheck[] = [];
  let settings: ZignSettings | undefined;
  try {
    settings = resolveZignSettings(flags, env);
    checks.push(
      hasServer(settings)
        ? {
            ok: true,
            what: `config: ${settings.issuer ? `issuer ${settings.issuer}` : `token URL ${settings.tokenUrl}`}, client ${settings.clientId}${settings.clientSecret ? ' (confidential: client credentials)' : ''}`,
          }
        : {
            ok: false,
            what: 'config: no OAuth server configured',
            fix: 'set ZIGN_ISSUER, or `issuer` in ~/.config/zign/zign.yaml',
          },
    );
  } catch (e) {
    checks.push(failed('config', e));
  }
  if (settings && hasServer(settings)) {
    try {
      const m = (await openServer(settings)).serverMetadata();
      checks.push({
        ok: true,
        what: `issuer: ${m.issuer} answers (OpenID Connect; device flow ${m.device_authorization_endpoint ? 'yes' : 'no'}, revocation ${m.revocation_endpoint ? 'yes' : 'no'})`,
      });
    } catch (e) {
      checks.push(failed('issuer', e));
    }
  }
  const store = TokenStore.fromEnv(env);
  const modes = store.modes();
  const loose = (
    [
      [store.dir, modes.dir, 0o700],
      [store.path, modes.tokens, 0o600],
      [store.refreshTokenPath, modes.refreshToken, 0o600],
    ] as const
  ).filter(([, mode, want]) => mode !== undefined && (mode & ~want) !== 0);
  checks.push(
    loose.length === 0
      ? { ok: true, what: `token store: ${store.path} (private)` }
      : {
          ok: false,
          what: `token store: ${loose.map(([p]) => p).join(', ')} readable by others`,
          fix: loose.map(([p, , want]) => `chmod ${want.toString(8)} ${p}`).join('; '),
        },
  );
  try {
    store.read();
  } catch (e) {
    checks.push(failed('token store', e));
  }
  try {
    const listener = await openLoopbackListener(settings?.redirectPorts);
    checks.push({ ok: true, what: `sign-in redirect: 127.0.0.1:${listener.port} is free` });
    await listener.close();
  } catch (e) {
    checks.push(failed('sign-in redirect', e));
  }
  checks.push({
    ok: true,
    what: isHeadless(env)
      ? 'display: none (or an SSH session): `zign login` uses the device flow'
      : 'display: found: `zign login` opens a browser',
  });
  // Only the settings that are set; while they are, `zign token` hands out a service token before a
  // token of your own sign-in (docs/zign.md), a surprise right after `zign login`.
  const stupsTokens = [
    'OAUTH2_ACCESS_TOKENS',
    'OAUTH2_ACCESS_TOKEN_URL',
    'OAUTH_ACCESS_TOKEN_URL',
    'CREDENTIALS_DIR',
  ].filter((name) => env[name]);
  if (stupsTokens.length > 0)
    checks.push({
      ok: true,
      what: `service tokens: stups-tokens settings found (${stupsTokens.join(', ')}): \`zign token\` hands out a service token before it uses your sign-in; for personal tokens: unset ${stupsTokens.join(' ')}`,
    });
  return checks;
}
