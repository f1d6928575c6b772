import { type CliContext, escapeControl, type OutputFormat } from '@stups/cli-kit';
import { type Row, renderTable, type TableSpec } from '@stups/core';

const GREEN = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'IN_SERVICE',
  'HEALTHY',
  'OK',
  'RUNNING',
  'DELETE_COMPLETE',
]);
const STYLE_CODES = { green: '\u001b[32m', yellow: '\u001b[1;33m', red: '\u001b[1;31m' } as const;

function statusColor(value: unknown): keyof typeof STYLE_CODES | undefined {
  if (typeof value !== 'string') return undefined;
  if (GREEN.has(value)) return 'green';
  if (value.endsWith('_IN_PROGRESS'))
    return value.includes('ROLLBACK') || value.startsWith('DELETE') ? 'red' : 'yellow';
  if (/FAILED|ROLLBACK|^DELETE_|TERMINATED|OUT_OF_SERVICE|UNHEALTHY|^ERROR$/.test(value)) return 'red';
  return undefined;
}

export interface TableOptions {
  output: OutputFormat;
  field?: string[];
}

/** Rows as text in the chosen format; `--field` keeps only the named columns, in table order. */
export function renderRows(cli: CliContext, options: TableOptions, spec: TableSpec, rows: Row[]): string {
  const fields = options.field;
  const columns = fields?.length ? spec.columns.filter((c) => fields.includes(c)) : spec.columns;
  const format = options.output;
  const color = format === 'text' && cli.host.stdoutColor;
  // Remote text (stack names, event reasons) reaches the terminal with its control characters escaped.
  const shown =
    format === 'text' || format === 'tsv'
      ? rows.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? escapeControl(v) : v])),
        )
      : rows;
  return renderTable(format, { ...spec, columns }, shown, {
    headerStyle: color ? (t) => `\u001b[30;47m${t}\u001b[0m` : undefined,
    style: color
      ? (_c, value, text) => {
          const s = statusColor(value);
          return s ? `${STYLE_CODES[s]}${text}\u001b[0m` : text;
        }
      : undefined,
  });
}
