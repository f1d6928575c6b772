import { type CompletionSource, cachedSuggestions } from '@stups/cli-kit/completion';
import { ARTIFACT_PATTERN, type PierOneClient, TEAM_PATTERN } from '@stups/core/pierone';

/** How long listed teams, artifacts and tags are reused by completion. */
const CACHE_MS = 30_000;

/**
 * A client for completion only: the configured URL (PIERONE_URL or pierone.yaml; a `--url` typed on
 * the same line is not read) and a token that needs no person (stored, a service token or client
 * credentials); never a prompt or a browser. Undefined without a URL.
 */
async function quietClient(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<PierOneClient | undefined> {
  const { pieroneClient, resolvePieroneSettings } = await import('@stups/core/pierone');
  const { url } = resolvePieroneSettings({}, env);
  // The token's signal is the budget's; each call takes it too (see `listed`).
  return url ? pieroneClient({ url, env, interactive: false, signal }) : undefined;
}

/**
 * Suggestions from the cache, else from Pier One. `signal` is aborted when the completion budget is
 * spent; each call takes it, so a slow registry is dropped at once rather than at its own timeouts.
 */
function listed(
  key: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  list: (client: PierOneClient, call: { signal: AbortSignal }) => Promise<string[]>,
) {
  return cachedSuggestions('pierone', key, env, CACHE_MS, async () => {
    const client = await quietClient(env, signal);
    return client ? (await list(client, { signal })).sort() : [];
  });
}

/** A typed name that may name a cache file and a URL path: nothing else is looked up. */
const valid = (name: string | undefined, pattern: RegExp): name is string => name !== undefined && pattern.test(name);

/** pierone's dynamic completion: TEAM, then the team's artifacts, then the artifact's tags. */
export async function completions(): Promise<Record<string, CompletionSource>> {
  return {
    teams: ({ env, signal }) => listed('teams', env, signal, (c, call) => c.teams(call)),
    artifacts: ({ positional: [team], env, signal }) =>
      valid(team, TEAM_PATTERN)
        ? listed(`artifacts-${team}`, env, signal, (c, call) => c.artifacts(team, call))
        : Promise.resolve([]),
    tags: ({ positional: [team, artifact], env, signal }) =>
      valid(team, TEAM_PATTERN) && valid(artifact, ARTIFACT_PATTERN)
        ? listed(`tags-${team}+${artifact}`, env, signal, async (c, call) =>
            ((await c.tags(team, artifact, call)) ?? []).map((t) => t.name),
          )
        : Promise.resolve([]),
  };
}
