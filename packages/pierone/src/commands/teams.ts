import { pieroneClient } from '../pierone-session.js';
import { printRows } from '../rendering.js';
import type { TeamsRun } from './specs.js';

export const run: TeamsRun = async (_args, options, cli) => {
  const client = await pieroneClient(cli, options.url);
  const rows = (await client.teams()).sort().map((name) => ({ name }));
  printRows(cli, options.output, { columns: ['name'] }, rows);
  return 0;
};
