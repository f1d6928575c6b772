import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { findLocalAccount } from './oauth-accounts.js';

/**
 * The STUPS tokeninfo endpoint that resource servers (Pier One, even) call to check a bearer token:
 * `GET /oauth2/tokeninfo?access_token=T` or with `Authorization: Bearer T` →
 * `{uid, scope: [...], realm, expires_in, ...}`, or 401 for an unknown, expired or revoked token.
 */
export const TOKENINFO_PATH = '/oauth2/tokeninfo';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function handleTokeninfo(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const header = req.headers.authorization ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? url.searchParams.get('access_token') ?? '';
  if (!token) {
    json(res, 400, { error: 'invalid_request', error_description: 'access_token is missing' });
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const access = await provider.AccessToken.find(token);
  if (access && !access.isExpired) {
    if (access.grantId && !(await provider.Grant.find(access.grantId))) {
      json(res, 401, { error: 'invalid_token', error_description: 'Access Token revoked' });
      return;
    }
    const account = findLocalAccount(String(access.accountId));
    json(res, 200, {
      access_token: token,
      uid: access.accountId,
      realm: account?.realm ?? '/employees',
      team: account?.team,
      scope: String(access.scope ?? '')
        .split(' ')
        .filter(Boolean),
      client_id: access.clientId,
      grant_type: access.gty ?? 'authorization_code',
      token_type: 'Bearer',
      expires_in: (access.exp ?? now) - now,
    });
    return;
  }
  const client = await provider.ClientCredentials.find(token);
  if (client && !client.isExpired) {
    json(res, 200, {
      access_token: token,
      uid: client.clientId,
      realm: '/services',
      scope: String(client.scope ?? '')
        .split(' ')
        .filter(Boolean),
      client_id: client.clientId,
      grant_type: 'client_credentials',
      token_type: 'Bearer',
      expires_in: (client.exp ?? now) - now,
    });
    return;
  }
  json(res, 401, { error: 'invalid_token', error_description: 'Access Token not valid' });
}
