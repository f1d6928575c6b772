import type { RRType } from '@aws-sdk/client-route-53';
import { throwIfAborted } from '../errors.js';

/**
 * The one way every paginated AWS call is read: NextToken, Marker/NextMarker + IsTruncated, and
 * Route53's NextRecordName/Type/Identifier triple all fit `fetch(token)` + `next(page)`. Pages are
 * fetched one after another, only when the previous one is done, so a reader that stops early (the
 * events watch at the first known event) makes no further call.
 */
export interface Pagination<P, T> {
  /** The page at a token; `undefined` asks for the first page. */
  fetch: (token: T | undefined) => Promise<P>;
  /** The token of the page after this one; `undefined`, `null` or `''` on the last page. */
  next: (page: P) => T | null | undefined;
  /** Ctrl-C: checked before every call (hand the same signal to the session to stop a call in flight). */
  signal?: AbortSignal;
  /** Read at most this many pages (the first one included). */
  maxPages?: number;
  /** The first page when the caller already has it (a poll read it); reading goes on from its token. */
  first?: P;
}

/**
 * Every page, in order. Stops at a missing or empty token, at `maxPages`, and at a token already
 * used in this reading: a page is a function of its token, so a repeated token only leads back to
 * pages already yielded (a broken service or emulator cannot make the reader loop forever). Object
 * tokens (Route53's triple) are compared by their JSON. Throws AbortedError once the signal fired.
 */
export async function* awsPages<P, T = string>(pagination: Pagination<P, T>): AsyncGenerator<P, void, undefined> {
  const { fetch, next, signal, first } = pagination;
  const maxPages = pagination.maxPages ?? Number.POSITIVE_INFINITY;
  const used = new Set<string>();
  let token: T | undefined;
  for (let count = 0; count < maxPages; count++) {
    let page: P;
    if (count === 0 && first !== undefined) page = first;
    else {
      throwIfAborted(signal);
      page = await fetch(token);
    }
    yield page;
    const following = next(page);
    if (following === undefined || following === null || following === '') return;
    const key = typeof following === 'string' ? following : JSON.stringify(following);
    if (used.has(key)) return;
    used.add(key);
    token = following;
  }
}

/** Every item of every page, in order (see {@link awsPages} for when reading stops). */
export async function awsItems<P, I, T = string>(
  pagination: Pagination<P, T> & { items: (page: P) => readonly I[] | undefined },
): Promise<I[]> {
  const out: I[] = [];
  for await (const page of awsPages(pagination)) out.push(...(pagination.items(page) ?? []));
  return out;
}

/** Route53's token: where the next ListResourceRecordSets page starts (name, type, set identifier). */
export interface RecordStart {
  StartRecordName: string;
  StartRecordType?: RRType;
  StartRecordIdentifier?: string;
}

/** The start of the page after a ListResourceRecordSets page; undefined on the last one. */
export function nextRecordStart(page: {
  IsTruncated?: boolean;
  NextRecordName?: string;
  NextRecordType?: RRType;
  NextRecordIdentifier?: string;
}): RecordStart | undefined {
  if (!page.IsTruncated || !page.NextRecordName) return undefined;
  return {
    StartRecordName: page.NextRecordName,
    StartRecordType: page.NextRecordType,
    StartRecordIdentifier: page.NextRecordIdentifier,
  };
}
