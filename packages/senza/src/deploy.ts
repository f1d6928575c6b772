import type { CliContext } from '@stups/cli-kit';
import { EXIT, withSpan } from '@stups/core';
import { resumeCommand, watchDeployment } from './deployment-watch.js';
import { preflight } from './preflight.js';
import {
  accountFactsOptions,
  GENERATING_TEMPLATE,
  openSession,
  type TemplateOptions,
  templateRequest,
} from './template-request.js';

export interface DeployOptions extends TemplateOptions {
  dryRun: boolean;
  disableRollback: boolean;
  updateIfExists?: boolean;
  wait: boolean;
  failFast?: boolean;
  preflight?: boolean;
}

/** `create` and `update`: generate the template, send it, and with --wait follow the stack events. */
export async function deploy(
  kind: 'create' | 'update',
  [definition, version, parameters]: [string, string, string[]],
  options: DeployOptions,
  cli: CliContext,
): Promise<number> {
  const { host } = cli;
  const request = await templateRequest(definition, version, parameters, options, cli);
  const [{ generateTemplate, fetchAccountFacts }, { createStack, updateStack }] = await Promise.all([
    import('@stups/core/senza/template'),
    import('@stups/core/senza/stacks'),
  ]);
  const factsOptions = await accountFactsOptions(cli);
  const session = await openSession(request.region, host);
  try {
    const generate = () =>
      withSpan(host, GENERATING_TEMPLATE, () =>
        generateTemplate(request, (needs) => fetchAccountFacts(session, needs, factsOptions), host),
      );
    if (kind === 'create' && options.preflight) return await preflight(cli, session, generate, version);
    const compiled = await generate();
    const common = { host, dryRun: options.dryRun, disableRollback: options.disableRollback };
    const result =
      kind === 'create'
        ? await createStack(session, compiled, { ...common, updateIfExists: Boolean(options.updateIfExists) })
        : await updateStack(session, compiled, common);
    // --fail-fast acts on what the watch finds: it implies --wait.
    if (!(options.wait || options.failFast) || !result.stackId) return EXIT.OK;
    return await watchDeployment(
      cli,
      session,
      [{ stackName: result.stackName, stackId: result.stackId, afterEventId: result.afterEventId }],
      result.operation,
      resumeCommand(result.stackName, options),
      {
        name: result.stackName.slice(0, result.stackName.length - version.length - 1),
        version,
        failFast: Boolean(options.failFast),
        region: options.region,
      },
    );
  } finally {
    session.finish();
  }
}
