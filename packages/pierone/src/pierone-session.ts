import type { CliContext } from '@stups/cli-kit';
import { ask } from '@stups/cli-kit/prompt';
import { loadToolConfig, storeToolConfig, UsageError } from '@stups/core';
import { normalizePieroneUrl, PierOneClient } from '@stups/core/pierone';

/**
 * The Pier One URL of this run: `--url`, else `PIERONE_URL` or `url` in pierone.yaml, else asked for
 * on a terminal. Only `login` without `--url` stores it (the original's rule: `--url` is for one run).
 */
export async function resolvePieroneUrl(cli: CliContext, flagUrl: string | undefined): Promise<string> {
  if (flagUrl) return normalizePieroneUrl(flagUrl);
  const configured = loadToolConfig('pierone', cli.env).url;
  if (typeof configured === 'string' && configured.trim()) return normalizePieroneUrl(configured);
  if (!cli.interactive)
    throw new UsageError('No Pier One URL is configured', {
      code: 'pierone.url-missing',
      hint: 'Pass --url, set PIERONE_URL, or run `pierone login --url URL` once in a terminal.',
    });
  for (;;) {
    const answer = await ask(cli, 'Please enter the Pier One URL');
    if (answer) return normalizePieroneUrl(answer);
  }
}

export function rememberPieroneUrl(cli: CliContext, url: string): string {
  // The file's own keys, without the PIERONE_* overrides of this environment.
  const fileOnly = Object.fromEntries(Object.entries(cli.env).filter(([k]) => !k.startsWith('PIERONE_')));
  const config = loadToolConfig('pierone', fileOnly);
  return storeToolConfig('pierone', { ...config, url }, cli.env);
}

/**
 * A client whose token comes from the auth engine (token name `pierone`), asked for on first use;
 * Ctrl-C ends its calls in flight (exit 130).
 */
export async function pieroneClient(cli: CliContext, flagUrl: string | undefined): Promise<PierOneClient> {
  const url = await resolvePieroneUrl(cli, flagUrl);
  return new PierOneClient({
    url,
    signal: cli.signal,
    token: async (renew) => {
      const { getToken } = await import('@stups/core/auth');
      const token = await getToken('pierone', ['uid'], {
        refused: renew?.refused,
        env: cli.env,
        host: cli.host,
        interactive: cli.interactive,
        signal: cli.signal,
      });
      return token.access_token;
    },
  });
}
