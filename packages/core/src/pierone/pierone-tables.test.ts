import { describe, expect, it } from 'vitest';
import { type Row, renderTable } from '../io/table.js';
import { PIERONE_TABLES, tagRows } from './pierone-tables.js';

describe('pierone tags in a terminal', () => {
  const rows = tagRows(
    'myteam',
    'payment-service',
    [
      {
        name: '42.0.1-a1b2c3d',
        created: '2026-11-30T10:00:00Z',
        created_by: 'credprov-cdp-controller-proxy_pierone-token',
        status: 'Not Processed',
        status_reason: 'Image was built outside of the continuous delivery platform and is not trusted',
        image: 'sha256:abc',
      },
    ] as never,
    0,
  ) as unknown as Row[];

  it('fits 80 columns by cutting the status reason; the tag stays whole', () => {
    const text = renderTable('text', PIERONE_TABLES.tags, rows, {
      width: 80,
      nowMs: Date.parse('2026-12-01T10:00:00Z'),
    });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(text).toContain('payment-service 42.0.1-a1b2c3d');
    expect(text).toMatch(/ Image was b\.\. $/m);
    expect(renderTable('tsv', PIERONE_TABLES.tags, rows, { width: 80 })).toContain('is not trusted');
  });
});
