import type { CliContext, OutputFormat } from '@stups/cli-kit';
import { tableText } from '@stups/cli-kit/table';
import type { Row, TableSpec } from '@stups/core';

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

/** Rows as text in the chosen format (cli-kit's one table printer), statuses in colour on a terminal. */
export function renderRows(cli: CliContext, options: TableOptions, spec: TableSpec, rows: Row[]): string {
  return tableText(cli, spec, rows, {
    output: options.output,
    field: options.field,
    cellStyle: (_column, value) => {
      const s = statusColor(value);
      return s ? STYLE_CODES[s] : undefined;
    },
  });
}
