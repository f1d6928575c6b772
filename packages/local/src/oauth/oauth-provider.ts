import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { closeServer, listenOnLoopback } from '../contract/loopback-port.js';
import { FileStateStore } from './file-adapter.js';
import { handleInteraction, INTERACTION_PREFIX, page } from './login-page.js';
import { findLocalAccount } from './oauth-accounts.js';
import { LOCAL_SCOPES, localClients } from './oauth-clients.js';
import { registerPasswordGrant } from './password-grant.js';
import { handleTokeninfo, TOKENINFO_PATH } from './tokeninfo.js';

/**
 * The local OpenID Connect provider (oidc-provider) on a loopback port: the sign-in page, the token
 * endpoint with the grants the STUPS tools use (authorization code + PKCE, device code, refresh with
 * rotation, client credentials, the legacy password grant), introspection, revocation and the STUPS
 * tokeninfo endpoint.
 */
export interface OAuthProviderOptions {
  /** Loopback port; 0 or left out for an ephemeral one. */
  port?: number;
  /** Lifetime of access tokens in seconds (default 3600). */
  accessTokenSeconds?: number;
  /** The polling interval the device flow tells clients, in seconds (default 1). */
  deviceIntervalSeconds?: number;
  /**
   * Keep issued tokens, grants and sessions in this file (0600) so that they outlive a restart; without
   * it they live in memory only.
   */
  stateFile?: string;
}

export interface OAuthProvider {
  issuer: string;
  port: number;
  /** The token endpoint (OAUTH2_ACCESS_TOKEN_URL). */
  tokenUrl: string;
  tokeninfoUrl: string;
  provider: Provider;
  close(): Promise<void>;
}

export const TOKEN_PATH = '/oauth2/access_token';

function providerConfiguration(options: OAuthProviderOptions): Configuration {
  const accessTokenSeconds = options.accessTokenSeconds ?? 3600;
  return {
    ...(options.stateFile
      ? { adapter: new FileStateStore(options.stateFile).adapter() as unknown as Configuration['adapter'] }
      : {}),
    clients: localClients() as Configuration['clients'],
    scopes: LOCAL_SCOPES,
    claims: { openid: ['sub'], uid: ['uid', 'realm', 'team'] },
    findAccount: async (_ctx, id) => {
      const account = findLocalAccount(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, uid: id, realm: account.realm, team: account.team, name: account.name }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Resource servers (confidential clients) may ask about any token; the CLIs' public client may not.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client) => client.clientAuthMethod !== 'none' },
      revocation: { enabled: true },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: async (ctx, form, _out, err) => {
          ctx.body = page(
            'Sign in on this device',
            `${err ? `<p id="error" style="color:#b00">${deviceErrorText(err)}</p>` : ''}<p>Enter the code zign shows.</p>${form}<p><button type="submit" form="op.deviceInputForm">Continue</button></p>`,
          );
        },
        userCodeConfirmSource: async (ctx, form, client, _info, userCode) => {
          ctx.body = page(
            'Confirm the device',
            `<p><b>${client.clientId}</b> asks to sign in with the code <code>${userCode}</code>.</p>${form}<p><button type="submit" form="op.deviceConfirmForm">Continue</button></p>`,
          );
        },
        successSource: async (ctx) => {
          ctx.body = page('Signed in', '<p>The device is signed in. You may close this window.</p>');
        },
      },
    },
    pkce: { required: () => true },
    // Refresh tokens for the CLIs' client without the consent-prompt ceremony; rotated on each use.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: accessTokenSeconds,
      ClientCredentials: accessTokenSeconds,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      DeviceCode: 600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    routes: { token: TOKEN_PATH },
    cookies: { keys: ['stups-local-oauth-cookie-key'] },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PREFIX}${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<p id="error">${String(out.error)}: ${String(out.error_description ?? '')}</p>`,
      );
    },
  };
}

export async function startOAuthProvider(options: OAuthProviderOptions = {}): Promise<OAuthProvider> {
  const server = createServer();
  const port = await listenOnLoopback(server, options.port);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, providerConfiguration(options));
  registerPasswordGrant(provider);
  const interval = options.deviceIntervalSeconds ?? 1;
  provider.use(async (ctx, next) => {
    await next();
    // oidc-provider sends no interval; clients would wait 5 s between polls.
    if (ctx.path === '/device/auth' && ctx.body && typeof ctx.body === 'object')
      (ctx.body as Record<string, unknown>).interval = interval;
  });
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const fail = (e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`error: ${(e as Error).message}`);
    };
    if (path.startsWith(INTERACTION_PREFIX)) handleInteraction(provider, req, res).catch(fail);
    else if (path === TOKENINFO_PATH) handleTokeninfo(provider, req, res).catch(fail);
    else callback(req, res);
  });
  return {
    issuer,
    port,
    tokenUrl: `${issuer}${TOKEN_PATH}`,
    tokeninfoUrl: `${issuer}${TOKENINFO_PATH}`,
    provider,
    close: () => closeServer(server),
  };
}

/**
 * What the device page says after an error, by oidc-provider's error: only a code that was never issued
 * (or none typed) is "not valid"; a denied sign-in, an expired code or one already used say so.
 */
function deviceErrorText(err: Error): string {
  switch (err.name) {
    case 'NotFoundError':
    case 'NoCodeError':
      return 'The code is not valid. Try again.';
    case 'AbortedError':
      return 'The sign-in was denied: zign stops. Run zign login again to sign in.';
    case 'ExpiredError':
      return 'The code has expired. Run zign login again for a new one.';
    case 'AlreadyUsedError':
      return 'This code was already used. If zign still waits, run zign login again for a new one.';
    default:
      return 'The sign-in did not succeed. Run zign login again for a new code.';
  }
}
