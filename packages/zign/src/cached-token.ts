import { peekValidToken } from '@stups/core/auth/stored-token-peek';

/**
 * The fast path of `token -n NAME` with a valid stored token: no argument parser, no OAuth client, no
 * network; a read of the store that changes nothing. Anything else (other options, scopes, no valid
 * token, a store that does not read plainly: corrupt, a directory, unreadable) takes the full CLI, which
 * reports a corrupt or unreadable store with its path (exit 1) rather than passing over it.
 */
export function cachedTokenFor(argv: string[], env: NodeJS.ProcessEnv, bareIsToken: boolean): string | undefined {
  const args = argv[0] === 'token' ? argv.slice(1) : bareIsToken ? argv : [];
  if (args.length !== 2 || (args[0] !== '-n' && args[0] !== '--name')) return undefined;
  return peekValidToken(args[1] as string, env);
}
