import { loadToolConfig } from '../config/tool-config.js';
import { AuthError, OperationError } from '../errors.js';

/** `[REGISTRY/]TEAM/ARTIFACT[:TAG]`, as the original parsed Taupage `source` values. */
export interface DockerImage {
  registry?: string;
  repository: string;
  tag: string;
}

export function parseDockerImage(image: string): DockerImage {
  const parts = image.split('/');
  const last = parts[parts.length - 1];
  const colon = last.lastIndexOf(':');
  const tag = colon > 0 ? last.slice(colon + 1) : 'latest';
  const artifact = colon > 0 ? last.slice(0, colon) : last;
  const registry = parts.length >= 3 ? parts[0] : undefined;
  const repository = [...parts.slice(registry ? 1 : 0, -1), artifact].join('/');
  return { registry, repository, tag };
}

/**
 * The Pier One URL for a registry named in an image: the configured one (PIERONE_URL or `url` in
 * pierone.yaml) when its host matches, else `https://<registry>` when the name contains `pierone`
 * (the original's rule); undefined for other registries.
 */
function pieroneUrlFor(registry: string, env: NodeJS.ProcessEnv): string | undefined {
  const configured = loadToolConfig('pierone', env).url;
  if (typeof configured === 'string' && configured) {
    try {
      const url = new URL(configured.includes('://') ? configured : `https://${configured}`);
      if (url.host.toLowerCase() === registry.toLowerCase()) return url.origin;
    } catch {
      // not a URL: fall through to the name rule
    }
  }
  return registry.includes('pierone') ? `https://${registry}` : undefined;
}

/** The tag exists in Pier One, asked with the `pierone` token of the auth engine. */
async function pieroneTagExists(
  url: string,
  image: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const [{ PierOneClient }, { parseImageRef }, { getToken }] = await Promise.all([
    import('../pierone/pierone-api.js'),
    import('../pierone/image-ref.js'),
    import('../auth/get-token.js'),
  ]);
  const ref = parseImageRef(image);
  const client = new PierOneClient({
    url,
    token: async (renew) => {
      try {
        return (await getToken('pierone', ['uid'], { env, refused: renew?.refused })).access_token;
      } catch (e) {
        if (!(e instanceof AuthError)) throw e;
        throw new AuthError(
          `Unauthorized: Cannot check whether Docker image "${image}" exists in Pier One Docker registry: ${e.message}`,
          {
            code: 'senza.pierone-unauthorized',
            hint: 'Get a "pierone" token with `pierone login` (CI: the service-token setup), or skip this check with --force.',
            cause: e,
          },
        );
      }
    },
    // A Pier One that never answers fails the check like an unreachable registry does, not forever.
    signal: AbortSignal.timeout(timeoutMs),
  });
  return client.tagExists(ref.team, ref.artifact, ref.tag ?? 'latest');
}

async function tagsList(url: string, timeoutMs: number): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
}

/**
 * Whether the image's tag exists: in Pier One through its API with the `pierone` token; elsewhere
 * through the Docker Registry v2 API (`/v2/<repo>/tags/list`, HTTPS first and plain HTTP if that
 * fails, like the original). null when another registry wants credentials.
 */
export async function dockerImageExists(
  image: string,
  timeoutMs = 5000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean | null> {
  const { registry, repository, tag } = parseDockerImage(image);
  if (!registry) return true;
  const pierone = pieroneUrlFor(registry, env);
  if (pierone) return pieroneTagExists(pierone, image, timeoutMs, env);
  const path = `/v2/${repository}/tags/list`;
  let response: Response;
  try {
    response = await tagsList(`https://${registry}${path}`, timeoutMs);
  } catch {
    try {
      response = await tagsList(`http://${registry}${path}`, timeoutMs);
    } catch (e) {
      throw new OperationError(
        `Cannot reach the Docker registry ${registry} to check "${image}": ${(e as Error).message}`,
        {
          code: 'senza.docker-registry-unreachable',
          hint: 'Check the registry name and your network, or skip the image check with --force.',
        },
      );
    }
  }
  if (response.status === 401 || response.status === 403) return null;
  if (response.status === 404) return false;
  if (!response.ok) {
    throw new OperationError(`Docker registry ${registry} answered HTTP ${response.status} for ${path}`, {
      code: 'senza.docker-registry-error',
      hint: 'Skip the image check with --force if the registry is known to be fine.',
    });
  }
  const body = (await response.json().catch(() => ({}))) as { tags?: unknown };
  return Array.isArray(body.tags) && body.tags.includes(tag);
}
