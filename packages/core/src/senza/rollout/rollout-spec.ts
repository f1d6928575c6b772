/**
 * The rollout's specification, pure: `--steps 10,50,100`, durations (`5m`, `60s`, `1h30m`) and gate
 * expressions (`5xx-rate<1%`, `5xx-rate<=baseline*1.5`, `latency<300ms`, `alarm:NAME`). Anything
 * malformed is a usage error (exit 2) that names the offending text.
 */
import { UsageError } from '../../errors.js';
import { PERCENT_RESOLUTION } from '../traffic/traffic-plan.js';

export interface RolloutStep {
  /** The target's share at this step, in percent (a multiple of 0.5, within 0.5..100). */
  percentage: number;
  /** This step's bake in seconds, when given as `PERCENT:DURATION`; otherwise --bake (or --final-bake at 100). */
  bakeSeconds?: number;
}

export type RateLimit = { kind: 'absolute'; rate: number } | { kind: 'baseline'; factor: number };
export type LatencyLimit = { kind: 'absolute'; seconds: number } | { kind: 'baseline'; factor: number };

export type Gate =
  | { type: '5xx-rate'; text: string; inclusive: boolean; limit: RateLimit }
  | { type: 'latency'; text: string; inclusive: boolean; limit: LatencyLimit }
  | { type: 'alarm'; text: string; alarmName: string };

export const DEFAULT_GATE = '5xx-rate<1%';

export interface RolloutSpec {
  steps: RolloutStep[];
  bakeSeconds: number;
  finalBakeSeconds: number;
  gates: Gate[];
  minRequests: number;
  intervalSeconds: number;
  failureLimit: number;
  onInconclusive: 'pause' | 'rollback';
}

export interface RolloutSpecInput {
  steps: string;
  bake?: string;
  finalBake?: string;
  gates?: string[];
  minRequests?: number;
  interval?: string;
  failureLimit?: number;
  onInconclusive?: string;
}

export const ROLLOUT_DEFAULTS = {
  bake: '5m',
  finalBake: '0s',
  minRequests: 200,
  interval: '60s',
  failureLimit: 1,
  onInconclusive: 'pause',
} as const;

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** `5m`, `60s`, `1h30m`, `0s`, `0` → seconds. A unit is required except for 0. */
export function parseDuration(text: string, what = 'duration'): number {
  const t = text.trim();
  if (t === '0') return 0;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!t || !m) {
    throw new UsageError(`Invalid ${what} "${text}": expected a duration such as 60s, 5m, 1h30m`, {
      code: 'senza.rollout-invalid-duration',
    });
  }
  return Number(m[1] ?? 0) * UNIT_SECONDS.h + Number(m[2] ?? 0) * UNIT_SECONDS.m + Number(m[3] ?? 0);
}

/** `1h30m`, `5m`, `45s`, `0s`: the shortest exact text of a duration. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

function invalidSteps(text: string, why: string): UsageError {
  return new UsageError(`Invalid --steps "${text}": ${why}`, {
    code: 'senza.rollout-invalid-steps',
    hint: 'Steps are increasing target percentages ending at 100, e.g. --steps 10,50,100 (a step may carry its own bake: 10:10m)',
  });
}

/** `10,50,100` or `1:10m,5,25:15m,100`: increasing percentages (multiples of 0.5) ending at 100. */
export function parseSteps(text: string): RolloutStep[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw invalidSteps(text, 'empty step');
  const steps: RolloutStep[] = [];
  for (const part of parts) {
    const [pct, bake, ...rest] = part.split(':');
    if (rest.length > 0) throw invalidSteps(text, `"${part}" has more than one ":"`);
    if (!/^\d+(\.\d+)?%?$/.test(pct.trim())) throw invalidSteps(text, `"${pct}" is not a percentage`);
    const percentage = Number(pct.trim().replace(/%$/, ''));
    if (!(percentage > 0 && percentage <= 100)) throw invalidSteps(text, `${percentage} is not within 0.5..100`);
    if (!Number.isInteger(percentage * PERCENT_RESOLUTION)) {
      throw invalidSteps(text, `${percentage} is not a multiple of 0.5 (Route53 weights are half percents)`);
    }
    const previous = steps.at(-1);
    if (previous && percentage <= previous.percentage) throw invalidSteps(text, 'steps must increase');
    steps.push({ percentage, ...(bake !== undefined ? { bakeSeconds: parseDuration(bake, 'step bake') } : {}) });
  }
  if (steps.at(-1)?.percentage !== 100) throw invalidSteps(text, 'the last step must be 100');
  return steps;
}

function invalidGate(text: string, why: string): UsageError {
  return new UsageError(`Invalid --gate "${text}": ${why}`, {
    code: 'senza.rollout-invalid-gate',
    hint: "Gates: '5xx-rate<1%', '5xx-rate<=baseline*1.5', 'latency<300ms', 'latency<=baseline*1.2', 'alarm:NAME'",
  });
}

