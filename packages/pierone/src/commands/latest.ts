import { NotFoundError } from '@stups/core';
import { checkArtifact, checkTeam } from '@stups/core/pierone';
import { pieroneClient } from '../pierone-session.js';
import type { LatestRun } from './specs.js';

export const run: LatestRun = async ([team, artifact], options, cli) => {
  checkTeam(team);
  checkArtifact(artifact);
  const client = await pieroneClient(cli, options.url);
  const latest = await client.latest(team, artifact);
  if (!latest)
    throw new NotFoundError('Latest tag not found', {
      code: 'pierone.latest-not-found',
      hint: `Check the names with \`pierone tags ${team}\`.`,
    });
  cli.host.print(`${latest}\n`);
  return 0;
};
