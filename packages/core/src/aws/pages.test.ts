import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import { awsItems, awsPages, nextRecordStart, type RecordStart } from './pages.js';

interface TokenPage {
  Items?: string[];
  NextToken?: string | null;
}

/** A fake paginated API: page `token` is looked up in `book`; every call is recorded; a loop fails. */
function api<T, P>(book: (token: T | undefined) => P) {
  const calls: (T | undefined)[] = [];
  return {
    calls,
    fetch: async (token: T | undefined) => {
      calls.push(token);
      if (calls.length > 10) throw new Error('the reader loops');
      return book(token);
    },
  };
}

const threePages = (token: string | undefined): TokenPage =>
  ({
    start: { Items: ['a', 'b'], NextToken: 't1' },
    t1: { Items: ['c'], NextToken: 't2' },
    t2: { Items: ['d'] },
  })[token ?? 'start'] ?? { Items: [] };

describe('awsPages / awsItems', () => {
  it('reads NextToken pages in order, one call per page, items concatenated', async () => {
    const { calls, fetch } = api(threePages);
    const items = await awsItems({ fetch, next: (p) => p.NextToken, items: (p) => p.Items });
    expect(items).toEqual(['a', 'b', 'c', 'd']);
    expect(calls).toEqual([undefined, 't1', 't2']);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
  ])('stops at a %s token', async (_, last) => {
    const { calls, fetch } = api((t: string | undefined): TokenPage => (t ? { NextToken: last } : { NextToken: 'x' }));
    const pages = [];
    for await (const p of awsPages({ fetch, next: (p) => p.NextToken })) pages.push(p);
    expect(pages).toHaveLength(2);
    expect(calls).toEqual([undefined, 'x']);
  });

  it('Marker shape: a marker on a page that is not truncated ends the reading', async () => {
    const pages: Record<string, { IsTruncated: boolean; NextMarker?: string; Zones: string[] }> = {
      '': { IsTruncated: true, NextMarker: 'm1', Zones: ['z1'] },
      m1: { IsTruncated: false, NextMarker: 'm2', Zones: ['z2'] },
    };
    const { calls, fetch } = api((m: string | undefined) => pages[m ?? '']);
    const zones = await awsItems({
      fetch,
      next: (p) => (p.IsTruncated ? p.NextMarker : undefined),
      items: (p) => p.Zones,
    });
    expect(zones).toEqual(['z1', 'z2']);
    expect(calls).toEqual([undefined, 'm1']);
  });

  it("Route53's triple token: the next page starts at name, type and set identifier", async () => {
    const { calls, fetch } = api((start: RecordStart | undefined) =>
      start === undefined
        ? { IsTruncated: true, NextRecordName: 'b.', NextRecordType: 'A' as const, NextRecordIdentifier: 'v2', R: [1] }
        : start.StartRecordIdentifier === 'v2'
          ? { IsTruncated: true, NextRecordName: 'c.', NextRecordType: 'CNAME' as const, R: [2] }
          : { IsTruncated: false, NextRecordName: 'ignored.', R: [3] },
    );
    const records = await awsItems({ fetch, next: nextRecordStart, items: (p) => p.R });
    expect(records).toEqual([1, 2, 3]);
    expect(calls).toEqual([
      undefined,
      { StartRecordName: 'b.', StartRecordType: 'A', StartRecordIdentifier: 'v2' },
      { StartRecordName: 'c.', StartRecordType: 'CNAME', StartRecordIdentifier: undefined },
    ]);
  });

  it('nextRecordStart: no start without IsTruncated or without a NextRecordName', () => {
    expect(nextRecordStart({ IsTruncated: false, NextRecordName: 'a.' })).toBeUndefined();
    expect(nextRecordStart({ IsTruncated: true })).toBeUndefined();
    expect(nextRecordStart({ IsTruncated: true, NextRecordName: 'a.' })).toEqual({ StartRecordName: 'a.' });
  });

  it('a token that comes back stops the reading instead of looping (same token, a cycle, an equal triple)', async () => {
    const same = api((_: string | undefined): TokenPage => ({ Items: ['x'], NextToken: 'again' }));
    expect(await awsItems({ fetch: same.fetch, next: (p) => p.NextToken, items: (p) => p.Items })).toEqual(['x', 'x']);
    expect(same.calls).toEqual([undefined, 'again']);

    const cycle = api((t: string | undefined): TokenPage => ({ NextToken: t === 'a' ? 'b' : 'a' }));
    for await (const _ of awsPages({ fetch: cycle.fetch, next: (p) => p.NextToken })) {
    }
    expect(cycle.calls).toEqual([undefined, 'a', 'b']);

    // A fresh but equal object each time: compared by content, not identity.
    const triple = api((_: RecordStart | undefined) => ({ IsTruncated: true, NextRecordName: 'a.' }));
    for await (const _ of awsPages({ fetch: triple.fetch, next: nextRecordStart })) {
    }
    expect(triple.calls).toEqual([undefined, { StartRecordName: 'a.' }]);
  });

  it('maxPages bounds the number of calls', async () => {
    const { calls, fetch } = api(threePages);
    expect(await awsItems({ fetch, next: (p) => p.NextToken, items: (p) => p.Items, maxPages: 2 })).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(calls).toEqual([undefined, 't1']);
  });

  it('a reader that stops early makes no further call', async () => {
    const { calls, fetch } = api(threePages);
    for await (const p of awsPages({ fetch, next: (p) => p.NextToken })) if (p.Items?.includes('a')) break;
    expect(calls).toEqual([undefined]);
  });

  it('an aborted signal ends the reading with AbortedError before the next call', async () => {
    const before = new AbortController();
    before.abort();
    const idle = api(threePages);
    await expect(
      awsItems({ fetch: idle.fetch, next: (p) => p.NextToken, items: (p) => p.Items, signal: before.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(idle.calls).toEqual([]);

    const during = new AbortController();
    const { calls, fetch } = api((t: string | undefined) => {
      during.abort();
      return threePages(t);
    });
    await expect(
      awsItems({ fetch, next: (p) => p.NextToken, items: (p) => p.Items, signal: during.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toEqual([undefined]);
  });

  it('goes on from a first page the caller already has, without fetching it again', async () => {
    const { calls, fetch } = api(threePages);
    const items = await awsItems({ fetch, next: (p) => p.NextToken, items: (p) => p.Items, first: threePages('t1') });
    expect(items).toEqual(['c', 'd']);
    expect(calls).toEqual(['t2']);
  });
});
