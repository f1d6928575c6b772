import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';
import type { CodesOf } from '@stups/core/io/message-codes';

/** What stups-local's even service and its sshd hosts raise. */
export const EVEN_MESSAGES = {
  'local.even-no-oauth': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'even checks tokens at the OAuth service, which did not start before it.',
  },
  'local.sshd-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'ssh-keygen or sshd (Debian openssh-server) is missing or could not create a host key.',
  },
  'local.sshd-start-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'An sshd of the local bastion or target host did not start, with its log.',
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CodesOf<typeof EVEN_MESSAGES> {}
}
