import { UsageError } from '@stups/core';
import { checkArtifact, checkTeam, defaultTagLimit, PIERONE_TABLES, type TagRow, tagRows } from '@stups/core/pierone';
import { pieroneClient } from '../pierone-session.js';
import { printRows } from '../rendering.js';
import type { TagsRun } from './specs.js';

export const run: TagsRun = async ([team, artifacts], options, cli) => {
  checkTeam(team);
  for (const a of artifacts) checkArtifact(a);
  const client = await pieroneClient(cli, options.url);
  const names = artifacts.length ? artifacts : await client.artifacts(team);
  if (names.length === 0)
    throw new UsageError(
      'The Team you are looking for does not exist or we could not find any artifacts registered in Pierone! Please double check for spelling mistakes.',
      { code: 'pierone.team-unknown', hint: 'List the teams with `pierone teams`.' },
    );
  const limit = options.limit ?? defaultTagLimit(artifacts.length > 0);
  const rows: TagRow[] = [];
  for (const artifact of names) {
    const tags = await client.tags(team, artifact);
    if (!tags)
      throw new UsageError('Artifact or Team does not exist! Please double check for spelling mistakes.', {
        code: 'pierone.artifact-unknown',
        hint: `List the artifacts with \`pierone artifacts ${team}\`.`,
        data: { team, artifact },
      });
    rows.push(...tagRows(team, artifact, tags, limit));
  }
  rows.sort((a, b) => a.team.localeCompare(b.team) || a.artifact.localeCompare(b.artifact));
  printRows(cli, options.output, PIERONE_TABLES.tags, rows as unknown as Record<string, unknown>[]);
  return 0;
};
