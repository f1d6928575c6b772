import { type OutputFormat, type Row, renderTable, type TableSpec, useColor } from '@stups/core';
import type { CliContext } from './main.js';

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

/** Prints rows to stdout in the chosen format; `--field` keeps only the named columns, in table order. */
export function printRows(cli: CliContext, options: Record<string, unknown>, spec: TableSpec, rows: Row[]): void {
  const fields = options.field as string[] | undefined;
  const columns = fields?.length ? spec.columns.filter((c) => fields.includes(c)) : spec.columns;
  const format = (options.output as OutputFormat | undefined) ?? 'text';
  const color = format === 'text' && useColor(cli.stdout, cli.env);
  cli.stdout.write(
    renderTable(format, { ...spec, columns }, rows, {
      headerStyle: color ? (t) => `\u001b[30;47m${t}\u001b[0m` : undefined,
      style: color
        ? (_c, value, text) => {
            const s = statusColor(value);
            return s ? `${STYLE_CODES[s]}${text}\u001b[0m` : text;
          }
        : undefined,
    }),
  );
}
