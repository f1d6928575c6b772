import { type Row, renderTable } from '@stups/core';
import { describe, expect, it } from 'vitest';
import { TABLE } from './list-access-requests.js';

describe('piu list-access-requests in a terminal', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const rows: Row[] = [
    {
      username: 'jdoe',
      hostname: 'odd-eu-central-1.myteam.example.org',
      remote_host: '172.31.146.201',
      reason: 'Investigate ticket INC-4711: payment latency',
      lifetime_minutes: 60,
      status: 'GRANTED',
      status_reason: 'Access to host odd-eu-central-1.myteam.example.org for user jdoe was granted.',
      created_time: now / 1000 - 300,
      expires: new Date(now + 55 * 60_000),
    },
  ];

  it('fits 80 columns: the reason cut, the status reason and the odd host left out; user, target, status and expiry whole', () => {
    const text = renderTable('text', TABLE, rows, { width: 80, nowMs: now });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const [header, row] = text.split('\n');
    expect(header?.split('│').map((t) => t.trim())).toEqual([
      'Username',
      'Remote Host',
      'Reason',
      'TTL',
      'Status',
      'Created',
      'Expires',
    ]);
    expect(row).toMatch(/^jdoe +172\.31\.146\.201 Investig\.\. +60 GRANTED +5m ago 2026-12-07T12:55:00\.000Z $/);
  });

  it('a wide terminal shows every column; TSV is never cut', () => {
    const wide = renderTable('text', TABLE, rows, { width: 200, nowMs: now });
    expect(wide).toContain('odd-eu-central-1.myteam.example.org 172.31.146.201 Investigate ticket INC-4711');
    expect(wide).toContain('Status Reason');
    const tsv = renderTable('tsv', TABLE, rows, { width: 80, nowMs: now });
    expect(tsv).toContain('Access to host odd-eu-central-1.myteam.example.org for user jdoe was granted.');
  });
});
