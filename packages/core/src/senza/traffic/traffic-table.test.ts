import { describe, expect, it } from 'vitest';
import { TRAFFIC_CHANGE_COLUMNS } from './traffic-plan.js';
import { renderTrafficTable } from './traffic-table.js';

const row = (version: string, old: number, delta: number, now: number, current = '') => ({
  stack_name: 'payment-service',
  version,
  identifier: `payment-service-${version}`,
  'old_weight%': old,
  delta,
  compensation: 0,
  'new_weight%': now,
  current,
});
const rows = [row('41', 100, -50, 50), row('42', 0, 50, 50, '<')];
const columns = [...TRAFFIC_CHANGE_COLUMNS];

describe('the traffic table in a terminal', () => {
  it('fits 80 columns with long stack names: the identifier (name and version again) gives way', () => {
    const text = renderTrafficTable('text', columns, rows, { width: 80 });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(text.split('\n')[0]).toBe('Stack Name     │Version│Old Weight%│Delta│Compensation│New Weight%│Current');
    expect(text.split('\n')[2]?.trimEnd()).toBe('payment-service 42              0.0  50.0          0.0        50.0 <');
  });

  it('keeps every column at 200 columns, and in TSV and JSON', () => {
    expect(renderTrafficTable('text', columns, rows, { width: 200 })).toBe(renderTrafficTable('text', columns, rows));
    expect(renderTrafficTable('text', columns, rows, { width: 200 })).toContain('payment-service-42');
    expect(renderTrafficTable('tsv', columns, rows, { width: 80 })).toContain('payment-service-42');
    expect(renderTrafficTable('json', columns, rows, { width: 80 })).toContain('payment-service-42');
  });

  it('a table of short names that takes exactly 80 columns stays whole', () => {
    const short = rows.map((r) => ({ ...r, stack_name: 'myapp', identifier: `myapp-${r.version}` }));
    const text = renderTrafficTable('text', columns, short, { width: 80 });
    expect(text.split('\n')[0]).toBe(
      'Stack Name│Version│Identifier│Old Weight%│Delta│Compensation│New Weight%│Current',
    );
  });
});
