import { pythonJsonDumps } from '@stups/core';
import { dumpPyYaml } from '@stups/core/senza/definition/pyyaml-dump';
import { stderrHost } from '../listing.js';
import type { CliContext } from '../main.js';
import { openSession, regionOf } from '../template-request.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const { parseStackRefs, listStacks, fetchStackTemplates } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs((args[0] as string[] | undefined) ?? []);
  const session = await openSession(await regionOf(options, cli), stderrHost(cli));
  try {
    const stacks = await listStacks(session, refs);
    for (const { template } of await fetchStackTemplates(session, stacks)) {
      cli.stdout.write(
        options.output === 'yaml'
          ? dumpPyYaml(template as never, { indent: 4 })
          : `${pythonJsonDumps(template, { indent: 4, sortKeys: true })}\n`,
      );
    }
    return 0;
  } finally {
    session.finish();
  }
}
