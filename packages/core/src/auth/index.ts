export { AUTH_MESSAGES } from './auth-messages.js';
export {
  type GetTokenOptions,
  getToken,
  type LoginResult,
  login,
  type SignInChoice,
  type TokenResult,
  type TokenSource,
} from './get-token.js';
export { type LoopbackListener, openLoopbackListener } from './loopback-listener.js';
export { OAUTH_TIMEOUTS, type OAuthServer, oauthError, openServer, serverSupports } from './oauth-client.js';
export {
  fixedTokens,
  passwordGrant,
  SERVICE_TOKEN_TIMEOUTS,
  type ServiceToken,
  serviceToken,
} from './service-tokens.js';
export { BASE_SCOPES, isHeadless } from './sign-in.js';
export { deleteToken, type SignOutResult, signOut } from './sign-out.js';
export {
  CorruptTokenStoreError,
  isTokenValid,
  MIN_REMAINING_SECONDS,
  type StoredToken,
  storedToken,
  type TokenMap,
  TokenStore,
  tokenStoreDir,
} from './token-store.js';
export { diagnoseZign, type ZignCheck } from './zign-doctor.js';
export {
  checkServerUrl,
  DEFAULT_CLIENT_ID,
  DEFAULT_LOGIN_TIMEOUT_SECONDS,
  hasServer,
  isLoopbackHttp,
  resolveZignSettings,
  type ZignFlags,
  type ZignSettings,
} from './zign-settings.js';
