import { UsageError } from '@stups/core';
import { describe, expect, it } from 'vitest';
import type { CliContext } from './cli-context.js';
import { CliHost } from './cli-host.js';
import { tableColumns, tableText } from './table-output.js';

function cliOn(env: NodeJS.ProcessEnv = {}, stdout: { isTTY?: boolean; columns?: number } = {}): CliContext {
  const sink = { write: () => true };
  const host = new CliHost({ stdout: { ...sink, ...stdout }, stderr: sink, env });
  return { tool: 't', host, env, debug: false, interactive: false, signal: new AbortController().signal };
}

const spec = { columns: ['name', 'status', 'reason'], shrink: ['reason'] };
const rows = [{ name: 'evil\u001b[2Jname', status: 'OK', reason: 'r'.repeat(100) }];

describe('the one table printer', () => {
  it('escapes control characters in text and TSV, not in JSON', () => {
    const cli = cliOn();
    expect(tableText(cli, spec, rows, { output: 'text' })).toContain('evil\\x1b[2Jname');
    expect(tableText(cli, spec, rows, { output: 'tsv' })).toContain('evil\\x1b[2Jname');
    expect(tableText(cli, spec, rows, { output: 'json' })).toContain('evil\\u001b[2Jname');
  });

  it('fits 80 columns off a terminal, COLUMNS or the terminal width otherwise', () => {
    const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));
    expect(widest(tableText(cliOn(), spec, rows, { output: 'text' }))).toBe(80);
    expect(widest(tableText(cliOn({ COLUMNS: '60' }), spec, rows, { output: 'text' }))).toBe(60);
    expect(
      widest(tableText(cliOn({ NO_COLOR: '1' }, { isTTY: true, columns: 200 }), spec, rows, { output: 'text' })),
    ).toBe('evil\\x1b[2Jname'.length + 2 + 6 + 100 + 1);
  });

  it('refuses an unknown --field, naming the valid ones; known ones keep table order', () => {
    const cli = cliOn();
    let error: unknown;
    try {
      tableText(cli, spec, rows, { output: 'tsv', field: ['status', 'nope'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('Unknown field "nope"');
    expect((error as UsageError).hint).toBe('Fields: name, status, reason.');
    expect(tableText(cli, spec, rows, { output: 'tsv', field: ['status', 'name'] })).toBe(
      'name\tstatus\nevil\\x1b[2Jname\tOK\n',
    );
  });

  it('drops no column the user named with --field; tableColumns tells which columns a table shows', () => {
    const dropping = { columns: ['id', 'type', 'reason'], shrink: ['reason'], drop: ['type'] };
    const wide = [{ id: 'i-0123456789abcdef0', type: 'ElasticLoadBalancingV2::TargetGroup', reason: 'r'.repeat(60) }];
    const cli = cliOn({ COLUMNS: '50' });
    expect(tableText(cli, dropping, wide, { output: 'text' })).not.toContain('TargetGroup');
    expect(tableColumns(cli, dropping, wide, { output: 'text' })).toEqual(['id', 'reason']);
    expect(tableText(cli, dropping, wide, { output: 'text', field: ['id', 'type', 'reason'] })).toContain(
      'ElasticLoadBalancingV2::TargetGroup',
    );
    expect(tableColumns(cli, dropping, wide, { output: 'tsv' })).toEqual(['id', 'type', 'reason']);
    expect(tableText(cli, dropping, wide, { output: 'tsv' })).toContain('TargetGroup');
  });
});
