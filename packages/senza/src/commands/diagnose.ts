import { EXIT } from '@stups/core';
import { openSession, regionOf } from '../template-request.js';
import type { DiagnoseRun } from './specs/stacks.js';

/**
 * `senza diagnose NAME VERSION`: reads the version's evidence (events of the stack and its nested stacks,
 * scaling activities, console output, load balancer health, the registry) and prints the verdicts, the
 * first being the cause; exit 1 with a verdict, 0 without.
 */
export const run: DiagnoseRun = async ([name, version], options, cli) => {
  const { diagnoseVersion, formatVerdict, verdictJson } = await import('@stups/core/senza/diagnose');
  const { host } = cli;
  const session = await openSession(await regionOf(options, cli), host);
  try {
    const d = await diagnoseVersion(session, name, version, { signal: cli.signal });
    if (options.output === 'json') {
      host.print(`${JSON.stringify({ ...d, verdicts: d.verdicts.map(verdictJson) }, null, 2)}\n`);
    } else if (d.verdicts.length > 0) {
      const [first, ...more] = d.verdicts;
      const lines = formatVerdict(first);
      for (const v of more) lines.push(`also: ${v.code}: ${v.summary}`);
      host.print(`${lines.join('\n')}\n`);
    } else {
      host.notify({
        level: 'info',
        code: 'senza.diagnose-none',
        text:
          d.stackStatus === undefined
            ? `No stack ${d.stackName}: nothing to diagnose.`
            : `No certain cause found for ${d.stackName} (${d.stackStatus}).`,
        data: { stackName: d.stackName, stackStatus: d.stackStatus ?? null },
      });
    }
    for (const [source, reason] of Object.entries(d.unavailable))
      host.notify({
        level: 'warn',
        code: 'senza.diagnose-source-unavailable',
        text: `WARNING: could not read ${source}: ${reason}`,
        data: { source, reason },
      });
    return d.verdicts.length > 0 ? EXIT.FAILED : EXIT.OK;
  } finally {
    session.finish();
  }
};
