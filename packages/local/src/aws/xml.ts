/**
 * A minimal XML tree for patching AWS answers: elements, attributes and text; no DTDs, no namespaces
 * beyond keeping `xmlns` attributes as they are. Parsing then serializing an AWS answer gives back
 * an equivalent document (comments and processing instructions other than the declaration are dropped).
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlParseError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new XmlParseError(`${what} at offset ${i}`);
  };
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textEnd = lt < 0 ? source.length : lt;
    if (textEnd > i) {
      const text = source.slice(i, textEnd);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(decode(text));
      else if (text.trim()) fail('text outside the root element');
      i = textEnd;
      continue;
    }
    if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i);
      if (end < 0) fail('unterminated declaration');
      i = end + 2;
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA');
      stack[stack.length - 1]?.children.push(source.slice(i + 9, end));
      i = end + 3;
    } else if (source.startsWith('<!', i)) {
      const end = source.indexOf('>', i);
      if (end < 0) fail('unterminated markup');
      i = end + 1;
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      if (end < 0) fail('unterminated end tag');
      const name = source.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail(`unexpected </${name}>`);
      i = end + 1;
    } else {
      const match = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(i));
      if (!match) return fail('malformed start tag');
      const [whole, name, attrText, selfClosing] = match as unknown as [string, string, string, string];
      const attributes: Record<string, string> = {};
      for (const a of attrText.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attributes[a[1] as string] = decode(a[2] ?? a[3] ?? '');
      }
      const element: XmlElement = { name, attributes, children: [] };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) fail('second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      i += whole.length;
    }
  }
  if (stack.length > 0 || !root) fail('unterminated document');
  return root as XmlElement;
}

export function serializeXml(root: XmlElement, declaration = true): string {
  const out: string[] = declaration ? ['<?xml version="1.0" encoding="UTF-8"?>'] : [];
  const write = (el: XmlElement) => {
    const attrs = Object.entries(el.attributes)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    if (el.children.length === 0) {
      out.push(`<${el.name}${attrs}/>`);
      return;
    }
    out.push(`<${el.name}${attrs}>`);
    for (const c of el.children) {
      if (typeof c === 'string') out.push(escapeXml(c));
      else write(c);
    }
    out.push(`</${el.name}>`);
  };
  write(root);
  return out.join('');
}

export function elements(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return elements(el, name)[0];
}

/** The element at a path of names below `el` (first match at each step). */
export function at(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of path) cur = child(cur, name);
  return cur;
}

export function text(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}

export function childText(el: XmlElement | undefined, name: string): string | undefined {
  return text(child(el, name));
}

/** Sets (or adds, at the end) the text of a child element. */
export function setChildText(el: XmlElement, name: string, value: string): void {
  const found = child(el, name);
  if (found) found.children = [value];
  else el.children.push(leaf(name, value));
}

export function leaf(name: string, value: string): XmlElement {
  return { name, attributes: {}, children: [value] };
}

export function node(name: string, children: XmlNode[] = []): XmlElement {
  return { name, attributes: {}, children };
}

/** Every element named `name` anywhere below `el` (depth first, document order). */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (typeof c === 'string') continue;
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
