import { NotFoundError, OperationError } from '../../errors.js';
import type { AccountFacts, FactNeed } from '../template/account-facts.js';
import { isObject, type Json } from '../template/template-types.js';

/** `{Stack: name, LogicalId: id}` or `{Stack: name, Output: key}`: a value taken from another stack. */
export type CrossStackRef = { Stack: string; LogicalId: string } | { Stack: string; Output: string };

const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);

export function asCrossStackRef(v: unknown): CrossStackRef | undefined {
  if (!isObject(v) || typeof v.Stack !== 'string') return undefined;
  if (typeof v.LogicalId === 'string') return { Stack: v.Stack, LogicalId: v.LogicalId };
  if (typeof v.Output === 'string') return { Stack: v.Stack, Output: v.Output };
  return undefined;
}

export function crossStackNeed(ref: CrossStackRef): FactNeed {
  return 'LogicalId' in ref
    ? { kind: 'stackResource', stack: ref.Stack, logicalId: ref.LogicalId }
    : { kind: 'stackOutputs', stack: ref.Stack };
}

/** Every cross-stack reference anywhere inside a value (TaupageConfig may nest them). */
export function crossStackNeedsIn(value: unknown): FactNeed[] {
  const out: FactNeed[] = [];
  const walk = (v: unknown) => {
    const ref = asCrossStackRef(v);
    if (ref) out.push(crossStackNeed(ref));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** Physical id of the referenced resource, or the output value (null when the output is absent). */
export function resolveCrossStackRef(ref: CrossStackRef, facts: AccountFacts): string | null {
  if ('LogicalId' in ref) {
    const res = facts.stackResource(ref.Stack, ref.LogicalId);
    if (!res) {
      throw new NotFoundError(
        `Resource "${ref.LogicalId}" of stack "${ref.Stack}" does not exist in region ${facts.region}`,
        {
          code: 'aws.stack-resource-missing',
          hint: 'Check the Stack and LogicalId of the reference (senza resources STACK VERSION lists them).',
        },
      );
    }
    if (!COMPLETE.has(res.status)) {
      throw new OperationError(`Resource "${ref.LogicalId}" is not ready ("${res.status}")`, {
        code: 'aws.stack-resource-not-ready',
      });
    }
    return res.physicalId ?? null;
  }
  const stack = facts.stack(ref.Stack);
  if (!stack) {
    throw new NotFoundError(`Stack "${ref.Stack}" does not exist in region ${facts.region}`, {
      code: 'aws.stack-missing',
      hint: 'Check the Stack of the reference (senza list shows the deployed stacks).',
    });
  }
  if (!COMPLETE.has(stack.status)) {
    throw new OperationError(`Stack "${ref.Stack}" is not ready ("${stack.status}")`, { code: 'aws.stack-not-ready' });
  }
  return stack.outputs[ref.Output] ?? null;
}

/** Replaces every cross-stack reference inside a value by what it resolves to. */
export function resolveCrossStackRefsIn(value: Json, facts: AccountFacts): Json {
  const ref = asCrossStackRef(value);
  if (ref) return resolveCrossStackRef(ref, facts);
  if (Array.isArray(value)) return value.map((v) => resolveCrossStackRefsIn(v, facts));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveCrossStackRefsIn(v, facts)]));
  return value;
}
