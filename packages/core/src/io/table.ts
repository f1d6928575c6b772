import type { OutputFormat } from './output-formats.js';
import { pythonJsonDumps } from './python-json.js';
import { relativeTime } from './relative-time.js';

export { OUTPUT_FORMATS, type OutputFormat } from './output-formats.js';

export interface TableSpec {
  /** Column keys, in display order. */
  columns: string[];
  /** Explicit titles; others are derived like Python's `str.title()` with `_` → space. */
  titles?: Record<string, string>;
  maxWidths?: Record<string, number>;
  /**
   * Free-text columns (reasons, descriptions, scopes) that may be cut to fit the terminal's width;
   * identifiers, addresses and states are never cut.
   */
  shrink?: string[];
  /**
   * Low-value columns that give way, in this order, when the table is wider than the terminal even with
   * its `shrink` columns cut to their titles' width (as kubectl and gh drop columns on narrow terminals).
   */
  drop?: string[];
}

export type Row = Record<string, unknown>;

/** Python `str.title()`: upper-case the first letter of every run of letters, lower-case the rest. */
export function pythonTitle(s: string): string {
  let out = '';
  let prevLetter = false;
  for (const ch of s) {
    const isLetter = ch.toLowerCase() !== ch.toUpperCase();
    out += isLetter ? (prevLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevLetter = isLetter;
  }
  return out;
}

export function columnTitle(spec: TableSpec, column: string): string {
  return spec.titles?.[column] ?? pythonTitle(column).replaceAll('_', ' ');
}

/** A cell as text: null → empty, `*_time` → relative age, booleans → yes/no, the rest as Python's str(). */
export function formatCell(column: string, value: unknown, nowMs?: number): string {
  if (value === null || value === undefined) return '';
  if (column.endsWith('_time') && typeof value === 'number') return relativeTime(value, nowMs);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function isNumericCell(column: string, value: unknown): boolean {
  return typeof value === 'number' || (column.endsWith('_time') && typeof value === 'number');
}

export interface RenderOptions {
  nowMs?: number;
  /** Style hook for TTY colours: returns the cell text decorated (padding is already applied). */
  style?: (column: string, value: unknown, text: string) => string;
  /** Style hook for the header line. */
  headerStyle?: (text: string) => string;
  /**
   * Columns of the terminal (text only): the widest of the spec's `shrink` columns are cut (`..`) until
   * each line fits or they are as narrow as their titles; if it still does not fit, the spec's `drop`
   * columns are left out, one at a time, in their order.
   */
  width?: number;
}

/** Narrows the widest of the columns with a floor, one at a time, until cells and separators fit `width`. */
function fitWidths(widths: number[], floors: number[], width: number): number[] {
  const fitted = [...widths];
  // A row is every cell followed by one space.
  let total = fitted.reduce((a, b) => a + b, 0) + fitted.length;
  while (total > width) {
    let widest = -1;
    fitted.forEach((w, i) => {
      if (w > (floors[i] as number) && (widest < 0 || w > (fitted[widest] as number))) widest = i;
    });
    if (widest < 0) break;
    fitted[widest] = (fitted[widest] as number) - 1;
    total--;
  }
  return fitted;
}

/** Renders rows as the original tools' text table, JSON (one line, sorted keys), TSV or YAML. */
export function renderTable(format: OutputFormat, spec: TableSpec, rows: Row[], options: RenderOptions = {}): string {
  const { columns } = spec;
  if (format === 'json') {
    return `${pythonJsonDumps(
      rows.map((r) => Object.fromEntries(columns.map((c) => [c, toJsonValue(c, r[c])]))),
      { sortKeys: true },
    )}\n`;
  }
  if (format === 'yaml') {
    // Plain YAML (block style, keys in column order) from the raw JSON values; one document, a list.
    if (rows.length === 0) return '[]\n';
    return rows
      .map((r) => columns.map((c, i) => `${i === 0 ? '- ' : '  '}${c}: ${yamlScalar(toJsonValue(c, r[c]))}`).join('\n'))
      .join('\n')
      .concat('\n');
  }
  const cells = rows.map((r) => columns.map((c) => formatCell(c, r[c], options.nowMs)));
  if (format === 'tsv') {
    return [columns.join('\t'), ...cells.map((line) => line.join('\t'))].join('\n').concat('\n');
  }
  const layout = tableLayout(spec, cells, options.width);
  const shown = layout.map(({ index }) => index);
  const header = shown
    .map((i, k) => columnTitle(spec, columns[i] as string).padEnd(layout[k]?.width as number))
    .join('│');
  const lines = [options.headerStyle ? options.headerStyle(header) : header];
  rows.forEach((r, ri) => {
    let line = '';
    layout.forEach(({ index: i, width }) => {
      const c = columns[i] as string;
      let text = cells[ri]?.[i] as string;
      if (text.length > width) text = `${text.slice(0, width - 2)}..`;
      const padded = isNumericCell(c, r[c]) ? text.padStart(width) : text.padEnd(width);
      line += `${options.style ? options.style(c, r[c], padded) : padded} `;
    });
    lines.push(line);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The columns a text table shows (indexes into `spec.columns`) and their widths: natural widths capped by
 * `maxWidths`; with a `width`, the `shrink` columns cut down to their floors and, while that is not
 * enough, the `drop` columns left out in order. Identifiers never shrink: a table of them may stay wider.
 */
function tableLayout(
  spec: TableSpec,
  cells: string[][],
  width: number | undefined,
): { index: number; width: number }[] {
  const { columns } = spec;
  const titles = columns.map((c) => columnTitle(spec, c));
  const natural = columns.map((c, i) =>
    Math.min(
      Math.max(titles[i]?.length as number, ...cells.map((line) => (line[i] as string).length)),
      spec.maxWidths?.[c] ?? 1000,
    ),
  );
  let shown = columns.map((_, i) => i);
  if (width === undefined) return shown.map((i) => ({ index: i, width: natural[i] as number }));
  // A column that may not shrink has its own width as floor.
  const floors = columns.map((c, i) =>
    spec.shrink?.includes(c) ? Math.min(natural[i] as number, Math.max(titles[i]?.length as number, 3)) : natural[i],
  ) as number[];
  // A row is every cell followed by one space.
  const narrowest = (kept: number[]) => kept.reduce((sum, i) => sum + (floors[i] as number) + 1, 0);
  for (const column of spec.drop ?? []) {
    if (narrowest(shown) <= width) break;
    shown = shown.filter((i) => columns[i] !== column);
  }
  const widths = fitWidths(
    shown.map((i) => natural[i] as number),
    shown.map((i) => floors[i] as number),
    width,
  );
  return shown.map((i, k) => ({ index: i, width: widths[k] as number }));
}

/** The columns a text table shows at `width` (the spec's `drop` columns that gave way left out). */
export function shownColumns(spec: TableSpec, rows: Row[], width: number, nowMs?: number): string[] {
  const cells = rows.map((r) => spec.columns.map((c) => formatCell(c, r[c], nowMs)));
  return tableLayout(spec, cells, width).map(({ index }) => spec.columns[index] as string);
}
/** Raw values for machine formats; `*_time` epoch seconds become ISO-8601 (docs/output.md). */
function toJsonValue(column: string, v: unknown): unknown {
  if (v === undefined) return null;
  if (column.endsWith('_time') && typeof v === 'number') return v ? new Date(v * 1000).toISOString() : null;
  if (v instanceof Date) return v.toISOString();
  return v;
}

function yamlScalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string')
    return /^[A-Za-z0-9_./@-][A-Za-z0-9_./@ :-]*$/.test(v) &&
      !/: |:$| $/.test(v) &&
      !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(v)
      ? v
      : JSON.stringify(v);
  return JSON.stringify(v);
}
