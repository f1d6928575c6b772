import { type Command, Option } from '../../commander.js';
import type { CommandSpec } from '../../main.js';
import { fieldOption, intRange, outputOption, regionOption } from './common.js';

const REF_ARGUMENT = [
  '[STACK_REF...]',
  'stack name (regular expression or definition file) and optional version',
] as const;

/** `--region`, `-o`, `-f` and the watch options of the stack tables. */
function table(cmd: Command, { watch = true }: { watch?: boolean } = {}): Command {
  cmd
    .argument(...REF_ARGUMENT)
    .addOption(regionOption())
    .addOption(outputOption())
    .addOption(fieldOption());
  return watch ? watchable(cmd) : cmd;
}

function watchable(cmd: Command): Command {
  return cmd
    .addOption(new Option('-W', 'auto update the screen every 2 seconds'))
    .addOption(
      new Option('-w, --watch <SECS>', 'auto update the screen every SECS seconds (1-300)').argParser(intRange(1, 300)),
    );
}

/** Read-only commands that look at deployed stacks. */
export const stacksCommands: CommandSpec[] = [
  {
    name: 'list',
    summary: 'List Cloud Formation stacks',
    define: (cmd) => table(cmd).option('--all', 'show all stacks, including deleted ones'),
    load: () => import('../list.js'),
  },
  {
    name: 'events',
    summary: 'Show all Cloud Formation events',
    define: (cmd) => table(cmd),
    load: () => import('../events.js'),
  },
  {
    name: 'resources',
    summary: 'Show all resources of a single Cloud Formation stack',
    define: (cmd) => table(cmd),
    load: () => import('../resources.js'),
  },
  {
    name: 'instances',
    summary: "List the stack's EC2 instances",
    define: (cmd) =>
      table(cmd)
        .option('--all', 'show all EC2 instances, also those without a Name tag')
        .option('--terminated', 'show terminated instances too')
        .option('-d, --docker-image', 'show the Docker image source of each instance')
        .option('-p, --piu <REASON>', 'request SSH access with piu for every instance shown')
        .addOption(new Option('-O, --odd-host <HOSTNAME>', 'Odd SSH bastion host for --piu').env('ODD_HOST')),
    load: () => import('../instances.js'),
  },
  {
    name: 'status',
    summary: 'Show stack status information',
    define: (cmd) => table(cmd),
    load: () => import('../status.js'),
  },
  {
    name: 'domains',
    summary: "List the stack's Route53 domains",
    define: (cmd) => table(cmd),
    load: () => import('../domains.js'),
  },
  {
    name: 'health',
    summary: 'Show stack health (ELB request metrics)',
    define: (cmd) => table(cmd).option('--all', 'show all stacks, including deleted ones'),
    load: () => import('../health.js'),
  },
  {
    name: 'images',
    summary: 'Show all used AMIs and available Taupage AMIs',
    define: (cmd) =>
      table(cmd, { watch: false })
        .addOption(
          new Option('--hide-older-than <DAYS>', 'hide AMIs older than DAYS days that no instance uses')
            .argParser(intRange(0, 100000))
            .default(21),
        )
        .option('--show-instances', 'list the instance ids using each AMI'),
    load: () => import('../images.js'),
  },
  {
    name: 'console',
    summary: 'Print EC2 instance console output',
    define: (cmd) =>
      watchable(
        cmd
          .argument('[INSTANCE_OR_STACK_REF...]', 'instance ids, private IP addresses, or stack name and version')
          .addOption(regionOption())
          .addOption(new Option('-l, --limit <N>', 'show the last N lines').argParser(intRange(1, 100000)).default(25)),
      ),
    load: () => import('../console.js'),
  },
  {
    name: 'dump',
    summary: 'Dump the Cloud Formation template of existing stacks',
    define: (cmd) =>
      cmd
        .argument(...REF_ARGUMENT)
        .addOption(regionOption())
        .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['json', 'yaml']).default('json')),
    load: () => import('../dump.js'),
  },
  {
    name: 'config',
    summary: 'Get or set a senza configuration value (SECTION.KEY)',
    define: (cmd) => cmd.argument('<KEY>', 'SECTION.KEY, e.g. sentry.endpoint').argument('[VALUE]', 'value to store'),
    load: () => import('../config.js'),
  },
];
