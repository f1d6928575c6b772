import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../io/table.js';
import type { StackSummary } from './list-stacks.js';
import { stackListRows } from './stack-list-rows.js';
import { STACK_TABLES } from './stack-tables.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000);

function summary(stackName: string, status: string, secondsAgo: number, description?: string): StackSummary {
  const i = stackName.lastIndexOf('-');
  return {
    stackName,
    name: stackName.slice(0, i),
    version: stackName.slice(i + 1),
    status,
    stackId: `arn:aws:cloudformation:eu-central-1:123:stack/${stackName}/x`,
    creationTime: at(secondsAgo),
    description,
  };
}

describe('senza list rows (reference §1.4 golden)', () => {
  const stacks = [
    summary('other-v7', 'ROLLBACK_COMPLETE', 30, 'x'),
    summary('myapp-2', 'CREATE_COMPLETE', 3 * 3600, 'Myapp (ImageVersion: 2.0)'),
    summary('myapp-1', 'UPDATE_COMPLETE', 3 * 86400, 'Myapp (ImageVersion: 1.0)'),
  ];

  it('sorts by name and version and renders the original text table', () => {
    const rows = stackListRows(stacks);
    expect(rows.map((r) => `${r.stack_name}/${r.version}`)).toEqual(['myapp/1', 'myapp/2', 'other/v7']);
    expect(renderTable('text', STACK_TABLES.list, rows as never, { nowMs: NOW })).toBe(
      [
        'Stack Name│Ver.│Status           │Created│Description              ',
        'myapp      1    UPDATE_COMPLETE    3d ago Myapp (ImageVersion: 1.0) ',
        'myapp      2    CREATE_COMPLETE    3h ago Myapp (ImageVersion: 2.0) ',
        'other      v7   ROLLBACK_COMPLETE 30s ago x                         ',
        '',
      ].join('\n'),
    );
  });

  it('JSON has sorted keys and ISO times; TSV keeps the table order of the chosen fields', () => {
    const rows = stackListRows(stacks);
    const json = JSON.parse(renderTable('json', STACK_TABLES.list, rows as never));
    expect(json[0]).toEqual({
      creation_time: new Date(NOW - 3 * 86400 * 1000).toISOString(),
      description: 'Myapp (ImageVersion: 1.0)',
      stack_name: 'myapp',
      status: 'UPDATE_COMPLETE',
      version: '1',
    });
    const spec = { ...STACK_TABLES.list, columns: ['stack_name', 'version'] };
    expect(renderTable('tsv', spec, rows as never)).toBe('stack_name\tversion\nmyapp\t1\nmyapp\t2\nother\tv7\n');
  });

  it('no stacks: only the header', () => {
    expect(renderTable('text', STACK_TABLES.list, [])).toBe('Stack Name│Ver.│Status│Created│Description\n');
    expect(renderTable('json', STACK_TABLES.list, [])).toBe('[]\n');
  });
});
