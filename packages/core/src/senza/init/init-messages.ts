import { EXIT } from '../../errors.js';
import type { MessageCatalog } from '../../io/messages.js';

/** `senza init` templates. */
export const INIT_MESSAGES = {
  'senza.init-template-unknown': { level: 'error', exitCode: EXIT.USAGE, description: 'Unknown template "…"' },
  'senza.init-variable': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'invalid key value parameter "…" (must be KEY=VAL)',
  },
} satisfies MessageCatalog;
