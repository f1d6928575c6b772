import { type Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { AbortedError, isStupsError, OperationError } from '../errors.js';
import type { CodesOf } from '../io/message-codes.js';
import type { MessageCatalog } from '../io/messages.js';
import { isLoopbackHost, localPlatformHint } from './loopback.js';
import { agentsFromEnv } from './network-agents.js';
import { proxyConfigured } from './proxy-env.js';

/**
 * The one gateway for HTTP calls to platform APIs (OAuth servers, Pier One, even): a connect timeout
 * and a request timeout on every call, errors that name the endpoint (method, origin and path; never
 * the query string or headers, which may carry tokens). It speaks the Fetch API's `Response`, so that
 * libraries that take a custom fetch (openid-client) go through it too.
 */
export interface HttpTimeouts {
  /** Until the TCP (and TLS) connection stands (default 3 s). */
  connectMs?: number;
  /** For the whole exchange, from the first byte sent to the last byte read (default 15 s). */
  requestMs?: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Required<HttpTimeouts> = { connectMs: 3_000, requestMs: 15_000 };

export interface HttpCall {
  method?: string;
  headers?: Record<string, string> | Headers | [string, string][];
  body?: string | URLSearchParams | Uint8Array | null;
  signal?: AbortSignal | null;
  timeouts?: HttpTimeouts;
}

/** The endpoint as errors may show it: method, scheme, host, port and path. */
export function describeEndpoint(url: URL, method = 'GET'): string {
  return `${method} ${url.origin}${url.pathname}`;
}

/** The platform API could not be reached or did not answer in time: exit 1, names the endpoint. */
export class HttpUnreachableError extends OperationError {
  readonly endpoint: string;
  constructor(endpoint: string, reason: string, options: { cause?: unknown; hint?: string } = {}) {
    super(`Could not reach ${endpoint}: ${reason}`, {
      code: 'http.unreachable',
      hint: options.hint ?? unreachableHint(endpoint),
      cause: options.cause,
      data: { endpoint },
    });
    this.endpoint = endpoint;
  }
}

/** For a URL on loopback, the local platform's hint (as senza's for AWS); else the general one. */
function unreachableHint(endpoint: string): string {
  let host = '';
  try {
    host = new URL(endpoint.slice(endpoint.indexOf(' ') + 1)).hostname;
  } catch {
    // not a URL: the general hint
  }
  return isLoopbackHost(host)
    ? localPlatformHint('the URL')
    : 'Check that the URL is right and the server runs; set it in the tool config or flags.';
}

function headerEntries(headers: HttpCall['headers']): [string, string][] {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers;
  // A plain record first: the first touch of the global `Headers` loads Node's fetch (undici), some 20 ms
  // that the credential helper's one request would pay on every `docker pull`.
  const proto = Object.getPrototypeOf(headers);
  if (proto === Object.prototype || proto === null) return Object.entries(headers as Record<string, string>);
  if (headers instanceof Headers) return [...headers.entries()];
  return Object.entries(headers);
}

function reasonOf(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EPROXY':
      return e.message;
    default:
      return e.code ?? e.message;
  }
}

/**
 * Why an aborted call failed: the signal's own typed reason, a timeout's (the endpoint did not answer
 * in time), or else an interruption (Ctrl-C, a completion budget spent): exit 130 like an aborted AWS call.
 */
function abortReason(signal: AbortSignal, endpoint: string): Error {
  const reason: unknown = signal.reason;
  if (isStupsError(reason)) return reason as Error;
  if ((reason as { name?: string } | undefined)?.name === 'TimeoutError')
    return new HttpUnreachableError(endpoint, 'timed out', { cause: reason });
  return new AbortedError('Interrupted.', { cause: reason });
}

/**
 * One HTTP exchange through the gateway. Any HTTP status is an answer; only transport failures throw.
 * An abort of `call.signal` (before or during the exchange) ends it at once.
 */
export function httpFetch(input: string | URL, call: HttpCall = {}): Promise<Response> {
  const url = new URL(input);
  const method = (call.method ?? 'GET').toUpperCase();
  const endpoint = describeEndpoint(url, method);
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...call.timeouts };
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new HttpUnreachableError(endpoint, `unsupported scheme ${url.protocol}`));
  if (call.signal?.aborted) return Promise.reject(abortReason(call.signal, endpoint));
  const body =
    call.body == null
      ? undefined
      : typeof call.body === 'string'
        ? Buffer.from(call.body)
        : call.body instanceof URLSearchParams
          ? Buffer.from(call.body.toString())
          : Buffer.from(call.body);
  const headers = Object.fromEntries(headerEntries(call.headers).map(([k, v]) => [k.toLowerCase(), v]));
  if (body && call.body instanceof URLSearchParams && !headers['content-type'])
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  if (body) headers['content-length'] = String(body.length);

  // Through the environment's proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY); nothing is loaded without one.
  if (proxyConfigured()) {
    return agentsFromEnv().then((agents) =>
      exchange(
        url,
        method,
        endpoint,
        headers,
        body,
        timeouts,
        call.signal,
        url.protocol === 'https:' ? agents?.httpsAgent : agents?.httpAgent,
      ),
    );
  }
  return exchange(url, method, endpoint, headers, body, timeouts, call.signal);
}

