/**
 * The manifest kinds the registry accepts (Docker schema 2 and OCI image manifests, Docker manifest
 * lists and OCI indexes), told apart by their media type or, for an OCI manifest without one, by shape.
 */
export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

export type ParsedManifest =
  | { kind: 'image'; mediaType: string; config: string; layers: string[] }
  | { kind: 'index'; mediaType: string; manifests: string[] }
  | { kind: 'invalid'; message: string };

interface Descriptor {
  digest?: unknown;
}

function digests(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out = list.map((d: Descriptor) => d?.digest);
  return out.every((d): d is string => typeof d === 'string') ? out : undefined;
}

export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return { kind: 'invalid', message: 'manifest is not JSON' };
  }
  if (!body || typeof body !== 'object') return { kind: 'invalid', message: 'manifest is not a JSON object' };
  if (body.schemaVersion !== 2) return { kind: 'invalid', message: `unsupported schemaVersion ${body.schemaVersion}` };
  const declared = typeof body.mediaType === 'string' ? body.mediaType : contentType?.split(';')[0]?.trim();
  const isIndex =
    declared === MEDIA_TYPES.dockerList || declared === MEDIA_TYPES.ociIndex || (!declared && 'manifests' in body);
  if (isIndex) {
    const manifests = digests(body.manifests);
    if (!manifests) return { kind: 'invalid', message: 'manifest list without valid "manifests"' };
    return { kind: 'index', mediaType: declared ?? MEDIA_TYPES.ociIndex, manifests };
  }
  const mediaType =
    declared === MEDIA_TYPES.dockerManifest || declared === MEDIA_TYPES.ociManifest
      ? declared
      : !declared || declared === 'application/json' || declared === 'application/octet-stream'
        ? MEDIA_TYPES.ociManifest
        : undefined;
  if (!mediaType) return { kind: 'invalid', message: `unsupported manifest media type ${declared}` };
  const config = (body.config as Descriptor | undefined)?.digest;
  const layers = digests(body.layers);
  if (typeof config !== 'string' || !layers) return { kind: 'invalid', message: 'manifest without config or layers' };
  if (layers.length === 0) return { kind: 'invalid', message: 'manifest has no FS layers' };
  return { kind: 'image', mediaType, config, layers };
}
