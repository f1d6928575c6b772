import { printTable } from '@stups/cli-kit/table';
import type { StoredToken } from '@stups/core/auth/token-store';
import type { ListRun } from './specs.js';

/** The original's columns and titles; `expires_in` is the time left in minutes, as `55m`. */
export const TOKEN_TABLE = {
  columns: ['name', 'access_token', 'scope', 'creation_time', 'expires_in'],
  titles: {
    name: 'Name',
    access_token: 'Access Token',
    scope: 'Scope',
    creation_time: 'Created',
    expires_in: 'Expires In',
  },
  maxWidths: { access_token: 36 },
  shrink: ['scope'],
};

/** In text, a token is shown by its first characters only: enough to tell two apart, not to use one. */
export function maskToken(token: string): string {
  return token.length <= 8 ? '********' : `${token.slice(0, 4)}…${'*'.repeat(8)}`;
}

export function tokenRows(tokens: Record<string, StoredToken>, nowSeconds: number, mask: boolean) {
  return Object.entries(tokens)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, t]) => ({
      name,
      access_token: mask ? maskToken(String(t.access_token ?? '')) : t.access_token,
      scope: t.scope,
      creation_time: t.creation_time,
      expires_in: `${Math.round((Number(t.creation_time) + Number(t.expires_in) - nowSeconds) / 60)}m`,
    }));
}

export const run: ListRun = async (_args, options, cli) => {
  const { TokenStore } = await import('@stups/core/auth/token-store');
  const tokens = TokenStore.fromEnv(cli.env).read();
  const rows = tokenRows(tokens, Date.now() / 1000, options.output === 'text');
  printTable(cli, TOKEN_TABLE, rows, { output: options.output });
  return 0;
};
