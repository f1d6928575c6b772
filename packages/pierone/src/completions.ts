import { type CompletionSource, cachedSuggestions } from '@stups/cli-kit';
import { loadToolConfig } from '@stups/core';

/** How long listed teams, artifacts and tags are reused by completion. */
const CACHE_MS = 30_000;

/**
 * A client for completion only: the configured URL and a token that needs no person (stored, a
 * service token or client credentials); never a prompt or a browser. Undefined without a URL.
 */
async function quietClient(env: NodeJS.ProcessEnv, signal: AbortSignal) {
  const url = loadToolConfig('pierone', env).url;
  if (typeof url !== 'string' || !url.trim()) return undefined;
  const [{ normalizePieroneUrl, PierOneClient }, { getToken }] = await Promise.all([
    import('@stups/core/pierone'),
    import('@stups/core/auth'),
  ]);
  return new PierOneClient({
    url: normalizePieroneUrl(url),
    token: async () => (await getToken('pierone', ['uid'], { env, interactive: false, signal })).access_token,
  });
}

function listed(
  key: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  list: (c: NonNullable<Awaited<ReturnType<typeof quietClient>>>) => Promise<string[]>,
) {
  return cachedSuggestions('pierone', key, env, CACHE_MS, async () => {
    const client = await quietClient(env, signal);
    return client ? (await list(client)).sort() : [];
  });
}

/** pierone's dynamic completion: TEAM, then the team's artifacts, then the artifact's tags. */
export async function completions(): Promise<Record<string, CompletionSource>> {
  return {
    teams: ({ env, signal }) => listed('teams', env, signal, (c) => c.teams()),
    artifacts: ({ positional, env, signal }) =>
      positional[0]
        ? listed(`artifacts-${positional[0]}`, env, signal, (c) => c.artifacts(positional[0] as string))
        : Promise.resolve([]),
    tags: ({ positional, env, signal }) =>
      positional[0] && positional[1]
        ? listed(`tags-${positional[0]}-${positional[1]}`, env, signal, async (c) =>
            ((await c.tags(positional[0] as string, positional[1] as string)) ?? []).map((t) => t.name),
          )
        : Promise.resolve([]),
  };
}
