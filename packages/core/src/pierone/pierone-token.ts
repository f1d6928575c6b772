import type { GetTokenOptions } from '../auth/get-token.js';

/**
 * The token Pier One takes: one name, `pierone` (the original pierone and zign share it), asked for
 * with the scopes of what is done with it: reading the API needs `uid`, pushing also needs
 * `application.write` (reference pierone.md §2, `zign.api.get_token('pierone', ['uid', 'application.write'])`).
 * The auth engine hands out a stored token only where it was granted every scope asked for, so a read
 * token cached by `pierone latest` is never given to `docker push`.
 */
export const PIERONE_TOKEN = 'pierone';

export type PierOneAccess = 'read' | 'write';

export const PIERONE_SCOPES: Readonly<Record<PierOneAccess, readonly string[]>> = {
  read: ['uid'],
  write: ['uid', 'application.write'],
};

/** The `pierone` token for this access, from the auth engine (loaded only when a token is needed). */
export async function pieroneToken(access: PierOneAccess, options: GetTokenOptions = {}): Promise<string> {
  const { getToken } = await import('../auth/get-token.js');
  return (await getToken(PIERONE_TOKEN, [...PIERONE_SCOPES[access]], options)).access_token;
}
