import { type OutputFormat, type Row, renderTable, shownColumns, type TableSpec, UsageError } from '@stups/core';
import type { CliContext } from './cli-context.js';
import { escapeControl } from './terminal-text.js';
import { terminalWidth } from './terminal-width.js';

const HEADER_STYLE = '\u001b[30;47m';
const RESET = '\u001b[0m';

export interface TableOutput {
  output: OutputFormat;
  /** `-f/--field`: only these columns, in table order; a name that is no column is a usage error. */
  field?: string[];
  /** The colour (an SGR sequence) of a text cell on a terminal, by its column and raw value. */
  cellStyle?: (column: string, value: unknown) => string | undefined;
}

/** The columns `--field` keeps, in table order; an unknown name is refused with the valid ones. */
export function selectedColumns(spec: TableSpec, field: string[] | undefined): string[] {
  if (!field?.length) return spec.columns;
  const unknown = field.filter((f) => !spec.columns.includes(f));
  if (unknown.length > 0)
    throw new UsageError(`Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')}`, {
      code: 'cli.unknown-field',
      hint: `Fields: ${spec.columns.join(', ')}.`,
    });
  return spec.columns.filter((c) => field.includes(c));
}

function escapedRows(rows: Row[]): Row[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? escapeControl(v) : v])),
  );
}

/** The spec `--field` leaves: its columns, none dropped on a narrow terminal (the user named them). */
function selectedSpec(spec: TableSpec, field: string[] | undefined): TableSpec {
  const columns = selectedColumns(spec, field);
  return field?.length ? { ...spec, columns, drop: [] } : spec;
}

/**
 * Rows as every CLI prints them: in the chosen format, `--field` applied, remote text with its control
 * characters escaped (text and TSV), text fitted to the terminal's width (80 off a terminal: free-text
 * columns cut, low-value ones dropped), the header and styled cells in colour on a terminal.
 */
export function tableText(cli: CliContext, spec: TableSpec, rows: Row[], options: TableOutput): string {
  const format = options.output;
  const shown = format === 'text' || format === 'tsv' ? escapedRows(rows) : rows;
  const color = format === 'text' && cli.host.stdoutColor;
  const { cellStyle } = options;
  return renderTable(format, selectedSpec(spec, options.field), shown, {
    width: format === 'text' ? terminalWidth(cli.host.stdout, cli.env) : undefined,
    headerStyle: color ? (t) => `${HEADER_STYLE}${t}${RESET}` : undefined,
    style:
      color && cellStyle
        ? (column, value, text) => {
            const style = cellStyle(column, value);
            return style ? `${style}${text}${RESET}` : text;
          }
        : undefined,
  });
}

/**
 * The columns `tableText` shows for these rows: in text, those that fit the terminal; to print later rows
 * under the same header, pass them as `field`.
 */
export function tableColumns(cli: CliContext, spec: TableSpec, rows: Row[], options: TableOutput): string[] {
  const selected = selectedSpec(spec, options.field);
  if (options.output !== 'text') return selected.columns;
  return shownColumns(selected, escapedRows(rows), terminalWidth(cli.host.stdout, cli.env));
}

/** `tableText` printed to stdout, the result of a listing. */
export function printTable(cli: CliContext, spec: TableSpec, rows: Row[], options: TableOutput): void {
  cli.host.print(tableText(cli, spec, rows, options));
}
