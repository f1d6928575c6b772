import { type CompletionSource, cachedSuggestions } from '@stups/cli-kit/completion';
import { loadToolConfig } from '@stups/core';

/** How long listed stacks are reused by completion: typing a command line takes a few seconds. */
const CACHE_MS = 30_000;

/** Stack names → versions in the region, from one CloudFormation listing. */
async function stackVersions(region: string, signal: AbortSignal): Promise<Record<string, string[]>> {
  const [{ AwsSession }, { listStacks }] = await Promise.all([
    import('@stups/core/aws'),
    import('@stups/core/senza/stacks'),
  ]);
  const session = new AwsSession({ region });
  // Over budget: drop the call, so the process ends with the static suggestions.
  signal.addEventListener('abort', () => session.destroy());
  try {
    const byName: Record<string, string[]> = {};
    for (const s of await listStacks(session, [])) byName[s.name] = [...(byName[s.name] ?? []), s.version];
    return byName;
  } finally {
    session.destroy();
  }
}

/** senza's dynamic completion: `stacks` suggests stack names, then the versions of the name typed. */
export async function completions(): Promise<Record<string, CompletionSource>> {
  const stacks: CompletionSource = async ({ position, positional, env, signal }) => {
    const { resolveRegion } = await import('@stups/core/aws');
    const region = resolveRegion({ config: loadToolConfig('senza', env).region as string | undefined, env });
    const known = await cachedSuggestions('senza', `stacks-${region}`, env, CACHE_MS, () =>
      stackVersions(region, signal),
    );
    const versions = (known[positional[0]] ?? []).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return position === 0 ? Object.keys(known).sort() : versions;
  };
  return { stacks };
}
