import type { TableSpec } from '../io/table.js';
import type { ScmSource, TagSummary } from './pierone-api.js';

/**
 * The rows and columns of `pierone tags` and `scm-source`, as the original CLI showed them (1.1.51):
 * times as epoch seconds in `*_time` columns (relative in text, ISO-8601 in JSON), known robot users
 * shown by their short names, status columns "Not Processed" where the server keeps no status.
 */
export const PIERONE_TABLES = {
  tags: {
    columns: ['team', 'artifact', 'tag', 'created_time', 'created_by', 'status', 'status_reason'],
    titles: { created_time: 'Created', created_by: 'By', status_reason: 'Status Reason' },
    shrink: ['status_reason'],
  },
  scmSource: {
    columns: ['tag', 'author', 'url', 'revision', 'status', 'created_time', 'created_by'],
    titles: { url: 'URL', created_time: 'Created', created_by: 'By' },
    maxWidths: { revision: 10 },
  },
} satisfies Record<string, TableSpec>;

const KNOWN_USERS: Record<string, string> = {
  'credprov-cdp-controller-proxy_pierone-token': '[CDP]',
  'credprov-cdp-controller-proxy-credentials-cdp_proxy-token': '[CDP]',
};

export interface TagRow {
  team: string;
  artifact: string;
  tag: string;
  created_time: number | null;
  created_by: string;
  status: string;
  status_reason: string;
  image: string;
}

/** Epoch seconds of the server's `created` (ISO-8601), or null when it does not parse. */
export function createdTime(created: unknown): number | null {
  const ms = typeof created === 'string' ? Date.parse(created) : Number.NaN;
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** The original's default: the last 20 tags per artifact when artifacts are named, else the last 3. */
export function defaultTagLimit(artifactsGiven: boolean): number {
  return artifactsGiven ? 20 : 3;
}

/** The last `limit` tags (0: all) of one artifact, oldest first, as rows. */
export function tagRows(team: string, artifact: string, tags: TagSummary[], limit: number): TagRow[] {
  const kept = limit === 0 ? tags : tags.slice(-limit);
  return kept.map((t) => ({
    team,
    artifact,
    tag: t.name,
    created_time: createdTime(t.created),
    created_by: KNOWN_USERS[t.created_by] ?? t.created_by,
    status: typeof t.status === 'string' ? t.status : 'Not Processed',
    status_reason: typeof t.status_reason === 'string' ? t.status_reason : 'Not Processed',
    image: t.image,
  }));
}

export interface ScmSourceRow {
  tag: string;
  author?: string;
  url?: string;
  revision?: string;
  status?: string;
  created_time: number | null;
  created_by?: string;
}

export function scmSourceRow(
  tag: string,
  source: ScmSource | undefined,
  summary: TagSummary | undefined,
): ScmSourceRow {
  return {
    tag,
    author: source?.author,
    url: source?.url,
    revision: source?.revision,
    status: source?.status,
    created_time: createdTime(summary?.created),
    created_by: summary ? (KNOWN_USERS[summary.created_by] ?? summary.created_by) : undefined,
  };
}
