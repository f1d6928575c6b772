/**
 * The weights of every step, pure. Each step is today's `senza traffic NAME VERSION PERCENT`
 * arithmetic ({@link planDomain}) applied to the weights at the start of the rollout, so the other
 * versions share the rest as a plain switch would give it to them, a version without traffic never
 * gains any, and a revert (the start weights) is exact.
 */
import {
  type DomainWeights,
  percentageToWeight,
  planDomain,
  type RecordWeight,
  type TrafficVersion,
} from '../traffic/traffic-plan.js';

export interface StepWeights {
  percentage: number;
  domains: DomainWeights[];
}

/** The weights of one domain at a target percentage, planned from the start weights. */
export function domainWeightsAt(
  start: DomainWeights,
  versions: TrafficVersion[],
  target: string,
  percentage: number,
): DomainWeights {
  const plan = planDomain(start, versions, target, percentageToWeight(percentage));
  const weights: RecordWeight[] = plan.entries
    .filter((e) => e.newWeight > 0 || start.weights.some((w) => w.identifier === e.identifier))
    .map((e) => ({ identifier: e.identifier, weight: e.newWeight }));
  return { domain: start.domain, weights };
}

/** Every step's weights for every domain, in step order. */
export function planStepWeights(
  start: DomainWeights[],
  versions: TrafficVersion[],
  target: string,
  percentages: number[],
): StepWeights[] {
  return percentages.map((percentage) => ({
    percentage,
    domains: start.map((d) => domainWeightsAt(d, versions, target, percentage)),
  }));
}

/**
 * The identifiers that lose weight somewhere along the steps (the baseline): every record with
 * weight at the start except the target.
 */
export function losingIdentifiers(start: DomainWeights[], target: string): string[] {
  const ids = new Set<string>();
  for (const d of start) for (const w of d.weights) if (w.identifier !== target && w.weight > 0) ids.add(w.identifier);
  return [...ids].sort();
}

/** Two weight sets are equal when every identifier has the same weight (a missing record counts as 0). */
export function sameWeights(a: RecordWeight[], b: RecordWeight[]): boolean {
  const ma = new Map(a.map((w) => [w.identifier, w.weight]));
  const mb = new Map(b.map((w) => [w.identifier, w.weight]));
  for (const id of new Set([...ma.keys(), ...mb.keys()])) if ((ma.get(id) ?? 0) !== (mb.get(id) ?? 0)) return false;
  return true;
}
