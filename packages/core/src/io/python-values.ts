/** Values written the way Python writes them: the original tools' output depends on it. */

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exponent);
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const intPart = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

export function isPythonInt(x: number): boolean {
  return Number.isSafeInteger(x);
}

/** An integer's decimal digits (`-0` is `0`). */
export function integerDigits(x: number): string {
  return x === 0 ? '0' : String(x);
}

/** Python's `str` ordering: by code point (JavaScript's default compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Python's `str()` of a JSON-like value. */
export function pythonStr(v: unknown): string {
  return typeof v === 'string' ? v : pythonRepr(v);
}

/** Python's `repr()` of a JSON-like value (lists and dicts as Python writes them). */
export function pythonRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return isPythonInt(v) ? integerDigits(v) : pythonFloatRepr(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return pythonStringRepr(v);
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  if (isDict(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pythonStringRepr(k)}: ${pythonRepr(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

/** Python's `repr(str)`: single quotes unless the text has `'` and no `"`; unprintables escaped. */
function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && (code < 0x20 || code === 0x7f || (code > 0x7f && NOT_PRINTABLE.test(ch)))) {
      const hex = code.toString(16);
      if (code <= 0xff) out += `\\x${hex.padStart(2, '0')}`;
      else if (code <= 0xffff) out += `\\u${hex.padStart(4, '0')}`;
      else out += `\\U${hex.padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python truthiness (`value or default` in the original): None, False, 0, '' and empty lists and dicts are false. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * Python's `int(value)`: integers as they are, floats truncated toward zero, strings of (optionally
 * signed, underscore-grouped) digits with surrounding whitespace; undefined where Python raises.
 */
export function pythonInt(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) {
    return Number.parseInt(value.replaceAll('_', '').trim(), 10);
  }
  return undefined;
}
