import { runListing } from '../listing.js';
import type { CliContext } from '../main.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const { parseStackRefs, listStacks, fetchStackHealth, STACK_TABLES } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs((args[0] as string[] | undefined) ?? []);
  return runListing(options, cli, refs, async ({ session }) => {
    const stacks = await listStacks(session, refs, { all: Boolean(options.all) });
    return { spec: STACK_TABLES.health, rows: await fetchStackHealth(session, stacks) };
  });
}
