import { DefinitionError } from '../../errors.js';
import { isObject, type Json } from '../template/template-types.js';
import { MustacheError, mustacheNames, renderMustache } from './mustache.js';
import { isPlainScalar, resolveYaml11Scalar } from './pyyaml-dump.js';

export type RenderContext = Record<string, unknown>;
export type Path = (string | number)[];

const HINTS: Record<string, string> = {
  Arguments:
    'Declare the parameter in SenzaInfo.Parameters, or fix the name ({{Arguments.version}} and {{Arguments.region}} always exist).',
  SenzaInfo:
    'SenzaInfo placeholders work outside SenzaInfo only, and name a key of SenzaInfo (StackName, StackVersion, ...).',
  AccountInfo: 'Known: AccountInfo.Region, AccountID, AccountAlias, TeamID, Domain, VpcID, MintBucket.',
};

/**
 * Renders placeholders in one string. The original rendered the YAML text of the whole document and
 * read it back, so a value it had written unquoted could change type (`8{{Arguments.X}}` → an int);
 * we render value by value and re-resolve only those, which keeps that behaviour without the
 * original's YAML corruption when a value contains quotes or line breaks.
 */
export function renderString(s: string, context: RenderContext, path: Path): Json {
  if (!s.includes('{{')) return s;
  let out: string;
  try {
    out = renderMustache(s, context);
  } catch (e) {
    if (e instanceof MustacheError && e.kind === 'syntax') {
      throw new DefinitionError(
        `invalid placeholder syntax: ${e.message}`,
        { path },
        {
          code: 'definition.placeholder-syntax',
          hint: 'Placeholders look like {{Arguments.Name}}; {{{x}}} inserts a value without HTML escaping.',
        },
      );
    }
    if (e instanceof MustacheError) {
      const root = String(e.key ?? '').split('.')[0];
      throw new DefinitionError(
        `unknown placeholder {{${e.key}}}: ${e.message}`,
        { path },
        {
          code: 'definition.unknown-placeholder',
          hint: HINTS[root] ?? 'Placeholders start with Arguments., SenzaInfo. or AccountInfo.',
        },
      );
    }
    throw e;
  }
  return isPlainScalar(s) ? resolveYaml11Scalar(out) : out;
}

/** Renders every string (map keys included) of a value tree. */
export function renderTree(value: Json, context: RenderContext, path: Path = []): Json {
  if (typeof value === 'string') return renderString(value, context, path);
  if (Array.isArray(value)) return value.map((v, i) => renderTree(v, context, [...path, i]));
  if (isObject(value)) {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = k.includes('{{') ? String(renderString(k, context, [...path, k])) : k;
      out[key] = renderTree(v, context, [...path, k]);
    }
    return out;
  }
  return value;
}

/** Every dotted placeholder name used anywhere in a value tree (keys included). */
export function placeholderNames(value: Json): Set<string> {
  const names = new Set<string>();
  const walk = (v: Json) => {
    if (typeof v === 'string') {
      if (v.includes('{{')) {
        try {
          for (const n of mustacheNames(v)) names.add(n);
        } catch {
          // a malformed template is reported when it is rendered, with its location
        }
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(value);
  return names;
}
