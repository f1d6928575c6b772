import { checkTeam } from '@stups/core/pierone';
import { pieroneClient } from '../pierone-session.js';
import { printRows } from '../rendering.js';
import type { ArtifactsRun } from './specs.js';

export const run: ArtifactsRun = async ([team], options, cli) => {
  checkTeam(team);
  const client = await pieroneClient(cli, options.url);
  const rows = (await client.artifacts(team)).sort().map((artifact) => ({ team, artifact }));
  printRows(cli, options.output, { columns: ['team', 'artifact'] }, rows);
  return 0;
};
