import { arg, commandShape, flag, outputOption, type RunOf, text } from '@stups/cli-kit';

/** The options that say where to sign in; they win over ZIGN_* and zign.yaml. */
const serverOptions = () => ({
  issuer: text('--issuer <URL>', 'OpenID Connect issuer (env: ZIGN_ISSUER, zign.yaml issuer)'),
  clientId: text('-c, --client-id <ID>', 'OAuth client ID (env: ZIGN_CLIENT_ID; default: zign)'),
  authorizeUrl: text('-a, --authorize-url <URL>', 'authorization endpoint of a server without discovery'),
  tokenUrl: text('-t, --token-url <URL>', 'token endpoint of a server without discovery'),
});

const signInOptions = () => ({
  device: flag(
    '--device',
    'sign in with a code on another device (RFC 8628); the default without a display or over SSH',
  ),
  browser: flag('--no-browser', 'print the sign-in URL instead of opening a browser'),
});

export const tokenShape = commandShape({
  args: [arg('[SCOPE...]', 'scopes the token should carry')],
  options: {
    name: text('-n, --name <NAME>', 'store the token under this name and reuse it while valid'),
    refresh: flag('-r, --refresh', 'ignore a valid stored token'),
    ...serverOptions(),
    ...signInOptions(),
  },
});
export type TokenRun = RunOf<typeof tokenShape>;

export const listShape = commandShape({ args: [], options: { output: outputOption() } });
export type ListRun = RunOf<typeof listShape>;

export const deleteShape = commandShape({ args: [arg('<NAME>', 'the stored token to delete')], options: {} });
export type DeleteRun = RunOf<typeof deleteShape>;

export const loginShape = commandShape({
  args: [arg('[SCOPE...]', 'scopes besides openid and offline_access')],
  options: {
    name: text('-n, --name <NAME>', 'also store the access token under this name'),
    ...serverOptions(),
    ...signInOptions(),
  },
});
export type LoginRun = RunOf<typeof loginShape>;

export const logoutShape = commandShape({
  args: [arg('[NAME]', 'only this stored token (default: the sign-in and every stored token)')],
  options: serverOptions(),
});
export type LogoutRun = RunOf<typeof logoutShape>;

export const doctorShape = commandShape({ args: [], options: serverOptions() });
export type DoctorRun = RunOf<typeof doctorShape>;
