import type { CliContext } from '../main.js';
import { runListing } from './list.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const { parseStackRefs, listStacks, fetchStackHealth, assertRefFilesExist, STACK_TABLES } = await import(
    '@stups/core/senza'
  );
  const refs = parseStackRefs((args[0] as string[] | undefined) ?? []);
  return runListing(options, cli, refs, async ({ session }) => {
    const stacks = await listStacks(session, refs, { all: Boolean(options.all) });
    assertRefFilesExist(
      refs,
      stacks.map((s) => s.stackName),
    );
    return { spec: STACK_TABLES.health, rows: await fetchStackHealth(session, stacks) };
  });
}
