/**
 * A reader for the shapes `tokens.yaml` takes in practice (what PyYAML's `safe_dump` and we write: a
 * mapping of names to mappings of plain scalars, inner mappings in block or flow style), so that a
 * command that only needs a stored token does not load a YAML library (`zign token -n NAME` must start
 * about as fast as `node -e 0`). Anything else gives undefined, and the caller parses the file with the
 * full YAML parser: this reader never guesses.
 */
export type TokenYaml = Record<string, Record<string, string | number | boolean | null>>;

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*):(?:\s+(.*))?$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;
const PLAIN = /^[A-Za-z0-9_./+=-](?:[A-Za-z0-9_./+=~ -]*[A-Za-z0-9_./+=~-])?$/;
/** Plain words that YAML 1.1 (PyYAML) or 1.2 read as something other than a string. */
const SPECIAL = /^(y|n|yes|no|on|off|true|false|null|~|\.inf|-\.inf|\.nan|\d.*|[-+.]\d.*|0x.*|0o.*|<<|=)$/i;

function scalar(text: string): string | number | boolean | null | undefined {
  const s = text.trim();
  if (s === '' || s === 'null' || s === '~') return null;
  if (s === 'true' || s === 'false') return s === 'true';
  if (NUMBER.test(s)) return Number(s);
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) return undefined;
    const inner = s.slice(1, -1);
    return /'(?!')/.test(inner.replaceAll("''", '')) ? undefined : inner.replaceAll("''", "'");
  }
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2 || s.includes('\\')) return undefined;
    return s.slice(1, -1).includes('"') ? undefined : s.slice(1, -1);
  }
  return PLAIN.test(s) && !SPECIAL.test(s) && !s.includes(' #') && !s.includes('  ') ? s : undefined;
}

/** Splits `{a: 1, b: 'x, y'}` into its `key: value` parts; undefined for nested or odd flow content. */
function flowEntries(body: string): string[] | undefined {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of body) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === ',') {
      parts.push(current);
      current = '';
    } else if (ch === '{' || ch === '}' || ch === '[' || ch === ']') {
      return undefined;
    } else current += ch;
  }
  if (quote) return undefined;
  if (current.trim() !== '') parts.push(current);
  return parts.map((p) => p.trim());
}

function entry(text: string, into: Record<string, unknown>): boolean {
  const m = KEY.exec(text);
  if (!m) return false;
  const value = scalar(m[2] ?? '');
  if (value === undefined || (m[1] as string) in into) return false;
  into[m[1] as string] = value;
  return true;
}

export function readTokenYaml(text: string): TokenYaml | undefined {
  const out: TokenYaml = {};
  let block: Record<string, string | number | boolean | null> | undefined;
  let indent: string | undefined;
  // PyYAML wraps a long flow mapping onto indented lines: join them first.
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const last = lines[lines.length - 1];
    if (last !== undefined && /^\S[^{]*:\s+\{/.test(last) && !last.trimEnd().endsWith('}') && line.startsWith(' '))
      lines[lines.length - 1] = `${last.trimEnd()} ${line.trim()}`;
    else lines.push(line);
  }
  for (const line of lines) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (line.trim() === '---' || line.trim() === '...' || line.includes('\t')) return undefined;
    const leading = /^ */.exec(line)?.[0] ?? '';
    if (leading === '') {
      const m = KEY.exec(line);
      if (!m || (m[1] as string) in out) return undefined;
      const rest = (m[2] ?? '').trim();
      const name = m[1] as string;
      if (rest === '') {
        block = {};
        indent = undefined;
        out[name] = block;
      } else if (rest.startsWith('{') && rest.endsWith('}')) {
        const parts = flowEntries(rest.slice(1, -1));
        if (!parts) return undefined;
        const mapping: Record<string, string | number | boolean | null> = {};
        for (const p of parts) if (!entry(p, mapping)) return undefined;
        out[name] = mapping;
        block = undefined;
      } else return undefined;
      continue;
    }
    if (!block || (indent !== undefined && leading !== indent)) return undefined;
    indent = leading;
    if (!entry(line.slice(leading.length), block)) return undefined;
  }
  for (const value of Object.values(out)) if (Object.keys(value).length === 0) return undefined;
  return out;
}
