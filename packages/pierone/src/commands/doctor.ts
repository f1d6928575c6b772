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

const MARKS: Record<DoctorFinding['level'], string> = { ok: 'ok  ', warn: 'warn', error: 'FIX ' };

/**
 * Exit 1 when a finding is an error (Docker would not use the helper, or the registry would refuse it).
 * In text, one line per finding, `ok`, `warn` or `FIX` first, as `zign doctor` prints its checks; the
 * other formats are rows with the finding's stable code.
 */
export const run: DoctorRun = async (_args, options, cli) => {
  const url = await resolvePieroneUrl(cli, options.url);
  const findings = [...diagnoseDockerConfig(url, cli.env), ...(await registryFindings(cli, url))];
  const failed = findings.some((f) => f.level === 'error') ? 1 : 0;
  if (options.output === 'text') {
    cli.host.print(findings.map((f) => `${MARKS[f.level]} ${f.text}\n`).join(''));
    return failed;
  }
  printRows(
    cli,
    options.output,
    { columns: ['level', 'code', 'text'], titles: { code: 'Check', text: 'Finding' } },
    findings.map((f) => ({ ...f })),
  );
  return failed;
};
