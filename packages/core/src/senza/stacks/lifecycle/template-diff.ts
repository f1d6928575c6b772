/**
 * What an update would change: the deployed template and parameters against the regenerated ones,
 * resource by resource, with the changed property paths and their old and new values. Pure.
 */
export type ChangeKind = 'added' | 'removed' | 'modified';

export interface ValueChange {
  /** Dotted path below the resource or section, arrays as `[i]`: `Properties.Tags[2].Value`. */
  path: string;
  kind: ChangeKind;
  old?: unknown;
  new?: unknown;
}

export interface ResourceDiff {
  logicalId: string;
  kind: ChangeKind;
  /** The new type (the old one for a removed resource). */
  type: string;
  /** Set when the type itself changed. */
  oldType?: string;
  /** Changed paths below the resource (empty for added and removed resources). */
  changes: ValueChange[];
}

export interface ParameterChange {
  key: string;
  kind: ChangeKind;
  old?: string;
  new?: string;
}

export interface TemplateDiff {
  resources: ResourceDiff[];
  /** Everything outside Resources: Description, Parameters (declarations), Mappings, Outputs, ... */
  other: ValueChange[];
  /** Parameter values of the stack. */
  parameters: ParameterChange[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Structural differences between two JSON values; objects by key, arrays by position. */
export function diffValues(a: unknown, b: unknown, path = '', out: ValueChange[] = []): ValueChange[] {
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const p = join(path, k);
      if (!(k in a)) out.push({ path: p, kind: 'added', new: b[k] });
      else if (!(k in b)) out.push({ path: p, kind: 'removed', old: a[k] });
      else diffValues(a[k], b[k], p, out);
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const p = join(path, i);
      if (i >= a.length) out.push({ path: p, kind: 'added', new: b[i] });
      else if (i >= b.length) out.push({ path: p, kind: 'removed', old: a[i] });
      else diffValues(a[i], b[i], p, out);
    }
    return out;
  }
  if (!sameValue(a, b)) out.push({ path, kind: 'modified', old: a, new: b });
  return out;
}

/** Equal as CloudFormation sees them: numbers and their string forms are the same value. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' || typeof a === 'boolean') && typeof b === 'string') return String(a) === b;
  if ((typeof b === 'number' || typeof b === 'boolean') && typeof a === 'string') return String(b) === a;
  return false;
}

function resourcesOf(t: Obj): Obj {
  return isObj(t.Resources) ? t.Resources : {};
}

export function diffTemplates(
  deployed: Obj,
  proposed: Obj,
  parameters: { old: Record<string, string>; new: Record<string, string> } = { old: {}, new: {} },
): TemplateDiff {
  const oldRes = resourcesOf(deployed);
  const newRes = resourcesOf(proposed);
  const resources: ResourceDiff[] = [];
  for (const id of [...new Set([...Object.keys(oldRes), ...Object.keys(newRes)])].sort()) {
    const a = oldRes[id];
    const b = newRes[id];
    const typeOf = (r: unknown) => (isObj(r) && typeof r.Type === 'string' ? r.Type : '');
    if (a === undefined) resources.push({ logicalId: id, kind: 'added', type: typeOf(b), changes: [] });
    else if (b === undefined) resources.push({ logicalId: id, kind: 'removed', type: typeOf(a), changes: [] });
    else {
      const changes = diffValues(a, b);
      if (changes.length === 0) continue;
      const d: ResourceDiff = { logicalId: id, kind: 'modified', type: typeOf(b), changes };
      if (typeOf(a) !== typeOf(b)) d.oldType = typeOf(a);
      resources.push(d);
    }
  }
  const { Resources: _a, ...oldRest } = deployed;
  const { Resources: _b, ...newRest } = proposed;
  const other = diffValues(oldRest, newRest);
  const keys = [...new Set([...Object.keys(parameters.old), ...Object.keys(parameters.new)])].sort();
  const params: ParameterChange[] = [];
  for (const key of keys) {
    const o = parameters.old[key];
    const n = parameters.new[key];
    if (o === undefined) params.push({ key, kind: 'added', new: n });
    else if (n === undefined) params.push({ key, kind: 'removed', old: o });
    else if (o !== n) params.push({ key, kind: 'modified', old: o, new: n });
  }
  return { resources, other, parameters: params };
}

export function hasDifferences(d: TemplateDiff): boolean {
  return d.resources.length > 0 || d.other.length > 0 || d.parameters.length > 0;
}

const MARK: Record<ChangeKind, string> = { added: '[+]', removed: '[-]', modified: '[~]' };

/** A value on one line: JSON, long ones shortened in the middle. */
export function showValue(v: unknown, max = 100): string {
  const s = v === undefined ? '(none)' : JSON.stringify(v);
  return s.length <= max ? s : `${s.slice(0, max - 12)}...${s.slice(-9)}`;
}

/** Lines only in `a` (`- `) and only in `b` (`+ `), in order (longest common subsequence). */
export function lineDiff(a: string, b: string): string[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const m = x.length;
  const n = y.length;
  const lcs: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    if (i < m && j < n && x[i] === y[j]) {
      i++;
      j++;
    } else if (i < m && (j >= n || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(`- ${x[i++]}`);
    else out.push(`+ ${y[j++]}`);
  }
  return out;
}

function isMultiline(v: unknown): v is string {
  return typeof v === 'string' && v.includes('\n');
}

function changeLine(c: ValueChange): string {
  if (c.kind === 'modified' && isMultiline(c.old) && isMultiline(c.new))
    return [`${c.path}: (text, changed lines)`, ...lineDiff(c.old, c.new).map((l) => `        ${l}`)].join('\n');
  if (c.kind === 'added') return `${c.path}: (none) → ${showValue(c.new)}`;
  if (c.kind === 'removed') return `${c.path}: ${showValue(c.old)} → (none)`;
  return `${c.path}: ${showValue(c.old)} → ${showValue(c.new)}`;
}

/** The readable form: sections Parameters, Resources, Template (other sections); nothing when equal. */
export function formatTemplateDiff(d: TemplateDiff): string[] {
  const lines: string[] = [];
  if (d.parameters.length > 0) {
    lines.push('Parameters');
    for (const p of d.parameters) {
      lines.push(
        `${MARK[p.kind]} ${p.key}: ${p.old === undefined ? '(none)' : JSON.stringify(p.old)} → ${p.new === undefined ? '(none)' : JSON.stringify(p.new)}`,
      );
    }
  }
  if (d.resources.length > 0) {
    lines.push('Resources');
    for (const r of d.resources) {
      lines.push(`${MARK[r.kind]} ${r.type} ${r.logicalId}${r.oldType ? ` (type was ${r.oldType})` : ''}`);
      for (const c of r.changes) lines.push(`    ${changeLine(c)}`);
    }
  }
  if (d.other.length > 0) {
    lines.push('Template');
    for (const c of d.other) lines.push(`${MARK[c.kind]} ${changeLine(c)}`);
  }
  return lines;
}
