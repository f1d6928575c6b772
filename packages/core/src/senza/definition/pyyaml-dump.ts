/**
 * Byte-compatible emulation of PyYAML's `yaml.dump(data, default_flow_style=False)` (and `safe_dump`) for
 * JSON-like data, plus the YAML 1.1 implicit resolvers that PyYAML's SafeLoader applies to plain scalars.
 *
 * Senza writes the Taupage user data with PyYAML and renders mustache on PyYAML's text, so the bytes matter:
 * which strings are quoted, how, and where line breaks and indentation go. The emitter below keeps the same
 * writer state as PyYAML's (column, "last write was whitespace", "line holds only indentation", the indent
 * stack) and makes the same decisions, so its output matches for every JSON-like input.
 *
 * Deviations, all forced by JavaScript values carrying less type information than Python's:
 * - A number is an int when it is a safe integer (see `isPythonInt`): a YAML `1.0` read into JavaScript dumps
 *   as `1`, while `1e+20` stays a float.
 * - Object keys are always strings. Keys that look like canonical ints (`8080`, `-1`) are written as ints
 *   (plain) because they almost always were int keys in the definition (`ports: {8080: 8080}`). Other keys
 *   that PyYAML held as floats, bools or null (`1.5:`, `yes:`) come out quoted here.
 * - Key order with sorting on: all string keys → Python's code-point sort; all int-like keys → numeric sort;
 *   a mix → PyYAML gives up sorting (Python 3 cannot compare int with str) and keeps insertion order, which a
 *   JavaScript object has lost for int-like keys, so we keep the object's own key order.
 * - An object or array that occurs twice is written out twice; PyYAML would write an `&id001` anchor and
 *   `*id001` aliases for a shared Python object.
 */

import { compareCodePoints, integerDigits, isPythonInt, pythonFloatRepr } from '../../io/python-values.js';
import type { Json } from '../template/template-types.js';

export interface PyYamlDumpOptions {
  /** PyYAML `indent`: used when 1 < indent < 10, otherwise 2. */
  indent?: number;
  /** PyYAML `sort_keys` (default true). */
  sortKeys?: boolean;
  /**
   * PyYAML `width`. Default: unlimited, as senza dumps the Taupage user data with `width=sys.maxsize`.
   * PyYAML's own default is 80 (pass 80 to get it); a width not above `2 * indent` also means 80.
   */
  width?: number;
}

/** Dump JSON-like data exactly as PyYAML's `yaml.dump(value, default_flow_style=False, ...)` would. */
export function dumpPyYaml(value: Json, options: PyYamlDumpOptions = {}): string {
  const indent = options.indent !== undefined && options.indent > 1 && options.indent < 10 ? options.indent : 2;
  let width = Number.POSITIVE_INFINITY;
  if (options.width !== undefined) width = options.width > indent * 2 ? options.width : 80;
  const emitter = new BlockEmitter(indent, width, options.sortKeys ?? true);
  return emitter.document(value);
}

/** Would PyYAML write this string as a plain (unquoted) scalar in a block mapping value or sequence item? */
export function isPlainScalar(s: string): boolean {
  return yaml11ImplicitTag(s) === 'str' && analyzeScalar(Array.from(s)).allowBlockPlain;
}

/**
 * The value PyYAML's SafeLoader gives a plain (unquoted) scalar: null, bool, int or float by the YAML 1.1
 * implicit resolvers, otherwise the string itself. Deviations: timestamps stay strings (PyYAML makes
 * date/datetime objects); `<<` and `=` stay strings (PyYAML treats them as merge/value keys or fails);
 * `.inf`/`.nan` become the JavaScript numbers Infinity/NaN, which JSON cannot carry.
 */
export function resolveYaml11Scalar(s: string): Json {
  switch (yaml11ImplicitTag(s)) {
    case 'null':
      return null;
    case 'bool':
      return TRUE_WORDS.has(s.toLowerCase());
    case 'int':
      return constructYaml11Int(s) ?? s;
    case 'float':
      return constructYaml11Float(s);
    default:
      return s;
  }
}

/** The YAML 1.1 implicit tag PyYAML's resolver gives a plain scalar. */
export type Yaml11Tag = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'merge' | 'value' | 'str';

