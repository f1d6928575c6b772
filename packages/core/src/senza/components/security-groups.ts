import type { FactNeed } from '../template/account-facts.js';
import { isObject, type Json } from '../template/template-types.js';
import { type ComponentContext, configError } from './component.js';
import { asCrossStackRef, crossStackNeed, resolveCrossStackRef } from './cross-stack.js';

/** A `SecurityGroups` value as a list (a single string or map counts as a one-entry list). */
function entries(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function securityGroupNeeds(value: unknown): FactNeed[] {
  const names: string[] = [];
  const needs: FactNeed[] = [];
  for (const e of entries(value)) {
    if (typeof e === 'string' && !e.startsWith('sg-')) names.push(e);
    const ref = asCrossStackRef(e);
    if (ref) needs.push(crossStackNeed(ref));
  }
  if (names.length > 0) needs.push({ kind: 'securityGroups', names });
  return needs;
}

/**
 * Resolves `SecurityGroups` entries: `sg-...` as is, a name by `Name` tag then group name, a
 * cross-stack reference to its physical id, any other map (`{Ref: ...}`, `{Fn::GetAtt: ...}`) unchanged.
 */
export function resolveSecurityGroups(value: unknown, ctx: ComponentContext, key = 'SecurityGroups'): Json[] {
  return entries(value).map((e, i) => {
    if (typeof e === 'string') return e.startsWith('sg-') ? e : ctx.facts.securityGroupId(e);
    const ref = asCrossStackRef(e);
    if (ref) return resolveCrossStackRef(ref, ctx.facts);
    if (isObject(e)) return e;
    throw configError(ctx, [key, i], `a security group must be a name, an sg- id or a map, not ${JSON.stringify(e)}`);
  });
}
