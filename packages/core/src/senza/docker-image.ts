import { OperationError } from '../errors.js';

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

/** Pier One needs an OAuth token (pierone login), which this release does not obtain. */
function needsCredentials(registry: string): boolean {
  return registry.includes('pierone');
}

async function tagsList(url: string, timeoutMs: number): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
}

/**
 * Whether the image's tag exists, through the Docker Registry v2 API (`/v2/<repo>/tags/list`, HTTPS
 * first and plain HTTP if that fails, like the original). null when the registry wants credentials.
 */
export async function dockerImageExists(image: string, timeoutMs = 5000): Promise<boolean | null> {
  const { registry, repository, tag } = parseDockerImage(image);
  if (!registry) return true;
  if (needsCredentials(registry)) return null;
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
