import { EXIT, pythonJsonDumps } from '@stups/core';
import { dumpPyYaml } from '@stups/core/senza/definition';
import { openSession, regionOf } from '../template-request.js';
import type { DumpRun } from './specs/stacks.js';

export const run: DumpRun = async ([tokens], options, cli) => {
  const { parseStackRefs, listStacks, fetchStackTemplates } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  const session = await openSession(await regionOf(options, cli), cli.host);
  try {
    const stacks = await listStacks(session, refs);
    for (const { template } of await fetchStackTemplates(session, stacks)) {
      cli.host.print(
        options.output === 'yaml'
          ? dumpPyYaml(template as never, { indent: 4 })
          : `${pythonJsonDumps(template, { indent: 4, sortKeys: true })}\n`,
      );
    }
    return EXIT.OK;
  } finally {
    session.finish();
  }
};
