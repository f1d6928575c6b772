import { runListing } from '../listing.js';
import type { ListRun } from './specs/stacks.js';

export const run: ListRun = async ([tokens], options, cli) => {
  const { parseStackRefs, listStacks, fetchStackHealth, STACK_TABLES } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  return runListing(options, cli, refs, async ({ session }) => {
    const stacks = await listStacks(session, refs, { all: options.all });
    return { spec: STACK_TABLES.health, rows: await fetchStackHealth(session, stacks) };
  });
};
