/**
 * Reads a Senza definition (YAML or JSON text) into JSON values the way PyYAML's `safe_load` does (YAML 1.1
 * types, last duplicate key wins, `<<` merge keys), and remembers where every value came from so that later
 * validation errors can name a line and column.
 *
 * The `yaml` package parses the syntax; the values are built here from its syntax tree because its YAML 1.1
 * schema differs from PyYAML's resolvers in details (`y`/`n` are booleans there, not in PyYAML).
 *
 * Deviations from PyYAML:
 * - Timestamps (`2020-01-01`) stay strings; PyYAML makes date/datetime objects.
 * - `!!binary` stays its base64 text; PyYAML makes bytes. `!!set` becomes a mapping to nulls and
 *   `!!omap`/`!!pairs` a list of one-key mappings (PyYAML: set, list of tuples).
 * - Every alias gets its own copy of the anchored value; PyYAML shares one Python object between them.
 * - Map keys become strings: ints as digits, floats as Python writes them, `true`/`false`/`null` for
 *   booleans and null (as Python's `json.dumps` would write such keys).
 */
import {
  CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
} from 'yaml';
import { DefinitionError } from '../../errors.js';
import { integerDigits, pythonFloatRepr } from '../../io/python-values.js';
import type { Json, JsonObject } from '../template/template-types.js';
import { resolveYaml11Scalar, yaml11ImplicitTag } from './pyyaml-dump.js';
import type { YamlScalar } from './yaml-python-str.js';

export type YamlPath = (string | number)[];

export interface YamlSource {
  value: Json;
  /**
   * 1-based position of the value at `path` (of its key when the value is empty), or of the deepest
   * ancestor that exists. A block collection's position is that of its first entry.
   */
  locate(path: YamlPath): { line: number; column: number } | undefined;
  /** The scalar exactly at `path` as written (for Python's view of its value), if there is one. */
  scalar(path: YamlPath): YamlScalar | undefined;
}

const SYNTAX = 'definition.yaml-syntax';
/** Guards against "billion laughs" documents whose aliases expand to enormous values. */
const MAX_EXPANDED_NODES = 250_000;
/**
 * How deep maps and lists may nest. Real definitions stay below 15 levels; the limit keeps every later
 * recursive step (validation, placeholders, components, JSON output) far from the JavaScript stack's end.
 */
export const MAX_NESTING_DEPTH = 100;
const TOO_DEEP = 'definition.too-deep';

const YAML_TAG = 'tag:yaml.org,2002:';

/**
 * The offset where flow collections (`[[[[...`) or compact block indicators on one line (`- - - - x`) first
 * nest deeper than the limit, found with the lexer (linear, stops early) before the parser, whose time and
 * memory grow with the depth (millions of levels fit in 10 MB). Deep indentation needs quadratic space; the
 * parser reports it (RESOURCE_EXHAUSTION) and the value builder checks the depth.
 */
const LEXER_MARKERS = new Set([CST.DOCUMENT, CST.SCALAR, CST.FLOW_END]);

function tooDeepOffset(text: string): number | undefined {
  let offset = 0;
  let flow = 0;
  let compact = 0;
  for (const token of new Lexer().lex(text)) {
    switch (CST.tokenType(token)) {
      case 'flow-seq-start':
      case 'flow-map-start':
        if (++flow > MAX_NESTING_DEPTH) return offset;
        break;
      case 'flow-seq-end':
      case 'flow-map-end':
        flow--;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
        if (++compact > MAX_NESTING_DEPTH) return offset;
        break;
      case 'newline':
        compact = 0;
        break;
    }
    // The lexer's control tokens (document, scalar and flow-end markers) are not in the text.
    if (!LEXER_MARKERS.has(token)) offset += token.length;
  }
  return undefined;
}

