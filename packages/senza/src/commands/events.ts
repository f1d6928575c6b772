import type { StackEventRow } from '@stups/core/senza';
import { runListing } from '../listing.js';
import type { TableRun } from './specs/stacks.js';

export const run: TableRun = async ([tokens], options, cli) => {
  const { parseStackRefs, listStacks, fetchStackEvents, stackEventRows, STACK_TABLES } = await import(
    '@stups/core/senza/stacks'
  );
  const refs = parseStackRefs(tokens);
  return runListing(
    options,
    cli,
    refs,
    async ({ session }) => {
      const stacks = await listStacks(session, refs);
      return { spec: STACK_TABLES.events, rows: stackEventRows(await fetchStackEvents(session, stacks)) };
    },
    { appendKey: (row) => (row as StackEventRow).event_id },
  );
};
