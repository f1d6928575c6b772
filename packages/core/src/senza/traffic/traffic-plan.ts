/**
 * The weight arithmetic of `senza traffic`, pure: live weights in, new weights and table rows out.
 * Weights are Route53 weights in half-percent units; all weighted records of a main domain sum to 200.
 * The arithmetic is the original's (truncations, minimum 1, compensation and its warning); its bugs
 * are fixed: versions compare naturally (`v10` after `v9`), every main domain gets its own plan with
 * its own sums, records of no known version are never compensated, and compensation never gives
 * traffic to a version that had none, and no weight ever goes below 0 (when the other records' live
 * weights add up to more than 200, the target's rest is taken from them instead).
 */

/** 100 % in Route53 weight units. */
export const FULL_WEIGHT = 200;
/** Weight units per percent. */
export const PERCENT_RESOLUTION = 2;

/** A discovered version of the stack (failed ones are left out by discovery on purpose). */
export interface TrafficVersion {
  /** `SetIdentifier` of its records: the CloudFormation stack name, `<name>-<version>`. */
  identifier: string;
  version: string;
}

export interface RecordWeight {
  identifier: string;
  weight: number;
}

/** The live weighted records of one main domain (normalized name, with the trailing dot). */
export interface DomainWeights {
  domain: string;
  weights: RecordWeight[];
}

export interface TrafficPlanInput {
  /** Application name (the stack name without version), shown in every row. */
  stackName: string;
  versions: TrafficVersion[];
  /** Identifier of the version that gets `percentage`. */
  target: string;
  domains: DomainWeights[];
  /** 0..100; truncated to half percents like the original (`int(percentage * 2)`). */
  percentage: number;
}

export interface WeightChange {
  identifier: string;
  /** Empty when the identifier belongs to no discovered version (failed stack, hand-made record). */
  version: string;
  oldWeight: number;
  /** New weight minus old weight before compensation (as the original shows it). */
  delta: number;
  /** Correction that made the domain sum to 200, if any. */
  compensation?: number;
  newWeight: number;
}

export interface DomainPlan {
  domain: string;
  /** One entry per identifier (known versions and records of this domain), sorted by version. */
  entries: WeightChange[];
  /** p == 0 and no other version had traffic: every weight becomes 0. */
  removed: boolean;
  /** The compensation warning, when the target's percentage had to change. */
  warning?: string;
  /** True when some weight differs from the live one. */
  changed: boolean;
}

export interface TrafficPlan {
  stackName: string;
  target: string;
  /** The requested percentage after truncation to half percents, in weight units. */
  requestedWeight: number;
  domains: DomainPlan[];
  changed: boolean;
}

/**
 * Compares version strings naturally: runs of digits as numbers, the rest as text
 * (`v2` < `v9` < `v10`, `1` < `2` < `10`).
 */
export function compareVersions(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const sx = x.replace(/^0+(?=\d)/, '');
      const sy = y.replace(/^0+(?=\d)/, '');
      if (sx.length !== sy.length) return sx.length - sy.length;
      if (sx !== sy) return sx < sy ? -1 : 1;
      if (x.length !== y.length) return x.length - y.length;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return pa.length - pb.length;
}

/** Python's int(): truncation toward zero. */
const trunc = (n: number) => Math.trunc(n) + 0;

/** `int(percentage * 2)`: 33.3 % gives 66 (33.0 %), steps of half a percent. */
export function percentageToWeight(percentage: number): number {
  return trunc(percentage * PERCENT_RESOLUTION);
}