export function parseYamlSource(text: string, file?: string): YamlSource {
  const deepAt = tooDeepOffset(text);
  if (deepAt !== undefined) {
    const before = text.slice(0, deepAt);
    const line = before.split('\n').length;
    throw tooDeepError(file, { line, column: deepAt - before.lastIndexOf('\n') });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    uniqueKeys: false,
    merge: true,
    lineCounter,
    prettyErrors: false,
  });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: col };
  };
  const fail = (reason: string, offset: number, path?: YamlPath, hint?: string): never => {
    throw new DefinitionError(`not valid YAML: ${reason}`, { file, ...at(offset), path }, { code: SYNTAX, hint });
  };

  const tooDeep = (offset: number, path?: YamlPath): never => {
    throw tooDeepError(file, at(offset), path);
  };

  // The parser gives up with this code when the nesting exhausts its stack (thousands of levels).
  const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) tooDeep(exhausted.pos[0]);
  const [firstError] = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
  if (firstError) {
    if (firstError.code === 'MULTIPLE_DOCS') {
      fail(
        `expected a single document, but found another document at line ${at(firstError.pos[0]).line}`,
        firstError.pos[0],
      );
    }
    fail(firstError.message.split('\n')[0], firstError.pos[0]);
  }

  const anchors = new Map<string, Node>();
  const inProgress = new Set<Node>();
  let expanded = 0;

  const nodeStart = (node: unknown, fallback: number): number => {
    const range = (node as Node | null | undefined)?.range;
    return range ? range[0] : fallback;
  };

  const build = (node: Node | null | undefined, path: YamlPath, fallbackOffset: number): Built => {
    if (++expanded > MAX_EXPANDED_NODES) fail('too many alias expansions', fallbackOffset, path);
    const start = nodeStart(node, fallbackOffset);
    if (path.length > MAX_NESTING_DEPTH) tooDeep(start, path);
    if (node === null || node === undefined) return { value: null, pos: { at: at(start) } };
    if (node.anchor) anchors.set(node.anchor, node);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return fail(`found undefined alias '${node.source}'`, start, path);
      if (inProgress.has(target)) return fail(`found recursive alias '${node.source}'`, start, path);
      const built = build(target, path, start);
      return { value: built.value, pos: { ...built.pos, at: at(start) } };
    }
    inProgress.add(node);
    try {
      if (isScalar(node)) {
        const scalar = { source: node.source ?? String(node.value), tag: node.tag, plain: node.type === Scalar.PLAIN };
        return { value: scalarValue(node, path, start), pos: { at: at(start), scalar } };
      }
      checkTag(node.tag, isMap(node) ? MAP_TAGS : SEQ_TAGS, start, path);
      if (isSeq(node)) {
        // !!omap and !!pairs items arrive as bare pairs: each becomes a one-key mapping.
        const items = node.items.map((item, i) =>
          isPair(item)
            ? mapValue([item], [...path, i], nodeStart(item.key, start))
            : build(item as Node | null, [...path, i], start),
        );
        return {
          value: items.map((item) => item.value),
          pos: { at: at(start), children: new Map(items.map((item, i) => [i, item.pos])) },
        };
      }
      if (isMap(node)) return mapValue(node.items, path, start);
      return fail('unsupported YAML node', start, path);
    } finally {
      inProgress.delete(node);
    }
  };

  const checkTag = (tag: string | undefined, allowed: Set<string>, offset: number, path: YamlPath): void => {
    if (tag === undefined || tag === '!' || allowed.has(tag)) return;
    const shown = tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag;
    const hint = shown.startsWith('!!')
      ? undefined
      : 'Senza definitions use the long form of CloudFormation functions, e.g. {"Ref": "X"} or {"Fn::GetAtt": [...]}';
    fail(`could not determine a constructor for the tag '${shown}'`, offset, path, hint);
  };

  const scalarValue = (node: Scalar, path: YamlPath, offset: number): Json => {
    const source = node.source ?? String(node.value);
    const tag = node.tag;
    checkTag(tag, SCALAR_TAGS, offset, path);
    if (tag === undefined) {
      return node.type === Scalar.PLAIN ? resolveYaml11Scalar(source) : source;
    }
    switch (tag) {
      case `${YAML_TAG}null`:
        return null;
      case `${YAML_TAG}bool`: {
        const word = source.toLowerCase();
        if (!BOOL_WORDS.has(word)) fail(`invalid boolean '${source}'`, offset, path);
        return TRUE_WORDS.has(word);
      }
      case `${YAML_TAG}int`:
      case `${YAML_TAG}float`: {
        const kind = tag === `${YAML_TAG}int` ? 'int' : 'float';
        const v = yaml11ImplicitTag(source) === kind ? resolveYaml11Scalar(source) : Number(source.replaceAll('_', ''));
        if (typeof v !== 'number' || (Number.isNaN(v) && !/nan$/i.test(source)) || source.trim() === '') {
          return fail(`invalid ${kind === 'int' ? 'integer' : 'float'} '${source}'`, offset, path);
        }
        return v;
      }
      default:
        // !!str, !, !!timestamp, !!binary: the text itself.
        return source;
    }
  };

  const mapValue = (pairs: unknown[], path: YamlPath, offset: number): Built => {
    // PyYAML's flatten_mapping: merged pairs come first (for a list of sources, later sources first), then the
    // mapping's own pairs; building the dict from that list, the last occurrence of a key wins.
    const merged: [string, Built][] = [];
    const own: [string, Built][] = [];
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      const keyStart = nodeStart(keyNode, offset);
      if (isScalar(keyNode) && keyNode.tag === undefined && keyNode.type === Scalar.PLAIN && keyNode.source === '<<') {
        merged.push(...mergeSources(valueNode, path, keyStart));
        continue;
      }
      const key = keyString(keyNode, path, keyStart);
      const built = build(valueNode, [...path, key], keyStart);
      // An empty value has no text of its own: point at its key.
      if (isScalar(valueNode) && valueNode.type === Scalar.PLAIN && valueNode.source === '') {
        built.pos = { ...built.pos, at: at(keyStart) };
      }
      own.push([key, built]);
    }
    const value: JsonObject = {};
    const children = new Map<string | number, PosTree>();
    for (const [key, built] of [...merged, ...own]) {
      setKey(value, key, built.value);
      children.set(key, built.pos);
    }
    return { value, pos: { at: at(offset), children } };
  };

  const mergeSources = (valueNode: Node | null, path: YamlPath, offset: number): [string, Built][] => {
    const target = resolveAlias(valueNode);
    const sources: unknown[] = isSeq(target) ? [...target.items].reverse() : [valueNode];
    const entries: [string, Built][] = [];
    for (const source of sources) {
      const sourceStart = nodeStart(source, offset);
      if (!isMap(resolveAlias(source as Node | null))) {
        fail('expected a mapping or list of mappings for merging', sourceStart, path);
      }
      const built = build(source as Node, path, sourceStart);
      for (const [key, child] of Object.entries(built.value as JsonObject)) {
        entries.push([key, { value: child, pos: built.pos.children?.get(key) ?? { at: at(sourceStart) } }]);
      }
    }
    return entries;
  };

  const resolveAlias = (node: Node | null | undefined): Node | null | undefined => {
    if (isAlias(node)) return anchors.get(node.source);
    return node;
  };

  const keyString = (keyNode: Node | null, path: YamlPath, offset: number): string => {
    const target = resolveAlias(keyNode);
    if (target !== null && target !== undefined && !isScalar(target)) {
      return fail('found unhashable key (a mapping or list cannot be a key)', offset, path);
    }
    const key = build(keyNode, path, offset).value;
    if (typeof key === 'number') {
      const isFloat =
        !Number.isSafeInteger(key) ||
        (isScalar(target) &&
          (target.tag === `${YAML_TAG}float` ||
            (target.tag === undefined && yaml11ImplicitTag(target.source ?? '') === 'float')));
      return isFloat ? pythonFloatRepr(key) : integerDigits(key);
    }
    return String(key);
  };

  const root = build(doc.contents as Node | null, [], 0);
  /** The deepest node on `path` that exists, and whether it is the one at `path` itself. */
  const walk = (path: YamlPath): { tree: PosTree; exact: boolean } => {
    let tree = root.pos;
    for (const segment of path) {
      const child =
        tree.children?.get(segment) ??
        tree.children?.get(typeof segment === 'number' ? String(segment) : Number(segment));
      if (child === undefined) return { tree, exact: false };
      tree = child;
    }
    return { tree, exact: true };
  };
  return {
    value: root.value,
    locate: (path) => ({ ...walk(path).tree.at }),
    scalar(path) {
      const { tree, exact } = walk(path);
      return exact ? tree.scalar : undefined;
    },
  };
}

