import { pieroneClient } from '../pierone-session.js';
import { printRows } from '../rendering.js';
import type { ImageRun } from './specs.js';

export const run: ImageRun = async ([image], options, cli) => {
  const client = await pieroneClient(cli, options.url);
  const found = await client.imageTags(image);
  // The original answers both cases with a line and exit 0.
  if (found.kind === 'not-found') cli.host.print(`Image ${image} not found\n`);
  else if (found.kind === 'ambiguous') cli.host.print(`Prefix ${image} matches more than one image.\n`);
  else
    printRows(
      cli,
      options.output,
      { columns: ['team', 'artifact', 'name'], titles: { name: 'Tag' } },
      found.tags.map((t) => ({ team: t.team, artifact: t.artifact, name: t.name })),
    );
  return 0;
};
