import { runListing } from '../listing.js';
import { accountFactsOptions } from '../template-request.js';
import type { ImagesRun } from './specs/stacks.js';

export const run: ImagesRun = async ([tokens], options, cli) => {
  const { parseStackRefs, fetchImageFacts, imageRows, STACK_TABLES } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  const { taupageOwners } = await accountFactsOptions(cli);
  return runListing(options, cli, refs, async ({ session }) => ({
    spec: options.showInstances ? STACK_TABLES.imagesWithInstances : STACK_TABLES.images,
    rows: imageRows(await fetchImageFacts(session, refs, taupageOwners), options.hideOlderThan),
  }));
};
