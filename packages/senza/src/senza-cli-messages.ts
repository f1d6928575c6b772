import type { CliKitCodes } from '@stups/cli-kit';
import { EXIT, type MessageCatalog } from '@stups/core';
import type { CodesOf } from '@stups/core/io/message-codes';

/** The senza CLI: spans and notes of its commands, argument checks. */
export const SENZA_CLI_MESSAGES = {
  'aws.calls': {
    level: 'debug',
    description: 'With --debug, at the end of a command: how many AWS calls it made, and which.',
    data: { calls: 'the AWS calls made (service, operation)' },
  },
  'senza.diff-none': {
    level: 'info',
    description: 'No differences: stack … matches the definition.',
    data: { stackName: 'the stack (name-version)' },
  },
  'senza.init-exists': { level: 'error', exitCode: EXIT.USAGE, description: '… already exists' },
  'senza.init-check-resources': {
    level: 'info',
    description: 'Span: `senza init` looks up the security groups and IAM role the template needs.',
  },
  'senza.init-create-resources': {
    level: 'info',
    description: 'Span: `senza init` creates the missing security groups and IAM role.',
  },
  'senza.init-write-definition': {
    level: 'info',
    description: 'Span: `senza init` writes the definition file.',
    data: { file: 'the file written' },
  },
  'senza.instances-piu-missing': {
    level: 'error',
    description: '`instances --piu` without piu installed: the piu commands to run elsewhere (exit 1).',
    data: { commands: 'the piu command lines' },
  },
  'senza.respawn-interrupted': {
    level: 'error',
    exitCode: EXIT.INTERRUPTED,
    description: 'Interrupted; the Auto Scaling Group was reset to its original capacity.',
  },
  'senza.scale-capacity-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'DESIRED_CAPACITY is not an integer.',
  },
  'senza.scale-capacity-missing': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`senza scale` without DESIRED_CAPACITY.',
  },
  'senza.template-generate': {
    level: 'info',
    description:
      'Span: compiling the definition into a CloudFormation template (`Generating Cloud Formation template.. OK`).',
  },
  'senza.traffic-percentage-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid value for \'PERCENTAGE\': "…" is not a number within 0..100',
  },
  'senza.traffic-usage': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`senza traffic NAME` with a PERCENTAGE but no STACK_VERSION.',
  },
  'senza.traffic-plan-changes': {
    level: 'info',
    description: 'With --plan and TSV/YAML output: the Route53 changes that would be made.',
    data: { changes: 'the Route53 changes (zone, name, set identifier, old and new weight)' },
  },
  'senza.wait-interrupted': {
    level: 'error',
    exitCode: EXIT.INTERRUPTED,
    description: 'Stopped waiting; CloudFormation carries on.',
  },
  'senza.watch-interrupted': {
    level: 'error',
    exitCode: EXIT.INTERRUPTED,
    description: 'Stopped watching; CloudFormation carries on.',
  },
  'senza.watch-resource-failed': {
    level: 'error',
    description: 'ERROR: … …: …',
    data: {
      stackName: 'the stack (name-version)',
      logicalId: "the resource's logical id",
      status: 'the CloudFormation status',
    },
  },
  'senza.watch-succeeded': {
    level: 'info',
    description: 'OK: Stack(s) … … successfully.',
    data: { stacks: 'the stacks concerned', operation: 'create, update or delete' },
  },
} satisfies MessageCatalog;

/** Every catalog of what senza emits: the engine's areas, the CLI kit, senza's own commands. */
export async function senzaMessageSections() {
  const [{ ENGINE_CATALOGS }, { CLI_MESSAGES }] = await Promise.all([
    import('@stups/core/messages'),
    import('@stups/cli-kit/docs'),
  ]);
  return [
    ...ENGINE_CATALOGS,
    { area: 'CLI kit (every tool)', catalog: CLI_MESSAGES },
    { area: 'senza CLI', catalog: SENZA_CLI_MESSAGES },
  ];
}

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CliKitCodes, CodesOf<typeof SENZA_CLI_MESSAGES> {}
}
