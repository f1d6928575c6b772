import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthError, OperationError } from '../errors.js';
import { describeEndpoint, type HttpTimeouts, httpFetch } from '../http/http-gateway.js';

/**
 * Tokens for services and CI jobs, found the way stups-tokens (python-tokens) finds them, in its order:
 * 1. `OAUTH2_ACCESS_TOKENS=name=token,...` (fixed tokens, e.g. for local tests);
 * 2. `<CREDENTIALS_DIR>/<name>-token-secret` (re-read on every call: Kubernetes rotates the file);
 * 3. `OAUTH2_ACCESS_TOKEN_URL` with `<CREDENTIALS_DIR>/user.json` and `client.json`: the password grant
 *    with HTTP Basic client authentication, `scope=` always sent, the URL's query string kept.
 * Undefined when none of them is set up, so that the caller can try the next way.
 */
export interface ServiceToken {
  access_token: string;
  expires_in: number;
  source: 'fixed' | 'token-secret' | 'password-grant';
  scope?: string;
}

/** stups-tokens' timeouts (1.25 s connect, 2.25 s read), with room for a loaded machine. */
export const SERVICE_TOKEN_TIMEOUTS: HttpTimeouts = { connectMs: 1_250, requestMs: 5_000 };

const FIXED_TOKEN_SECONDS = 365 * 24 * 3600;
const TOKEN_FILE_SECONDS = 120;

export function fixedTokens(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (env.OAUTH2_ACCESS_TOKENS ?? '').split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function readJsonFile(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuthError(`Failed to read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      code: 'auth.credentials-unreadable',
      hint: 'Make the credentials file readable, or unset CREDENTIALS_DIR.',
    });
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new AuthError(`Failed to read ${path}: not a JSON object`, {
    code: 'auth.credentials-invalid',
    hint: 'The file must hold a JSON object (the stups-tokens layout).',
  });
}

function requireKey(file: Record<string, unknown>, path: string, key: string): string {
  const value = file[key];
  if (typeof value === 'string' && value !== '') return value;
  throw new AuthError(`Invalid OAuth credentials: ${path} has no "${key}"`, {
    code: 'auth.credentials-key-missing',
    hint: `Add "${key}" to ${path} (client.json: client_id, client_secret; user.json: application_username, application_password).`,
    data: { path, key },
  });
}

export function credentialsDir(env: NodeJS.ProcessEnv): string {
  return env.CREDENTIALS_DIR ?? '';
}

export async function serviceToken(
  name: string,
  scopes: string[],
  env: NodeJS.ProcessEnv = process.env,
  options: { signal?: AbortSignal; cwd?: string } = {},
): Promise<ServiceToken | undefined> {
  const fixed = fixedTokens(env)[name];
  if (fixed) return { access_token: fixed, expires_in: FIXED_TOKEN_SECONDS, source: 'fixed' };

  const dir = credentialsDir(env) || options.cwd || process.cwd();
  const secretFile = join(dir, `${name}-token-secret`);
  try {
    const token = readFileSync(secretFile, 'utf8').trim();
    if (token) return { access_token: token, expires_in: TOKEN_FILE_SECONDS, source: 'token-secret' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new AuthError(`Failed to read ${secretFile}: ${(e as NodeJS.ErrnoException).code}`, {
        code: 'auth.token-secret-unreadable',
        hint: 'The token secret must be a readable file holding the token.',
      });
  }

  const url = env.OAUTH2_ACCESS_TOKEN_URL || env.OAUTH_ACCESS_TOKEN_URL;
  if (!url) return undefined;
  const userPath = join(dir, 'user.json');
  const clientPath = join(dir, 'client.json');
  const user = readJsonFile(userPath);
  const client = readJsonFile(clientPath);
  if (!user || !client) return undefined;
  const username = requireKey(user, userPath, 'application_username');
  const password = requireKey(user, userPath, 'application_password');
  const clientId = requireKey(client, clientPath, 'client_id');
  const clientSecret = requireKey(client, clientPath, 'client_secret');
  return passwordGrant(url, { clientId, clientSecret, username, password, scopes, signal: options.signal });
}

/** The legacy password grant exactly as stups-tokens 1.1.19 sends it. */
export async function passwordGrant(
  tokenUrl: string,
  p: {
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
    scopes: string[];
    signal?: AbortSignal;
  },
): Promise<ServiceToken> {
  const endpoint = describeEndpoint(new URL(tokenUrl), 'POST');
  const body = new URLSearchParams({
    grant_type: 'password',
    username: p.username,
    password: p.password,
    scope: p.scopes.join(' '),
  });
  const basic = Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64');
  const res = await httpFetch(tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, accept: 'application/json', 'user-agent': 'stups-ts/zign' },
    body,
    signal: p.signal,
    timeouts: SERVICE_TOKEN_TIMEOUTS,
  });
  const text = await res.text();
  let answer: { access_token?: unknown; expires_in?: unknown; scope?: unknown; error?: unknown } = {};
  try {
    answer = JSON.parse(text);
  } catch {
    // judged below
  }
  if (res.status === 400 || res.status === 401) {
    throw new AuthError(
      `${endpoint} refused the service credentials (HTTP ${res.status}${answer.error ? `, ${answer.error}` : ''})`,
      {
        code: 'auth.service-credentials-refused',
        hint: 'Check user.json and client.json in CREDENTIALS_DIR and the token URL (OAUTH2_ACCESS_TOKEN_URL).',
      },
    );
  }
  if (!res.ok)
    throw new OperationError(`${endpoint} answered HTTP ${res.status}`, {
      code: 'auth.token-endpoint-failed',
      hint: 'The token service failed; try again later.',
    });
  if (typeof answer.access_token !== 'string' || typeof answer.expires_in !== 'number')
    throw new OperationError(
      `Invalid token response from ${endpoint}: expected a JSON object with "expires_in" and "access_token"`,
      { code: 'auth.token-response-invalid' },
    );
  if (answer.access_token === '')
    throw new OperationError(`Invalid token response from ${endpoint}: empty "access_token"`, {
      code: 'auth.token-response-invalid',
    });
  return {
    access_token: answer.access_token,
    expires_in: answer.expires_in,
    source: 'password-grant',
    scope: typeof answer.scope === 'string' ? answer.scope : undefined,
  };
}
