import type { CliKitCodes } from '@stups/cli-kit';
import type { MessageCatalog } from '@stups/core';
import type { CodesOf } from '@stups/core/io/message-codes';

/** What the zign commands themselves report (the engine's codes are in core's AUTH_MESSAGES). */
export const ZIGN_MESSAGES = {
  'zign.login-done': {
    level: 'info',
    description:
      'login: signed in; names who signed in (the ID token subject), the stored token, if any, and the granted scope.',
    data: {
      name: 'the token name or undefined',
      scope: 'granted scopes',
      refreshToken: 'whether one was kept',
      subject: "who signed in (the ID token's sub), or undefined",
    },
  },
  'zign.logout-done': {
    level: 'info',
    description: 'logout: what was revoked and deleted.',
    data: { revoked: 'labels revoked at the server', deleted: 'names deleted here' },
  },
  'zign.delete-absent': {
    level: 'info',
    description: 'delete: nothing was stored under the name (still exit 0).',
    data: { name: 'the name given' },
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CliKitCodes, CodesOf<typeof ZIGN_MESSAGES> {}
}
