import { chmodSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OperationError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { fileError } from '../fs/file-error.js';
import { withFileLock } from '../fs/file-lock.js';
import { readTokenYaml } from './token-store-format.js';

// The YAML library is loaded only when the small reader cannot read the store, and for writes.
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

import {
  grantsScopes,
  isTokenValid,
  MIN_REMAINING_SECONDS,
  peekValidToken,
  tokenStoreDir,
} from './stored-token-peek.js';

/**
 * The named token store the original zign and its Python peers share on a machine:
 * `${XDG_CONFIG_HOME:-~/.config}/zalando-token-cli/tokens.yaml`, a mapping name → token, next to
 * `refresh-token.yaml` (one refresh token per user and machine). Block and flow styles are read;
 * writes are atomic, 0600 in a 0700 directory, under one lock, so concurrent runs keep each other's
 * tokens. A store that does not parse is moved aside and reported, never silently dropped.
 */
export interface StoredToken {
  access_token: string;
  /** Epoch seconds (float), when the token was stored. */
  creation_time: number;
  expires_in: number;
  name: string;
  refresh_token: string | null;
  scope: string;
  token_type: string;
  [key: string]: unknown;
}

export type TokenMap = Record<string, StoredToken>;

export { grantsScopes, isTokenValid, MIN_REMAINING_SECONDS, peekValidToken, tokenStoreDir };

/** The store was unreadable YAML or not a mapping: exit 1, with where the broken file was kept. */
export class CorruptTokenStoreError extends OperationError {
  constructor(path: string, backup: string, reason: string) {
    super(`The token store ${path} is corrupt (${reason}); it was moved to ${backup}`, {
      code: 'auth.store-corrupt',
      hint: 'Run the command again to start with an empty store; sign in again with `zign login` if needed.',
      data: { path, backup },
    });
  }
}

function parseStore(text: string): unknown {
  return text.trim() === '' ? {} : (readTokenYaml(text) ?? yaml().parse(text));
}

export class TokenStore {
  readonly dir: string;
  readonly path: string;
  readonly refreshTokenPath: string;

  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, 'tokens.yaml');
    this.refreshTokenPath = join(dir, 'refresh-token.yaml');
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): TokenStore {
    return new TokenStore(tokenStoreDir(env));
  }

  /** All stored tokens; a missing file is an empty store, a corrupt one is moved aside and reported. */
  read(): TokenMap {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw fileError(e, this.path) ?? e;
    }
    let parsed: unknown;
    let reason = 'not a mapping of names to tokens';
    try {
      parsed = parseStore(text);
    } catch (e) {
      reason = (e as Error).message.split('\n')[0] ?? 'invalid YAML';
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const entries = Object.entries(parsed as Record<string, unknown>);
      if (entries.every(([, v]) => v && typeof v === 'object' && !Array.isArray(v))) return parsed as TokenMap;
    }
    const backup = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.path, backup);
    } catch {
      // someone else moved it first: the report stands
    }
    throw new CorruptTokenStoreError(this.path, backup, reason);
  }

  get(name: string): StoredToken | undefined {
    const token = this.read()[name];
    return token && typeof token.access_token === 'string' ? token : undefined;
  }

  /** Changes the store under its lock: read, change, write back atomically (0600). */
  async update<T>(change: (tokens: TokenMap) => T): Promise<T> {
    return this.locked(() => {
      const tokens = this.read();
      const result = change(tokens);
      this.writeTokens(tokens);
      return result;
    });
  }

  /** Runs `work` holding the store's lock (refreshes hold it, so that one rotation happens at a time). */
  async locked<T>(work: () => Promise<T> | T): Promise<T> {
    this.ensureDir();
    return withFileLock(this.path, work);
  }

  /** Writes the tokens; only to be called while holding the lock. */
  writeTokens(tokens: TokenMap): void {
    this.ensureDir();
    writeFileAtomic(this.path, yaml().stringify(tokens, { sortMapEntries: true }), 0o600);
  }

  readRefreshToken(): string | undefined {
    try {
      const parsed = yaml().parse(readFileSync(this.refreshTokenPath, 'utf8')) as { refresh_token?: unknown } | null;
      return typeof parsed?.refresh_token === 'string' && parsed.refresh_token ? parsed.refresh_token : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves (or with undefined, removes) the one refresh token; only while holding the lock. */
  writeRefreshToken(refreshToken: string | undefined): void {
    this.ensureDir();
    writeFileAtomic(this.refreshTokenPath, yaml().stringify({ refresh_token: refreshToken ?? null }), 0o600);
  }

  /** File modes of the store, for `zign doctor`. */
  modes(): { dir?: number; tokens?: number; refreshToken?: number } {
    const mode = (p: string) => {
      try {
        return statSync(p).mode & 0o777;
      } catch {
        return undefined;
      }
    };
    return { dir: mode(this.dir), tokens: mode(this.path), refreshToken: mode(this.refreshTokenPath) };
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if ((statSync(this.dir).mode & 0o077) !== 0) chmodSync(this.dir, 0o700);
    mkdirSync(dirname(this.path), { recursive: true });
  }
}

/** A token endpoint's answer as the store keeps it (the original's fields, plus `name` and `creation_time`). */
export function storedToken(
  name: string,
  answer: { access_token: string; expires_in?: number; token_type?: string; scope?: string },
  now = Date.now() / 1000,
): StoredToken {
  return {
    access_token: answer.access_token,
    creation_time: now,
    expires_in: Number(answer.expires_in ?? 3600),
    name,
    refresh_token: null,
    scope: answer.scope ?? '',
    token_type: answer.token_type ?? 'Bearer',
  };
}
