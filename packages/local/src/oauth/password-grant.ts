import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { checkPassword } from './oauth-accounts.js';
import { PASSWORD_GRANT } from './oauth-clients.js';

/**
 * The legacy password grant that stups-tokens sends (oidc-provider does not ship it): the client
 * authenticates with HTTP Basic, the form carries the service user's name and password and `scope`,
 * possibly empty. The answer is the usual token response (`access_token`, numeric `expires_in`).
 */
export function registerPasswordGrant(provider: Provider): void {
  provider.registerGrantType(
    PASSWORD_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const params = ctx.oidc.params as Record<string, string | undefined>;
      const client = ctx.oidc.client;
      if (!client) throw new errors.InvalidClient('client authentication failed');
      const account = checkPassword(params.username ?? '', params.password ?? '');
      if (!account) throw new errors.InvalidGrant('wrong user name or password');
      const allowed = new Set(String(client.scope ?? '').split(' '));
      const requested = String(params.scope ?? '')
        .split(' ')
        .filter(Boolean);
      const refused = requested.filter((s) => !allowed.has(s));
      if (refused.length > 0) throw new errors.InvalidScope('scope not allowed for this client', refused.join(' '));
      const scope = requested.join(' ');
      const grant = new provider.Grant({ accountId: account.uid, clientId: client.clientId });
      if (scope) grant.addOIDCScope(scope);
      const grantId = await grant.save();
      const token = new provider.AccessToken({
        accountId: account.uid,
        client,
        grantId,
        gty: PASSWORD_GRANT,
        scope: scope || undefined,
      });
      const value = await token.save();
      ctx.body = {
        access_token: value,
        expires_in: token.expiration,
        token_type: 'Bearer',
        scope,
      };
    },
    ['username', 'password', 'scope'],
  );
}
