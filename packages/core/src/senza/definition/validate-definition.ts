import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import { DefinitionError, type SourceLocation } from '../../errors.js';
import type { MessageCode } from '../../io/message-codes.js';
import type { Json } from '../template/template-types.js';
import { validate as generatedValidate } from './definition-validator.generated.js';
import { closest } from './suggest.js';

const require = createRequire(import.meta.url);
/** The one JSON Schema for Senza definitions: validation here, completion in editors. */
export const definitionSchema = require('../../../schema/senza-definition.schema.json') as {
  definitions: { component: { properties: { Type: { enum: string[] } } } };
};
export const KNOWN_COMPONENT_TYPES: readonly string[] = definitionSchema.definitions.component.properties.Type.enum;

// The schema compiled ahead of time (scripts/generate-validator.mjs): no ajv compile on each run.
type Validate = ((doc: unknown) => boolean) & { errors?: ErrorObject[] | null };
const validator = generatedValidate as Validate;

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(doc: unknown, path: (string | number)[]): unknown {
  let v: unknown = doc;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k as string] : undefined;
  return v;
}

/** Literal types of the schema (`#/definitions/<name>`): what the message says is expected. */
const LITERALS: Record<string, { expected: string; code: MessageCode }> = {
  integerLiteral: { expected: 'an integer (e.g. 8080 or "8080")', code: 'definition.not-an-integer' },
  booleanLiteral: { expected: 'true or false', code: 'definition.not-a-boolean' },
};

/** The literal definition an error comes from, and whether it is the literal's own `anyOf` error. */
function literalOf(e: ErrorObject): { name: string; own: boolean } | undefined {
  const m = /^#\/definitions\/(\w+Literal)\/anyOf(\/.*)?$/.exec(e.schemaPath);
  return m && m[1] in LITERALS ? { name: m[1], own: m[2] === undefined } : undefined;
}

/** Orders ajv errors so the most specific and useful one is reported first. */
function rank(e: ErrorObject): number {
  const literal = literalOf(e);
  if (literal) return literal.own ? 0 : 9;
  if (e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'allOf') return 9;
  if (e.keyword === 'enum' || e.keyword === 'required') return 0;
  return 1 + 10 / (1 + e.instancePath.length);
}

/**
 * Validates a parsed definition against the schema and throws a DefinitionError for the first
 * problem, with the key path (the caller adds file, line and column).
 */
export function validateDefinition(
  doc: Json,
  locate?: (path: (string | number)[]) => SourceLocation | undefined,
): void {
  const validate = validator;
  if (validate(doc)) return;
  const errors = [...(validate.errors ?? [])].sort(
    (a, b) => rank(a) - rank(b) || b.instancePath.length - a.instancePath.length,
  );
  const e = errors[0];
  const path = pointerToPath(e.instancePath);
  const here = valueAt(doc, path);
  const key = path.length > 0 ? String(path[path.length - 1]) : '';
  let reason: string;
  let hint: string | undefined;
  let code: MessageCode = 'definition.schema';
  const literal = literalOf(e);
  if (literal?.own) {
    const { expected, code: literalCode } = LITERALS[literal.name];
    reason = `${key} must be ${expected}, not ${describeType(here)}`;
    code = literalCode;
  } else if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    reason = `missing required key "${missing}"`;
    hint = missing === 'SenzaInfo' ? 'A definition starts with SenzaInfo: {StackName: <app>}.' : `Add "${missing}".`;
    code = 'definition.missing-key';
    // Located at the map that lacks the key; the path names the key.
    throw new DefinitionError(reason, { ...locate?.(path), path: [...path, missing] }, { code, hint });
  } else if (e.keyword === 'enum' && key === 'Type' && path[0] === 'SenzaComponents') {
    const known = KNOWN_COMPONENT_TYPES;
    const suggestion = closest(String(here), known);
    reason = `Component type "${String(here)}" does not exist`;
    hint = `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Known types: ${known.join(', ')}.`;
    code = 'definition.unknown-component';
  } else if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    const suggestion = typeof here === 'string' ? closest(here, allowed.map(String)) : undefined;
    reason = `${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, not ${JSON.stringify(here)}`;
    hint = suggestion ? `Did you mean "${suggestion}"?` : undefined;
  } else if (e.keyword === 'type') {
    const expected = String((e.params as { type: string | string[] }).type).replaceAll(',', ' or ');
    reason = `${key || 'the definition'} must be ${expected.replace('object', 'a map').replace('array', 'a list')}, not ${describeType(here)}`;
  } else if (e.keyword === 'minProperties' || e.keyword === 'maxProperties') {
    reason = `${key} must be a map with exactly one key (e.g. "- Name: {...}"), got ${here && typeof here === 'object' ? Object.keys(here).length : 0} keys`;
  } else {
    reason = `${key || 'the definition'} ${e.message ?? 'is invalid'}`;
  }
  throw new DefinitionError(reason, { ...locate?.(path), path }, { code, hint });
}
