import { type CliContext, CliHost } from '@stups/cli-kit';
import type { TableSpec } from '@stups/core';
import { describe, expect, it } from 'vitest';
import { runListing } from './listing.js';

const spec: TableSpec = {
  columns: ['id', 'type', 'reason'],
  shrink: ['reason'],
  drop: ['type'],
};

describe('a watched listing off a terminal', () => {
  it('prints later rows under the first table: its columns, even where later rows would drop one', async () => {
    let out = '';
    const env = { COLUMNS: '60' };
    const controller = new AbortController();
    const host = new CliHost({ stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env });
    const cli: CliContext = { tool: 'senza', host, env, debug: false, interactive: false, signal: controller.signal };
    const batches = [
      // Fits 60 columns with every column.
      [{ id: 'i-1', type: 'AutoScalingGroup', reason: 'started' }],
      // Alone, this one would leave the type out.
      [
        { id: 'i-1', type: 'AutoScalingGroup', reason: 'started' },
        { id: 'i-0123456789abcdef0', type: 'ElasticLoadBalancingV2::TargetGroup', reason: 'r'.repeat(40) },
      ],
    ];
    let calls = 0;
    const code = await runListing(
      { region: 'eu-central-1', watch: 1, output: 'text' },
      cli,
      [],
      async () => {
        const rows = batches[Math.min(calls++, batches.length - 1)] as object[];
        if (calls >= 2) controller.abort();
        return { spec, rows };
      },
      { appendKey: (r) => (r as { id: string }).id },
    );
    expect(code).toBe(130);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Id +│Type +│Reason/);
    expect(lines).toHaveLength(3);
    // The appended row has the header's three columns: its type is there (cut to fit is fine, never dropped).
    expect(lines[2]).toMatch(/^i-0123456789abcdef0 ElasticLoadBalancingV2::TargetGroup r+/);
  }, 10_000);
});
