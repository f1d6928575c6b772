import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';
import type { CodesOf } from '@stups/core/io/message-codes';

/** What stups-local's Pier One registry service raises. */
export const REGISTRY_MESSAGES = {
  'local.pierone-no-oauth': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The registry checks tokens at the OAuth service, which did not start before it.',
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CodesOf<typeof REGISTRY_MESSAGES> {}
}
