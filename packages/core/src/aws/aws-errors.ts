import { AbortedError, AuthError, AwsError, EXIT, isStupsError } from '../errors.js';
import { isLoopbackHost, localPlatformHint } from '../http/loopback.js';
import { proxyFor } from '../http/proxy-env.js';
import type { AwsTimeouts } from './aws-timeouts.js';

/**
 * One mapping from AWS SDK failures to typed errors. Every error names the service and operation;
 * failures that did not come from AWS itself (nothing listening, no answer in time, an answer that
 * is not an AWS response) also name the endpoint, the HTTP status and what to do next.
 */
export interface AwsFailureContext {
  resource?: string;
  /** The URL the request went to (scheme, host, port), when it got that far. */
  endpoint?: string;
  timeouts?: AwsTimeouts;
  /** The signal the call ran under: a fired signal means the user (or a deadline) stopped it. */
  signal?: AbortSignal;
  /** The call's own deadline (its share of `timeouts.requestMs`): when it fired, the endpoint did not answer in time. */
  deadline?: AbortSignal;
  /** The session's region: an unknown one gets answers like a foreign endpoint's (moto: an HTML 500). */
  region?: string;
  env?: NodeJS.ProcessEnv;
}

const CREDENTIALS_MISSING =
  /CredentialsProviderError|Could not load credentials|Unable to locate credentials|Missing credentials/i;
/** The SDK's SSO providers end an expired or invalid session's error with "run aws sso login". */
const SSO_LOGIN = /\baws sso login\b/;
const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'UnrecognizedClientException',
]);
const NETWORK_CODES = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EPIPE|socket hang up/;
/** Names the SDK gives errors that carry no code of the service's own. */
const GENERIC_NAMES = new Set(['UnknownError', 'Unknown', 'Error', 'SyntaxError', 'TypeError']);

/** What to do when an endpoint misbehaves: for the local platform, ask it how it is. */
export function endpointHint(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AWS_ENDPOINT_URL;
  let host = '';
  try {
    host = new URL(endpoint ?? configured ?? '').hostname;
  } catch {
    // no usable URL: fall through to the general hint
  }
  if (isLoopbackHost(host) || (host === '' && configured && isLoopbackHost(safeHost(configured)))) {
    return localPlatformHint('AWS_ENDPOINT_URL');
  }
  if (configured)
    return `AWS_ENDPOINT_URL is set to ${configured}: check that it points at an AWS-compatible endpoint.`;
  const proxy = endpoint ? safeProxy(endpoint, env) : undefined;
  if (proxy)
    return `Requests go through the proxy ${proxy} (HTTPS_PROXY/HTTP_PROXY): check that it runs and lets them through, or exempt the host in NO_PROXY.`;
  return 'Check your network connection and proxy settings (HTTPS_PROXY, NO_PROXY).';
}

const regionHint = (region: string | undefined) =>
  region ? ` Check the region name too (${region}): an unknown region gets such answers.` : '';

