import { type GetTokenOptions, getToken } from '../auth/get-token.js';
import { AuthError, OperationError, UsageError } from '../errors.js';
import { type HttpTimeouts, httpFetch } from '../http/http-gateway.js';
import type { AccessRequest, AccessStatus } from './access-request.js';

/**
 * The client of even, the SSH access granting service (shared/specs/even-api.yaml): one access
 * request, and the listing of requests. The bearer token is the auth engine's token named `piu`; a
 * token even refuses (expired or revoked since it was stored) is acquired once more and the call
 * repeated.
 */
export const PIU_TOKEN_NAME = 'piu';
export const PIU_TOKEN_SCOPES = ['uid'];

export interface EvenClientOptions {
  /** Options for the auth engine's `getToken('piu', ['uid'])`. */
  auth?: GetTokenOptions;
  timeouts?: HttpTimeouts;
  signal?: AbortSignal;
}

/** A request as even lists it (the database columns without their prefix). */
export interface AccessRequestRecord {
  id?: number;
  username: string;
  hostname: string;
  reason: string;
  remote_host?: string | null;
  status: AccessStatus;
  status_reason?: string | null;
  lifetime_minutes: number;
  /** ISO-8601 UTC with milliseconds. */
  created: string;
  created_by?: string;
  last_modified?: string;
  last_modified_by?: string;
  /** Sent by stups-local's even (not the original): when the grant ends, ISO-8601. */
  expires?: string;
}

export interface AccessRequestFilters {
  username?: string;
  hostname?: string;
  status?: AccessStatus;
  limit?: number;
  offset?: number;
}

/** The even URL as given (`https://` added to a bare host name, as piu did), without a trailing `/`. */
export function normalizeEvenUrl(url: string): string {
  const withScheme = /^https?:\/\//i.test(url) ? url : `https://${url}`;
  return withScheme.replace(/\/+$/, '').replace(/\/access-requests$/, '');
}

/** The time a request ends: what even said, else its creation time plus its lifetime. */
export function expiryOf(record: AccessRequestRecord): Date {
  if (record.expires) return new Date(record.expires);
  return new Date(new Date(record.created).getTime() + record.lifetime_minutes * 60_000);
}

async function authorizedCall(
  url: string,
  init: { method: string; body?: string },
  options: EvenClientOptions,
): Promise<Response> {
  let refused: string | undefined;
  for (;;) {
    const token = await getToken(PIU_TOKEN_NAME, PIU_TOKEN_SCOPES, { ...options.auth, refused });
    const response = await httpFetch(url, {
      method: init.method,
      body: init.body,
      headers: {
        authorization: `Bearer ${token.access_token}`,
        accept: 'application/json, text/plain',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      timeouts: options.timeouts,
      signal: options.signal,
    });
    // A stored token may have been revoked or expired early at the server: get a new one, once.
    if (response.status === 401 && refused === undefined && token.source === 'store') {
      refused = token.access_token;
      await response.arrayBuffer();
      continue;
    }
    return response;
  }
}

/** even's answer to a request that was not granted, as a typed error with the server's own words. */
function evenError(status: number, body: string, url: string): Error {
  const message = `Server returned status ${status}: ${body.trim() || '(no body)'}`;
  const data = { status, body, url };
  if (status === 401)
    return new AuthError(message, {
      code: 'piu.unauthorized',
      hint: 'Your token was refused; sign in again with `zign login` (the token name is "piu").',
      data,
    });
  if (status === 403)
    return new AuthError(message, {
      code: 'piu.forbidden',
      hint: 'even grants a host only to members of the team it belongs to; check the host name and your team.',
      data,
    });
  if (status === 400 && !/^SSH command failed/i.test(body.trim()))
    return new UsageError(message, {
      code: 'piu.rejected',
      hint: 'Check the host name, the user name and the reason.',
      data,
    });
  return new OperationError(message, { code: 'piu.request-failed', hint: failureHint(body, url), data });
}

/** What to do when even could not grant: its SSH command on the bastion failed, or even itself did. */
function failureHint(body: string, url: string): string {
  if (/Failed to download public key/i.test(body))
    return 'even found no SSH public key for that user (the User Service has none; stups-local registers your ~/.ssh key at `up`, docs/stups-local.md): request access for a user that has one (USER@HOST).';
  if (/^SSH command failed/i.test(body.trim()))
    return "even could not set up the access on the bastion (the text above is its SSH command's); `piu list-access-requests` shows the request as FAILED.";
  return `even at ${new URL(url).origin} could not handle the request; try again, and if it persists, ask the team that runs even.`;
}

/** `POST /access-requests`: the text even answers with on success (`Access to host … was granted.`). */
export async function requestAccess(
  evenUrl: string,
  request: AccessRequest,
  options: EvenClientOptions = {},
): Promise<string> {
  const url = `${normalizeEvenUrl(evenUrl)}/access-requests`;
  const body: Record<string, unknown> = {
    username: request.username,
    hostname: request.hostname,
    reason: request.reason,
  };
  if (request.remote_host) body.remote_host = request.remote_host;
  if (request.lifetime_minutes !== undefined) body.lifetime_minutes = request.lifetime_minutes;
  const response = await authorizedCall(url, { method: 'POST', body: JSON.stringify(body) }, options);
  const text = await response.text();
  if (response.status !== 200) throw evenError(response.status, text, url);
  return text.trim();
}

/** `GET /access-requests` with the filters given (exact matches), newest first as even orders them. */
export async function listAccessRequests(
  evenUrl: string,
  filters: AccessRequestFilters = {},
  options: EvenClientOptions = {},
): Promise<AccessRequestRecord[]> {
  const url = new URL(`${normalizeEvenUrl(evenUrl)}/access-requests`);
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const response = await authorizedCall(url.href, { method: 'GET' }, options);
  const text = await response.text();
  if (response.status !== 200) throw evenError(response.status, text, `${url.origin}${url.pathname}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new OperationError(`even at ${url.origin} answered with something other than JSON`, {
      code: 'piu.bad-answer',
      cause: e,
    });
  }
  if (!Array.isArray(parsed))
    throw new OperationError(`even at ${url.origin} answered with something other than a list`, {
      code: 'piu.bad-answer',
    });
  return parsed as AccessRequestRecord[];
}
