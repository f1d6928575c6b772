import { UsageError } from '../errors.js';
import type { MessageCode } from '../io/message-codes.js';

/**
 * Image references, the one parser: `[REGISTRY/]REPOSITORY[:TAG]` for any Docker image (the original
 * senza's rule for Taupage `source`: with three or more slash-separated parts the first is the
 * registry), and its Pier One view `[REGISTRY/]TEAM/ARTIFACT[:TAG]` (the original's `DockerImage.parse`:
 * exactly two or three parts). Team names follow the original CLI's pattern; artifact and tag names
 * Docker's repository and tag grammar.
 */
export interface DockerImage {
  registry?: string;
  repository: string;
  /** `latest` when the reference names none. */
  tag: string;
}

interface ImageParts {
  registry?: string;
  /** The path after the registry, without the tag. */
  path: string[];
  tag?: string;
}

function splitImage(image: string): ImageParts {
  const parts = image.split('/');
  const last = parts[parts.length - 1] ?? '';
  const colon = last.lastIndexOf(':');
  const registry = parts.length >= 3 ? parts[0] : undefined;
  const name = colon > 0 ? last.slice(0, colon) : last;
  return {
    registry,
    path: [...parts.slice(registry !== undefined ? 1 : 0, -1), name],
    tag: colon > 0 ? last.slice(colon + 1) : undefined,
  };
}

export function parseDockerImage(image: string): DockerImage {
  const { registry, path, tag } = splitImage(image);
  return { registry, repository: path.join('/'), tag: tag ?? 'latest' };
}

export interface ImageRef {
  registry?: string;
  team: string;
  artifact: string;
  tag?: string;
}

export const TEAM_PATTERN = /^[a-z][a-z0-9_-]+$/;
export const ARTIFACT_PATTERN = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function parseImageRef(image: string): ImageRef {
  const parts = image.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ''))
    throw new UsageError(`Invalid docker image "${image}" (format must be [REGISTRY/]TEAM/ARTIFACT:TAG)`, {
      code: 'pierone.image-invalid',
      hint: 'Name the image as registry/team/artifact:tag, e.g. pierone.example.org/myteam/app:1.0.',
    });
  const { registry, path, tag } = splitImage(image);
  const [team, artifact] = path as [string, string];
  return { registry, team, artifact, tag };
}

/**
 * An image id as `docker images` prints it (`37f08ce57e12`: hex without the algorithm) or any hex
 * prefix of it, as Pier One keys images (`sha256:<hex>`); other values (`sha256:37f0…`) as given.
 */
export function imageIdPrefix(value: string): string {
  return /^[0-9a-f]{1,64}$/i.test(value) ? `sha256:${value.toLowerCase()}` : value;
}

export function formatImageRef(ref: ImageRef): string {
  const base = [ref.registry?.replace(/^https?:\/\//, ''), ref.team, ref.artifact].filter(Boolean).join('/');
  return ref.tag ? `${base}:${ref.tag}` : base;
}

/** The code is a literal at each caller, where the registration test finds it. */
function checkName(kind: string, value: string, pattern: RegExp, how: { code: MessageCode; hint: string }): string {
  if (!pattern.test(value))
    throw new UsageError(`Invalid ${kind} "${value}": it must match ${pattern.source}`, {
      ...how,
      data: { [kind]: value },
    });
  return value;
}

export function checkTeam(team: string): string {
  return checkName('team', team, TEAM_PATTERN, {
    code: 'pierone.team-invalid',
    hint: 'Team names are lower-case letters, digits, "-" and "_", starting with a letter.',
  });
}

export function checkArtifact(artifact: string): string {
  return checkName('artifact', artifact, ARTIFACT_PATTERN, {
    code: 'pierone.artifact-invalid',
    hint: 'Artifact names are lower-case letters and digits, separated by ".", "_", "__" or "-".',
  });
}

export function checkTag(tag: string): string {
  return checkName('tag', tag, TAG_PATTERN, {
    code: 'pierone.tag-invalid',
    hint: 'Tags are up to 128 letters, digits, "_", "." and "-", not starting with "." or "-".',
  });
}