function safeProxy(endpoint: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const p = proxyFor(endpoint, env);
    return p ? `${p.protocol}//${p.host}` : undefined;
  } catch {
    return undefined;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** `ECONNREFUSED` and friends, also when the SDK wraps them (AggregateError, cause). */
function networkCode(err: { code?: unknown; message?: unknown; errors?: unknown[]; cause?: unknown }): string | null {
  const own = `${err?.code ?? ''} ${err?.message ?? ''}`;
  const m = NETWORK_CODES.exec(own);
  if (m) return m[0];
  for (const inner of [...(Array.isArray(err?.errors) ? err.errors : []), err?.cause]) {
    if (inner && typeof inner === 'object') {
      const found = networkCode(inner as Record<string, unknown>);
      if (found) return found;
    }
  }
  return null;
}

function attemptsText(err: { $metadata?: { attempts?: number } }): string {
  const n = err?.$metadata?.attempts;
  return n && n > 1 ? ` (${n} attempts)` : '';
}

export function mapAwsError(service: string, operation: string, e: unknown, context: AwsFailureContext = {}): Error {
  if (isStupsError(e)) return e;
  // biome-ignore lint/suspicious/noExplicitAny: SDK error shapes
  const err = e as any;
  const name: string = err?.name ?? '';
  const message: string = err?.message ?? String(e);
  const { resource, signal } = context;
  const env = context.env ?? process.env;
  const endpoint = context.endpoint ?? env.AWS_ENDPOINT_URL ?? `the ${service} endpoint`;
  const deadlinePassed = context.deadline?.aborted === true && !signal?.aborted;
  if (!deadlinePassed && (signal?.aborted || name === 'AbortError')) {
    const reason = signal?.reason;
    if (isStupsError(reason)) return reason;
    return new AbortedError('Interrupted.', { cause: e });
  }
  if (SSO_LOGIN.test(message)) {
    const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
    return new AuthError('The AWS SSO session has expired or is invalid.', {
      code: 'aws.credentials-expired',
      hint: `Run \`aws sso login${profile ? ` --profile ${profile}` : ''}\` and try again.`,
      cause: e,
    });
  }
  if (CREDENTIALS_MISSING.test(name) || CREDENTIALS_MISSING.test(message)) {
    return new AuthError('No AWS credentials found.', {
      code: 'aws.credentials-missing',
      hint: 'Configure ~/.aws/credentials, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (for the local platform: AWS_ENDPOINT_URL plus any dummy key pair).',
      cause: e,
    });
  }
  if (EXPIRED_CODES.has(name)) {
    return new AuthError('AWS credentials have expired.', {
      code: 'aws.credentials-expired',
      hint: 'Get new temporary credentials for this account and try again.',
      cause: e,
    });
  }
  if (DENIED_CODES.has(name)) {
    return new AwsError(service, operation, `access denied: ${message}`, {
      code: 'aws.access-denied',
      awsCode: name,
      resource,
      exitCode: EXIT.AUTH,
      hint: 'Check that your AWS role may perform this operation in this account and region.',
      cause: e,
    });
  }
  // The SDK names a dropped connection (ECONNRESET, "socket hang up") a TimeoutError too: that is no timeout.
  const dropped = !deadlinePassed && (err?.code === 'ECONNRESET' || err?.code === 'EPIPE');
  if (!dropped && (deadlinePassed || name === 'TimeoutError' || err?.code === 'ETIMEDOUT')) {
    const connecting = !deadlinePassed && /establish a connection/.test(message);
    const limit = context.timeouts
      ? connecting
        ? `the connect timeout of ${context.timeouts.connectMs / 1000} s`
        : `${context.timeouts.requestMs / 1000} s`
      : 'the timeout';
    return new AwsError(
      service,
      operation,
      `${endpoint} did not ${connecting ? 'accept a connection' : 'answer'} within ${limit}${attemptsText(err)}`,
      {
        code: 'aws.timeout',
        resource,
        hint: `${endpointHint(context.endpoint, env)} A longer limit: SENZA_AWS_TIMEOUT / SENZA_AWS_CONNECT_TIMEOUT (seconds) or \`senza config aws.timeout 60\`.`,
        data: { endpoint, timeouts: context.timeouts },
        cause: e,
      },
    );
  }
  if (err?.code === 'EPROXY') {
    return new AwsError(service, operation, `cannot reach ${endpoint}: ${message}`, {
      code: 'aws.unreachable',
      resource,
      hint: endpointHint(context.endpoint, env),
      data: { endpoint, cause: 'EPROXY' },
      cause: e,
    });
  }
  const network = networkCode(err);
  if (network) {
    const what = /ECONNRESET|EPIPE|socket hang up/.test(network)
      ? `${endpoint} dropped the connection (${network})`
      : `cannot reach ${endpoint} (${network})`;
    return new AwsError(service, operation, `${what}${attemptsText(err)}`, {
      code: 'aws.unreachable',
      resource,
      hint: `${endpointHint(context.endpoint, env)}${network === 'ENOTFOUND' ? regionHint(context.region) : ''}`,
      data: { endpoint, cause: network },
      cause: e,
    });
  }
  const status: number | undefined = err?.$response?.statusCode ?? err?.$metadata?.httpStatusCode;
  // The SDK could not read the body as an AWS answer (an HTML error page, garbage), or found no AWS
  // error code in it (an empty 404): whoever answered is not the AWS API this call expects.
  // An error code the service named (a modelled or unmodelled service exception) is AWS's answer, whatever
  // its message says or lacks: KMS's InvalidCiphertextException comes without a message, a template error
  // says "Unable to parse". Only a body the SDK could not read, or one without a code, is not AWS.
  const noMessage = message === '' || message === 'UnknownError' || message === 'Unknown';
  // "NotFound" without a message is the SDK's name for any 404 without an error code (e.g. an empty body).
  const namedCode =
    err?.$fault !== undefined && name !== '' && !GENERIC_NAMES.has(name) && !(name === 'NotFound' && noMessage);
  const unparsable =
    /Deserialization error/i.test(message) ||
    (!namedCode && err?.$response !== undefined && /parse|\$response/i.test(message));
  const unknown = !namedCode && (GENERIC_NAMES.has(name) || message === 'Unknown' || message === 'UnknownError');
  if (unparsable || unknown) {
    const what = unparsable ? 'an answer that is not an AWS response' : 'no AWS error in its answer';
    return new AwsError(service, operation, `${endpoint} answered HTTP ${status ?? '(no status)'} with ${what}`, {
      code: 'aws.bad-response',
      resource,
      hint: `${endpointHint(context.endpoint, env)}${regionHint(context.region)}`,
      data: { endpoint, httpStatus: status },
      cause: e,
    });
  }
  // No message (AWS sends none for some codes; the SDK then says "UnknownError"): the code is the message.
  const text = namedCode && noMessage ? name : message;
  return new AwsError(service, operation, text, { awsCode: name || undefined, resource, cause: e });
}

/**
 * CloudFormation's answer for a missing stack: a ValidationError "Stack with id X does not exist". Checked by
 * shape, not instanceof: the error may come from another copy of this package (src vs dist).
 */
export function isStackMissing(e: unknown): boolean {
  const err = e as Partial<AwsError> | undefined;
  return err?.awsCode === 'ValidationError' && /does not exist/i.test(err.message ?? '');
}
