import { arg, commandShape, defineCommand, flag, int, outputOption, type RunOf } from '@stups/cli-kit';
import { regionOption } from './common.js';

const seconds = { min: 1, max: 600 };

export const trafficShape = commandShape({
  args: [
    arg('<STACK_NAME>', 'stack name (or a Senza definition file)', { complete: 'stacks' }),
    arg('[STACK_VERSION]', 'version to show as current, or to give traffic', { complete: 'stacks' }),
    arg('[PERCENTAGE]', 'share of traffic for STACK_VERSION, 0..100 in steps of 0.5'),
  ] as const,
  options: {
    region: regionOption(),
    output: outputOption(),
    plan: flag('--plan', 'show the new weights and the Route53 changes, change nothing'),
    force: flag('--force', 'skip the safety checks (no traffic left, target not ready or unhealthy)'),
    timeout: int('-t, --timeout <SECONDS>', 'first wait up to this long for operations on the stack versions', {
      ...seconds,
      message: '--timeout must be 1..600 seconds.',
    }),
    interval: int(
      '-i, --interval <SECONDS>',
      'first delay between checks while waiting (backs off)',
      { ...seconds, message: '--interval must be 1..600 seconds.' },
      { default: 5 },
    ),
  },
});
export type TrafficRun = RunOf<typeof trafficShape>;

/** Blue/green traffic switching between versions of a stack. */
export const trafficCommands = [
  defineCommand({
    name: 'traffic',
    summary: 'Show or change the traffic distribution between versions of a stack',
    ...trafficShape,
    load: () => import('../traffic.js'),
  }),
];
