import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';

/** What stups-local's runtime service raises. */
export const RUNTIME_MESSAGES = {
  'local.runtime-no-aws': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The runtime reads stacks and groups in moto, and the aws service did not start before it.',
  },
} satisfies MessageCatalog;
