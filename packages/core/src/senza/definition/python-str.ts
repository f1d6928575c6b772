import { pythonFloat } from '../../io/python-json.js';

/** Python's str() of a YAML/JSON value, as the original applied it to parameters and tags. */
export function pythonStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pythonFloat(v);
  if (typeof v === 'string') return v;
  return pythonRepr(v);
}

function pythonRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pythonRepr(k)}: ${pythonRepr(x)}`)
      .join(', ')}}`;
  }
  return pythonStr(v);
}
