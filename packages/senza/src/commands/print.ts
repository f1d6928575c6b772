import { pythonJsonDumps } from '@stups/core';
import type { CliContext } from '../main.js';
import { openSession, progressHost, templateRequest } from '../template-request.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [definition, version, parameters] = args as [string, string, string[]];
  const request = await templateRequest(definition, version, parameters, options, cli);
  const host = progressHost(cli, 'Generating Cloud Formation template..');
  // Only the modules print needs, not the whole engine.
  const [{ generateTemplate }, { fetchAccountFacts }] = await Promise.all([
    import('@stups/core/senza/generate-template'),
    import('@stups/core/senza/account-facts-fetch'),
  ]);
  const session = await openSession(request.region, host.host);
  try {
    const compiled = await host.run(() =>
      generateTemplate(request, (needs) => fetchAccountFacts(session, needs), host.host),
    );
    const out =
      options.output === 'yaml'
        ? (await import('@stups/core/senza/definition/pyyaml-dump')).dumpPyYaml(compiled.template as never, {
            indent: 4,
          })
        : `${pythonJsonDumps(compiled.template, { indent: 4, sortKeys: true })}\n`;
    cli.stdout.write(out);
    return 0;
  } finally {
    session.finish();
  }
}
