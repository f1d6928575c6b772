import { EXIT, pythonJsonDumps, withSpan } from '@stups/core';
import { accountFactsOptions, GENERATING_TEMPLATE, openSession, templateRequest } from '../template-request.js';
import type { PrintRun } from './specs/definition.js';

export const run: PrintRun = async ([definition, version, parameters], options, cli) => {
  const { host } = cli;
  const request = await templateRequest(definition, version, parameters, options, cli);
  // Only the modules print needs, not the whole engine.
  const { generateTemplate, fetchAccountFacts } = await import('@stups/core/senza/template');
  const factsOptions = await accountFactsOptions(cli);
  const session = await openSession(request.region, host);
  try {
    const compiled = await withSpan(host, GENERATING_TEMPLATE, () =>
      generateTemplate(request, (needs) => fetchAccountFacts(session, needs, factsOptions), host),
    );
    const out =
      options.output === 'yaml'
        ? (await import('@stups/core/senza/definition')).dumpPyYaml(compiled.template as never, {
            indent: 4,
          })
        : `${pythonJsonDumps(compiled.template, { indent: 4, sortKeys: true })}\n`;
    host.print(out);
    return EXIT.OK;
  } finally {
    session.finish();
  }
};
