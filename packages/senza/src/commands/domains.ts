import { runListing } from '../listing.js';
import type { CliContext } from '../main.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const { parseStackRefs, listStacks, fetchStackResources, domainRows, RecordSetCache, STACK_TABLES } = await import(
    '@stups/core/senza/stacks'
  );
  const refs = parseStackRefs((args[0] as string[] | undefined) ?? []);
  return runListing(options, cli, refs, async ({ session }) => {
    const stacks = (await listStacks(session, refs)).filter((s) => s.status !== 'ROLLBACK_COMPLETE');
    const resources = await fetchStackResources(session, stacks);
    return { spec: STACK_TABLES.domains, rows: await domainRows(new RecordSetCache(session), resources) };
  });
}
