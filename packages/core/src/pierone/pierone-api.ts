import type { GetTokenOptions } from '../auth/get-token.js';
import { AuthError, NotFoundError, OperationError } from '../errors.js';
import { describeEndpoint, type HttpTimeouts, httpFetch } from '../http/http-gateway.js';
import { checkArtifact, checkTeam, imageIdPrefix } from './image-ref.js';
import { type PierOneAccess, pieroneToken } from './pierone-token.js';
import { normalizePieroneUrl } from './pierone-url.js';

/**
 * The Pier One REST API (teams, artifacts, tags, scm-source, tags by image prefix) with a Bearer
 * token, every call through the HTTP gateway. Status codes become typed errors that name the
 * endpoint: 401/403 are authentication errors (exit 3), 404 not found, the rest operation errors.
 */
export interface TagSummary {
  name: string;
  /** ISO-8601 UTC with milliseconds and `Z`. */
  created: string;
  created_by: string;
  image: string;
  [key: string]: unknown;
}

export interface ScmSource {
  url: string;
  revision: string;
  author: string;
  status: string;
  created?: string;
  [key: string]: unknown;
}

export interface TagLocation {
  name: string;
  team: string;
  artifact: string;
}

export type ImageLookup = { kind: 'found'; tags: TagLocation[] } | { kind: 'not-found' } | { kind: 'ambiguous' };

export interface PierOneClientOptions {
  url: string;
  /**
   * The access token (from {@link pieroneToken}), asked for on the first call. After a 401 it
   * is asked for once more with `refused` set to the token the registry refused, which the auth engine
   * drops and renews (a restarted issuer forgets its tokens while the store still holds them).
   */
  token: (renew?: { refused: string }) => Promise<string>;
  timeouts?: HttpTimeouts;
  /** Ends every call of this client in flight when aborted (Ctrl-C: the CLI's signal). */
  signal?: AbortSignal;
}

/** Per call: an abort signal (a completion's time budget), besides the client's own. */
export interface PierOneCall {
  signal?: AbortSignal;
}

export const PIERONE_TIMEOUTS: HttpTimeouts = { connectMs: 3_000, requestMs: 10_000 };

export class PierOneClient {
  readonly url: string;
  private readonly token: (renew?: { refused: string }) => Promise<string>;
  private readonly timeouts: HttpTimeouts;
  private readonly signal?: AbortSignal;
  private tokenValue?: Promise<string>;

  constructor(options: PierOneClientOptions) {
    this.url = normalizePieroneUrl(options.url);
    this.token = options.token;
    this.timeouts = options.timeouts ?? PIERONE_TIMEOUTS;
    this.signal = options.signal;
  }

  private signalOf(call: PierOneCall): AbortSignal | undefined {
    const signals = [this.signal, call.signal].filter((s): s is AbortSignal => s !== undefined);
    return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  }

