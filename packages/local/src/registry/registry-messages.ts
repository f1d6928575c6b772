import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';

/** What stups-local's Pier One registry service raises. */
export const REGISTRY_MESSAGES = {
  'local.pierone-no-oauth': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The registry checks tokens at the OAuth service, which did not start before it.',
  },
} satisfies MessageCatalog;
