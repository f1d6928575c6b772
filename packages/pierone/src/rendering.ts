import { type CliContext, escapeControl, type OutputFormat } from '@stups/cli-kit';
import { type Row, renderTable, type TableSpec } from '@stups/core';

/** Rows in the chosen format; remote text reaches a terminal with its control characters escaped. */
export function printRows(cli: CliContext, format: OutputFormat, spec: TableSpec, rows: Row[]): void {
  const shown =
    format === 'text' || format === 'tsv'
      ? rows.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? escapeControl(v) : v])),
        )
      : rows;
  const color = format === 'text' && cli.host.stdoutColor;
  cli.host.print(
    renderTable(format, spec, shown, { headerStyle: color ? (t) => `\u001b[30;47m${t}\u001b[0m` : undefined }),
  );
}
