import { runListing } from '../listing.js';
import type { TableRun } from './specs/stacks.js';

export const run: TableRun = async ([tokens], options, cli) => {
  const { parseStackRefs, listStacks, fetchStackResources, domainRows, RecordSetCache, STACK_TABLES } = await import(
    '@stups/core/senza/stacks'
  );
  const refs = parseStackRefs(tokens);
  return runListing(options, cli, refs, async ({ session }) => {
    const stacks = (await listStacks(session, refs)).filter((s) => s.status !== 'ROLLBACK_COMPLETE');
    const resources = await fetchStackResources(session, stacks);
    return { spec: STACK_TABLES.domains, rows: await domainRows(new RecordSetCache(session), resources) };
  });
};
