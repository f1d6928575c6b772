import { isTokenValid, TokenStore } from '@stups/core/auth/token-store';

/**
 * The fast path of `token -n NAME` with a valid stored token: no argument parser, no OAuth client, no
 * network; just the store. Anything else (other options, scopes, no valid token) takes the full CLI.
 */
export function cachedTokenFor(argv: string[], env: NodeJS.ProcessEnv, bareIsToken: boolean): string | undefined {
  const args = argv[0] === 'token' ? argv.slice(1) : bareIsToken ? argv : [];
  if (args.length !== 2 || (args[0] !== '-n' && args[0] !== '--name')) return undefined;
  const name = args[1] as string;
  try {
    const token = TokenStore.fromEnv(env).get(name);
    return token && isTokenValid(token) ? token.access_token : undefined;
  } catch {
    // a corrupt store is reported by the full command
    return undefined;
  }
}
