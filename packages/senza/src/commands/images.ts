import { runListing } from '../listing.js';
import type { CliContext } from '../main.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const { parseStackRefs, fetchImageFacts, imageRows, STACK_TABLES } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs((args[0] as string[] | undefined) ?? []);
  return runListing(options, cli, refs, async ({ session }) => ({
    spec: options.showInstances ? STACK_TABLES.imagesWithInstances : STACK_TABLES.images,
    rows: imageRows(await fetchImageFacts(session, refs), Number(options.hideOlderThan ?? 21)),
  }));
}
