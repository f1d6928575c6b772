import { LifecycleView, resumeCommand } from './lifecycle-view.js';
import type { CliContext } from './main.js';
import { openSession, progressHost, templateRequest } from './template-request.js';

/** `create` and `update`: generate the template, send it, and with --wait follow the stack events. */
export async function deploy(
  kind: 'create' | 'update',
  args: unknown[],
  options: Record<string, unknown>,
  cli: CliContext,
): Promise<number> {
  const [definition, version, parameters] = args as [string, string, string[]];
  const request = await templateRequest(definition, version, parameters, options, cli);
  const generating = progressHost(cli, 'Generating Cloud Formation template..');
  const [{ generateTemplate }, { fetchAccountFacts }, { createStack, updateStack }] = await Promise.all([
    import('@stups/core/senza/generate-template'),
    import('@stups/core/senza/account-facts-fetch'),
    import('@stups/core/senza/stacks'),
  ]);
  const session = await openSession(request.region, generating.host);
  const view = new LifecycleView(cli);
  try {
    const compiled = await generating.run(() =>
      generateTemplate(request, (needs) => fetchAccountFacts(session, needs), generating.host),
    );
    const common = {
      host: view.host,
      dryRun: Boolean(options.dryRun),
      disableRollback: Boolean(options.disableRollback),
    };
    const result = await view.action(() =>
      kind === 'create'
        ? createStack(session, compiled, { ...common, updateIfExists: Boolean(options.updateIfExists) })
        : updateStack(session, compiled, common),
    );
    if (!options.wait || !result.stackId) return 0;
    return await view.watch(
      session,
      [{ stackName: result.stackName, stackId: result.stackId, afterEventId: result.afterEventId }],
      result.operation,
      resumeCommand(result.stackName, options),
    );
  } catch (e) {
    return view.exitCodeOf(e);
  } finally {
    session.finish();
  }
}
