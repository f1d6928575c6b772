import { runListing } from '../listing.js';
import type { TableRun } from './specs/stacks.js';

export const run: TableRun = async ([tokens], options, cli) => {
  const { parseStackRefs, listStacks, fetchStackStatus, localRouterProbe, STACK_TABLES } = await import(
    '@stups/core/senza/stacks'
  );
  // On stups-local the domains live behind its router, not in real DNS (docs/stups-local.md).
  const router = cli.env.STUPS_LOCAL_HTTP;
  const refs = parseStackRefs(tokens);
  return runListing(options, cli, refs, async ({ session }) => {
    const stacks = await listStacks(session, refs);
    return {
      spec: STACK_TABLES.status,
      rows: await fetchStackStatus(session, stacks, router ? localRouterProbe(router) : undefined),
    };
  });
};
