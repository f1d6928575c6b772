import type { CliContext } from '../main.js';
import { openSession, progressHost, templateRequest } from '../template-request.js';

/** `--exit-code` and differences: like `git diff --exit-code`, but 1 stays "error" (docs/senza-diff.md). */
export const DIFFERENCES_EXIT_CODE = 5;

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [definition, version, parameters] = args as [string, string, string[]];
  const request = await templateRequest(definition, version, parameters, options, cli);
  const generating = progressHost(cli, 'Generating Cloud Formation template..');
  const [{ generateTemplate }, { fetchAccountFacts }, { diffStack, formatTemplateDiff, formatChangeSet }] =
    await Promise.all([
      import('@stups/core/senza/generate-template'),
      import('@stups/core/senza/account-facts-fetch'),
      import('@stups/core/senza/stacks'),
    ]);
  const session = await openSession(request.region, generating.host);
  try {
    const compiled = await generating.run(() =>
      generateTemplate(request, (needs) => fetchAccountFacts(session, needs), generating.host),
    );
    const result = await diffStack(session, compiled, {
      host: generating.host,
      changeSet: options.changeSet !== false,
    });
    if (options.output === 'json') {
      cli.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else if (result.differences) {
      const lines = [`Stack ${result.stackName}`, ...formatTemplateDiff(result.diff)];
      if (result.changeSet)
        lines.push(
          'Change set (as CloudFormation reports it)',
          ...formatChangeSet(result.changeSet).map((l) => `    ${l}`),
        );
      cli.stdout.write(`${lines.join('\n')}\n`);
    } else {
      cli.stderr.write(`No differences: stack ${result.stackName} matches the definition.\n`);
    }
    return result.differences && options.exitCode ? DIFFERENCES_EXIT_CODE : 0;
  } finally {
    session.finish();
  }
}
