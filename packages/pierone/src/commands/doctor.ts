import { diagnoseDockerConfig } from '@stups/core/pierone';
import { resolvePieroneUrl } from '../pierone-session.js';
import { printRows } from '../rendering.js';
import type { DoctorRun } from './specs.js';

/** Exit 1 when a finding is an error (Docker would not use the helper for this registry). */
export const run: DoctorRun = async (_args, options, cli) => {
  const url = await resolvePieroneUrl(cli, options.url);
  const findings = diagnoseDockerConfig(url, cli.env);
  printRows(
    cli,
    options.output,
    { columns: ['level', 'code', 'text'], titles: { code: 'Check', text: 'Finding' } },
    findings.map((f) => ({ ...f })),
  );
  return findings.some((f) => f.level === 'error') ? 1 : 0;
};
