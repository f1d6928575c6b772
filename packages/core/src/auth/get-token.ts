import * as oidc from 'openid-client';
import { AuthError } from '../errors.js';
import { type IoHost, silentHost } from '../io/messages.js';
import { type OAuthServer, oauthError, openServer } from './oauth-client.js';
import { serviceToken } from './service-tokens.js';
import { isHeadless, type SignInTokens, signIn } from './sign-in.js';
import { grantsScopes, isTokenValid, type StoredToken, storedToken, TokenStore } from './token-store.js';
import { hasServer, resolveZignSettings, type ZignFlags, type ZignSettings } from './zign-settings.js';

/**
 * The one call every tool makes for a token: `getToken(name, scopes)` gives a valid access token,
 *  1. the named token from the store while it has 5 minutes left (no network);
 *  2. a service token the stups-tokens way (fixed, token-secret file, password grant);
 *  3. for a confidential client (CI), the client-credentials grant;
 *  4. the stored refresh token, used silently (the new refresh token replaces it: rotation);
 *  5. an interactive sign-in, only where a person can answer; otherwise an error naming what to set up.
 * Tokens of steps 3–5 are stored under the name with the scopes granted; a stored token is reused only
 * where it was granted every scope the caller asks for (one name may be asked with fewer and more scopes).
 */
export type TokenSource =
  | 'store'
  | 'fixed'
  | 'token-secret'
  | 'password-grant'
  | 'client-credentials'
  | 'refresh'
  | 'sign-in';

export interface TokenResult {
  access_token: string;
  expires_in: number;
  scope: string;
  source: TokenSource;
}

export interface SignInChoice {
  /** Force the device flow (otherwise chosen on headless machines and over SSH). */
  device?: boolean;
  /** false: print the URL instead of opening a browser. */
  openBrowser?: boolean;
}

export interface GetTokenOptions extends SignInChoice {
  env?: NodeJS.ProcessEnv;
  flags?: ZignFlags;
  settings?: ZignSettings;
  host?: IoHost;
  /** Whether a person can sign in here (a terminal); never true in CI. */
  interactive?: boolean;
  /** Ignore a valid stored token (`zign token --refresh`). */
  refresh?: boolean;
  /**
   * An access token its issuer or a resource server refused (401, `invalid_token`): dropped from the
   * store when it is the one stored under the name, and a new one is had (refresh, sign-in). The one
   * renewal every caller makes after a 401 (a restarted issuer forgets tokens the store still holds).
   */
  refused?: string;
  signal?: AbortSignal;
  store?: TokenStore;
}

interface Context {
  env: NodeJS.ProcessEnv;
  settings: ZignSettings;
  host: IoHost;
  store: TokenStore;
  signal?: AbortSignal;
}

function contextOf(options: GetTokenOptions): Context {
  const env = options.env ?? process.env;
  return {
    env,
    settings: options.settings ?? resolveZignSettings(options.flags, env),
    host: options.host ?? silentHost,
    store: options.store ?? TokenStore.fromEnv(env),
    signal: options.signal,
  };
}

function notConfigured(): AuthError {
  return new AuthError('No OAuth server is configured, and no service token is set up', {
    code: 'auth.not-configured',
    hint:
      'People: set ZIGN_ISSUER (or `issuer` in ~/.config/zign/zign.yaml). CI: ZIGN_ISSUER with ZIGN_CLIENT_ID and ZIGN_CLIENT_SECRET, ' +
      'or OAUTH2_ACCESS_TOKEN_URL and CREDENTIALS_DIR (stups-tokens).',
  });
}

function resultOf(token: StoredToken, source: TokenSource): TokenResult {
  return { access_token: token.access_token, expires_in: token.expires_in, scope: token.scope, source };
}

async function keep(ctx: Context, name: string | undefined, token: StoredToken): Promise<void> {
  if (!name) return;
  await ctx.store.update((tokens) => {
    tokens[name] = token;
  });
}

