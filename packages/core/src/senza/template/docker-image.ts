import { AuthError, OperationError } from '../../errors.js';
import { type DockerImage, parseDockerImage, parseImageRef } from '../../pierone/image-ref.js';
import { pieroneUrlForRegistry } from '../../pierone/pierone-settings.js';

export { type DockerImage, parseDockerImage };

/** The tag exists in Pier One, asked with the `pierone` token of the auth engine. */
async function pieroneTagExists(
  url: string,
  image: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const [{ PierOneClient }, { pieroneToken }] = await Promise.all([
    import('../../pierone/pierone-api.js'),
    import('../../pierone/pierone-token.js'),
  ]);
  const ref = parseImageRef(image);
  const client = new PierOneClient({
    url,
    token: async (renew) => {
      try {
        return await pieroneToken('read', { env, refused: renew?.refused });
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
  const pierone = pieroneUrlForRegistry(registry, env);
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
