import type { CliContext } from '@stups/cli-kit';
import { describeError } from '@stups/core';
import { type DoctorFinding, diagnoseDockerConfig } from '@stups/core/pierone';
import { pieroneClient, resolvePieroneUrl } from '../pierone-session.js';
import { printRows } from '../rendering.js';
import type { DoctorRun } from './specs.js';

/**
 * Whether the registry answers (`GET /v2/` without a token) and then takes the `pierone` token: a
 * configuration that is right for a registry that is down or refuses the token is not "all well".
 */
async function registryFindings(cli: CliContext, url: string): Promise<DoctorFinding[]> {
  const client = await pieroneClient(cli, url);
  try {
    await client.probe();
  } catch (e) {
    const report = describeError(e);
    return [
      {
        level: 'error',
        code: 'pierone.doctor-registry-unreachable',
        text: `${report.message}${report.hint ? ` (${report.hint})` : ''}`,
      },
    ];
  }
  try {
    await client.checkToken();
  } catch (e) {
    const report = describeError(e);
    const noToken = report.code.startsWith('auth.');
    return [
      {
        level: 'error',
        code: noToken ? 'pierone.doctor-no-token' : 'pierone.doctor-token-refused',
        text: `${report.message}${report.hint ? ` (${report.hint})` : ''}`,
      },
    ];
  }
  return [{ level: 'ok', code: 'pierone.doctor-registry', text: `${url} answers and takes the pierone token` }];
}

/** Exit 1 when a finding is an error (Docker would not use the helper, or the registry would refuse it). */
export const run: DoctorRun = async (_args, options, cli) => {
  const url = await resolvePieroneUrl(cli, options.url);
  const findings = [...diagnoseDockerConfig(url, cli.env), ...(await registryFindings(cli, url))];
  printRows(
    cli,
    options.output,
    { columns: ['level', 'code', 'text'], titles: { code: 'Check', text: 'Finding' } },
    findings.map((f) => ({ ...f })),
  );
  return findings.some((f) => f.level === 'error') ? 1 : 0;
};
