import * as oidc from 'openid-client';
import { AuthError, OperationError, StupsError } from '../errors.js';
import { gatewayFetch, type HttpTimeouts, HttpUnreachableError } from '../http/http-gateway.js';
import { isLoopbackHttp, type ZignSettings } from './zign-settings.js';

/**
 * The OAuth server as openid-client sees it, built from zign's settings: discovered from the issuer,
 * or described by the original's endpoint URLs. Every request goes through the HTTP gateway.
 */
export type OAuthServer = oidc.Configuration;

export const OAUTH_TIMEOUTS: HttpTimeouts = { connectMs: 3_000, requestMs: 15_000 };

function applyTransport(config: oidc.Configuration, url: string): oidc.Configuration {
  config[oidc.customFetch] = gatewayFetch(OAUTH_TIMEOUTS) as unknown as oidc.CustomFetch;
  if (isLoopbackHttp(url)) oidc.allowInsecureRequests(config);
  return config;
}

export async function openServer(settings: ZignSettings): Promise<OAuthServer> {
  const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
  if (settings.issuer) {
    const issuer = settings.issuer;
    try {
      const config = await oidc.discovery(new URL(issuer), settings.clientId, undefined, auth, {
        execute: isLoopbackHttp(issuer) ? [oidc.allowInsecureRequests] : [],
        [oidc.customFetch]: gatewayFetch(OAUTH_TIMEOUTS) as unknown as oidc.CustomFetch,
      });
      return applyTransport(config, issuer);
    } catch (e) {
      throw oauthError(e, 'discovery', issuer);
    }
  }
  if (!settings.tokenUrl)
    throw new AuthError('No OAuth server is configured', {
      code: 'auth.not-configured',
      hint: 'Set ZIGN_ISSUER (or `issuer` in ~/.config/zign/zign.yaml), or pass --issuer.',
    });
  const token = new URL(settings.tokenUrl);
  const config = new oidc.Configuration(
    {
      issuer: token.origin,
      token_endpoint: settings.tokenUrl,
      authorization_endpoint: settings.authorizeUrl,
    },
    settings.clientId,
    undefined,
    auth,
  );
  return applyTransport(config, settings.tokenUrl);
}

/** The server's metadata says where revocation and device authorization are. */
export function serverSupports(server: OAuthServer, what: 'revocation' | 'device'): boolean {
  const m = server.serverMetadata();
  return Boolean(what === 'revocation' ? m.revocation_endpoint : m.device_authorization_endpoint);
}

const AUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'access_denied',
  'invalid_token',
  'expired_token',
]);

/**
 * An openid-client failure as one of our errors: the OAuth error code and description (never a
 * token), the step and the server. Transport failures keep the gateway's error (names the endpoint).
 */
export function oauthError(e: unknown, step: string, server: string): StupsError {
  if (e instanceof StupsError) return e;
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof HttpUnreachableError) return cause;
  if (e instanceof oidc.ResponseBodyError || e instanceof oidc.AuthorizationResponseError) {
    const description = e.error_description ? `: ${e.error_description}` : '';
    const message = `${step} at ${server} failed (${e.error}${description})`;
    if (AUTH_ERRORS.has(e.error))
      return new AuthError(message, {
        code: e.error === 'access_denied' ? 'auth.denied' : 'auth.refused',
        hint: 'Sign in again with `zign login`.',
        data: { oauthError: e.error },
      });
    return new OperationError(message, { code: 'auth.server-error', data: { oauthError: e.error } });
  }
  // A 401 with a challenge: the server refused the client's credentials (a wrong client secret).
  if (e instanceof oidc.WWWAuthenticateChallengeError)
    return new AuthError(`${step} at ${server} failed: the server refused the client credentials (${e.status})`, {
      code: 'auth.refused',
      hint: 'Check ZIGN_CLIENT_ID and ZIGN_CLIENT_SECRET (or the stups-tokens credentials).',
    });
  if (e instanceof oidc.ClientError && step === 'discovery')
    return new OperationError(`${server} is not an OpenID Connect issuer (${(e as Error).message})`, {
      code: 'auth.not-an-issuer',
      hint: `${server}/.well-known/openid-configuration must describe the issuer; check ZIGN_ISSUER.`,
    });
  if (e instanceof oidc.ClientError)
    return new AuthError(`${step} at ${server} failed: ${(e as Error).message}`, { code: 'auth.rejected' });
  return new OperationError(`${step} at ${server} failed: ${(e as Error).message ?? String(e)}`, {
    code: 'auth.failed',
  });
}