  private async send(path: string, call: PierOneCall): Promise<{ status: number; text: string; endpoint: string }> {
    const signal = this.signalOf(call);
    const url = new URL(`${this.url}${path}`);
    const attempt = async () => {
      this.tokenValue ??= this.token();
      const token = await this.tokenValue;
      const response = await httpFetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        timeouts: this.timeouts,
        signal,
      });
      return { token, status: response.status, text: await response.text(), endpoint: describeEndpoint(url) };
    };
    let answer = await attempt();
    if (answer.status === 401 && !this.renewed) {
      // Once per client: a refused token is dropped and renewed, then the call is made again.
      this.renewed = true;
      const refused = answer.token;
      this.tokenValue = this.token({ refused });
      answer = await attempt();
    }
    return answer;
  }

  private renewed = false;

  /**
   * Whether the registry answers at all (`GET /v2/` without a token: 200 or 401 from a registry); an
   * OperationError naming the endpoint when it cannot be reached or answers with a server error.
   */
  async probe(call: PierOneCall = {}): Promise<void> {
    const url = new URL(`${this.url}/v2/`);
    const response = await httpFetch(url, { timeouts: this.timeouts, signal: this.signalOf(call) });
    await response.arrayBuffer();
    if (response.status >= 500)
      throw new OperationError(`Pier One answered HTTP ${response.status} for ${describeEndpoint(url)}`, {
        code: 'pierone.http-error',
        hint: 'The registry is there but failing; try again later.',
        data: { endpoint: describeEndpoint(url), status: response.status },
      });
  }

  /** The JSON body of a 2xx answer; undefined for a status in `absent` (404 for "no such thing"). */
  private async call(path: string, call: PierOneCall, absent: number[] = []): Promise<unknown> {
    const { status, text, endpoint } = await this.send(path, call);
    if (absent.includes(status)) return { absent: status };
    if (status === 401)
      throw new AuthError(`Pier One refused the token (401 Unauthorized) at ${endpoint}`, {
        code: 'pierone.unauthorized',
        hint: 'The token is wrong or expired: run `pierone login` (people) or check the CI token setup.',
        data: { endpoint },
      });
    if (status === 403)
      throw new AuthError(`Pier One denied access (403 Forbidden) at ${endpoint}${problemDetail(text)}`, {
        code: 'pierone.forbidden',
        hint: 'The token lacks a scope or team membership this call needs.',
        data: { endpoint },
      });
    if (status === 404)
      throw new NotFoundError(`Not found: ${endpoint}`, { code: 'pierone.not-found', data: { endpoint } });
    if (status < 200 || status > 299)
      throw new OperationError(`Pier One answered HTTP ${status} for ${endpoint}${problemDetail(text)}`, {
        code: 'pierone.http-error',
        hint: 'Try again later; check the Pier One URL.',
        data: { endpoint, status },
      });
    try {
      return { body: JSON.parse(text) as unknown };
    } catch {
      throw new OperationError(`Pier One answered ${endpoint} with something that is not JSON`, {
        code: 'pierone.bad-response',
        hint: 'Check that the URL points at a Pier One registry.',
        data: { endpoint },
      });
    }
  }

  private async json(path: string, call: PierOneCall): Promise<unknown> {
    return ((await this.call(path, call)) as { body: unknown }).body;
  }

  /** Whether the registry takes the token (`GET /v2/`): an AuthError naming the URL when it does not. */
  async checkToken(call: PierOneCall = {}): Promise<void> {
    await this.call('/v2/', call);
  }

  async teams(call: PierOneCall = {}): Promise<string[]> {
    return stringList(await this.json('/teams', call));
  }

  async artifacts(team: string, call: PierOneCall = {}): Promise<string[]> {
    return stringList(await this.json(`/teams/${enc(checkTeam(team))}/artifacts`, call));
  }

  /** Oldest first; undefined when the team or artifact is unknown (the server's 404). */
  async tags(team: string, artifact: string, call: PierOneCall = {}): Promise<TagSummary[] | undefined> {
    const answer = (await this.call(
      `/teams/${enc(checkTeam(team))}/artifacts/${enc(checkArtifact(artifact))}/tags`,
      call,
      [404],
    )) as { body?: unknown };
    if (!('body' in answer)) return undefined;
    return Array.isArray(answer.body) ? (answer.body as TagSummary[]) : [];
  }

  /** undefined when the tag has no SCM source (404). */
  async scmSource(team: string, artifact: string, tag: string, call: PierOneCall = {}): Promise<ScmSource | undefined> {
    const answer = (await this.call(
      `/teams/${enc(checkTeam(team))}/artifacts/${enc(checkArtifact(artifact))}/tags/${enc(tag)}/scm-source`,
      call,
      [404],
    )) as { body?: unknown };
    return answer.body && typeof answer.body === 'object' ? (answer.body as ScmSource) : undefined;
  }

  /**
   * Which tags point to images whose id starts with `prefix` (404: none; 412: more than one image);
   * the short id `docker images` prints is taken as the `sha256:` prefix it is.
   */
  async imageTags(prefix: string, call: PierOneCall = {}): Promise<ImageLookup> {
    const path = `/tags/${enc(imageIdPrefix(prefix))}`;
    const answer = (await this.call(path, call, [404, 412])) as { body?: unknown; absent?: number };
    if (answer.absent === 404) return { kind: 'not-found' };
    if (answer.absent === 412) return { kind: 'ambiguous' };
    return { kind: 'found', tags: Array.isArray(answer.body) ? (answer.body as TagLocation[]) : [] };
  }

  /** The tag created last (the original compares the ISO strings), or undefined. */
  async latest(team: string, artifact: string, call: PierOneCall = {}): Promise<string | undefined> {
    const tags = (await this.tags(team, artifact, call)) ?? [];
    return latestTag(tags)?.name;
  }

  async tagExists(team: string, artifact: string, tag: string, call: PierOneCall = {}): Promise<boolean> {
    const tags = await this.tags(team, artifact, call);
    return Boolean(tags?.some((t) => t.name === tag));
  }
}

/** How a client gets its token from the auth engine: whether a person may sign in, where messages go. */
export interface PierOneAuth {
  env?: NodeJS.ProcessEnv;
  host?: GetTokenOptions['host'];
  interactive?: boolean;
}

/**
 * A client whose `pierone` token comes from the auth engine with the scopes of `access` (read unless
 * told), asked for on first use; the one place a token is wired to the client.
 */
export function pieroneClient(
  options: { url: string; access?: PierOneAccess; timeouts?: HttpTimeouts; signal?: AbortSignal } & PierOneAuth,
): PierOneClient {
  const { url, access = 'read', timeouts, signal, ...auth } = options;
  return new PierOneClient({
    url,
    timeouts,
    signal,
    token: (renew) => pieroneToken(access, { ...auth, signal, refused: renew?.refused }),
  });
}

export function latestTag(tags: TagSummary[]): TagSummary | undefined {
  let best: TagSummary | undefined;
  for (const t of tags) if (!best || String(t.created) > String(best.created)) best = t;
  return best;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function stringList(body: unknown): string[] {
  return Array.isArray(body) ? body.filter((x): x is string => typeof x === 'string') : [];
}

/** `: <detail>` from an RFC 7807 problem or a registry error body, if there is one. */
function problemDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { detail?: unknown; errors?: { message?: unknown }[] };
    const detail = body.detail ?? body.errors?.[0]?.message;
    return typeof detail === 'string' && detail ? `: ${detail}` : '';
  } catch {
    return '';
  }
}
