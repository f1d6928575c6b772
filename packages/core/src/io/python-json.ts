import { compareCodePoints, integerDigits, isPythonInt, pythonFloatRepr } from './python-values.js';

/**
 * JSON text exactly as Python's `json.dumps` writes it, because users diff our output against the
 * original's: `sort_keys`, `indent` (pretty: `,` + newline and `": "`), compact separators, `", "`/`": "`
 * for one-line table output, and `ensure_ascii` (non-ASCII as \uXXXX).
 */
export interface PythonJsonOptions {
  indent?: number;
  sortKeys?: boolean;
  /** [item separator, key separator]; Python's defaults are [', ', ': '] without indent, [',', ': '] with. */
  separators?: [string, string];
}

function encodeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const { indent, sortKeys = false } = options;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const write = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number')
      return isPythonInt(v)
        ? integerDigits(v)
        : Number.isFinite(v)
          ? pythonFloatRepr(v)
          : Number.isNaN(v)
            ? 'NaN'
            : v > 0
              ? 'Infinity'
              : '-Infinity';
    if (typeof v === 'string') return encodeString(v);
    if (v instanceof Date) return encodeString(v.toISOString());
    const nl = indent === undefined ? '' : `\n${' '.repeat(indent * (level + 1))}`;
    const close = indent === undefined ? '' : `\n${' '.repeat(indent * level)}`;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${nl}${v.map((x) => write(x, level + 1)).join(itemSep + nl)}${close}]`;
    }
    if (typeof v === 'object') {
      let keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
      if (keys.length === 0) return '{}';
      if (sortKeys) keys = keys.sort(compareCodePoints);
      const body = keys.map((k) => `${encodeString(k)}${keySep}${write((v as Record<string, unknown>)[k], level + 1)}`);
      return `{${nl}${body.join(itemSep + nl)}${close}}`;
    }
    return encodeString(String(v));
  };
  return write(value, 0);
}
