import * as oidc from 'openid-client';
import type { IoHost } from '../io/messages.js';
import { silentHost } from '../io/messages.js';
import { oauthError, openServer, serverSupports } from './oauth-client.js';
import { TokenStore } from './token-store.js';
import { hasServer, resolveZignSettings, type ZignFlags, type ZignSettings } from './zign-settings.js';

/**
 * `zign logout [NAME]`: revokes at the server (RFC 7009), then deletes locally. With a name, that
 * token; without, the refresh token (the sign-in) and every stored token.
 */
export interface SignOutResult {
  revoked: string[];
  deleted: string[];
  /** The server offers no revocation: tokens were only deleted here. */
  revocationUnsupported: boolean;
}

export async function signOut(
  name: string | undefined,
  options: {
    env?: NodeJS.ProcessEnv;
    flags?: ZignFlags;
    settings?: ZignSettings;
    host?: IoHost;
    store?: TokenStore;
  } = {},
): Promise<SignOutResult> {
  const env = options.env ?? process.env;
  const settings = options.settings ?? resolveZignSettings(options.flags, env);
  const store = options.store ?? TokenStore.fromEnv(env);
  const host = options.host ?? silentHost;
  const tokens = store.read();
  const refreshToken = name ? undefined : store.readRefreshToken();
  const targets: { label: string; token: string; hint: 'access_token' | 'refresh_token' }[] = [];
  if (refreshToken) targets.push({ label: 'refresh token', token: refreshToken, hint: 'refresh_token' });
  for (const [key, t] of Object.entries(tokens))
    if ((!name || key === name) && typeof t.access_token === 'string')
      targets.push({ label: key, token: t.access_token, hint: 'access_token' });

  const result: SignOutResult = { revoked: [], deleted: [], revocationUnsupported: false };
  if (targets.length > 0 && hasServer(settings)) {
    const server = await openServer(settings);
    if (!serverSupports(server, 'revocation')) {
      result.revocationUnsupported = true;
      host.notify({
        level: 'warn',
        code: 'auth.revocation-unsupported',
        text: `${server.serverMetadata().issuer} cannot revoke tokens; they were only deleted here.`,
      });
    } else {
      for (const target of targets) {
        try {
          await oidc.tokenRevocation(server, target.token, { token_type_hint: target.hint });
        } catch (e) {
          throw oauthError(e, `Revoking ${target.label}`, server.serverMetadata().issuer);
        }
        result.revoked.push(target.label);
        host.notify({
          level: 'info',
          code: 'auth.revoked',
          text: `Revoked ${target.label}.`,
          data: { name: target.label },
        });
      }
    }
  }
  await store.update((all) => {
    for (const key of Object.keys(all))
      if (!name || key === name) {
        delete all[key];
        result.deleted.push(key);
      }
    if (!name) store.writeRefreshToken(undefined);
  });
  return result;
}

/** `zign delete NAME`: removes a stored token; false when nothing was stored under the name. */
export async function deleteToken(
  name: string,
  options: { env?: NodeJS.ProcessEnv; store?: TokenStore } = {},
): Promise<boolean> {
  const store = options.store ?? TokenStore.fromEnv(options.env ?? process.env);
  return store.update((all) => {
    if (!(name in all)) return false;
    delete all[name];
    return true;
  });
}
