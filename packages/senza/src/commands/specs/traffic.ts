import {
  arg,
  choice,
  commandShape,
  flag,
  InvalidArgumentError,
  int,
  list,
  type OptionSpec,
  outputOption,
  type RunOf,
  text,
} from '@stups/cli-kit';
import { regionOption, YAML_FILES } from './common.js';

const seconds = { min: 1, max: 600 };

/** Seconds as a number (`60`) or a duration (`60s`, `5m`), within 1..600. */
function intervalSeconds(value: string): number {
  const m = /^(?:(\d+)|(?:(\d+)m)?(?:(\d+)s)?)$/.exec(value.trim());
  const n = m && value.trim() !== '' ? Number(m[1] ?? 0) + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : Number.NaN;
  if (!(n >= seconds.min && n <= seconds.max)) throw new InvalidArgumentError('--interval must be 1..600 seconds.');
  return n;
}

const interval: OptionSpec<number | undefined> = {
  flags: '-i, --interval <SECONDS>',
  description:
    'while waiting: first delay between checks (backs off; default 5); with --steps: time between gate evaluations (default 60s). Seconds or a duration (60s, 5m)',
  parse: intervalSeconds,
};

export const trafficShape = commandShape({
  args: [
    arg('<STACK_NAME>', 'stack name (or a Senza definition file)', { complete: 'stacks', file: YAML_FILES }),
    arg('[STACK_VERSION]', 'version to show as current, or to give traffic', { complete: 'stacks' }),
    arg('[PERCENTAGE]', 'share of traffic for STACK_VERSION, 0..100 in steps of 0.5'),
  ] as const,
  options: {
    region: regionOption(),
    output: outputOption(),
    plan: flag('--plan', 'show the new weights and the Route53 changes, change nothing'),
    force: flag('-f, --force', 'skip the safety checks (no traffic left, target not ready or unhealthy)'),
    timeout: int('-t, --timeout <SECONDS>', 'first wait up to this long for operations on the stack versions', {
      ...seconds,
      message: '--timeout must be 1..600 seconds.',
    }),
    interval,
    steps: text(
      '--steps <STEPS>',
      'progressive rollout of STACK_VERSION: target percentages, e.g. 10,50,100 (a step may carry its bake: 10:10m)',
    ),
    bake: text('--bake <DURATION>', 'with --steps: how long each step is watched (default 5m)'),
    finalBake: text('--final-bake <DURATION>', 'with --steps: how long 100 % is watched before promotion (default 0s)'),
    gate: list(
      '--gate <GATE>',
      "with --steps: a gate, repeatable: '5xx-rate<1%', '5xx-rate<=baseline*1.5', 'latency<300ms', 'alarm:NAME' (default 5xx-rate<1%)",
    ),
    minRequests: int(
      '--min-requests <N>',
      'with --steps: requests the target must serve before a rate gate judges (default 200)',
      {
        min: 1,
        max: 1_000_000_000,
        message: '--min-requests must be a whole number ≥ 1.',
      },
    ),
    failureLimit: int('--failure-limit <N>', 'with --steps: failed evaluations of a step that revert it (default 1)', {
      min: 1,
      max: 1000,
      message: '--failure-limit must be 1..1000.',
    }),
    onInconclusive: choice(
      '--on-inconclusive <ACTION>',
      'with --steps: what a step whose gates are not all passed at the end of its bake does',
      ['pause', 'rollback'] as const,
      'pause',
      {
        choiceHelp: {
          pause: "stop at the step's weights (exit 4); go on with --resume or end with --abort",
          rollback: 'revert to the weights from before the rollout',
        },
      },
    ),
    status: flag('--status', 'show the rollout running on STACK_NAME (its record beside the weights)'),
    resume: flag('--resume', 'continue the rollout of STACK_NAME (paused or interrupted)'),
    abort: flag('--abort', 'end the rollout of STACK_NAME: every version gets its weight from before the rollout back'),
  },
});
export type TrafficRun = RunOf<typeof trafficShape>;
