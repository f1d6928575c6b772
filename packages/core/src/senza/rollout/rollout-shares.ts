/**
 * Observed against intended shares, pure: what each version served in a window (its load balancers'
 * RequestCount) next to what the step's weights give it, and the tracker that warns when a
 * version's two differ by more than {@link SHARE_TOLERANCE} points for two evaluations in a row
 * (DNS caching and pooled connections keep clients on the old versions: senza#502).
 */
import type { RolloutRecord } from './rollout-record.js';
import { losingIdentifiers, planStepWeights } from './rollout-steps.js';
import type { Counts, Observation } from './verdict.js';

/** Points (percent) the observed share may differ from the intended one; 2 evaluations beyond it warn. */
export const SHARE_TOLERANCE = 5;

/** One version in one evaluation window. */
export interface VersionShare {
  identifier: string;
  version: string;
  /** Percent of the weights of the step (over every main domain), one decimal. */
  intended: number;
  /** Percent of the window's requests it served, one decimal; absent when no version served any. */
  observed?: number;
  requests: number;
  errors: number;
  latencySeconds?: number;
  /** The rollout's target (the others are the baseline). */
  target: boolean;
}

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

/** The share of the weights every identifier gets at a target percentage (every domain summed). */
export function intendedShares(record: RolloutRecord, percentage: number): Map<string, number> {
  const [step] = planStepWeights(record.start, record.versions, record.target, [percentage]);
  const sums = new Map<string, number>();
  let total = 0;
  for (const d of step.domains) {
    for (const w of d.weights) {
      sums.set(w.identifier, (sums.get(w.identifier) ?? 0) + w.weight);
      total += w.weight;
    }
  }
  return new Map([...sums].map(([id, w]) => [id, total > 0 ? oneDecimal((100 * w) / total) : 0]));
}

/**
 * Every version's share of the window: the target first, then the versions losing traffic in
 * identifier order. Without per-version counts (an observer that gives only target and baseline),
 * only the target.
 */
export function versionShares(record: RolloutRecord, percentage: number, observation: Observation): VersionShare[] {
  const intended = intendedShares(record, percentage);
  const ids = [record.target, ...losingIdentifiers(record.start, record.target)];
  const counts: Map<string, Counts> = observation.versions
    ? new Map(Object.entries(observation.versions))
    : new Map([[record.target, observation.target]]);
  const shown = ids.filter((id) => counts.has(id));
  const total = shown.reduce((sum, id) => sum + (counts.get(id)?.requests ?? 0), 0);
  const all = observation.versions ? total : observation.target.requests + (observation.baseline?.requests ?? 0);
  return shown.map((id) => {
    const c = counts.get(id) as Counts;
    return {
      identifier: id,
      version: record.versions.find((v) => v.identifier === id)?.version ?? id,
      intended: intended.get(id) ?? 0,
      ...(all > 0 ? { observed: oneDecimal((100 * c.requests) / all) } : {}),
      requests: c.requests,
      errors: c.errors,
      ...(c.latencySeconds !== undefined ? { latencySeconds: c.latencySeconds } : {}),
      target: id === record.target,
    };
  });
}

/**
 * Counts, per version, the evaluations in a row of one step whose observed share is more than
 * {@link SHARE_TOLERANCE} points off the intended one; reports a version when its count reaches 2
 * (once per run of divergence).
 */
export class ShareTracker {
  private step = -1;
  private readonly runs = new Map<string, number>();

  /** The versions that have just diverged for the second evaluation in a row. */
  update(step: number, shares: VersionShare[]): VersionShare[] {
    if (step !== this.step) {
      this.step = step;
      this.runs.clear();
    }
    const out: VersionShare[] = [];
    for (const s of shares) {
      const off = s.observed !== undefined && Math.abs(s.observed - s.intended) > SHARE_TOLERANCE;
      const run = off ? (this.runs.get(s.identifier) ?? 0) + 1 : 0;
      this.runs.set(s.identifier, run);
      if (run === 2) out.push(s);
    }
    return out;
  }
}