function exchange(
  url: URL,
  method: string,
  endpoint: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  timeouts: Required<HttpTimeouts>,
  signal: AbortSignal | null | undefined,
  agent?: Agent,
): Promise<Response> {
  const call = { signal };
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(requestTimer);
      req.destroy();
      call.signal?.removeEventListener('abort', onAbort);
      reject(
        call.signal?.aborted
          ? abortReason(call.signal, endpoint)
          : new HttpUnreachableError(endpoint, reason, { cause }),
      );
    };
    // node:https (with TLS) is loaded only for an https URL: a plain-HTTP call (the credential helper's
    // check of a loopback registry) does not pay for it.
    const send =
      url.protocol === 'https:'
        ? (createRequire(import.meta.url)('node:https') as typeof import('node:https')).request
        : httpRequest;
    const req = send(url, agent ? { method, headers, agent } : { method, headers });
    const connectTimer = setTimeout(() => fail(`no connection within ${timeouts.connectMs} ms`), timeouts.connectMs);
    const requestTimer = setTimeout(() => fail(`no answer within ${timeouts.requestMs} ms`), timeouts.requestMs);
    const onAbort = () => fail('aborted');
    call.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (e: NodeJS.ErrnoException) => fail(reasonOf(e), e));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => fail(reasonOf(e), e));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(requestTimer);
        call.signal?.removeEventListener('abort', onAbort);
        const responseHeaders = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const one of v) responseHeaders.append(k, one);
          else if (v !== undefined) responseHeaders.set(k, v);
        }
        const status = res.statusCode ?? 0;
        const noBody = status === 204 || status === 304 || method === 'HEAD';
        const response = new Response(noBody ? null : Buffer.concat(chunks), {
          status,
          statusText: res.statusMessage,
          headers: responseHeaders,
        });
        Object.defineProperty(response, 'url', { value: url.href });
        resolve(response);
      });
    });
    if (body) req.write(body);
    req.end();
  });
}

/** A `fetch` for libraries that take one (openid-client's customFetch), with the gateway's timeouts. */
export function gatewayFetch(timeouts?: HttpTimeouts) {
  return (
    url: string,
    options: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal },
  ) =>
    httpFetch(url, {
      method: options.method,
      headers: options.headers,
      body: options.body as HttpCall['body'],
      signal: options.signal,
      timeouts,
    });
}

/** The gateway's codes, for the message registry. */
export const HTTP_MESSAGES = {
  'http.unreachable': {
    level: 'error',
    description: 'A platform API could not be reached or did not answer in time; names the endpoint (exit 1).',
  },
} satisfies MessageCatalog;

declare module '../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof HTTP_MESSAGES> {}
}
