import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The token store's location and validity rule, and a cheap look at one stored token for callers
 * that run on every `docker pull` (the credential helper): it reads the block layout the store writes
 * (`name:` then `  key: plain scalar` lines) without loading a YAML parser, and gives up (undefined)
 * at anything else, so that the caller falls back to the full store.
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

const PLAIN = /^[A-Za-z0-9_.~+/=-][A-Za-z0-9_.~+/=:-]*$/;

/** The access token stored under `name` while valid; undefined when absent, expired or not plainly written. */
export function peekValidToken(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(tokenStoreDir(env), 'tokens.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const start = lines.indexOf(`${name}:`);
  if (start < 0) return undefined;
  const fields: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    const m = /^ {2}([a-z_]+): (.*)$/.exec(line);
    if (!m) return undefined;
    fields[m[1]] = m[2];
  }
  const token = fields.access_token;
  if (!token || !PLAIN.test(token)) return undefined;
  return isTokenValid({ creation_time: fields.creation_time, expires_in: fields.expires_in }) ? token : undefined;
}
