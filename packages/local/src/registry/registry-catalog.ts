import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@stups/core';

/**
 * What the registry knows besides blobs: per repository (`team/artifact`) its tags in creation order
 * and the manifests pushed to it (digest → media type). One JSON file per repository under
 * `repositories/<team>/<artifact>.json`, replaced atomically after each change, read back on start.
 */
export interface TagRecord {
  name: string;
  /** Digest of the manifest the tag points to. */
  manifest: string;
  /** The image id: the config digest of an image manifest (what `docker images` shows), else the manifest digest. */
  image: string;
  /** ISO-8601 UTC with milliseconds and `Z`. */
  created: string;
  created_by: string;
  /** Layer digests, top layer first (for scm-source.json). */
  layers: string[];
}

export interface RepositoryRecord {
  team: string;
  artifact: string;
  tags: TagRecord[];
  manifests: Record<string, string>;
}

export type TagPut = 'created' | 'updated' | 'unchanged' | 'immutable';

export class RegistryCatalog {
  private readonly dir: string;
  private readonly repos = new Map<string, RepositoryRecord>();

  constructor(root: string) {
    this.dir = join(root, 'repositories');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const team of readdirSync(this.dir)) {
      for (const file of readdirSync(join(this.dir, team))) {
        if (!file.endsWith('.json')) continue;
        const repo = JSON.parse(readFileSync(join(this.dir, team, file), 'utf8')) as RepositoryRecord;
        this.repos.set(`${repo.team}/${repo.artifact}`, repo);
      }
    }
  }

  get(team: string, artifact: string): RepositoryRecord | undefined {
    return this.repos.get(`${team}/${artifact}`);
  }

  all(): RepositoryRecord[] {
    return [...this.repos.values()];
  }

  private repo(team: string, artifact: string): RepositoryRecord {
    let repo = this.get(team, artifact);
    if (!repo) {
      repo = { team, artifact, tags: [], manifests: {} };
      this.repos.set(`${team}/${artifact}`, repo);
    }
    return repo;
  }

  private save(repo: RepositoryRecord): void {
    writeFileAtomic(join(this.dir, repo.team, `${repo.artifact}.json`), `${JSON.stringify(repo)}\n`, 0o600);
  }

  addManifest(team: string, artifact: string, digest: string, mediaType: string): void {
    const repo = this.repo(team, artifact);
    if (repo.manifests[digest] === mediaType) return;
    repo.manifests[digest] = mediaType;
    this.save(repo);
  }

  /** Tags are immutable, except `-SNAPSHOT` ones, which move to the new manifest (and become the newest). */
  putTag(team: string, artifact: string, tag: Omit<TagRecord, 'created'>): TagPut {
    const repo = this.repo(team, artifact);
    const i = repo.tags.findIndex((t) => t.name === tag.name);
    const existing = repo.tags[i];
    if (existing && existing.manifest === tag.manifest) return 'unchanged';
    if (existing && !tag.name.endsWith('-SNAPSHOT')) return 'immutable';
    if (existing) repo.tags.splice(i, 1);
    repo.tags.push({ ...tag, created: new Date().toISOString() });
    this.save(repo);
    return existing ? 'updated' : 'created';
  }

  latest(team: string, artifact: string): TagRecord | undefined {
    const tags = this.get(team, artifact)?.tags ?? [];
    return tags[tags.length - 1];
  }
}
