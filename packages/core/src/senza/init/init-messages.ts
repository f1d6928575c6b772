import { EXIT } from '../../errors.js';
import type { CodesOf } from '../../io/message-codes.js';
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

declare module '../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof INIT_MESSAGES> {}
}
