import { InvalidArgumentError, Option } from '../../commander.js';
import type { CommandSpec } from '../../main.js';
import { outputOption, regionOption } from './common.js';

function seconds(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > 600) throw new InvalidArgumentError(`${flag} must be 1..600 seconds.`);
    return n;
  };
}

/** Blue/green traffic switching between versions of a stack. */
export const trafficCommands: CommandSpec[] = [
  {
    name: 'traffic',
    summary: 'Show or change the traffic distribution between versions of a stack',
    define: (cmd) =>
      cmd
        .argument('<STACK_NAME>', 'stack name (or a Senza definition file)')
        .argument('[STACK_VERSION]', 'version to show as current, or to give traffic')
        .argument('[PERCENTAGE]', 'share of traffic for STACK_VERSION, 0..100 in steps of 0.5')
        .addOption(regionOption())
        .addOption(outputOption())
        .option('--plan', 'show the new weights and the Route53 changes, change nothing')
        .option('--force', 'skip the safety checks (no traffic left, target not ready or unhealthy)')
        .addOption(
          new Option(
            '-t, --timeout <SECONDS>',
            'first wait up to this long for operations on the stack versions',
          ).argParser(seconds('--timeout')),
        )
        .addOption(
          new Option('-i, --interval <SECONDS>', 'first delay between checks while waiting (backs off)')
            .argParser(seconds('--interval'))
            .default(5),
        ),
    load: () => import('../traffic.js'),
  },
];
