import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';
import type { CodesOf } from '@stups/core/io/message-codes';

/** What stups-local's runtime service raises. */
export const RUNTIME_MESSAGES = {
  'local.runtime-no-aws': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The runtime reads stacks and groups in moto, and the aws service did not start before it.',
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CodesOf<typeof RUNTIME_MESSAGES> {}
}
