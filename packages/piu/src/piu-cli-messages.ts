import type { CliKitCodes } from '@stups/cli-kit';
import { EXIT, type MessageCatalog } from '@stups/core';
import type { CodesOf } from '@stups/core/io/message-codes';

/** What the piu commands themselves raise (the engine's codes are in core's PIU_MESSAGES). */
export const PIU_CLI_MESSAGES = {
  'piu.setting-missing': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'A setting (even URL, odd host, user) is neither given nor remembered, and there is no terminal to ask.',
  },
  'piu.invalid-status': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`list-access-requests --status` with a status even does not know.',
  },
  'piu.connect-and-tunnel': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '--connect and --tunnel given together.',
  },
  'piu.interactive-off-tty': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '--interactive without a terminal.',
  },
  'piu.missing-host': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`request-access` without a host (and not --interactive).',
  },
  'piu.no-instances': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: '--interactive: no running EC2 instance with Name, StackName and StackVersion tags to choose from.',
  },
  'piu.no-instance-chosen': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '--interactive: the only instance offered was declined.',
  },
  'piu.aborted': {
    level: 'error',
    exitCode: EXIT.INTERRUPTED,
    description: 'The host has no running instance and the question whether to request access anyway was declined.',
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CliKitCodes, CodesOf<typeof PIU_CLI_MESSAGES> {}
}
