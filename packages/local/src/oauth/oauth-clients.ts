/**
 * The OAuth clients the local provider knows: the CLIs' public native client, a CI client, the
 * stups-tokens legacy client, and resource servers that check tokens (Pier One, even).
 */
export const ZIGN_CLIENT_ID = 'zign';
export const CI_CLIENT = { client_id: 'stups-ci', client_secret: 'stups-ci-secret' };
export const LEGACY_CLIENT = { client_id: 'stups-legacy', client_secret: 'stups-legacy-secret' };
export const RESOURCE_SERVERS = [
  { client_id: 'pierone', client_secret: 'pierone-secret' },
  { client_id: 'even', client_secret: 'even-secret' },
];

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const PASSWORD_GRANT = 'password';

/** Scopes tokens may carry (STUPS-style names). */
export const LOCAL_SCOPES = ['openid', 'offline_access', 'uid', 'application.read', 'application.write'];

export function localClients() {
  return [
    {
      client_id: ZIGN_CLIENT_ID,
      client_name: 'zign',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
      response_types: ['code'],
      // Any port on the loopback address is accepted for a native client (RFC 8252 §7.3).
      redirect_uris: ['http://127.0.0.1/'],
    },
    {
      ...CI_CLIENT,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'uid application.read application.write',
    },
    {
      ...LEGACY_CLIENT,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [PASSWORD_GRANT],
      response_types: [],
      redirect_uris: [],
      scope: 'uid application.read application.write',
    },
    ...RESOURCE_SERVERS.map((c) => ({ ...c, grant_types: [], response_types: [], redirect_uris: [] })),
  ];
}
