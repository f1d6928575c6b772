import type { GetTokenOptions } from '../auth/get-token.js';
import { UsageError } from '../errors.js';
import type { IoHost } from '../io/messages.js';
import type { Tunnel } from './access-request.js';
import {
  type AccessRequestFilters,
  type AccessRequestRecord,
  type EvenClientOptions,
  expiryOf,
  listAccessRequests,
  normalizeEvenUrl,
  requestAccess,
} from './even-client.js';
import { EIC_BASTION_USER, EIC_KEY_SECONDS, EIC_REMOTE_USER, grantWithInstanceConnect } from './instance-connect.js';
import { rememberPiuConfig } from './piu-config.js';
import { piuAwsRegion } from './piu-settings.js';
import { accessRoute, sshCommand } from './ssh-command.js';
import { findSshPublicKey } from './ssh-public-key.js';

/** Where piu's messages go and how it gets its `piu` token. */
export interface PiuContext {
  host: IoHost;
  env: NodeJS.ProcessEnv;
  interactive?: boolean;
  signal?: AbortSignal;
}

export interface EvenAccessRequest {
  evenUrl: string;
  /** Where piu.yaml is: the even URL and odd host are remembered on every request (as piu did). */
  configPath: string;
  username: string;
  hostname: string;
  oddHost?: string;
  reason: string;
  lifetime?: number;
  tunnel?: Tunnel;
  sshConfig?: string;
  keyPath?: string;
}

export interface AccessGrant {
  /** The ssh command line that uses the grant. */
  argv: string[];
  expires?: Date;
}

const evenOptions = (ctx: PiuContext): EvenClientOptions => ({
  auth: { env: ctx.env, interactive: ctx.interactive, host: ctx.host, signal: ctx.signal } satisfies GetTokenOptions,
  signal: ctx.signal,
});

/**
 * `piu request-access` through even: remembers the even URL and odd host, asks even for the grant
 * (through the odd host for a private target), reports when it expires and warns when there is no
 * public key to log in with; returns the ssh command line.
 */
export async function requestEvenAccess(request: EvenAccessRequest, ctx: PiuContext): Promise<AccessGrant> {
  const evenUrl = normalizeEvenUrl(request.evenUrl);
  // piu remembers both on every run, also when the request then fails.
  rememberPiuConfig(request.configPath, { even_url: evenUrl, odd_host: request.oddHost });
  const { username, lifetime } = request;
  const route = accessRoute(request.hostname, request.oddHost);
  ctx.host.notify({
    level: 'info',
    code: 'piu.request-start',
    text: route.remoteHost
      ? `Requesting access to host ${route.remoteHost} via ${route.firstHost} for ${username}..`
      : `Requesting access to host ${route.firstHost} for ${username}..`,
  });
  const options = evenOptions(ctx);
  const granted = await requestAccess(
    evenUrl,
    {
      username,
      hostname: route.firstHost,
      reason: request.reason,
      remote_host: route.remoteHost,
      lifetime_minutes: lifetime,
    },
    options,
  );
  const expires = await expiryOfGrant(evenUrl, username, route.firstHost, lifetime, options);
  ctx.host.notify({ level: 'result', code: 'piu.request-granted', text: granted, data: { expires } });
  ctx.host.notify({
    level: 'info',
    code: 'piu.request-expires',
    text: `The access expires at ${expires
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')}.`,
    data: { expires: expires.toISOString() },
  });
  warnWithoutKey(ctx, request.keyPath);
  const argv = sshCommand({
    route,
    user: username,
    tunnel: request.tunnel,
    sshConfig: request.sshConfig,
    forwardAgent: true,
  });
  return { argv, expires };
}

/** When the grant ends: even's own word (stups-local sends it) or the lifetime from now. */
async function expiryOfGrant(
  evenUrl: string,
  username: string,
  hostname: string,
  lifetime: number | undefined,
  options: EvenClientOptions,
): Promise<Date> {
  const fallback = new Date(Date.now() + (lifetime ?? 60) * 60_000);
  try {
    const [newest] = await listAccessRequests(evenUrl, { username, hostname, status: 'GRANTED', limit: 1 }, options);
    return newest ? expiryOf(newest) : fallback;
  } catch {
    return fallback;
  }
}

function warnWithoutKey(ctx: PiuContext, keyPath: string | undefined): void {
  try {
    findSshPublicKey(keyPath, ctx.env);
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    ctx.host.notify({
      level: 'warn',
      code: 'piu.no-public-key',
      text: `${(e as Error).message}; you will not be able to log in without one.${hint ? ` ${hint}` : ''}`,
    });
  }
}

export interface InstanceConnectAccessRequest {
  hostname: string;
  oddHost?: string;
  tunnel?: Tunnel;
  reason: string;
  keyPath?: string;
  region?: string;
  sshConfig?: string;
  /** piu's version, in the reason EC2 Instance Connect records. */
  piuVersion: string;
}

/**
 * `piu request-access --eic`: pushes the public key to the odd host (and the target) with EC2
 * Instance Connect; returns the ssh command line to use within the key's minute.
 */
export async function requestInstanceConnectAccess(
  o: InstanceConnectAccessRequest,
  ctx: PiuContext,
): Promise<AccessGrant> {
  if (!o.oddHost)
    throw new UsageError('EC2 Instance Connect needs the odd host', {
      code: 'piu.eic-no-odd-host',
      hint: 'Pass -O/--odd-host (or ODD_HOST).',
    });
  const key = findSshPublicKey(o.keyPath, ctx.env);
  const route = accessRoute(o.hostname, o.oddHost);
  ctx.host.notify({
    level: 'info',
    code: 'piu.eic-start',
    text: `Requesting access with EIC to host ${route.remoteHost ?? route.firstHost}`,
  });
  const { AwsSession } = await import('../aws/aws-session.js');
  const grant = await grantWithInstanceConnect(new AwsSession({ region: piuAwsRegion(o.region, ctx.env) }), {
    oddHost: route.firstHost,
    remoteHost: o.tunnel ? undefined : route.remoteHost,
    publicKey: key.key,
    reason: o.reason,
    piuVersion: o.piuVersion,
  });
  ctx.host.notify({
    level: 'info',
    code: 'piu.eic-granted',
    text: `Please login within the next ${EIC_KEY_SECONDS} seconds.`,
    data: { until: grant.until.toISOString(), bastion: grant.bastionInstanceId, remote: grant.remoteInstanceId },
  });
  const argv = sshCommand({
    route,
    user: EIC_BASTION_USER,
    remoteUser: EIC_REMOTE_USER,
    tunnel: o.tunnel,
    sshConfig: o.sshConfig,
  });
  return { argv, expires: grant.until };
}

/** A listed request with its times as numbers and dates, oldest first. */
export type AccessRequestRow = Omit<AccessRequestRecord, 'expires'> & {
  created_time: number;
  expires: Date;
  [key: string]: unknown;
};

/** `piu list-access-requests`: even's records matching the filters, oldest first, with their expiry. */
export async function listAccessRequestRows(
  evenUrl: string,
  filters: AccessRequestFilters,
  ctx: PiuContext,
): Promise<AccessRequestRow[]> {
  const records = await listAccessRequests(evenUrl, filters, evenOptions(ctx));
  return records
    .map((r) => ({ ...r, created_time: new Date(r.created).getTime() / 1000, expires: expiryOf(r) }))
    .sort((a, b) => a.created_time - b.created_time);
}
