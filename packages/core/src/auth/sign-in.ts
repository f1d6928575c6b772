import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as oidc from 'openid-client';
import { AbortedError, AuthError } from '../errors.js';
import type { IoHost } from '../io/messages.js';
import { openLoopbackListener } from './loopback-listener.js';
import { type OAuthServer, oauthError } from './oauth-client.js';
import type { ZignSettings } from './zign-settings.js';

/**
 * Interactive sign-in, the two ways a native app does it today: the authorization code grant with
 * PKCE (S256), state and nonce through a loopback redirect (RFC 8252, 7636), or, without a browser on
 * this machine, the device authorization grant (RFC 8628). Both end with a token response holding a
 * refresh token (scope `offline_access`).
 */
export type SignInTokens = oidc.TokenEndpointResponse;

export interface SignInOptions {
  host: IoHost;
  /** Scopes besides `openid offline_access`. */
  scopes: string[];
  /** Use the device flow (headless machines, SSH sessions, or asked for). */
  device: boolean;
  /** Open a browser; false prints the URL instead. */
  openBrowser: boolean;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export const BASE_SCOPES = ['openid', 'offline_access'];

function scopeOf(scopes: string[]): string {
  return [...new Set([...BASE_SCOPES, ...scopes])].join(' ');
}

/** No browser can open here: no display (Linux and BSDs), or an SSH session. */
export function isHeadless(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return true;
  if (platform === 'darwin' || platform === 'win32') return false;
  return !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

export async function signIn(
  server: OAuthServer,
  settings: ZignSettings,
  options: SignInOptions,
): Promise<SignInTokens> {
  return options.device ? deviceSignIn(server, options) : browserSignIn(server, settings, options);
}

/** Starts the user's browser with its output kept off our stdout and stderr (zign #23). */
function launchBrowser(url: string, env: NodeJS.ProcessEnv): boolean {
  const command =
    env.BROWSER || (process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open');
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true, env });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;

function answer(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(PAGE(title, text));
}

async function browserSignIn(
  server: OAuthServer,
  settings: ZignSettings,
  options: SignInOptions,
): Promise<SignInTokens> {
  if (!server.serverMetadata().authorization_endpoint)
    throw new AuthError('The OAuth server has no authorization endpoint', {
      code: 'auth.no-authorization-endpoint',
      hint: 'Configure an OpenID Connect issuer (ZIGN_ISSUER), or use `zign login --device`.',
    });
  const listener = await openLoopbackListener(settings.redirectPorts);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(server, {
    redirect_uri: listener.redirectUri,
    scope: scopeOf(options.scopes),
    response_type: 'code',
    prompt: 'consent',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).href;
  const issuer = server.serverMetadata().issuer;
  const timeoutMs = settings.loginTimeoutSeconds * 1000;

  try {
    return await new Promise<SignInTokens>((resolve, reject) => {
      let done = false;
      const finish = (e: unknown, tokens?: SignInTokens) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (tokens) resolve(tokens);
        else reject(e);
      };
      const timer = setTimeout(
        () =>
          finish(
            new AuthError(`The browser did not come back within ${settings.loginTimeoutSeconds} s`, {
              code: 'auth.login-timeout',
              hint: 'Run `zign login` again and finish signing in, or use `zign login --device` to sign in with a code on another device.',
            }),
          ),
        timeoutMs,
      );
      const onAbort = () => finish(new AbortedError('Sign-in interrupted.', { hint: 'Run `zign login` again.' }));
      options.signal?.addEventListener('abort', onAbort, { once: true });

      listener.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        const current = new URL(req.url ?? '/', listener.redirectUri);
        const params = current.searchParams;
        if (req.method !== 'GET' || current.pathname !== '/' || (!params.has('code') && !params.has('error'))) {
          answer(res, 404, 'Not found', 'This is the zign sign-in listener.');
          return;
        }
        if (done) {
          answer(res, 410, 'Sign-in finished', 'This sign-in has ended. You may close this window.');
          return;
        }
        if (params.get('state') !== state) {
          // A forged or stale redirect: refused, and the real one is still awaited.
          answer(res, 400, 'Sign-in failed', 'The answer does not belong to this sign-in (state mismatch).');
          options.host.notify({
            level: 'warn',
            code: 'auth.login-state-mismatch',
            text: 'A sign-in answer with the wrong state was refused; still waiting for the real one.',
          });
          return;
        }
        if (params.has('error')) {
          const error = params.get('error') ?? 'error';
          answer(res, 403, 'Sign-in failed', 'The sign-in was not completed. You may close this window.');
          finish(
            new AuthError(
              error === 'access_denied' ? 'The sign-in was denied' : `The sign-in failed at ${issuer} (${error})`,
              {
                code: error === 'access_denied' ? 'auth.denied' : 'auth.login-failed',
                hint: 'Run `zign login` again and allow access.',
                data: { oauthError: error },
              },
            ),
          );
          return;
        }
        oidc
          .authorizationCodeGrant(server, current, {
            pkceCodeVerifier: verifier,
            expectedState: state,
            expectedNonce: nonce,
            idTokenExpected: true,
          })
          .then(
            (tokens) => {
              answer(res, 200, 'Signed in', 'zign has its token. You may close this window.');
              finish(undefined, tokens);
            },
            (e: unknown) => {
              answer(res, 400, 'Sign-in failed', 'The code could not be exchanged for a token.');
              finish(oauthError(e, 'Exchanging the sign-in code', issuer));
            },
          );
      });

      if (options.openBrowser && launchBrowser(url, options.env)) {
        options.host.notify({
          level: 'info',
          code: 'auth.login-browser',
          text: `Your browser has been opened to sign in. If it did not open, visit:\n\n\t${url}\n`,
          data: { url },
        });
      } else {
        options.host.notify({
          level: 'info',
          code: 'auth.login-url',
          text: `Open this URL in a browser to sign in:\n\n\t${url}\n`,
          data: { url },
        });
      }
    });
  } finally {
    await listener.close();
  }
}

async function deviceSignIn(server: OAuthServer, options: SignInOptions): Promise<SignInTokens> {
  const issuer = server.serverMetadata().issuer;
  if (!server.serverMetadata().device_authorization_endpoint)
    throw new AuthError(`${issuer} does not offer the device flow`, {
      code: 'auth.no-device-flow',
      hint: 'Sign in with the browser: `zign login` on a machine with a display.',
    });
  let started: oidc.DeviceAuthorizationResponse;
  try {
    started = await oidc.initiateDeviceAuthorization(server, { scope: scopeOf(options.scopes) });
  } catch (e) {
    throw oauthError(e, 'Starting the device sign-in', issuer);
  }
  const where = started.verification_uri_complete ?? started.verification_uri;
  options.host.notify({
    level: 'info',
    code: 'auth.device-code',
    text: `To sign in, open ${started.verification_uri} on any device and enter the code ${started.user_code}\n(or open ${where})`,
    data: {
      userCode: started.user_code,
      verificationUri: started.verification_uri,
      verificationUriComplete: started.verification_uri_complete,
    },
  });
  try {
    return await oidc.pollDeviceAuthorizationGrant(server, started, undefined, { signal: options.signal });
  } catch (e) {
    if (options.signal?.aborted) throw new AbortedError('Sign-in interrupted.', { hint: 'Run `zign login` again.' });
    if ((e as { error?: string }).error === 'expired_token')
      throw new AuthError('The device code expired before the sign-in was approved', {
        code: 'auth.device-expired',
        hint: 'Run `zign login --device` again and enter the new code in time.',
      });
    throw oauthError(e, 'The device sign-in', issuer);
  }
}
