import { UsageError } from '@stups/core';
import { checkArtifact, checkTeam, PIERONE_TABLES, type ScmSourceRow, scmSourceRow } from '@stups/core/pierone';
import { pieroneClient } from '../pierone-session.js';
import { printRows } from '../rendering.js';
import type { ScmSourceRun } from './specs.js';

export const run: ScmSourceRun = async ([team, artifact, tags], options, cli) => {
  checkTeam(team);
  checkArtifact(artifact);
  const client = await pieroneClient(cli, options.url);
  const summaries = await client.tags(team, artifact);
  if (!summaries?.length)
    throw new UsageError('Artifact or Team does not exist! Please double check for spelling mistakes.', {
      code: 'pierone.artifact-unknown',
      hint: `List the artifacts with \`pierone artifacts ${team}\`.`,
      data: { team, artifact },
    });
  const unknown = tags.filter((tag) => !summaries.some((t) => t.name === tag));
  if (unknown.length)
    throw new UsageError(
      `Tag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} of ${team}/${artifact} ${unknown.length > 1 ? 'do' : 'does'} not exist`,
      {
        code: 'pierone.tag-unknown',
        hint: `List the tags with \`pierone tags ${team} ${artifact}\`.`,
        data: { team, artifact, tags: unknown },
      },
    );
  const wanted = tags.length ? tags : summaries.map((t) => t.name);
  const rows: ScmSourceRow[] = [];
  for (const tag of wanted) {
    const summary = summaries.find((t) => t.name === tag);
    const source = summary ? await client.scmSource(team, artifact, tag) : undefined;
    rows.push(scmSourceRow(tag, source, summary));
  }
  rows.sort((a, b) => a.tag.localeCompare(b.tag) || (a.created_time ?? 0) - (b.created_time ?? 0));
  printRows(cli, options.output, PIERONE_TABLES.scmSource, rows as unknown as Record<string, unknown>[]);
  return 0;
};
