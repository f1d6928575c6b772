import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readTokenYaml } from './token-store-format.js';

/**
 * The token store's location and validity rule, and a cheap look at one stored token for callers
 * that run on every `docker pull` (the credential helper): the store's small reader (token-store-format),
 * no YAML parser; anything it cannot read gives undefined, and the caller falls back to the full store.
 */
export function tokenStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'zalando-token-cli');
}

/** The original's rule: a token is used until 5 minutes before it expires. */
export const MIN_REMAINING_SECONDS = 300;

export function isTokenValid(token: { creation_time: unknown; expires_in: unknown }, now = Date.now() / 1000) {
  const created = Number(token.creation_time);
  const lifetime = Number(token.expires_in);
  return Number.isFinite(created) && Number.isFinite(lifetime) && now < created + lifetime - MIN_REMAINING_SECONDS;
}

/**
 * Whether a stored token was granted every scope a caller needs (its recorded `scope`, space-separated).
 * A token that records fewer, or none (the original zign stored `scope: ''`), is not handed out where
 * scopes are needed: a `uid`-only token cached by `pierone latest` must not reach `docker push`.
 */
export function grantsScopes(recorded: unknown, needed: readonly string[]): boolean {
  if (needed.length === 0) return true;
  const granted = new Set(typeof recorded === 'string' ? recorded.split(/\s+/) : []);
  return needed.every((scope) => granted.has(scope));
}

/**
 * The access token stored under `name` while valid and granted `scopes`; undefined when absent, expired,
 * short of a scope or not plainly written.
 */
export function peekValidToken(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  scopes: readonly string[] = [],
): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(tokenStoreDir(env), 'tokens.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  const token = readTokenYaml(text)?.[name];
  const access = token?.access_token;
  if (typeof access !== 'string' || access === '') return undefined;
  if (!grantsScopes(token?.scope, scopes)) return undefined;
  return isTokenValid({ creation_time: token?.creation_time, expires_in: token?.expires_in }) ? access : undefined;
}