/** One `--gate` expression. */
export function parseGate(text: string): Gate {
  const t = text.trim();
  const alarm = /^alarm:(.+)$/.exec(t);
  if (alarm) {
    const alarmName = alarm[1].trim();
    if (!alarmName || alarmName.length > 255) throw invalidGate(text, 'an alarm name has 1..255 characters');
    return { type: 'alarm', text: t, alarmName };
  }
  const m = /^(5xx-rate|latency)\s*(<=|<)\s*(.+)$/.exec(t);
  if (!m) throw invalidGate(text, 'unknown gate');
  const [, metric, op, rhsRaw] = m;
  const rhs = rhsRaw.replace(/\s+/g, '');
  const inclusive = op === '<=';
  const relative = /^baseline(?:\*(\d+(?:\.\d+)?))?$/.exec(rhs);
  if (relative) {
    const factor = relative[1] === undefined ? 1 : Number(relative[1]);
    if (!(factor > 0)) throw invalidGate(text, 'the baseline factor must be positive');
    if (metric === '5xx-rate') return { type: '5xx-rate', text: t, inclusive, limit: { kind: 'baseline', factor } };
    return { type: 'latency', text: t, inclusive, limit: { kind: 'baseline', factor } };
  }
  if (metric === '5xx-rate') {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(rhs);
    if (!pct) throw invalidGate(text, 'a 5xx-rate limit is a percentage (1%) or baseline*FACTOR');
    const rate = Number(pct[1]) / 100;
    if (!(rate > 0 && rate < 1)) throw invalidGate(text, 'a 5xx-rate limit lies strictly between 0% and 100%');
    return { type: '5xx-rate', text: t, inclusive, limit: { kind: 'absolute', rate } };
  }
  const lat = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(rhs);
  if (!lat) throw invalidGate(text, 'a latency limit is a duration in ms or s (300ms, 1.5s) or baseline*FACTOR');
  const seconds = lat[2] === 'ms' ? Number(lat[1]) / 1000 : Number(lat[1]);
  if (!(seconds > 0)) throw invalidGate(text, 'a latency limit must be positive');
  return { type: 'latency', text: t, inclusive, limit: { kind: 'absolute', seconds } };
}

function positiveInteger(value: number, flag: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`Invalid ${flag} ${value}: expected a whole number ≥ ${min}`, {
      code: 'senza.rollout-invalid-option',
    });
  }
  return value;
}

/** Parses and checks the whole specification; defaults as in {@link ROLLOUT_DEFAULTS}. */
export function parseRolloutSpec(input: RolloutSpecInput): RolloutSpec {
  const steps = parseSteps(input.steps);
  const gateTexts = input.gates && input.gates.length > 0 ? input.gates : [DEFAULT_GATE];
  const gates = gateTexts.map(parseGate);
  const seen = new Set<string>();
  for (const g of gates) {
    if (seen.has(g.text)) throw invalidGate(g.text, 'given twice');
    seen.add(g.text);
  }
  const intervalSeconds = parseDuration(input.interval ?? ROLLOUT_DEFAULTS.interval, '--interval');
  if (intervalSeconds < 1) {
    throw new UsageError('Invalid --interval: at least 1s', { code: 'senza.rollout-invalid-option' });
  }
  const onInconclusive = input.onInconclusive ?? ROLLOUT_DEFAULTS.onInconclusive;
  if (onInconclusive !== 'pause' && onInconclusive !== 'rollback') {
    throw new UsageError(`Invalid --on-inconclusive "${onInconclusive}": expected pause or rollback`, {
      code: 'senza.rollout-invalid-option',
    });
  }
  return {
    steps,
    bakeSeconds: parseDuration(input.bake ?? ROLLOUT_DEFAULTS.bake, '--bake'),
    finalBakeSeconds: parseDuration(input.finalBake ?? ROLLOUT_DEFAULTS.finalBake, '--final-bake'),
    gates,
    minRequests: positiveInteger(input.minRequests ?? ROLLOUT_DEFAULTS.minRequests, '--min-requests', 1),
    intervalSeconds,
    failureLimit: positiveInteger(input.failureLimit ?? ROLLOUT_DEFAULTS.failureLimit, '--failure-limit', 1),
    onInconclusive,
  };
}

/** The bake of a step: its own, else --final-bake at 100 %, else --bake. */
export function stepBakeSeconds(spec: RolloutSpec, index: number): number {
  const step = spec.steps[index];
  if (step.bakeSeconds !== undefined) return step.bakeSeconds;
  return step.percentage === 100 ? spec.finalBakeSeconds : spec.bakeSeconds;
}

/**
 * The evaluation times of a step, in seconds after its weights were set: every interval, and the
 * last one at the end of the bake. A step without bake has none.
 */
export function evaluationTimes(bakeSeconds: number, intervalSeconds: number): number[] {
  const times: number[] = [];
  for (let t = intervalSeconds; t < bakeSeconds; t += intervalSeconds) times.push(t);
  if (bakeSeconds > 0) times.push(bakeSeconds);
  return times;
}

/**
 * How long the rollout may take: at least until its first evaluation (a gate may fail there and
 * revert), at most every step's bake (it promotes, or the last evaluation fails). A pause waits
 * for a human and is not counted.
 */
export function rolloutDuration(spec: RolloutSpec): { minSeconds: number; maxSeconds: number } {
  let total = 0;
  let first: number | undefined;
  for (let i = 0; i < spec.steps.length; i++) {
    const bake = stepBakeSeconds(spec, i);
    if (first === undefined && bake > 0) first = total + (evaluationTimes(bake, spec.intervalSeconds)[0] ?? 0);
    total += bake;
  }
  return { minSeconds: first ?? total, maxSeconds: total };
}
