import { runListing } from '../listing.js';
import type { TableRun } from './specs/stacks.js';

export const run: TableRun = async ([tokens], options, cli) => {
  const { parseStackRefs, listStacks, fetchStackStatus, STACK_TABLES } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  return runListing(options, cli, refs, async ({ session }) => {
    const stacks = await listStacks(session, refs);
    return { spec: STACK_TABLES.status, rows: await fetchStackStatus(session, stacks) };
  });
};
