import type { CliContext } from '@stups/cli-kit';
import { ask } from '@stups/cli-kit/prompt';
import { UsageError } from '@stups/core';
import {
  normalizePieroneUrl,
  pieroneClient as openClient,
  type PierOneAccess,
  type PierOneClient,
  resolvePieroneSettings,
} from '@stups/core/pierone';

/**
 * The Pier One URL of this run: core's settings (`--url`, else `PIERONE_URL` or `url` in pierone.yaml),
 * else asked for on a terminal. Only `login` without `--url` stores it (the original's rule).
 */
export async function resolvePieroneUrl(cli: CliContext, flagUrl: string | undefined): Promise<string> {
  const { url } = resolvePieroneSettings({ url: flagUrl }, cli.env);
  if (url) return url;
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

/** A client of core's with this run's token settings; Ctrl-C ends its calls in flight (exit 130). */
export async function pieroneClient(
  cli: CliContext,
  flagUrl: string | undefined,
  access: PierOneAccess = 'read',
): Promise<PierOneClient> {
  const url = await resolvePieroneUrl(cli, flagUrl);
  return openClient({ url, access, env: cli.env, host: cli.host, interactive: cli.interactive, signal: cli.signal });
}
