import type { ServerResponse } from 'node:http';
import { ARTIFACT_PATTERN, TEAM_PATTERN } from '@stups/core/pierone';
import type { BlobStore } from './blob-store.js';
import { sendEmpty, sendJson } from './http-answers.js';
import type { RegistryCatalog, TagRecord } from './registry-catalog.js';
import { findScmSource, type ScmSourceJson } from './scm-source.js';

/**
 * The Pier One REST API (reference §3.6): teams and artifacts as arrays of strings (an unknown team's
 * artifacts are `[]`), tags oldest first, scm-source from the image's `scm-source.json`, tags by
 * image-id prefix (404 none, 412 more than one image), and the v1 tag map `pierone.api.image_exists` reads.
 */
export interface RestContext {
  blobs: BlobStore;
  catalog: RegistryCatalog;
  /** scm-source.json per layer digest (null: the layer has none), filled on first request. */
  scmCache: Map<string, ScmSourceJson | null>;
}

function tagSummary(t: TagRecord) {
  return {
    name: t.name,
    created: t.created,
    created_by: t.created_by,
    image: t.image,
    clair_id: null,
    severity_fix_available: null,
    severity_no_fix_available: null,
  };
}

async function scmSourceOf(ctx: RestContext, tag: TagRecord): Promise<ScmSourceJson | undefined> {
  for (const layer of tag.layers) {
    if (!ctx.scmCache.has(layer)) {
      const found = ctx.blobs.has(layer) ? await findScmSource(() => ctx.blobs.read(layer)) : undefined;
      ctx.scmCache.set(layer, found ?? null);
    }
    const hit = ctx.scmCache.get(layer);
    if (hit) return hit;
  }
  return undefined;
}

const TEAM_ROUTE = /^\/teams\/([^/]+)\/artifacts(?:\/([^/]+)\/tags(?:\/([^/]+)\/scm-source)?)?$/;
const V1_TAGS_ROUTE = /^\/v1\/repositories\/([^/]+)\/([^/]+)\/tags$/;

/** Answers a REST read; false when the path is not one of the API's. */
export async function handleRest(ctx: RestContext, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (path === '/teams') {
    const teams = new Set(
      ctx.catalog
        .all()
        .filter((r) => r.tags.length)
        .map((r) => r.team),
    );
    sendJson(res, 200, [...teams].sort());
    return true;
  }
  const m = TEAM_ROUTE.exec(path);
  if (m) {
    const team = decodeURIComponent(m[1]);
    if (!TEAM_PATTERN.test(team)) {
      sendJson(res, 400, { title: 'Bad Request', detail: `invalid team name "${team}"` });
      return true;
    }
    if (m[2] === undefined) {
      const artifacts = ctx.catalog
        .all()
        .filter((r) => r.team === team && r.tags.length)
        .map((r) => r.artifact)
        .sort();
      sendJson(res, 200, artifacts);
      return true;
    }
    const artifact = decodeURIComponent(m[2]);
    if (!ARTIFACT_PATTERN.test(artifact)) {
      sendJson(res, 400, { title: 'Bad Request', detail: `invalid artifact name "${artifact}"` });
      return true;
    }
    const tags = ctx.catalog.get(team, artifact)?.tags ?? [];
    if (m[3] === undefined) {
      if (tags.length === 0) sendEmpty(res, 404);
      else sendJson(res, 200, tags.map(tagSummary));
      return true;
    }
    const tag = tags.find((t) => t.name === decodeURIComponent(m[3] as string));
    const scm = tag && (await scmSourceOf(ctx, tag));
    if (!tag || !scm) sendJson(res, 404, null);
    else
      sendJson(res, 200, {
        url: scm.url ?? '',
        revision: scm.revision ?? '',
        author: scm.author ?? '',
        status: scm.status ?? '',
        created: tag.created,
      });
    return true;
  }
  if (path.startsWith('/tags/')) {
    const prefix = decodeURIComponent(path.slice('/tags/'.length));
    const matches = ctx.catalog
      .all()
      .flatMap((r) => r.tags.filter((t) => prefix && t.image.startsWith(prefix)).map((t) => ({ repo: r, tag: t })));
    const images = new Set(matches.map((x) => x.tag.image));
    if (images.size === 0) sendEmpty(res, 404);
    else if (images.size > 1) sendEmpty(res, 412);
    else
      sendJson(
        res,
        200,
        matches.map((x) => ({ name: x.tag.name, team: x.repo.team, artifact: x.repo.artifact })),
      );
    return true;
  }
  const v1 = V1_TAGS_ROUTE.exec(path);
  if (v1) {
    const repo = ctx.catalog.get(decodeURIComponent(v1[1]), decodeURIComponent(v1[2]));
    if (!repo?.tags.length) sendJson(res, 404, {});
    else {
      const map: Record<string, string> = Object.fromEntries(repo.tags.map((t) => [t.name, t.image]));
      map.latest = repo.tags[repo.tags.length - 1].image;
      sendJson(res, 200, map);
    }
    return true;
  }
  return false;
}
