/**
 * Mustache as pystache renders it with `missing_tags='strict'`, which is what senza uses on the YAML text of a
 * definition: unknown names abort, `{{x}}` escapes exactly `& < > " '`, values are converted with Python's
 * `str()`, and standalone tags swallow their line the way pystache's parser does.
 *
 * Deviations from pystache: partials are refused (senza has none); a tag without its closing delimiter, an
 * unclosed section and a malformed delimiter change are errors (pystache leaves the text as it is or renders
 * garbage); lambdas are not supported (contexts are plain data); a context key whose value is `undefined`
 * counts as missing.
 */
import { pythonRepr, pythonStr } from '../../io/python-values.js';

export class MustacheError extends Error {
  /** The full dotted name that failed to resolve, or the tag text that failed to parse. */
  readonly key: string;
  /** `missing-key`: strict lookup failed; `syntax`: the template itself is malformed or unsupported. */
  readonly kind: 'missing-key' | 'syntax';
  constructor(message: string, key: string, kind: 'missing-key' | 'syntax' = 'syntax') {
    super(message);
    this.name = 'MustacheError';
    this.key = key;
    this.kind = kind;
  }
}

/** Render `template` against `context` like `pystache.Renderer(missing_tags='strict').render(template, context)`. */
export function renderMustache(template: string, context: Record<string, unknown>): string {
  const stack: unknown[] = [context];
  return renderNodes(parseMustache(template), stack);
}

/**
 * Every dotted name used by a variable, section or inverted-section tag, in order of first use (delimiter
 * changes respected). Names inside sections are returned as written, i.e. possibly relative to the section's
 * value. `.` (the current item) is not a name and is left out.
 */
export function mustacheNames(template: string): string[] {
  const names = new Set<string>();
  const visit = (nodes: MustacheNode[]): void => {
    for (const node of nodes) {
      if (typeof node === 'string') continue;
      if (node.name !== '.') names.add(node.name);
      if (node.kind === 'section' || node.kind === 'inverted') visit(node.children);
    }
  };
  visit(parseMustache(template));
  return [...names];
}

type MustacheNode =
  | string
  | { kind: 'escaped' | 'literal'; name: string }
  | { kind: 'section' | 'inverted'; name: string; children: MustacheNode[] };

type TagKind = '' | '&' | '#' | '^' | '/' | '!' | '>' | '=';

interface Tag {
  kind: TagKind;
  /** The tag's content without sigils and surrounding whitespace. */
  key: string;
  /** Index just past the closing delimiter. */
  end: number;
}

function isWhitespace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

function skipWhitespace(text: string, i: number): number {
  let j = i;
  while (isWhitespace(text[j])) j++;
  return j;
}

function unclosed(template: string, at: number, close: string): MustacheError {
  const snippet = template.slice(at, at + 40).split('\n')[0];
  return new MustacheError(`Unclosed tag "${snippet}": missing "${close}"`, snippet);
}

/**
 * Read the tag whose opening delimiter ends at `i`, as pystache's tag pattern does: `=...=` delimiter change,
 * `{...}` triple mustache, or an optional sigil followed by the key, each up to the first closing delimiter
 * that completes it.
 */
function readTag(template: string, openAt: number, i: number, close: string): Tag {
  const bodyStart = skipWhitespace(template, i);
  const sigil = template[bodyStart];
  if (sigil === '=' || sigil === '{') {
    const closer = sigil === '=' ? '=' : '}';
    // The content runs to the first `<closer> <ws> <close>` after at least one character on the same line.
    for (let c = template.indexOf(close, bodyStart + 1); c !== -1; c = template.indexOf(close, c + 1)) {
      let j = c;
      while (j > bodyStart && isWhitespace(template[j - 1])) j--;
      if (j - 1 <= bodyStart || template[j - 1] !== closer) continue;
      const key = template.slice(bodyStart + 1, j - 1).trim();
      if (key === '' || key.includes('\n') || key.includes('\r')) continue;
      return { kind: sigil === '=' ? '=' : '&', key, end: c + close.length };
    }
    throw unclosed(template, openAt, `${closer}${close}`);
  }
  let kind: TagKind = '';
  let keyStart = bodyStart;
  if (sigil !== undefined && '!>&/#^'.includes(sigil)) {
    kind = sigil as TagKind;
    keyStart = skipWhitespace(template, bodyStart + 1);
  }
  const c = template.indexOf(close, keyStart);
  if (c === -1) throw unclosed(template, openAt, close);
  const key = template.slice(keyStart, c).trim();
  if (key === '') throw new MustacheError(`Empty tag "${template.slice(openAt, c + close.length)}"`, '');
  return { kind, key, end: c + close.length };
}

