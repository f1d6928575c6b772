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
   * each line fits or they are as narrow as their titles.
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
  const titles = columns.map((c) => columnTitle(spec, c));
  const natural = columns.map((c, i) =>
    Math.min(Math.max(titles[i].length, ...cells.map((line) => line[i].length)), spec.maxWidths?.[c] ?? 1000),
  );
  const widths =
    options.width === undefined
      ? natural
      : fitWidths(
          natural,
          // A column that may not shrink has its own width as floor.
          titles.map((t, i) =>
            spec.shrink?.includes(columns[i] as string) ? Math.max(t.length, 3) : (natural[i] as number),
          ),
          options.width,
        );
  const header = titles.map((t, i) => t.padEnd(widths[i])).join('│');
  const lines = [options.headerStyle ? options.headerStyle(header) : header];
  rows.forEach((r, ri) => {
    let line = '';
    columns.forEach((c, i) => {
      let text = cells[ri][i];
      if (text.length > widths[i]) text = `${text.slice(0, widths[i] - 2)}..`;
      const padded = isNumericCell(c, r[c]) ? text.padStart(widths[i]) : text.padEnd(widths[i]);
      line += `${options.style ? options.style(c, r[c], padded) : padded} `;
    });
    lines.push(line);
  });
  return `${lines.join('\n')}\n`;
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
