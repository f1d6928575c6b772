import { Option } from '../../commander.js';
import type { CommandSpec } from '../../main.js';
import { collect, intRange, parameterFileOption, regionOption } from './common.js';

const definitionArguments = (cmd: import('commander').Command) =>
  cmd
    .argument('<DEFINITION>', 'Senza definition YAML file')
    .argument('<VERSION>', 'stack version, letters and digits (e.g. 1, 42, v2)')
    .argument('[PARAMETER...]', 'parameter values, positional or NAME=VALUE')
    .addOption(regionOption())
    .addOption(parameterFileOption());

const waitOption = () =>
  new Option(
    '--wait',
    'follow the stack events until CloudFormation is done; exit 1 naming failed resources (Ctrl-C stops watching)',
  );

/** Commands that create, change, wait for and remove stack versions. */
export const lifecycleCommands: CommandSpec[] = [
  {
    name: 'create',
    summary: 'Create a new Cloud Formation stack from the given Senza definition file',
    define: (cmd) =>
      definitionArguments(cmd)
        .option('--disable-rollback', 'keep the resources of a failed creation (no rollback)')
        .option('--dry-run', 'show what would be created, call nothing')
        .option('-f, --force', 'skip checks against Docker registries')
        .option('--update-if-exists', 'update the stack if it already exists')
        .option('-t, --tag <KEY=VALUE>', 'stack tag (repeatable)', collect, [])
        .addOption(waitOption()),
    load: () => import('../create.js'),
  },
  {
    name: 'update',
    summary: 'Update an existing Cloud Formation stack from the given Senza definition file',
    define: (cmd) =>
      definitionArguments(cmd)
        .option(
          '--disable-rollback',
          'keep the changes of a failed update (no rollback; honoured, unlike the original)',
        )
        .option('--dry-run', 'show what would be updated, call nothing')
        .option('-f, --force', 'skip checks against Docker registries')
        .addOption(waitOption()),
    load: () => import('../update.js'),
  },
  {
    name: 'diff',
    summary: 'Show what an update would change in the deployed stack',
    define: (cmd) =>
      definitionArguments(cmd)
        .option('-f, --force', 'skip checks against Docker registries')
        .option('--exit-code', 'exit 5 when there are differences (0 when none)')
        .option('--no-change-set', 'compare templates only; do not ask CloudFormation for a change set')
        .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['text', 'json']).default('text')),
    load: () => import('../diff.js'),
  },
  {
    name: 'delete',
    summary: 'Delete a single Cloud Formation stack',
    define: (cmd) =>
      cmd
        .argument('[REF...]', 'stack name [version], name regex, or definition file')
        .addOption(regionOption())
        .option('--dry-run', 'show what would be deleted, delete nothing')
        .option('-g, --ignore-non-existent', 'no error when no stack matches')
        .option('-f, --force', 'delete several stacks, and stacks that still get traffic')
        .option('-i, --interactive', 'ask before deleting each stack')
        .addOption(waitOption()),
    load: () => import('../delete.js'),
  },
  {
    name: 'wait',
    summary: 'Wait for successful stack creation, update or deletion',
    define: (cmd) =>
      cmd
        .argument('[REF...]', 'stack name [version], name regex, or definition file')
        .addOption(regionOption())
        .option('-d, --deletion', 'wait for deletion instead of creation/update')
        .addOption(
          new Option('-t, --timeout <SECS>', 'give up after SECS (0..7200)').argParser(intRange(0, 7200)).default(1800),
        )
        .addOption(
          new Option('-i, --interval <SECS>', 'seconds between checks (1..600)').argParser(intRange(1, 600)).default(5),
        ),
    load: () => import('../wait.js'),
  },
  {
    name: 'scale',
    summary: 'Scale Auto Scaling Group to desired capacity',
    define: (cmd) =>
      cmd
        .usage('[options] [REF...] DESIRED_CAPACITY')
        .argument('[REF...]', 'stack name [version], name regex, or definition file; then DESIRED_CAPACITY (0..100)')
        .addOption(regionOption())
        .addOption(
          new Option('--min-size <N>', 'also set the minimum size of the groups (0..100; 0 leaves it)').argParser(
            intRange(0, 100),
          ),
        )
        .option('-f, --force', 'scale several stacks without asking'),
    load: () => import('../scale.js'),
  },
  {
    name: 'patch',
    summary: 'Patch specific properties of existing Auto Scaling Groups',
    define: (cmd) =>
      cmd
        .argument('[REF...]', 'stack name [version], name regex, or definition file')
        .addOption(regionOption())
        .option('--image <AMI_ID>', 'new AMI: an AMI id, or latest, staging or dev for the newest Taupage AMI')
        .option('--instance-type <TYPE>', 'new EC2 instance type, e.g. t2.medium')
        .option('--user-data <YAML>', 'YAML map merged into the Taupage user data (top-level keys replaced)'),
    load: () => import('../patch.js'),
  },
  {
    name: 'respawn-instances',
    summary: 'Replace all EC2 instances in Auto Scaling Group(s)',
    define: (cmd) =>
      cmd
        .argument('[REF...]', 'stack name [version], name regex, or definition file')
        .addOption(regionOption())
        .option('--inplace', 'replace instances without raising the capacity first')
        .option('-f, --force', 'replace all instances, also those with the current launch configuration')
        .addOption(
          new Option('--timeout <SECS>', 'give up each wait for instances after SECS (1..86400); the group is reset')
            .argParser(intRange(1, 86400))
            .default(1200),
        ),
    load: () => import('../respawn-instances.js'),
  },
];