function parseMustache(template: string): MustacheNode[] {
  let open = '{{';
  let close = '}}';
  const root: MustacheNode[] = [];
  const sections: { name: string; kind: 'section' | 'inverted'; children: MustacheNode[] }[] = [];
  let current = root;
  let pos = 0;
  while (pos < template.length) {
    const openAt = template.indexOf(open, pos);
    if (openAt === -1) break;
    const tag = readTag(template, openAt, openAt + open.length, close);
    // Spaces and tabs before the tag on its line (but not before where the previous tag ended).
    let wsStart = openAt;
    while (wsStart > pos && (template[wsStart - 1] === ' ' || template[wsStart - 1] === '\t')) wsStart--;
    const beginsLine = wsStart === 0 || template[wsStart - 1] === '\n' || template[wsStart - 1] === '\r';
    const endsLine = tag.end === template.length || template[tag.end] === '\n' || template[tag.end] === '\r';
    let textEnd = openAt;
    let next = tag.end;
    if (beginsLine && endsLine && tag.kind !== '' && tag.kind !== '&') {
      // A standalone tag disappears with its indentation and its line break.
      textEnd = wsStart;
      if (template[next] === '\r') next++;
      if (template[next] === '\n') next++;
    }
    if (textEnd > pos) current.push(template.slice(pos, textEnd));
    pos = next;
    switch (tag.kind) {
      case '':
        current.push({ kind: 'escaped', name: tag.key });
        break;
      case '&':
        current.push({ kind: 'literal', name: tag.key });
        break;
      case '!':
        break;
      case '>':
        throw new MustacheError(`Partials are not supported: "{{> ${tag.key}}}"`, tag.key);
      case '=': {
        const delimiters = tag.key.split(/\s+/);
        if (delimiters.length !== 2) {
          throw new MustacheError(`Invalid delimiter change "${tag.key}": expected two delimiters`, tag.key);
        }
        [open, close] = delimiters;
        break;
      }
      case '#':
      case '^': {
        const section = { name: tag.key, kind: tag.kind === '#' ? ('section' as const) : ('inverted' as const) };
        const node = { ...section, children: [] as MustacheNode[] };
        current.push(node);
        sections.push(node);
        current = node.children;
        break;
      }
      case '/': {
        const section = sections.pop();
        if (section === undefined) {
          throw new MustacheError(`Section end tag without a start: ${tag.key}`, tag.key);
        }
        if (section.name !== tag.key) {
          throw new MustacheError(`Section end tag mismatch: ${tag.key} != ${section.name}`, tag.key);
        }
        current = sections.length > 0 ? sections[sections.length - 1].children : root;
        break;
      }
    }
  }
  if (pos < template.length) current.push(template.slice(pos));
  if (sections.length > 0) {
    const name = sections[sections.length - 1].name;
    throw new MustacheError(`Unclosed section: ${name} (no {{/${name}}})`, name);
  }
  return root;
}

const NOT_FOUND = Symbol('not found');

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function getKey(item: unknown, key: string): unknown {
  if (isDict(item) && Object.hasOwn(item, key) && item[key] !== undefined) return item[key];
  return NOT_FOUND;
}

/** pystache's ContextStack.get: the first part from the innermost item that has it, the rest from that value. */
function lookup(stack: unknown[], name: string): unknown {
  if (name === '.') return stack[stack.length - 1];
  const parts = name.split('.');
  let value: unknown = NOT_FOUND;
  for (let i = stack.length - 1; i >= 0 && value === NOT_FOUND; i--) value = getKey(stack[i], parts[0]);
  if (value === NOT_FOUND)
    throw new MustacheError(`Key ${pythonRepr(name)} not found: first part`, name, 'missing-key');
  for (const part of parts.slice(1)) {
    value = getKey(value, part);
    if (value === NOT_FOUND) {
      throw new MustacheError(`Key ${pythonRepr(name)} not found: missing ${pythonRepr(part)}`, name, 'missing-key');
    }
  }
  return value;
}

/** Python truthiness of a JSON-like value. */
function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

function renderNodes(nodes: MustacheNode[], stack: unknown[]): string {
  let out = '';
  for (const node of nodes) {
    if (typeof node === 'string') {
      out += node;
    } else if (node.kind === 'escaped') {
      out += escapeHtml(pythonStr(lookup(stack, node.name)));
    } else if (node.kind === 'literal') {
      out += pythonStr(lookup(stack, node.name));
    } else if (node.kind === 'inverted') {
      if (!isTruthy(lookup(stack, node.name))) out += renderNodes(node.children, stack);
    } else if (node.kind === 'section') {
      const value = lookup(stack, node.name);
      if (!isTruthy(value)) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        stack.push(item);
        try {
          out += renderNodes(node.children, stack);
        } finally {
          stack.pop();
        }
      }
    }
  }
  return out;
}

/** Python's `html.escape(s, quote=True)`. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};
