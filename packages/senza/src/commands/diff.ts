import { EXIT, withSpan } from '@stups/core';
import { accountFactsOptions, GENERATING_TEMPLATE, openSession, templateRequest } from '../template-request.js';
import type { DiffRun } from './specs/lifecycle.js';

/** `--exit-code` and differences: EXIT.DIFF, like `git diff --exit-code`, but 1 stays "error" (docs/senza-diff.md). */
export const run: DiffRun = async ([definition, version, parameters], options, cli) => {
  const { host } = cli;
  const request = await templateRequest(definition, version, parameters, options, cli);
  const [{ generateTemplate, fetchAccountFacts }, { diffStack, formatTemplateDiff, formatChangeSet }] =
    await Promise.all([import('@stups/core/senza/template'), import('@stups/core/senza/stacks')]);
  const factsOptions = await accountFactsOptions(cli);
  const session = await openSession(request.region, host);
  try {
    const compiled = await withSpan(host, GENERATING_TEMPLATE, () =>
      generateTemplate(request, (needs) => fetchAccountFacts(session, needs, factsOptions), host),
    );
    const result = await diffStack(session, compiled, { host, changeSet: options.changeSet, signal: cli.signal });
    if (options.output === 'json') {
      host.print(`${JSON.stringify(result, null, 2)}\n`);
    } else if (result.differences) {
      const lines = [`Stack ${result.stackName}`, ...formatTemplateDiff(result.diff)];
      if (result.changeSet)
        lines.push(
          'Change set (as CloudFormation reports it)',
          ...formatChangeSet(result.changeSet).map((l) => `    ${l}`),
        );
      host.print(`${lines.join('\n')}\n`);
    } else {
      host.notify({
        level: 'info',
        code: 'senza.diff-none',
        text: `No differences: stack ${result.stackName} matches the definition.`,
        data: { stackName: result.stackName },
      });
    }
    return result.differences && options.exitCode ? EXIT.DIFF : EXIT.OK;
  } finally {
    session.finish();
  }
};
