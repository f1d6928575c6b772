import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A minimal XML tree for patching AWS answers: elements, attributes and text; no DTDs, no namespaces
 * beyond keeping `xmlns` attributes as they are. Parsing then serializing an AWS answer gives back
 * an equivalent document (comments and processing instructions other than the declaration are dropped).
 * Parsed by fast-xml-parser; serialized here.
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

const CDATA = '#cdata';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
  // Entities are decoded here (decode above), as XML has them: the five named ones and character references.
  processEntities: false,
  htmlEntities: false,
});

type Ordered = Record<string, unknown>;

function toNode(item: Ordered): XmlNode | undefined {
  if ('#text' in item) return decode(String(item['#text']));
  const name = Object.keys(item).find((k) => k !== ':@');
  if (name === undefined) return undefined;
  const content = item[name] as Ordered[];
  if (name === CDATA) return content.map((c) => String(c['#text'] ?? '')).join('');
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries((item[':@'] as Record<string, unknown> | undefined) ?? {})) {
    attributes[k] = decode(String(v));
  }
  const children: XmlNode[] = [];
  for (const c of content) {
    const n = toNode(c);
    if (n !== undefined) children.push(n);
  }
  return { name, attributes, children };
}

/** Parses a document (fast-xml-parser, validated first) and returns its root element. */
export function parseXml(source: string): XmlElement {
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new XmlParseError(`${valid.err.msg} at line ${valid.err.line}, column ${valid.err.col}`);
  const top = (parser.parse(source) as Ordered[]).map(toNode);
  const roots = top.filter((n): n is XmlElement => typeof n === 'object');
  if (top.some((n) => typeof n === 'string' && n.trim())) throw new XmlParseError('text outside the root element');
  if (roots.length !== 1) throw new XmlParseError(roots.length ? 'second root element' : 'no root element');
  return roots[0] as XmlElement;
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
