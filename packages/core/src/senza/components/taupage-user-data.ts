import { pythonJsonDumps } from '../../io/python-json.js';
import { dumpPyYaml } from '../definition/pyyaml-dump.js';
import type { AccountFacts } from '../template/account-facts.js';
import { isObject, type Json, type JsonObject } from '../template/template-types.js';
import { resolveCrossStackRef } from './cross-stack.js';

/** First line of the user data; Taupage recognises its configuration by it. */
export const TAUPAGE_HEADER = '#taupage-ami-config\n';

/** A placeholder as PyYAML writes it: single-quoted because it starts with `{`. */
const PLACEHOLDER = /'\{\{ ([\s\S]*?) \}\}'/g;

function isIntrinsic(node: JsonObject): boolean {
  const keys = Object.keys(node);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * `{Stack, Output}` maps → the other stack's output value; single-key `Ref`/`Fn::*` maps → the
 * placeholder text `{{ <JSON> }}` (Python's json.dumps spacing, ASCII only, so PyYAML keeps it on one
 * single-quoted line); everything else recursively unchanged.
 */
function toPlaceholders(node: Json, facts: AccountFacts | undefined): Json {
  if (Array.isArray(node)) return node.map((n) => toPlaceholders(n, facts));
  if (!isObject(node)) return node;
  if ('Stack' in node && 'Output' in node) {
    if (!facts) throw new Error('internal: a cross-stack output in TaupageConfig needs account facts');
    return resolveCrossStackRef({ Stack: String(node.Stack), Output: String(node.Output) }, facts);
  }
  if (isIntrinsic(node)) return `{{ ${pythonJsonDumps(node)} }}`;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toPlaceholders(v, facts)]));
}

/**
 * The Taupage user data for a TaupageConfig: `#taupage-ami-config` + the PyYAML dump of the config.
 * CloudFormation intrinsics inside the config (`{Ref: X}`, `{Fn::GetAtt: [...]}`) cannot be text, so
 * the dump is split around them into `{Fn::Join: ["", [text, intrinsic, text, ...]]}`; without any
 * intrinsic the result is the plain string. `facts` resolves `{Stack, Output}` references.
 */
export function generateUserData(taupageConfig: JsonObject, facts?: AccountFacts): Json {
  const text = TAUPAGE_HEADER + dumpPyYaml(toPlaceholders(taupageConfig, facts));
  const parts: Json[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, m.index), JSON.parse(m[1]) as Json);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts.length === 1 ? parts[0] : { 'Fn::Join': ['', parts] };
}
