import type { CliContext, OutputFormat } from '@stups/cli-kit';
import { printTable } from '@stups/cli-kit/table';
import type { Row, TableSpec } from '@stups/core';

/** Rows in the chosen format, through cli-kit's one table printer. */
export function printRows(cli: CliContext, format: OutputFormat, spec: TableSpec, rows: Row[]): void {
  printTable(cli, spec, rows, { output: format });
}
