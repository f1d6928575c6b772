import { pythonFloatRepr } from '../../io/python-values.js';
import { columnTitle, type OutputFormat, type RenderOptions, renderTable, type TableSpec } from '../../io/table.js';
import type { TrafficRow } from './traffic-plan.js';

/**
 * Traffic tables show percentages as Python floats (`60.0`, `-0.5`), right-aligned in text like any
 * number; JSON and YAML keep the numbers. Text and TSV cells are therefore formatted here: numeric
 * cells are pre-padded to the column width, which the table renderer then leaves alone. On a narrow
 * terminal (`width`) the identifier gives way first (it is the stack name and version again), then the
 * compensation.
 */
export function renderTrafficTable(
  format: OutputFormat,
  columns: string[],
  rows: TrafficRow[],
  options: RenderOptions = {},
): string {
  const spec: TableSpec = { columns, drop: ['identifier', 'compensation'] };
  if (format === 'json' || format === 'yaml') return renderTable(format, spec, rows, options);
  const text = rows.map((r) =>
    Object.fromEntries(columns.map((c) => [c, typeof r[c] === 'number' ? pythonFloatRepr(r[c] as number) : r[c]])),
  );
  if (format === 'tsv') return renderTable(format, spec, text, options);
  for (const c of columns) {
    if (!rows.some((r) => typeof r[c] === 'number')) continue;
    const width = Math.max(columnTitle(spec, c).length, ...text.map((r) => String(r[c] ?? '').length));
    rows.forEach((r, i) => {
      if (typeof r[c] === 'number') text[i][c] = String(text[i][c]).padStart(width);
    });
  }
  // No space after the last cell: the original's lines were one column wider than their header, 81
  // columns for a switch's table, so a terminal of 80 broke the `Current` column. (So a line may take
  // one column more than the renderer counts.)
  const width = options.width === undefined ? undefined : options.width + 1;
  return renderTable(format, spec, text, { ...options, width }).replace(/ \n/g, '\n');
}