function tooDeepError(file: string | undefined, at: { line: number; column: number }, path?: YamlPath) {
  return new DefinitionError(
    `maps and lists are nested more than ${MAX_NESTING_DEPTH} levels deep`,
    { file, ...at, path: path && abbreviatePath(path) },
    { code: TOO_DEEP, hint: 'Flatten the structure; a Senza definition needs only a few levels.' },
  );
}

/** A path hundreds of keys long, shortened for a one-line message: its first and last keys. */
function abbreviatePath(path: YamlPath): YamlPath {
  return path.length <= 8 ? path : [...path.slice(0, 4), `…${path.length - 6} more…`, ...path.slice(-2)];
}

interface PosTree {
  at: { line: number; column: number };
  scalar?: YamlScalar;
  children?: Map<string | number, PosTree>;
}

interface Built {
  value: Json;
  pos: PosTree;
}

const TRUE_WORDS = new Set(['yes', 'true', 'on']);
const BOOL_WORDS = new Set(['yes', 'no', 'true', 'false', 'on', 'off']);
const SCALAR_TAGS = new Set(['str', 'null', 'bool', 'int', 'float', 'timestamp', 'binary'].map((t) => YAML_TAG + t));
const MAP_TAGS = new Set(['map', 'set'].map((t) => YAML_TAG + t));
const SEQ_TAGS = new Set(['seq', 'omap', 'pairs'].map((t) => YAML_TAG + t));

/** Assign without invoking the `__proto__` setter, so a key named `__proto__` is an ordinary key. */
function setKey(obj: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