function percentText(weight: number): string {
  const n = weight / PERCENT_RESOLUTION;
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

export function compensationWarning(fromWeight: number, toWeight: number): string {
  return `Changing given percentage from ${percentText(fromWeight)} to ${percentText(toWeight)} because all other versions are already getting the possible minimum traffic`;
}

/** One domain's plan: the original `change_version_traffic` with the fixes described above. */
export function planDomain(
  domain: DomainWeights,
  versions: TrafficVersion[],
  target: string,
  requestedWeight: number,
): DomainPlan {
  const versionOf = new Map(versions.map((v) => [v.identifier, v.version]));
  // Live weights; identifiers of known versions without a record count as 0 (as in the original).
  const old = new Map<string, number>();
  for (const r of domain.weights) old.set(r.identifier, r.weight);
  for (const v of versions) if (!old.has(v.identifier)) old.set(v.identifier, 0);
  if (!old.has(target)) old.set(target, 0);

  const others = [...old].filter(([id, w]) => id !== target && w > 0);
  const partialCount = others.length;
  const partialSum = others.reduce((s, [, w]) => s + w, 0);
  let p = requestedWeight;

  const fresh = new Map<string, number>();
  const deltas = new Map<string, number>();
  const compensations = new Map<string, number>();
  let removed = false;
  let warning: string | undefined;

  if (partialCount === 0 && p === 0) {
    removed = true;
    for (const id of old.keys()) fresh.set(id, 0);
    for (const [id, w] of old) deltas.set(id, 0 - w);
  } else {
    let delta = 0;
    if (partialCount > 0) {
      delta = trunc((FULL_WEIGHT - p - partialSum) / partialCount);
    } else if (p > 0) {
      // The only version with traffic always gets 100 %.
      compensations.set(target, FULL_WEIGHT - p);
      p = FULL_WEIGHT;
    }
    for (const [id, w] of old) {
      let n: number;
      if (id === target) n = p;
      else if (p === FULL_WEIGHT) n = 0;
      else if (w > 0) n = Math.max(1, w + delta);
      else n = 0;
      fresh.set(id, n);
      deltas.set(id, n - w);
    }
    let error = FULL_WEIGHT - sum(fresh);
    if (error !== 0 && error < FULL_WEIGHT) {
      let part = partialCount > 0 ? error / partialCount : error;
      part = part > 0 ? Math.max(1, trunc(part)) : Math.min(-1, trunc(part));
      const order = [...fresh.keys()]
        .filter((id) => id !== target && versionOf.has(id))
        .sort((a, b) => compareVersions(versionOf.get(b) ?? '', versionOf.get(a) ?? ''));
      for (const id of order) {
        if (error === 0) break;
        const current = fresh.get(id) ?? 0;
        // A version without traffic is never given any, a version with traffic never loses all of it.
        if (current === 0 || current + part <= 0) continue;
        fresh.set(id, current + part);
        error -= part;
        compensations.set(id, part);
      }
      if (error !== 0) {
        // The rest goes to the target, as in the original, but never below 0 (Route53 weights are
        // 0..255): what the target cannot give is taken from the others that have traffic, the
        // highest version first, then records of no known version, each kept at 1 while it can be.
        const targetWeight = Math.max(0, p + error);
        let missing = targetWeight - (p + error);
        const givers = [...order, ...[...fresh.keys()].filter((id) => id !== target && !versionOf.has(id)).sort()];
        for (const floor of [1, 0]) {
          for (const id of givers) {
            if (missing === 0) break;
            const current = fresh.get(id) ?? 0;
            const take = Math.min(missing, current - floor);
            if (take <= 0) continue;
            fresh.set(id, current - take);
            compensations.set(id, (compensations.get(id) ?? 0) - take);
            missing -= take;
          }
        }
        if (targetWeight !== p) compensations.set(target, targetWeight - p);
        fresh.set(target, targetWeight);
        if (targetWeight !== requestedWeight) warning = compensationWarning(requestedWeight, targetWeight);
      }
    }
    if (sum(fresh) !== FULL_WEIGHT) {
      throw new Error(`traffic plan for ${domain.domain} sums to ${sum(fresh)}, not ${FULL_WEIGHT}`);
    }
  }

  const entries: WeightChange[] = [...old.keys()].map((id) => {
    const c = compensations.get(id);
    return {
      identifier: id,
      version: versionOf.get(id) ?? '',
      oldWeight: old.get(id) ?? 0,
      delta: deltas.get(id) ?? 0,
      ...(c !== undefined ? { compensation: c } : {}),
      newWeight: fresh.get(id) ?? 0,
    };
  });
  entries.sort((a, b) => compareVersions(a.version, b.version) || (a.identifier < b.identifier ? -1 : 1));
  return {
    domain: domain.domain,
    entries,
    removed,
    ...(warning ? { warning } : {}),
    changed: entries.some((e) => e.newWeight !== e.oldWeight),
  };
}

function sum(m: Map<string, number>): number {
  let s = 0;
  for (const w of m.values()) s += w;
  return s;
}

/** Plans every main domain of the target separately; each domain's weights sum to 200. */
export function planTraffic(input: TrafficPlanInput): TrafficPlan {
  if (!(input.percentage >= 0 && input.percentage <= 100)) {
    throw new RangeError(`percentage must be within 0..100, got ${input.percentage}`);
  }
  const requestedWeight = percentageToWeight(input.percentage);
  const domains = input.domains.map((d) => planDomain(d, input.versions, input.target, requestedWeight));
  return {
    stackName: input.stackName,
    target: input.target,
    requestedWeight,
    domains,
    changed: domains.some((d) => d.changed),
  };
}

/** `DNS record "['myapp.zo.ne.']" will be removed from that stack`, with Python's list repr. */
export function removedMessage(domains: string[]): string {
  return `DNS record "[${domains.map((d) => `'${d}'`).join(', ')}]" will be removed from that stack`;
}

/** Domains whose planned result gives no record any weight while some weight changes. */
export function domainsWithoutTraffic(plan: TrafficPlan): string[] {
  return plan.domains.filter((d) => d.changed && d.entries.every((e) => e.newWeight === 0)).map((d) => d.domain);
}

// ---- rows -------------------------------------------------------------------------------------

export type TrafficRow = Record<string, string | number | null>;

export const TRAFFIC_CHANGE_COLUMNS = [
  'stack_name',
  'version',
  'identifier',
  'old_weight%',
  'delta',
  'compensation',
  'new_weight%',
  'current',
] as const;
export const TRAFFIC_SHOW_COLUMNS = ['stack_name', 'version', 'identifier', 'weight%'] as const;

/** With several main domains a `domain` column (after `identifier`) tells the rows apart. */
export function withDomainColumn(columns: readonly string[], domainCount: number): string[] {
  if (domainCount <= 1) return [...columns];
  const i = columns.indexOf('identifier') + 1;
  return [...columns.slice(0, i), 'domain', ...columns.slice(i)];
}

/**
 * The change table rows as the original shows them: percentages, delta and compensation empty when
 * 0, and in a full switch a row with no delta but a compensation shows `-compensation` as its delta.
 */
export function trafficChangeRows(plan: TrafficPlan): TrafficRow[] {
  const rows: TrafficRow[] = [];
  for (const d of plan.domains) {
    const fullSwitch = d.entries.some((e) => e.newWeight === FULL_WEIGHT);
    for (const e of d.entries) {
      let delta = e.delta;
      const c = e.compensation ?? 0;
      if (fullSwitch && !delta && c) delta = -c;
      rows.push({
        stack_name: plan.stackName,
        version: e.version || null,
        identifier: e.identifier,
        domain: d.domain,
        'old_weight%': e.oldWeight / PERCENT_RESOLUTION,
        delta: delta ? delta / PERCENT_RESOLUTION : null,
        compensation: c ? c / PERCENT_RESOLUTION : null,
        'new_weight%': e.newWeight / PERCENT_RESOLUTION,
        current: e.identifier === plan.target ? '<' : null,
      });
    }
  }
  return rows;
}

/** `senza traffic NAME [VERSION]`: the live distribution, per domain, sorted by version. */
export function trafficShowRows(
  stackName: string,
  versions: TrafficVersion[],
  domains: DomainWeights[],
  current?: string,
): TrafficRow[] {
  const versionOf = new Map(versions.map((v) => [v.identifier, v.version]));
  const rows: TrafficRow[] = [];
  for (const d of domains) {
    const weights = new Map<string, number>();
    for (const r of d.weights) weights.set(r.identifier, r.weight);
    for (const v of versions) if (!weights.has(v.identifier)) weights.set(v.identifier, 0);
    const ids = [...weights.keys()].sort(
      (a, b) => compareVersions(versionOf.get(a) ?? '', versionOf.get(b) ?? '') || (a < b ? -1 : 1),
    );
    for (const id of ids) {
      rows.push({
        stack_name: stackName,
        version: versionOf.get(id) ?? null,
        identifier: id,
        domain: d.domain,
        'weight%': (weights.get(id) ?? 0) / PERCENT_RESOLUTION,
        ...(current !== undefined ? { current: id === current ? '<' : null } : {}),
      });
    }
  }
  return rows;
}
