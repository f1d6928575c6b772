import { UsageError } from '../errors.js';

/**
 * Pier One names: `[REGISTRY/]TEAM/ARTIFACT[:TAG]` (the original's `DockerImage.parse`: with three
 * slash-separated parts the first is the registry; fewer than two parts is an error). Team names follow
 * the original CLI's pattern; artifact and tag names Docker's repository and tag grammar.
 */
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
  const registry = parts.length === 3 ? parts[0] : undefined;
  const team = parts[parts.length - 2];
  const last = parts[parts.length - 1];
  const colon = last.indexOf(':');
  const artifact = colon < 0 ? last : last.slice(0, colon);
  const tag = colon < 0 ? undefined : last.slice(colon + 1);
  return { registry, team, artifact, tag };
}

export function formatImageRef(ref: ImageRef): string {
  const base = [ref.registry?.replace(/^https?:\/\//, ''), ref.team, ref.artifact].filter(Boolean).join('/');
  return ref.tag ? `${base}:${ref.tag}` : base;
}

/** The code is a literal at each caller, where the registration test finds it. */
function checkName(kind: string, value: string, pattern: RegExp, how: { code: string; hint: string }): string {
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
