import type { MessageCatalog } from '../io/messages.js';

/** What the token engine tells the person at the terminal (all on stderr; stdout is only the token). */
export const AUTH_MESSAGES: MessageCatalog = {
  'auth.login.url': {
    level: 'info',
    description: 'The sign-in URL, when no browser is opened (--no-browser) or as a fallback.',
    data: { url: 'the authorization URL (no secret in it: state and the PKCE challenge only)' },
  },
  'auth.login.browser': {
    level: 'info',
    description: 'A browser was opened at the sign-in page.',
    data: { url: 'the authorization URL' },
  },
  'auth.device.code': {
    level: 'info',
    description: 'The device flow: the code to enter and where to enter it, on another device.',
    data: {
      userCode: 'the code',
      verificationUri: 'where to enter it',
      verificationUriComplete: 'the URL with the code',
    },
  },
  'auth.refresh.failed': {
    level: 'warn',
    description: 'The stored refresh token was refused (expired or revoked); a new sign-in follows.',
  },
  'auth.revoked': {
    level: 'info',
    description: 'logout: a token was revoked at the server (RFC 7009).',
    data: { name: 'the token name, or "refresh token"' },
  },
  'auth.revocation.unsupported': {
    level: 'warn',
    description: 'logout: the server has no revocation endpoint; tokens were only deleted locally.',
  },
};
