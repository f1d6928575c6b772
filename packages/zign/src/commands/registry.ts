import { defineCommand } from '@stups/cli-kit';
import { deleteShape, doctorShape, listShape, loginShape, logoutShape, tokenShape } from './specs.js';

/** The commands, as data: the specs give their shapes; each module is imported only when its command runs. */
export const ZIGN_COMMANDS = [
  defineCommand({
    name: 'token',
    summary: 'print a valid access token (stored, refreshed, a service token, or after signing in)',
    ...tokenShape,
    load: () => import('./token.js'),
  }),
  defineCommand({ name: 'list', summary: 'list stored tokens', ...listShape, load: () => import('./list.js') }),
  defineCommand({
    name: 'delete',
    summary: 'delete a stored token',
    ...deleteShape,
    load: () => import('./delete.js'),
  }),
  defineCommand({
    name: 'login',
    summary: 'sign in (browser with PKCE, or a device code) and keep the refresh token',
    ...loginShape,
    load: () => import('./login.js'),
  }),
  defineCommand({
    name: 'logout',
    summary: 'revoke tokens at the server and delete them here',
    ...logoutShape,
    load: () => import('./logout.js'),
  }),
  defineCommand({
    name: 'doctor',
    summary: 'check the configuration, the issuer, the token store and sign-in prerequisites',
    ...doctorShape,
    load: () => import('./doctor.js'),
  }),
];
