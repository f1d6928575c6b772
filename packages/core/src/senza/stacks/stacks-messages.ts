import { EXIT } from '../../errors.js';
import type { CodesOf } from '../../io/message-codes.js';
import type { MessageCatalog } from '../../io/messages.js';

/** Deployed stacks: reading, lifecycle actions (create, update, delete, scale, patch, respawn), waiting and watching. */
export const STACKS_MESSAGES = {
  'senza.action': {
    level: 'info',
    description:
      'Span: one action of a stack command, as the original prints it (`Creating Cloud Formation stack x-1.. OK`, `NO UPDATE`, `NO CHANGES`).',
    data: {
      stackName: 'the stack (name-version)',
      phase: 'start or end',
      asgName: 'scale, patch: the Auto Scaling Group',
      from: 'scale: the desired capacity before',
      to: 'scale: the desired capacity asked for',
      launchConfigurationName: 'patch: the new launch configuration',
      launchTemplateId: 'patch: the launch template',
      launchTemplateVersion: 'patch: its new version',
      dryRun: 'delete --dry-run: true on the end (the verdict DRY-RUN; nothing was deleted)',
    },
  },
  'senza.asg-not-found': { level: 'error', exitCode: EXIT.FAILED, description: 'Auto Scaling Group … not found' },
  'senza.config-key-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'key does not contain a section: …',
  },
  'senza.console-none': { level: 'error', exitCode: EXIT.FAILED, description: "No EC2 instance with id '…'." },
  'senza.create-dry-run': {
    level: 'info',
    description: '**DRY-RUN** …',
    data: { notificationArns: 'the SNS topics notified' },
  },
  'senza.create-dry-run-tags': { level: 'info', description: 'Tags: …', data: { tags: 'the stack tags' } },
  'senza.create-read-back': {
    level: 'warn',
    description:
      'The answer to CreateStack was lost (a timeout, a dropped connection, or a retry that found the stack): DescribeStacks shows the stack created by this command, which goes on.',
    data: { stackName: 'the stack', status: 'its status' },
  },
  'senza.create-outcome-unknown': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'The answer to CreateStack was lost and the stack could not be read back either: whether it was created is unknown (exit 1).',
  },
  'senza.create-record-left': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'Route53 already holds a record the new stack would create: the weighted record … left behind by an earlier stack of that name (CloudFormation kept it), or a record of its version domain; names the record, its zone and how to remove it.',
    data: {
      stackName: 'the stack',
      name: 'the record name',
      setIdentifier: 'its SetIdentifier (null: not weighted)',
      weight: 'its weight (null: not weighted)',
      zoneId: 'the hosted zone',
    },
  },
  'senza.create-exists-update': {
    level: 'warn',
    description: 'Stack … already exists. It will be updated',
    data: { stackName: 'the stack (name-version)' },
  },
  'senza.delete-has-traffic': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Stack … has traffic! Use --force if you really want to delete it',
    data: { stackName: 'the stack (name-version)', weights: 'the live weights per domain' },
  },
  'senza.delete-no-ref': { level: 'error', exitCode: EXIT.USAGE, description: 'Please specify at least one stack' },
  'senza.delete-several': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: '… matching stacks found. Please use the "--force" flag if you really want to delete multiple stacks.',
    data: { stacks: 'the stacks concerned' },
  },
  'senza.diff-change-set': { level: 'debug', description: 'Creating change set … for …' },
  'senza.diff-change-set-left': { level: 'warn', description: 'Change set … could not be deleted: …' },
  'senza.elastigroup-unsupported': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Stack … has an Elastigroup (…, Custom::elastigroup): … of Elastigroups is not supported',
    data: { stackName: 'the stack (name-version)' },
  },
  'senza.patch-launch-template': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'The Auto Scaling Group has a mixed instances policy (or neither a launch configuration nor a launch template), which patch does not change.',
  },
  'senza.patch-lc-not-found': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Launch configuration … not found',
  },
  'senza.patch-lt-not-found': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Launch template … version … not found',
  },
  'senza.patch-lt-no-version': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'CreateLaunchTemplateVersion of … answered no version number',
  },
  'senza.patch-no-taupage-ami': { level: 'error', exitCode: EXIT.FAILED, description: 'No Taupage AMI found for …' },
  'senza.patch-nothing': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Nothing to patch. Please specify at least one patch option (e.g. "--image").',
  },
  'senza.patch-user-data-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "Invalid value for '--user-data': …",
  },
  'senza.patch-user-data-type': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Current user data is a … but provided user data is a ….',
  },
  'senza.scale-below-min-size': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Desired capacity must be bigger than specified min_size value',
    data: { minSize: "the group's MinSize" },
  },
  'senza.scale-min-size-zero': {
    level: 'info',
    description:
      'MinSize was set to 0 previously. This might result in unexpected downscaling of the stack. Please use --min_size to update the value.',
    data: {
      stackName: 'the stack (name-version)',
      asgName: 'the Auto Scaling Group',
      from: 'the desired capacity before',
      to: 'the desired capacity asked for',
    },
  },
  'senza.stack-exists': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Stack … already exists. Please choose another version.',
  },
  'senza.stack-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'A watched deployment failed; names the failed resources and their reasons.',
  },
  'senza.stack-not-found': { level: 'error', exitCode: EXIT.FAILED, description: 'Stack … does not exist.' },
  'senza.stack-ref-file-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: "Could not open file '…': No such file or directory",
  },
  'senza.stack-ref-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A .yaml stack reference that is not a Senza definition.',
  },
  'senza.stack-done': {
    level: 'info',
    levels: ['info', 'error'],
    description: 'A watched stack reached a final status: info when it is what the operation wanted, else error.',
    data: { stackName: 'the stack (name-version)', status: 'the CloudFormation status' },
  },
  'senza.stack-event': {
    level: 'info',
    description: 'One CloudFormation stack event while watching a deployment (`HH:MM:SS stack status resource`).',
    data: { event: 'the stack event (time, stack, status, resource, reason)' },
  },
  'senza.update-dry-run': {
    level: 'info',
    description: '**DRY-RUN** …',
    data: { notificationArns: 'the SNS topics notified' },
  },
  'senza.update-weight-kept': {
    level: 'info',
    description:
      'Keeping the live weight … of … (…): the update leaves the record as it is (the weight CloudFormation stored stays in the template).',
    data: { domain: 'the domain', logicalId: "the resource's logical id", liveWeight: 'the weight in Route53' },
  },
  'senza.update-record-change-refused': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'Stack …: this update changes the weighted record … of …, and it has traffic (or its live weight differs from the stored one): refused before anything changed.',
    data: {
      stackName: 'the stack (name-version)',
      logicalId: "the record's logical id",
      domain: 'the domain',
      liveWeight: 'the weight in Route53',
      storedWeight: 'the weight CloudFormation stored',
    },
  },
  'senza.delete-moving-traffic': {
    level: 'info',
    description: '`delete --force` of a stack with traffic: it is moved to the other versions (traffic switch) first.',
    data: { stackName: 'the stack (name-version)' },
  },
  'senza.delete-record-left': {
    level: 'warn',
    description:
      'Removed a weighted record with the deleted stack’s SetIdentifier that CloudFormation left behind (its stored values did not match Route53’s).',
    data: {
      name: 'the record name',
      setIdentifier: 'its SetIdentifier',
      weight: 'its weight',
      zoneId: 'the hosted zone',
    },
  },
  'senza.delete-traffic-raced': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'A traffic switch gave the stack weight while it was being deleted; the surviving versions may hold less than the full weight.',
  },
} satisfies MessageCatalog;

declare module '../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof STACKS_MESSAGES> {}
}
