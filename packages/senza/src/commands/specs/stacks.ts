import { arg, commandShape, fieldOption, flag, int, outputOption, type RunOf, text } from '@stups/cli-kit';
import { regionOption, reportOutputOption, templateOutputOption, YAML_FILES } from './common.js';

const refArgs = [
  arg('[STACK_REF...]', 'stack name (regular expression or definition file) and optional version', {
    complete: 'stacks',
    file: YAML_FILES,
  }),
] as const;

/** `--region`, `-o`, `-f` of the stack tables. */
const tableOptions = () => ({ region: regionOption(), output: outputOption(), field: fieldOption() });
/** `-W` and `-w SECS`. */
const watchOptions = () => ({
  W: flag('-W', 'auto update the screen every 2 seconds'),
  watch: int('-w, --watch <SECS>', 'auto update the screen every SECS seconds (1-300)', { min: 1, max: 300 }),
});

export const tableShape = commandShape({ args: refArgs, options: { ...tableOptions(), ...watchOptions() } });
/** The stack tables without options of their own: events, resources, status, domains. */
export type TableRun = RunOf<typeof tableShape>;

export const listShape = commandShape({
  args: refArgs,
  options: { ...tableOptions(), ...watchOptions(), all: flag('--all', 'show all stacks, including deleted ones') },
});
export type ListRun = RunOf<typeof listShape>;

export const instancesShape = commandShape({
  args: refArgs,
  options: {
    ...tableOptions(),
    ...watchOptions(),
    all: flag('--all', 'show all EC2 instances, also those without a Name tag'),
    terminated: flag('--terminated', 'show terminated instances too'),
    dockerImage: flag('-d, --docker-image', 'show the Docker image source of each instance'),
    piu: text('-p, --piu <REASON>', 'request SSH access with piu for every instance shown'),
    oddHost: text('-O, --odd-host <HOSTNAME>', 'odd SSH bastion host for --piu', { env: 'ODD_HOST' }),
  },
});
export type InstancesRun = RunOf<typeof instancesShape>;

export const imagesShape = commandShape({
  args: refArgs,
  options: {
    ...tableOptions(),
    hideOlderThan: int(
      '--hide-older-than <DAYS>',
      'hide AMIs older than DAYS days that no instance uses',
      { min: 0, max: 100000 },
      { default: 21 },
    ),
    showInstances: flag('--show-instances', 'list the instance ids using each AMI'),
  },
});
export type ImagesRun = RunOf<typeof imagesShape>;

export const consoleShape = commandShape({
  args: [arg('[INSTANCE_OR_STACK_REF...]', 'instance ids, private IP addresses, or stack name and version')] as const,
  options: {
    region: regionOption(),
    limit: int('-l, --limit <N>', 'show the last N lines', { min: 1, max: 100000 }, { default: 25 }),
    ...watchOptions(),
  },
});
export type ConsoleRun = RunOf<typeof consoleShape>;

export const diagnoseShape = commandShape({
  args: [arg('<NAME>', 'stack name', { complete: 'stacks' }), arg('<VERSION>', 'stack version')] as const,
  options: {
    region: regionOption(),
    output: reportOutputOption(),
  },
});
export type DiagnoseRun = RunOf<typeof diagnoseShape>;

export const dumpShape = commandShape({
  args: refArgs,
  options: {
    region: regionOption(),
    output: templateOutputOption(),
  },
});
export type DumpRun = RunOf<typeof dumpShape>;

export const configShape = commandShape({
  args: [arg('<KEY>', 'SECTION.KEY, e.g. sentry.endpoint'), arg('[VALUE]', 'value to store')] as const,
  options: {},
});
export type ConfigRun = RunOf<typeof configShape>;
