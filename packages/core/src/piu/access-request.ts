import { userInfo } from 'node:os';
import { UsageError } from '../errors.js';

/**
 * What an access request is made of, checked the way the even API's schema checks it (the spec's
 * patterns), so that a malformed name is refused before any token is fetched or request sent.
 */
export const USERNAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const HOSTNAME_PATTERN = /^[a-z0-9.-]{0,255}$/;
/** 1 minute to one year (60 × 24 × 365), the spec's bounds; out of range is refused, never lowered. */
export const LIFETIME_MINUTES = { min: 1, max: 525_600 } as const;
export const ACCESS_STATUSES = ['REQUESTED', 'GRANTED', 'DENIED', 'FAILED', 'EXPIRED', 'REVOKED'] as const;
export type AccessStatus = (typeof ACCESS_STATUSES)[number];

/** The body of `POST /access-requests`; optional keys are left out when unset, as piu did. */
export interface AccessRequest {
  username: string;
  hostname: string;
  reason: string;
  remote_host?: string;
  lifetime_minutes?: number;
}

export function checkUsername(name: string): string {
  if (!USERNAME_PATTERN.test(name))
    throw new UsageError(`Invalid user name "${name}"`, {
      code: 'piu.invalid-user',
      hint: 'A user name starts with a lower-case letter, then up to 31 lower-case letters, digits or "-".',
    });
  return name;
}

export function checkHostname(host: string, what = 'host name'): string {
  if (!host || !HOSTNAME_PATTERN.test(host))
    throw new UsageError(`Invalid ${what} "${host}"`, {
      code: 'piu.invalid-host',
      hint: 'Use lower-case letters, digits, "." and "-" (an IPv4 address or a DNS name), up to 255 characters.',
    });
  return host;
}

export function checkLifetime(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < LIFETIME_MINUTES.min || minutes > LIFETIME_MINUTES.max)
    throw new UsageError(
      `Lifetime ${minutes} is out of range: ${LIFETIME_MINUTES.min} to ${LIFETIME_MINUTES.max} minutes`,
      { code: 'piu.invalid-lifetime', hint: 'Give --lifetime in whole minutes, at most one year (525600).' },
    );
  return minutes;
}

export function checkReason(words: readonly string[]): string {
  const reason = words.join(' ').trim();
  if (!reason)
    throw new UsageError('Missing argument "reason".', {
      code: 'piu.missing-reason',
      hint: 'Say why you need access, e.g. piu request-access HOST "Troubleshooting ticket 123" (it is audited).',
    });
  return reason;
}

/** `[USER@]HOST`: the user before the first `@` if any, the host after the last one. */
export function splitUserHost(target: string): { user?: string; host: string } {
  const at = target.indexOf('@');
  if (at < 0) return { host: target };
  return { user: target.slice(0, at), host: target.slice(target.lastIndexOf('@') + 1) };
}

/**
 * Who the access is for: the user in `USER@HOST`, else zign's configured user, else the login name,
 * as piu 1.1 chose it: `$USER`/`$LOGNAME`, else the account's name (containers and cron set neither),
 * as Python's getpass.getuser() falls back to the password database.
 */
export function resolveUsername(given: string | undefined, env: NodeJS.ProcessEnv, zignUser?: string): string {
  const name = given || zignUser || env.ZIGN_USER || env.USER || env.LOGNAME || accountName();
  if (!name)
    throw new UsageError('Cannot tell which user to request access for', {
      code: 'piu.no-user',
      hint: 'Give it as USER@HOST.',
    });
  return checkUsername(name);
}

/** The name of the account this process runs as; undefined without a password database entry. */
function accountName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

export interface Tunnel {
  localPort: number;
  remotePort: number;
}

export function parseTunnel(text: string): Tunnel {
  const m = /^([0-9]{1,5}):([0-9]{1,5})$/.exec(text);
  const ports = m ? [Number(m[1]), Number(m[2])] : [];
  if (!m || ports.some((p) => p < 1 || p > 65535))
    throw new UsageError('Tunnel needs to be in format localPort:remotePort', {
      code: 'piu.invalid-tunnel',
      hint: 'For example --tunnel 8080:80 (ports 1 to 65535).',
    });
  return { localPort: ports[0] as number, remotePort: ports[1] as number };
}
