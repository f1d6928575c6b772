import { peekValidToken } from '../auth/stored-token-peek.js';
import { EXIT, UsageError } from '../errors.js';
import { isLoopbackHost } from '../http/loopback.js';
import { loopbackGetStatus } from '../http/loopback-status.js';
import { describeError } from '../io/error-report.js';
import { PIERONE_SCOPES, PIERONE_TOKEN, pieroneToken } from './pierone-token.js';

/**
 * The Docker credential-helper protocol for Pier One (`docker-credential-pierone <command>`, the
 * request on stdin, the answer on stdout):
 *  - `get` (stdin: the server URL) → `{"ServerURL","Username":"oauth2","Secret":<token>}`, the token from
 *    the auth engine (the stored `pierone` token while it is valid: no network; service and CI tokens);
 *  - `store` (stdin: `{ServerURL,Username,Secret}`) and `erase` (stdin: the server URL) keep nothing:
 *    tokens come from the auth engine, so `docker login`/`logout` succeed without effect;
 *  - `list` → `{"<registry>":"oauth2"}` for the registries config.json hands to this helper.
 * Errors go to stderr (`Error: …` and a hint) with a non-zero exit; the message is also the answer
 * on stdout, which is what Docker quotes in its own error.
 */
export const HELPER_USAGE = 'Usage: docker-credential-pierone <get|store|erase|list|version>  (request on stdin)';

export interface HelperIo {
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
  /** The Pier One token (defaults to {@link helperToken}). */
  token?(env: NodeJS.ProcessEnv, serverUrl: string): Promise<string>;
  /** The helper's version, read only for `version`. */
  version?: () => string;
}

export interface HelperAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The token in getToken's order, the cheap case first: the stored `pierone` token while valid and
 * granted the write scopes Docker's pushes need (one small file read, no YAML parser); else the whole
 * auth engine, loaded only then (service and CI tokens, refresh, sign-in where a person is present).
 */
export async function helperToken(env: NodeJS.ProcessEnv, serverUrl?: string): Promise<string> {
  const cached = peekValidToken(PIERONE_TOKEN, env, PIERONE_SCOPES.write);
  // A stored token may look valid while its issuer has forgotten it (a restarted stups-local): the
  // registry is asked once; a token it refuses is dropped and renewed (Docker would only see a 401).
  const refused = cached && serverUrl && (await registryRefuses(serverUrl, cached)) ? cached : undefined;
  if (cached && !refused) return cached;
  return pieroneToken('write', { env, refused });
}

/**
 * Whether the registry answers `GET /v2/` with 401 to this token, sent as Docker sends it (Basic
 * `oauth2:<token>`; plain HTTP for a loopback registry, as Docker allows). Anything else (unreachable,
 * slow, another status) is no verdict: Docker gets the token and reports what the registry says.
 */
async function registryRefuses(serverUrl: string, token: string): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//.test(serverUrl) ? serverUrl : `https://${serverUrl}`);
    if (/^(127\.|localhost$|\[::1\]$)/.test(url.hostname) && !/^https:\/\//.test(serverUrl)) url.protocol = 'http:';
    url.pathname = '/v2/';
  } catch {
    return false;
  }
  const authorization = `Basic ${Buffer.from(`oauth2:${token}`).toString('base64')}`;
  const timeouts = { connectMs: 2_000, requestMs: 3_000 };
  // A plain-HTTP loopback registry (stups-local's) is asked over a bare socket: the status is all
  // this reads, and Node's HTTP client would cost more than the rest of the run (docs/benchmarks.md).
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    return (await loopbackGetStatus(url, { authorization }, timeouts)) === 401;
  }
  try {
    const { httpFetch } = await import('../http/http-gateway.js');
    const response = await httpFetch(url, { headers: { authorization }, timeouts });
    await response.arrayBuffer();
    return response.status === 401;
  } catch {
    return false;
  }
}

function failure(e: unknown): HelperAnswer {
  const report = describeError(e);
  const stderr = `Error: ${report.message}\n${report.hint ? `Hint: ${report.hint}\n` : ''}`;
  return { code: report.exitCode, stdout: `${report.message}\n`, stderr };
}

function serverUrlOf(text: string): string {
  const url = text.trim();
  if (!url)
    throw new UsageError('No server URL on stdin', {
      code: 'pierone.helper-empty-stdin',
      hint: 'Docker sends the registry on stdin, e.g. `echo 127.0.0.1:5000 | docker-credential-pierone get`.',
    });
  return url;
}

export async function runCredentialHelper(argv: string[], io: HelperIo): Promise<HelperAnswer> {
  const command = argv[0];
  try {
    switch (command) {
      case 'get': {
        const serverUrl = serverUrlOf(await io.readStdin());
        const secret = await (io.token ?? helperToken)(io.env, serverUrl);
        return {
          code: EXIT.OK,
          stdout: `${JSON.stringify({ ServerURL: serverUrl, Username: 'oauth2', Secret: secret })}\n`,
          stderr: '',
        };
      }
      case 'store': {
        const text = (await io.readStdin()).trim();
        let request: unknown;
        try {
          request = JSON.parse(text);
        } catch {
          request = undefined;
        }
        if (
          !request ||
          typeof request !== 'object' ||
          typeof (request as { ServerURL?: unknown }).ServerURL !== 'string'
        )
          throw new UsageError('store expects {"ServerURL","Username","Secret"} on stdin', {
            code: 'pierone.helper-bad-request',
            hint: 'Docker sends this itself on `docker login`; nothing needs storing for Pier One.',
          });
        return { code: EXIT.OK, stdout: '', stderr: '' };
      }
      case 'erase':
        serverUrlOf(await io.readStdin());
        return { code: EXIT.OK, stdout: '', stderr: '' };
      case 'list': {
        const { helperRegistries } = await import('./docker-config.js');
        const list = Object.fromEntries(helperRegistries(io.env).map((r) => [r, 'oauth2']));
        return { code: EXIT.OK, stdout: `${JSON.stringify(list)}\n`, stderr: '' };
      }
      case 'version':
      case '--version':
        return {
          code: EXIT.OK,
          stdout: `docker-credential-pierone ${io.version?.() ?? ''}`.trim().concat('\n'),
          stderr: '',
        };
      case '-h':
      case '--help':
        return { code: EXIT.OK, stdout: `${HELPER_USAGE}\n`, stderr: '' };
      default:
        throw new UsageError(command ? `Unknown command "${command}"` : 'No command given', {
          code: 'pierone.helper-unknown-command',
          hint: HELPER_USAGE,
        });
    }
  } catch (e) {
    return failure(e);
  }
}
