import { httpFetch } from '@stups/core/http';

/**
 * Who is calling, the way Pier One decides it (reference §3.1, §3.2): the Authorization header is
 * normalised (`Bearer X`, `Token X`, `Basic base64(oauth2:X)` → token X), the token is checked at the
 * local OAuth service's tokeninfo (valid answers cached for reads up to 60 s, refusals never; a write
 * asks tokeninfo afresh, so a revoked token loses write access at once), a token without
 * `uid` is forbidden. Writing to team T needs `application.write_all`, or realm `/employees` or
 * `/services` (the latter with `application.write`) and membership of T: the tokeninfo's `team`,
 * or the team the platform assigns to a client (the CI client belongs to `myteam`).
 */
export interface Caller {
  uid: string;
  realm: string;
  scope: string[];
  team?: string;
}

export type Authentication =
  | { kind: 'ok'; caller: Caller }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'forbidden'; reason: string };

const CACHE_MS = 60_000;
/** How old a cached tokeninfo answer may be for a write (push): none, every write asks again. */
export const WRITE_CACHE_MS = 0;

export function tokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(Bearer|Token|Basic)\s+(\S+)\s*$/i.exec(header);
  if (!m) return undefined;
  if (m[1].toLowerCase() !== 'basic') return m[2];
  const decoded = Buffer.from(m[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && decoded.slice(0, colon) === 'oauth2' && colon < decoded.length - 1
    ? decoded.slice(colon + 1)
    : undefined;
}

export class TokenChecker {
  private readonly cache = new Map<string, { caller: Caller; until: number; checked: number }>();

  constructor(
    private readonly tokeninfoUrl: string,
    private readonly clientTeams: Record<string, string> = {},
  ) {}

  /** `maxAgeMs`: how old a cached answer may be (default 60 s; writes pass WRITE_CACHE_MS). */
  async authenticate(header: string | undefined, maxAgeMs = CACHE_MS): Promise<Authentication> {
    const token = tokenOf(header);
    if (!token) return { kind: 'unauthorized', reason: header ? 'unsupported credentials' : 'no credentials' };
    const cached = this.cache.get(token);
    const now = Date.now();
    if (cached && cached.until > now && now - cached.checked < maxAgeMs) return { kind: 'ok', caller: cached.caller };
    if (cached) this.cache.delete(token);
    const url = new URL(this.tokeninfoUrl);
    url.searchParams.set('access_token', token);
    let response: Response;
    try {
      response = await httpFetch(url, { timeouts: { connectMs: 2_000, requestMs: 5_000 } });
    } catch {
      return { kind: 'unauthorized', reason: 'tokeninfo unreachable' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'unauthorized', reason: 'invalid or expired token' };
    }
    const info = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!info.uid) return { kind: 'forbidden', reason: 'token has no uid' };
    const uid = String(info.uid);
    const scope = Array.isArray(info.scope) ? info.scope.map(String) : String(info.scope ?? '').split(' ');
    const caller: Caller = {
      uid,
      realm: String(info.realm ?? ''),
      scope: scope.filter(Boolean),
      team: typeof info.team === 'string' ? info.team : this.clientTeams[uid],
    };
    const seconds = Number(info.expires_in);
    const lifetime = Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : CACHE_MS;
    this.cache.set(token, { caller, until: Date.now() + Math.min(CACHE_MS, lifetime), checked: Date.now() });
    return { kind: 'ok', caller };
  }
}

/** Undefined when the caller may push to `team`; else the reason for the 403. */
export function writeDenied(caller: Caller, team: string): string | undefined {
  if (caller.scope.includes('application.write_all') || caller.scope.includes('application.write_all_trusted'))
    return undefined;
  const realm = caller.realm.replace(/^\/+|\/+$/g, '');
  if (realm !== 'services' && realm !== 'employees') return `user not in realms services, employees`;
  if (realm === 'services' && !caller.scope.includes('application.write'))
    return `User ${caller.uid} does not have required scope: application.write`;
  if (caller.team !== team) return `ACCESS DENIED: ${caller.uid} is not a member of team ${team}`;
  return undefined;
}
