import type { CliContext } from '@stups/cli-kit';
import { EXIT } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';

/**
 * `senza create --preflight`: generates the template (which checks the image in its registry, the
 * Taupage AMI and the certificates) and checks what CloudFormation would trip over (a stack of that
 * name, an AMI that does not exist); creates nothing. Each cause is a verdict (exit 1); none: exit 0.
 */
export async function preflight(
  cli: CliContext,
  session: AwsSession,
  generate: () => Promise<{ stackName: string; template: unknown }>,
  version: string,
): Promise<number> {
  const { generationVerdict, preflightChecks, formatVerdict, verdictJson } = await import('@stups/core/senza/diagnose');
  let stackName = '';
  let verdicts: Awaited<ReturnType<typeof preflightChecks>>;
  try {
    const compiled = await generate();
    stackName = compiled.stackName;
    verdicts = await preflightChecks(session, compiled);
  } catch (e) {
    const verdict = generationVerdict(e, { name: '', version });
    if (!verdict) throw e;
    verdicts = [verdict];
  }
  for (const v of verdicts)
    cli.host.notify({ level: 'error', code: v.code, text: formatVerdict(v).join('\n'), data: verdictJson(v) });
  if (verdicts.length > 0) return EXIT.FAILED;
  cli.host.notify({
    level: 'info',
    code: 'senza.diagnose-preflight-ok',
    text: `Preflight OK: stack ${stackName} can be created (nothing was created).`,
    data: { stackName },
  });
  return EXIT.OK;
}