const TRUE_WORDS = new Set(['yes', 'true', 'on']);
const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_RE =
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE =
  /^(?:[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP_RE =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** The tag PyYAML's implicit resolvers give the plain scalar `s` (the resolver sets are disjoint). */
export function yaml11ImplicitTag(s: string): Yaml11Tag {
  if (NULL_RE.test(s)) return 'null';
  if (BOOL_RE.test(s)) return 'bool';
  if (INT_RE.test(s)) return 'int';
  if (FLOAT_RE.test(s)) return 'float';
  if (TIMESTAMP_RE.test(s)) return 'timestamp';
  if (s === '<<') return 'merge';
  if (s === '=') return 'value';
  return 'str';
}

/** PyYAML's `construct_yaml_int`; undefined where Python's `int()` would raise (e.g. `0x_`). */
function constructYaml11Int(text: string): number | undefined {
  const n = constructYaml11BigInt(text);
  return n === undefined ? undefined : Number(n);
}

/** PyYAML's `construct_yaml_int` with Python's unbounded ints; undefined where `int()` would raise. */
export function constructYaml11BigInt(text: string): bigint | undefined {
  let s = text.replaceAll('_', '');
  let sign = 1n;
  if (s.startsWith('-')) sign = -1n;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  const digits = (body: string, pattern: RegExp, prefix: string): bigint | undefined =>
    pattern.test(body) ? BigInt(prefix + body) : undefined;
  let n: bigint | undefined;
  if (s === '0') return 0n;
  if (s.startsWith('0b')) n = digits(s.slice(2), /^[01]+$/, '0b');
  else if (s.startsWith('0x')) n = digits(s.slice(2), /^[0-9a-fA-F]+$/, '0x');
  else if (s.startsWith('0')) n = digits(s.slice(1), /^[0-7]+$/, '0o');
  else if (s.includes(':')) {
    const parts = s.split(':');
    n = parts.every((p) => /^[0-9]+$/.test(p)) ? parts.reduce((acc, p) => acc * 60n + BigInt(p), 0n) : undefined;
  } else n = digits(s, /^[0-9]+$/, '');
  return n === undefined ? undefined : sign * n;
}

/** PyYAML's `construct_yaml_float`. */
export function constructYaml11Float(text: string): number {
  let s = text.replaceAll('_', '').toLowerCase();
  let sign = 1;
  if (s.startsWith('-')) sign = -1;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '.inf') return sign * Number.POSITIVE_INFINITY;
  if (s === '.nan') return Number.NaN;
  if (s.includes(':')) return sign * sexagesimal(s.split(':').map((d) => Number(d)));
  return sign * Number(s);
}

function sexagesimal(digits: number[]): number {
  let value = 0;
  for (const d of digits) value = value * 60 + d;
  return value;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the decimal exponent is
 * in [-4, 16), otherwise as `d.ddde+XX`. Integral values keep a `.0` in fixed notation.
 */

/**
 * Whether a JavaScript number stands for a Python int. JavaScript has one number type, so integral values
 * are taken as ints, except beyond 2^53 where they are almost certainly floats that happen to be integral.
 */

/** How PyYAML's representer writes a JSON scalar, and whether that text resolves back to the same type. */
interface ScalarText {
  text: string;
  /** PyYAML's `implicit[0]`: the text written plain would resolve to the value's own type. */
  plainResolves: boolean;
}

function scalarText(value: null | boolean | number | string): ScalarText {
  if (value === null) return { text: 'null', plainResolves: true };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false', plainResolves: true };
  if (typeof value === 'number') {
    if (isPythonInt(value)) return { text: integerDigits(value), plainResolves: true };
    if (Number.isNaN(value)) return { text: '.nan', plainResolves: true };
    if (!Number.isFinite(value)) return { text: value > 0 ? '.inf' : '-.inf', plainResolves: true };
    let text = pythonFloatRepr(value);
    if (!text.includes('.') && text.includes('e')) text = text.replace('e', '.0e');
    return { text, plainResolves: true };
  }
  return { text: value, plainResolves: yaml11ImplicitTag(value) === 'str' };
}

const CANONICAL_INT_KEY = /^(?:0|-?[1-9][0-9]*)$/;

function keyText(key: string): ScalarText {
  return CANONICAL_INT_KEY.test(key) ? { text: key, plainResolves: true } : scalarText(key);
}

interface ScalarAnalysis {
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

const BREAKS = '\n\x85\u2028\u2029';
const BLANK_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

/** PyYAML's `Emitter.analyze_scalar` for block context and `allow_unicode=False`, over code points. */
function analyzeScalar(chars: string[]): ScalarAnalysis {
  if (chars.length === 0) return { empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  const text = chars.join('');
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || BLANK_OR_BREAK.includes(chars[1]);
  let previousSpace = false;
  let previousBreak = false;
  const last = chars.length - 1;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index];
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ('?:'.includes(ch) && followedByWhitespace) blockIndicators = true;
      if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    // allow_unicode=False: anything outside printable ASCII (line feed aside) forces double quotes.
    if (!(ch === '\n' || (ch >= '\x20' && ch <= '\x7e'))) specialCharacters = true;
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = BLANK_OR_BREAK.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || BLANK_OR_BREAK.includes(chars[index + 2]);
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || specialCharacters) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0a': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\x0d': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

function doubleQuotedEscape(ch: string): string {
  const named = ESCAPES[ch];
  if (named !== undefined) return `\\${named}`;
  const code = ch.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

interface NodeContext {
  root?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

/** PyYAML's emitter restricted to one implicit document of block collections (empty ones in flow style). */
class BlockEmitter {
  private out: string[] = [];
  private column = 0;
  /** The last thing written was whitespace (or nothing): an indicator needs no separating space. */
  private whitespace = true;
  /** The current line holds only indentation and indicators such as `- `. */
  private indention = true;
  private indent: number | null = null;
  private readonly indents: (number | null)[] = [];
  private openEnded = false;

  constructor(
    private readonly bestIndent: number,
    private readonly bestWidth: number,
    private readonly sortKeys: boolean,
  ) {}

  document(value: Json): string {
    this.node(value, { root: true });
    this.writeIndent();
    if (this.openEnded) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    return this.out.join('');
  }

  private node(value: Json, ctx: NodeContext): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.emptyFlowCollection('[', ']');
      else this.blockSequence(value, ctx);
    } else if (typeof value === 'object' && value !== null) {
      const keys = this.orderedKeys(value);
      if (keys.length === 0) this.emptyFlowCollection('{', '}');
      else this.blockMapping(value, keys);
    } else if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
      this.scalar(scalarText(value), ctx);
    } else {
      throw new TypeError(`cannot dump a value of type ${typeof value} as YAML`);
    }
  }

  private orderedKeys(obj: { [key: string]: Json }): string[] {
    const keys = Object.keys(obj);
    if (!this.sortKeys) return keys;
    const intKeys = keys.filter((k) => CANONICAL_INT_KEY.test(k));
    if (intKeys.length === 0) return keys.sort(compareCodePoints);
    if (intKeys.length === keys.length) return keys.sort((a, b) => compareBigInt(BigInt(a), BigInt(b)));
    return keys;
  }

  private emptyFlowCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true);
    this.increaseIndent(true);
    this.indent = this.indents.pop()!;
    this.writeIndicator(close, false);
  }

  private blockSequence(items: Json[], ctx: NodeContext): void {
    this.increaseIndent(false, Boolean(ctx.mapping) && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, {});
    }
    this.indent = this.indents.pop()!;
  }

  private blockMapping(obj: { [key: string]: Json }, keys: string[]): void {
    this.increaseIndent(false);
    for (const key of keys) {
      this.writeIndent();
      const k = keyText(key);
      const a = analyzeScalar(Array.from(k.text));
      // PyYAML counts the prepared tag (`!!str`, `!!int`: 5 characters) into the 128-character limit.
      if (Array.from(k.text).length + 5 < 128 && !a.empty && !a.multiline) {
        this.scalar(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.scalar(k, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(obj[key], { mapping: true });
    }
    this.indent = this.indents.pop()!;
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private scalar(s: ScalarText, ctx: NodeContext): void {
    this.increaseIndent(true);
    const chars = Array.from(s.text);
    const a = analyzeScalar(chars);
    const split = !ctx.simpleKey;
    if (s.plainResolves && !(ctx.simpleKey && (a.empty || a.multiline)) && a.allowBlockPlain) {
      this.writePlain(chars, split, Boolean(ctx.root));
    } else if (a.allowSingleQuoted && !(ctx.simpleKey && a.multiline)) {
      this.writeSingleQuoted(chars, split);
    } else {
      this.writeDoubleQuoted(chars, split);
    }
    this.indent = this.indents.pop()!;
  }

  private write(data: string, length = Array.from(data).length): void {
    this.out.push(data);
    this.column += length;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }

  private writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.out.push(data);
    this.column = 0;
  }

  private writeBreaks(chars: string[], start: number, end: number): void {
    for (let i = start; i < end; i++) {
      this.writeLineBreak(chars[i]);
    }
  }

  private writePlain(chars: string[], split: boolean, root: boolean): void {
    if (root) this.openEnded = true;
    if (chars.length === 0) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(chars.slice(start, end).join(''), end - start);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === '\n') this.writeLineBreak();
          this.writeBreaks(chars, start, end);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch)) {
        this.write(chars.slice(start, end).join(''), end - start);
        start = end;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
  }

  private writeSingleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== chars.length) {
            this.writeIndent();
          } else {
            this.write(chars.slice(start, end).join(''), end - start);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === '\n') this.writeLineBreak();
          this.writeBreaks(chars, start, end);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}'`.includes(ch)) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''), end - start);
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (ch === undefined || '"\\\x85\u2028\u2029\ufeff'.includes(ch) || !(ch >= '\x20' && ch <= '\x7e')) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''), end - start);
          start = end;
        }
        if (ch !== undefined) {
          this.write(doubleQuotedEscape(ch));
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (ch === ' ' || start >= end) &&
        this.column + (end - start) > this.bestWidth &&
        split
      ) {
        const data = `${chars.slice(start, end).join('')}\\`;
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === ' ') this.write('\\');
      }
    }
    this.writeIndicator('"', false);
  }
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
