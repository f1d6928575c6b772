import type { CodesOf } from '../io/message-codes.js';
import type { MessageCatalog } from '../io/messages.js';

/** What the token engine tells the person at the terminal (all on stderr; stdout is only the token). */
export const AUTH_MESSAGES = {
  'auth.login-url': {
    level: 'info',
    description: 'The sign-in URL, when no browser is opened (--no-browser) or as a fallback.',
    data: { url: 'the authorization URL (no secret in it: state and the PKCE challenge only)' },
  },
  'auth.login-browser': {
    level: 'info',
    description: 'A browser was opened at the sign-in page.',
    data: { url: 'the authorization URL' },
  },
  'auth.device-code': {
    level: 'info',
    description: 'The device flow: the code to enter and where to enter it, on another device.',
    data: {
      userCode: 'the code',
      verificationUri: 'where to enter it',
      verificationUriComplete: 'the URL with the code',
    },
  },
  'auth.refresh-failed': {
    level: 'warn',
    description: 'The stored refresh token was refused (expired or revoked); a new sign-in follows.',
  },
  'auth.scope-sign-in': {
    level: 'info',
    description:
      'The stored sign-in did not grant the scopes asked for (invalid_scope on refresh); on a terminal, a new sign-in asks for them.',
    data: { scopes: 'the scopes asked for' },
  },
  'auth.login-state-mismatch': {
    level: 'warn',
    description: "A redirect reached the sign-in listener with a state that is not this sign-in's; it was refused.",
  },
  'auth.revoked': {
    level: 'info',
    description: 'logout: a token was revoked at the server (RFC 7009).',
    data: { name: 'the token name, or "refresh token"' },
  },
  'auth.revocation-unsupported': {
    level: 'warn',
    description: 'logout: the server has no revocation endpoint; tokens were only deleted locally.',
  },
  'auth.bad-ports': { level: 'error', description: 'redirect_ports is not a FROM-TO port range (exit 2).' },
  'auth.bad-url': { level: 'error', description: 'A configured server URL is not a URL (exit 2).' },
  'auth.insecure-url': {
    level: 'error',
    description: 'A server URL uses http:// to a host that is not loopback (exit 2).',
  },
  'auth.not-configured': {
    level: 'error',
    description: 'No OAuth server and no service token is configured (exit 3).',
  },
  'auth.scope-not-granted': {
    level: 'error',
    description:
      'Off a terminal: the stored sign-in did not grant the scopes asked for; the hint is the `zign login SCOPE...` to run (exit 3).',
  },
  'auth.login-required': {
    level: 'error',
    description: 'No valid token and no terminal to sign in at; names `zign login` and the CI settings (exit 3).',
  },
  'auth.login-timeout': {
    level: 'error',
    description: 'The browser did not come back to the sign-in listener in time; hints at --device (exit 3).',
  },
  'auth.login-failed': {
    level: 'error',
    description: 'The provider redirected back with an OAuth error other than access_denied (exit 3).',
  },
  'auth.denied': {
    level: 'error',
    description: 'The person denied access on the sign-in page, or the server answered access_denied (exit 3).',
  },
  'auth.refused': {
    level: 'error',
    description: 'The token endpoint refused a grant (invalid_grant, invalid_client, ...) (exit 3).',
  },
  'auth.rejected': { level: 'error', description: 'openid-client rejected an answer of the server (exit 3).' },
  'auth.server-error': {
    level: 'error',
    description: 'The OAuth server answered with an error that is not about credentials (exit 1).',
  },
  'auth.failed': { level: 'error', description: 'An OAuth step failed for another reason (exit 1).' },
  'auth.not-an-issuer': {
    level: 'error',
    description: 'The issuer URL does not serve OpenID Connect discovery (exit 1).',
  },
  'auth.no-authorization-endpoint': {
    level: 'error',
    description: 'The server has no authorization endpoint for a browser sign-in (exit 3).',
  },
  'auth.no-device-flow': {
    level: 'error',
    description: 'The server offers no device authorization endpoint (exit 3).',
  },
  'auth.device-expired': { level: 'error', description: 'The device code expired before it was approved (exit 3).' },
  'auth.no-port': { level: 'error', description: 'No free port on 127.0.0.1 for the sign-in redirect (exit 3).' },
  'auth.store-corrupt': { level: 'error', description: 'tokens.yaml did not parse; it was moved aside (exit 1).' },
  'auth.credentials-unreadable': {
    level: 'error',
    description: 'A CREDENTIALS_DIR file exists but cannot be read (exit 3).',
  },
  'auth.credentials-invalid': { level: 'error', description: 'A CREDENTIALS_DIR file is not a JSON object (exit 3).' },
  'auth.credentials-key-missing': {
    level: 'error',
    description: 'user.json or client.json lacks a key; names the file and the key (exit 3).',
  },
  'auth.token-secret-unreadable': {
    level: 'error',
    description: 'A <name>-token-secret path exists but cannot be read (exit 3).',
  },
  'auth.service-credentials-refused': {
    level: 'error',
    description: 'The token URL refused the stups-tokens credentials (exit 3).',
  },
  'auth.token-endpoint-failed': { level: 'error', description: 'The token URL answered with a server error (exit 1).' },
  'auth.token-response-invalid': {
    level: 'error',
    description: 'The token URL answered without access_token and a numeric expires_in (exit 1).',
  },
} satisfies MessageCatalog;

declare module '../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof AUTH_MESSAGES> {}
}
