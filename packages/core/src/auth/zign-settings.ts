import { loadToolConfig } from '../config/tool-config.js';
import { UsageError } from '../errors.js';

/**
 * Where zign signs in and as whom, resolved once: flags win over `ZIGN_*` environment variables,
 * which win over `${XDG_CONFIG_HOME:-~/.config}/zign/zign.yaml`. Where no issuer is configured, the
 * original's `zalando-token-cli.yaml` keys (`authorize_url`, `token_url`, `client_id`, and their
 * `ZALANDO_TOKEN_CLI_*` overrides) describe the server without discovery.
 */
export interface ZignSettings {
  /** The OpenID Connect issuer (discovery at `/.well-known/openid-configuration`). */
  issuer?: string;
  /** Endpoints of a server without discovery (the original's configuration). */
  authorizeUrl?: string;
  tokenUrl?: string;
  clientId: string;
  /** Set for a confidential client: tokens come from the client-credentials grant (CI). */
  clientSecret?: string;
  /** Scopes asked for besides the ones a command names. */
  scopes: string[];
  /** Loopback ports the provider registered (the original's 8081–8181); undefined: any free port. */
  redirectPorts?: { from: number; to: number };
  /** How long `login` waits for the browser to come back. */
  loginTimeoutSeconds: number;
}

export interface ZignFlags {
  issuer?: string;
  clientId?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
}

export const DEFAULT_CLIENT_ID = 'zign';
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 120;

const LOOPBACK_HOSTS = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;

/** Plain http is only for the machine itself (RFC 8252 §8.3); anything else must be https. */
export function checkServerUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`The ${what} "${value}" is not a URL`, {
      code: 'auth.bad-url',
      hint: 'Give a full URL such as https://identity.example.org.',
    });
  }
  if (url.protocol === 'https:') return value;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname)) return value;
  throw new UsageError(`The ${what} ${url.origin} does not use https`, {
    code: 'auth.insecure-url',
    hint: 'Tokens are only sent over https, or over http to a loopback address (127.0.0.1) for the local platform.',
  });
}

export function isLoopbackHttp(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

function parsePorts(value: string | undefined): ZignSettings['redirectPorts'] {
  if (!value) return undefined;
  const m = /^(\d+)\s*-\s*(\d+)$/.exec(value) ?? /^(\d+)$/.exec(value);
  const from = Number(m?.[1]);
  const to = Number(m?.[2] ?? m?.[1]);
  if (!m || !(from > 0 && to >= from && to < 65536))
    throw new UsageError(`redirect_ports "${value}" is not a port range`, {
      code: 'auth.bad-ports',
      hint: 'Write it as FROM-TO, e.g. 8081-8181 (zign.yaml redirect_ports or ZIGN_REDIRECT_PORTS).',
    });
  return { from, to };
}

export function resolveZignSettings(flags: ZignFlags = {}, env: NodeJS.ProcessEnv = process.env): ZignSettings {
  const zign = loadToolConfig('zign', env);
  const legacy = loadToolConfig('zalando-token-cli', env);
  const issuer = flags.issuer ?? str(zign.issuer);
  const useLegacy = !issuer;
  const authorizeUrl = flags.authorizeUrl ?? (useLegacy ? str(legacy.authorize_url) : undefined);
  const tokenUrl = flags.tokenUrl ?? (useLegacy ? str(legacy.token_url) : undefined);
  const timeout = Number(str(zign.login_timeout) ?? DEFAULT_LOGIN_TIMEOUT_SECONDS);
  const settings: ZignSettings = {
    issuer: issuer ? checkServerUrl(issuer, 'issuer') : undefined,
    authorizeUrl: authorizeUrl ? checkServerUrl(authorizeUrl, 'authorization endpoint') : undefined,
    tokenUrl: tokenUrl ? checkServerUrl(tokenUrl, 'token endpoint') : undefined,
    clientId:
      flags.clientId ?? str(zign.client_id) ?? (useLegacy ? str(legacy.client_id) : undefined) ?? DEFAULT_CLIENT_ID,
    clientSecret: str(zign.client_secret),
    scopes: (str(zign.scope) ?? '').split(/[\s,]+/).filter(Boolean),
    redirectPorts: parsePorts(str(zign.redirect_ports)),
    loginTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_LOGIN_TIMEOUT_SECONDS,
  };
  return settings;
}

/** Whether there is a server to sign in at. */
export function hasServer(settings: ZignSettings): boolean {
  return Boolean(settings.issuer || settings.tokenUrl);
}
