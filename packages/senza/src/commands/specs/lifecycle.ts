import { arg, commandShape, flag, int, list, type RunOf, text } from '@stups/cli-kit';
import {
  definitionArgs,
  definitionOptions,
  regionOption,
  reportOutputOption,
  skipRegistryChecksOption,
  YAML_FILES,
} from './common.js';

const refArgs = [
  arg('[REF...]', 'stack name [version], name regex, or definition file', { complete: 'stacks', file: YAML_FILES }),
] as const;

const waitOption = () =>
  flag(
    '--wait',
    'follow the stack events until CloudFormation is done; exit 1 naming failed resources (Ctrl-C stops watching)',
  );
const deployWaitOption = () =>
  flag(
    '--wait',
    'follow the stack events and diagnose the new version until CloudFormation is done; exit 1 with the verdict as soon as a cause is certain, or naming failed resources (Ctrl-C stops watching)',
  );
const failFastOption = (what: string) =>
  flag('--fail-fast', `wait (implies --wait) and ${what} as soon as a verdict is certain`);

export const createShape = commandShape({
  args: definitionArgs,
  options: {
    ...definitionOptions(),
    disableRollback: flag('--disable-rollback', 'keep the resources of a failed creation (no rollback)'),
    dryRun: flag('--dry-run', 'show what would be created, call nothing'),
    preflight: flag(
      '--preflight',
      'check and create nothing: the image exists, the AMIs and certificates exist, no stack of that name; exit 1 with a verdict',
    ),
    force: skipRegistryChecksOption(),
    updateIfExists: flag('--update-if-exists', 'update the stack if it already exists'),
    tag: list('-t, --tag <KEY=VALUE>', 'stack tag (repeatable)'),
    wait: deployWaitOption(),
    failFast: failFastOption('delete the new stack'),
  },
});
export type CreateRun = RunOf<typeof createShape>;

export const updateShape = commandShape({
  args: definitionArgs,
  options: {
    ...definitionOptions(),
    disableRollback: flag(
      '--disable-rollback',
      'keep the changes of a failed update (no rollback; honoured, unlike the original)',
    ),
    dryRun: flag('--dry-run', 'show what would be updated, call nothing'),
    force: skipRegistryChecksOption(),
    wait: deployWaitOption(),
    failFast: failFastOption('cancel the update (CloudFormation rolls it back)'),
  },
});
export type UpdateRun = RunOf<typeof updateShape>;

export const diffShape = commandShape({
  args: definitionArgs,
  options: {
    ...definitionOptions(),
    force: skipRegistryChecksOption(),
    exitCode: flag('--exit-code', 'exit 5 when there are differences (0 when none)'),
    changeSet: flag('--no-change-set', 'compare templates only; do not ask CloudFormation for a change set'),
    output: reportOutputOption(),
  },
});
export type DiffRun = RunOf<typeof diffShape>;

export const deleteShape = commandShape({
  args: refArgs,
  options: {
    region: regionOption(),
    dryRun: flag('--dry-run', 'show what would be deleted, delete nothing'),
    ignoreNonExistent: flag('-g, --ignore-non-existent', 'no error when no stack matches'),
    force: flag('-f, --force', 'delete several stacks, and stacks that still get traffic'),
    interactive: flag('-i, --interactive', 'ask before deleting each stack'),
    wait: waitOption(),
  },
});
export type DeleteRun = RunOf<typeof deleteShape>;

export const waitShape = commandShape({
  args: refArgs,
  options: {
    region: regionOption(),
    deletion: flag('-d, --deletion', 'wait for deletion instead of creation/update'),
    timeout: int('-t, --timeout <SECS>', 'give up after SECS (0..7200)', { min: 0, max: 7200 }, { default: 1800 }),
    interval: int('-i, --interval <SECS>', 'seconds between checks (1..600)', { min: 1, max: 600 }, { default: 5 }),
  },
});
export type WaitRun = RunOf<typeof waitShape>;

export const scaleShape = commandShape({
  args: [
    arg('[REF...]', 'stack name [version], name regex, or definition file; then DESIRED_CAPACITY (0..100)', {
      complete: 'stacks',
      file: YAML_FILES,
    }),
  ] as const,
  options: {
    region: regionOption(),
    minSize: int('--min-size <N>', 'also set the minimum size of the groups (0..100; 0 leaves it)', {
      min: 0,
      max: 100,
    }),
    force: flag('-f, --force', 'scale several stacks without asking'),
  },
});
export type ScaleRun = RunOf<typeof scaleShape>;

export const patchShape = commandShape({
  args: refArgs,
  options: {
    region: regionOption(),
    image: text('--image <AMI_ID>', 'new AMI: an AMI id, or latest, staging or dev for the newest Taupage AMI'),
    instanceType: text('--instance-type <TYPE>', 'new EC2 instance type, e.g. t2.medium'),
    userData: text('--user-data <YAML>', 'YAML map merged into the Taupage user data (top-level keys replaced)'),
  },
});
export type PatchRun = RunOf<typeof patchShape>;

export const respawnShape = commandShape({
  args: refArgs,
  options: {
    region: regionOption(),
    inplace: flag('--inplace', 'replace instances without raising the capacity first'),
    force: flag(
      '-f, --force',
      'replace all instances, also those with the current launch template version (or launch configuration) of the group',
    ),
    timeout: int(
      '--timeout <SECS>',
      'give up each wait for instances after SECS (1..86400); the group is reset',
      { min: 1, max: 86400 },
      { default: 1200 },
    ),
  },
});
export type RespawnRun = RunOf<typeof respawnShape>;