/** RFC 6749 §5.1: an answer without `scope` granted the scopes asked for. */
function fromResponse(name: string | undefined, tokens: oidc.TokenEndpointResponse, asked: string[]): StoredToken {
  return storedToken(name ?? '', {
    access_token: tokens.access_token,
    expires_in: tokens.expires_in,
    token_type: tokens.token_type,
    scope: tokens.scope ?? asked.join(' '),
  });
}

/** A stored token that may be handed out for these scopes: valid and granted all of them. */
const usable = (token: StoredToken | undefined, scopes: readonly string[]): token is StoredToken =>
  token !== undefined && isTokenValid(token) && grantsScopes(token.scope, scopes);

export async function getToken(
  name: string | undefined,
  scopes: string[],
  options: GetTokenOptions = {},
): Promise<TokenResult> {
  const ctx = contextOf(options);
  let refresh = Boolean(options.refresh);
  if (name && options.refused) {
    const refused = options.refused;
    let renewedMeanwhile: StoredToken | undefined;
    await ctx.store.update((tokens) => {
      const stored = tokens[name];
      if (stored?.access_token === refused) delete tokens[name];
      else if (usable(stored, scopes)) renewedMeanwhile = stored;
    });
    // Another run renewed it while this one used the refused one.
    if (renewedMeanwhile) return resultOf(renewedMeanwhile, 'store');
    refresh = true;
  }
  if (name && !refresh) {
    const stored = ctx.store.get(name);
    if (usable(stored, scopes)) return resultOf(stored, 'store');
  }
  if (name) {
    const service = await serviceToken(name, scopes, ctx.env, { signal: ctx.signal });
    if (service)
      return {
        access_token: service.access_token,
        expires_in: service.expires_in,
        scope: service.scope ?? '',
        source: service.source,
      };
  }
  if (!hasServer(ctx.settings)) throw notConfigured();
  const server = await openServer(ctx.settings);
  const issuer = server.serverMetadata().issuer;
  const wanted = [...ctx.settings.scopes, ...scopes];

  if (ctx.settings.clientSecret) {
    let answer: oidc.TokenEndpointResponse;
    try {
      answer = await oidc.clientCredentialsGrant(server, wanted.length ? { scope: wanted.join(' ') } : {});
    } catch (e) {
      throw oauthError(e, `The client-credentials grant for ${ctx.settings.clientId}`, issuer);
    }
    const token = fromResponse(name, answer, wanted);
    await keep(ctx, name, token);
    return resultOf(token, 'client-credentials');
  }

  const refreshed = await refreshStored(ctx, server, name, { wanted, needed: scopes }, refresh);
  if (refreshed === SCOPE_NOT_GRANTED) {
    // The sign-in is fine, it just did not grant these scopes: a new one must ask for them.
    const command = ['zign', 'login', ...scopes].join(' ');
    if (!options.interactive)
      throw new AuthError(`The sign-in did not grant the scopes asked for (${wanted.join(' ')})`, {
        code: 'auth.scope-not-granted',
        hint: `Sign in with those scopes in a terminal: \`${command}\`, then run this again.`,
        data: { scopes: wanted },
      });
    ctx.host.notify({
      level: 'info',
      code: 'auth.scope-sign-in',
      text: `The sign-in did not grant ${wanted.join(' ')}; signing in again with ${wanted.length > 1 ? 'them' : 'it'}.`,
      data: { scopes: wanted },
    });
  } else if (refreshed) return resultOf(refreshed, 'refresh');

  if (!options.interactive)
    throw new AuthError(`No valid token${name ? ` for "${name}"` : ''}, and signing in needs a person at a terminal`, {
      code: 'auth.login-required',
      hint:
        'Run `zign login` in a terminal first. CI jobs set ZIGN_CLIENT_ID and ZIGN_CLIENT_SECRET, ' +
        'or OAUTH2_ACCESS_TOKEN_URL and CREDENTIALS_DIR (stups-tokens).',
    });
  const tokens = await interactiveSignIn(ctx, server, wanted, options);
  const token = fromResponse(name, tokens, wanted);
  await keep(ctx, name, token);
  return resultOf(token, 'sign-in');
}

