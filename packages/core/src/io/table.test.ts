import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from './python-json.js';
import { relativeTime } from './relative-time.js';
import { renderTable } from './table.js';

const NOW = 1_800_000_000_000;
const spec = {
  columns: ['stack_name', 'version', 'status', 'creation_time', 'description'],
  titles: { version: 'Ver.', creation_time: 'Created' },
};
const rows = [
  {
    stack_name: 'myapp',
    version: '1',
    status: 'UPDATE_COMPLETE',
    creation_time: NOW / 1000 - 3 * 86400,
    description: 'Myapp (ImageVersion: 1.0)',
  },
  {
    stack_name: 'myapp',
    version: '2',
    status: 'CREATE_COMPLETE',
    creation_time: NOW / 1000 - 3 * 3600,
    description: 'Myapp (ImageVersion: 2.0)',
  },
  { stack_name: 'other', version: 'v7', status: 'ROLLBACK_COMPLETE', creation_time: NOW / 1000 - 30, description: 'x' },
];

describe('tables like the original (reference §1.4)', () => {
  it('text: titles, │ separators, padded cells followed by one space, ages right-aligned', () => {
    expect(renderTable('text', spec, rows, { nowMs: NOW })).toBe(
      [
        'Stack Name│Ver.│Status           │Created│Description              ',
        'myapp      1    UPDATE_COMPLETE    3d ago Myapp (ImageVersion: 1.0) ',
        'myapp      2    CREATE_COMPLETE    3h ago Myapp (ImageVersion: 2.0) ',
        'other      v7   ROLLBACK_COMPLETE 30s ago x                         ',
        '',
      ].join('\n'),
    );
  });

  it('tsv: raw keys as header, formatted values', () => {
    expect(renderTable('tsv', { columns: ['stack_name', 'version'] }, rows.slice(0, 1), { nowMs: NOW })).toBe(
      'stack_name\tversion\nmyapp\t1\n',
    );
  });

  it('json: one line, sorted keys, times as ISO-8601', () => {
    expect(
      renderTable('json', { columns: ['version', 'creation_time'] }, [
        { version: '1', creation_time: 0 },
        { version: '2', creation_time: 1_700_000_000 },
      ]),
    ).toBe(
      '[{"creation_time": null, "version": "1"}, {"creation_time": "2023-11-14T22:13:20.000Z", "version": "2"}]\n',
    );
  });

  it('yaml: a list of maps', () => {
    expect(renderTable('yaml', { columns: ['stack_name', 'version'] }, rows.slice(0, 1))).toBe(
      '- stack_name: myapp\n  version: "1"\n',
    );
  });

  it('cuts long cells to the max width with ..', () => {
    const out = renderTable('text', { columns: ['description'], maxWidths: { description: 10 } }, [
      { description: 'a'.repeat(20) },
    ]);
    expect(out.split('\n')[1]).toBe(`${'a'.repeat(8)}.. `);
  });
});

describe('relative times and Python JSON', () => {
  it('rounds half to even and keeps future times in seconds', () => {
    expect(relativeTime(NOW / 1000 - 70, NOW)).toBe('70s ago');
    expect(relativeTime(NOW / 1000 - 90, NOW)).toBe('2m ago');
    expect(relativeTime(NOW / 1000 - 2.5 * 86400, NOW)).toBe('2d ago');
    expect(relativeTime(NOW / 1000 + 5, NOW)).toBe('-5s ago');
    expect(relativeTime(0, NOW)).toBe('');
  });

  it('writes json.dumps(sort_keys=True, indent=4) byte for byte', () => {
    expect(pythonJsonDumps({ b: [1, 2.5, 1e21], a: { é: true, n: null, e: [] } }, { indent: 4, sortKeys: true })).toBe(
      '{\n    "a": {\n        "e": [],\n        "n": null,\n        "\\u00e9": true\n    },\n    "b": [\n        1,\n        2.5,\n        1e+21\n    ]\n}',
    );
  });
});

describe('tables fitted to a width', () => {
  const wide = [{ name: 'a', description: 'x'.repeat(120), status: 'CREATE_COMPLETE' }];
  const wideSpec = { columns: ['name', 'description', 'status'], shrink: ['description'] };

  it('cuts the free-text columns until every line fits, no column narrower than its title', () => {
    const text = renderTable('text', wideSpec, wide, { width: 80 });
    const lines = text.split('\n').filter((l) => l !== '');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^a {4}x+\.\. CREATE_COMPLETE $/);
    expect(lines[1]?.length).toBe(80);
    expect(lines[0]).toMatch(/^Name│Description +│Status {9}$/);
  });

  it('leaves a table that fits as it was, and machine formats whole', () => {
    expect(renderTable('text', spec, rows, { nowMs: NOW, width: 80 })).toBe(
      renderTable('text', spec, rows, { nowMs: NOW }),
    );
    expect(renderTable('tsv', wideSpec, wide, { width: 80 })).toContain('x'.repeat(120));
    // Identifiers are never cut: without free-text columns a table stays as wide as it is.
    const ids = [{ name: 'i'.repeat(90) }];
    expect(renderTable('text', { columns: ['name'] }, ids, { width: 80 })).toContain('i'.repeat(90));
  });

  it('drops the low-value columns in order when cutting free text is not enough, never in machine formats', () => {
    const dropSpec = {
      columns: ['id', 'resource', 'reason', 'time'],
      shrink: ['reason'],
      drop: ['resource', 'time'],
    };
    const row = { id: 'i'.repeat(40), resource: 'r'.repeat(20), reason: 'x'.repeat(60), time: 't'.repeat(12) };
    // Cutting the reason to its title is not enough with both resource and time: the resource goes.
    expect(renderTable('text', dropSpec, [row], { width: 80 }).split('\n')[0]).toMatch(/^Id +│Reason +│Time {8}$/);
    expect(renderTable('text', dropSpec, [row], { width: 60 }).split('\n')[0]).toMatch(/^Id +│Reason +$/);
    expect(renderTable('text', dropSpec, [row], { width: 200 }).split('\n')[0]).toMatch(/│Resource +│/);
    expect(renderTable('tsv', dropSpec, [row], { width: 60 })).toContain('r'.repeat(20));
  });
});