/** The refresh grant's `invalid_scope`: the stored sign-in is valid but did not grant what was asked. */
const SCOPE_NOT_GRANTED = Symbol('scope-not-granted');

/**
 * The refresh grant with the stored refresh token, holding the store's lock so that concurrent runs
 * rotate it one after the other (a rotated token is used only once). A refused one is removed.
 */
async function refreshStored(
  ctx: Context,
  server: OAuthServer,
  name: string | undefined,
  scopes: { wanted: string[]; needed: readonly string[] },
  force: boolean,
): Promise<StoredToken | typeof SCOPE_NOT_GRANTED | undefined> {
  const issuer = server.serverMetadata().issuer;
  return ctx.store.locked(async () => {
    if (name && !force) {
      // Another run may have stored it while this one waited for the lock.
      const stored = ctx.store.read()[name];
      if (usable(stored, scopes.needed)) return stored;
    }
    const refreshToken = ctx.store.readRefreshToken();
    if (!refreshToken) return undefined;
    let answer: oidc.TokenEndpointResponse;
    try {
      answer = await oidc.refreshTokenGrant(
        server,
        refreshToken,
        scopes.wanted.length ? { scope: [...new Set(['openid', ...scopes.wanted])].join(' ') } : {},
      );
    } catch (e) {
      // RFC 6749 §6: a refresh may not ask for more than the sign-in granted; the refresh token stays good.
      if (e instanceof oidc.ResponseBodyError && e.error === 'invalid_scope') return SCOPE_NOT_GRANTED;
      const error = oauthError(e, 'Refreshing the token', issuer);
      if (!(error instanceof AuthError)) throw error;
      ctx.store.writeRefreshToken(undefined);
      ctx.host.notify({
        level: 'warn',
        code: 'auth.refresh-failed',
        text: 'The stored sign-in has expired or was revoked; a new sign-in is needed.',
      });
      return undefined;
    }
    if (answer.refresh_token) ctx.store.writeRefreshToken(answer.refresh_token);
    const token = fromResponse(name, answer, scopes.wanted);
    if (name) {
      const tokens = ctx.store.read();
      tokens[name] = token;
      ctx.store.writeTokens(tokens);
    }
    return token;
  });
}

async function interactiveSignIn(
  ctx: Context,
  server: OAuthServer,
  scopes: string[],
  choice: SignInChoice,
): Promise<SignInTokens> {
  const tokens = await signIn(server, ctx.settings, {
    host: ctx.host,
    scopes,
    // Without a display (or over SSH) the device flow, unless the person asked for the URL (--no-browser).
    device: choice.device ?? (choice.openBrowser === false ? false : isHeadless(ctx.env)),
    openBrowser: choice.openBrowser ?? true,
    env: ctx.env,
    signal: ctx.signal,
  });
  const refreshToken = tokens.refresh_token;
  if (refreshToken) await ctx.store.locked(() => ctx.store.writeRefreshToken(refreshToken));
  return tokens;
}

export interface LoginResult {
  /** The name the access token was stored under, if one was given. */
  name?: string;
  scope: string;
  expires_in: number;
  refreshToken: boolean;
  /** Who signed in: the ID token's `sub` (the sign-in asks for `openid`), when the server sent one. */
  subject?: string;
}

/** `zign login`: always signs in (browser or device), keeps the refresh token, and the token if named. */
export async function login(
  name: string | undefined,
  scopes: string[],
  options: GetTokenOptions = {},
): Promise<LoginResult> {
  const ctx = contextOf(options);
  if (!hasServer(ctx.settings)) throw notConfigured();
  const server = await openServer(ctx.settings);
  const wanted = [...ctx.settings.scopes, ...scopes];
  const tokens = await interactiveSignIn(ctx, server, wanted, options);
  const token = fromResponse(name, tokens, wanted);
  await keep(ctx, name, token);
  const claims = (tokens as Partial<oidc.TokenEndpointResponseHelpers>).claims?.();
  return {
    name,
    scope: token.scope,
    expires_in: token.expires_in,
    refreshToken: Boolean(tokens.refresh_token),
    subject: typeof claims?.sub === 'string' ? claims.sub : undefined,
  };
}
