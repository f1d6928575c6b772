/**
 * Gate verdicts, pure: request counts, 5xx counts, mean latencies and alarm states in, `pass`,
 * `fail` or `inconclusive` with their evidence out.
 *
 * A rate gate judges only when the target served at least `minRequests` in the window. Then a
 * one-sided exact binomial test at α (0.01) decides: it passes when "the target's 5xx rate is at
 * or above the limit" is rejected, fails when "it is at or below the limit" is rejected, and
 * otherwise is inconclusive and estimates how many more requests (at the observed rate) it needs.
 * Against the baseline (`5xx-rate<=baseline*F`) the test is the exact conditional test of two
 * Poisson rates: given the K errors of both sides, the target's share of them is
 * Binomial(K, F·n_t / (F·n_t + n_b)) when the target's rate is exactly F times the baseline's.
 */
import { binomialCdf, binomialSf } from './binomial.js';
import type { Gate } from './rollout-spec.js';

/** The significance level of every rate test. */
export const ALPHA = 0.01;

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** What one side (the target, or the versions losing traffic together) served in the window. */
export interface Counts {
  requests: number;
  errors: number;
  /** Mean latency in seconds over the window (request-weighted), when known. */
  latencySeconds?: number;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Observation {
  /** The target's label in evidence texts (its version). */
  label: string;
  target: Counts;
  /** The versions losing traffic, summed; absent when none served in the window. */
  baseline?: Counts;
  /** What each version (by SetIdentifier) served, the target's and the baseline's included, when known. */
  versions?: Record<string, Counts>;
  /** State of every alarm named by an `alarm:` gate; a missing name is reported as not found. */
  alarms?: Record<string, AlarmState>;
}

export interface GateVerdict {
  gate: string;
  verdict: Verdict;
  evidence: string;
  /** The p-value of the decisive (or, when inconclusive, the closer) one-sided test. */
  pValue?: number;
  /** Inconclusive: the estimated number of further target requests a verdict needs. */
  needsRequests?: number;
}

export interface Evaluation {
  verdict: Verdict;
  gates: GateVerdict[];
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1,203` */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** A rate as `0.58 %` (two decimals; more for tiny non-zero rates). */
export function formatRate(rate: number): string {
  const pct = rate * 100;
  const digits = pct !== 0 && pct < 0.01 ? 4 : 2;
  return `${pct.toFixed(digits)} %`;
}

function formatLimitRate(rate: number): string {
  return `${Number((rate * 100).toPrecision(6))} %`;
}

function formatMs(seconds: number): string {
  return `${Number((seconds * 1000).toFixed(1))} ms`;
}

function formatP(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`;
}

/** The smallest n in [lo, hi] with ok(n), assuming ok is monotone; undefined when ok(hi) is false. */
function smallest(lo: number, hi: number, ok: (n: number) => boolean): number | undefined {
  let upper = lo;
  while (!ok(upper)) {
    if (upper >= hi) return undefined;
    upper = Math.min(hi, upper * 2);
  }
  let lower = Math.max(lo, Math.floor(upper / 2));
  if (ok(lower)) return lower;
  while (upper - lower > 1) {
    const mid = Math.floor((lower + upper) / 2);
    if (ok(mid)) upper = mid;
    else lower = mid;
  }
  return upper;
}

const MAX_REQUESTS = 1e10;

/** The two one-sided p-values of k errors in n requests against the rate limit. */
function absoluteTests(k: number, n: number, limit: number): { pPass: number; pFail: number } {
  return { pPass: binomialCdf(k, n, limit), pFail: binomialSf(k, n, limit) };
}

/** How many more requests, at the observed rate, an absolute test needs to decide (undefined: never). */
export function absoluteNeeds(k: number, n: number, limit: number, alpha = ALPHA): number | undefined {
  const rate = n > 0 ? k / n : 0;
  if (rate === limit) return undefined;
  const ok =
    rate < limit
      ? (m: number) => binomialCdf(Math.floor(rate * m), m, limit) <= alpha
      : (m: number) => binomialSf(Math.ceil(rate * m), m, limit) <= alpha;
  const total = smallest(Math.max(1, n), MAX_REQUESTS, ok);
  return total === undefined ? undefined : Math.max(1, total - n);
}

function relativeTests(target: Counts, baseline: Counts, factor: number): { pPass: number; pFail: number } {
  const total = target.errors + baseline.errors;
  const share = (factor * target.requests) / (factor * target.requests + baseline.requests);
  return { pPass: binomialCdf(target.errors, total, share), pFail: binomialSf(target.errors, total, share) };
}

/** How many more target requests a relative test needs, both sides growing at their observed rates. */
export function relativeNeeds(target: Counts, baseline: Counts, factor: number, alpha = ALPHA): number | undefined {
  const total = target.errors + baseline.errors;
  if (total === 0 || target.requests === 0 || baseline.requests === 0) return undefined;
  const tr = target.errors / target.requests;
  const br = baseline.errors / baseline.requests;
  if (tr === factor * br) return undefined;
  const share = (factor * target.requests) / (factor * target.requests + baseline.requests);
  const observedShare = target.errors / total;
  // Scale the window by s = m / total: K grows to m errors, the target's share stays observed.
  const ok =
    tr < factor * br
      ? (m: number) => binomialCdf(Math.floor(observedShare * m), m, share) <= alpha
      : (m: number) => binomialSf(Math.ceil(observedShare * m), m, share) <= alpha;
  const errors = smallest(total, MAX_REQUESTS, ok);
  if (errors === undefined) return undefined;
  return Math.max(1, Math.ceil((target.requests * errors) / total) - target.requests);
}

function needsText(needs: number | undefined): string {
  return needs === undefined
    ? 'inconclusive, the observed rate cannot decide it'
    : `inconclusive, needs ${formatCount(needs)} more requests`;
}

function tooFew(gate: Gate, label: string, target: Counts, minRequests: number): GateVerdict {
  const needs = minRequests - target.requests;
  return {
    gate: gate.text,
    verdict: 'inconclusive',
    evidence: `${label}: ${formatCount(target.requests)} requests, fewer than --min-requests ${formatCount(minRequests)} → inconclusive, needs ${formatCount(needs)} more requests`,
    needsRequests: needs,
  };
}

function decide(pPass: number, pFail: number, alpha: number): Verdict {
  if (pPass <= alpha) return 'pass';
  if (pFail <= alpha) return 'fail';
  return 'inconclusive';
}

/** A `5xx-rate` gate. */
export function evaluateRateGate(
  gate: Extract<Gate, { type: '5xx-rate' }>,
  obs: Observation,
  minRequests: number,
  alpha = ALPHA,
): GateVerdict {
  const { target, baseline, label } = obs;
  if (target.requests < minRequests) return tooFew(gate, label, target, minRequests);
  const rate = target.errors / target.requests;
  const head = `${label}: ${formatCount(target.errors)} of ${formatCount(target.requests)} 5xx = ${formatRate(rate)}`;
  const base = baseline && baseline.requests > 0 ? `, baseline ${formatRate(baseline.errors / baseline.requests)}` : '';
  if (gate.limit.kind === 'absolute') {
    const { pPass, pFail } = absoluteTests(target.errors, target.requests, gate.limit.rate);
    const verdict = decide(pPass, pFail, alpha);
    const pValue = verdict === 'fail' ? pFail : verdict === 'pass' ? pPass : Math.min(pPass, pFail);
    const needs =
      verdict === 'inconclusive' ? absoluteNeeds(target.errors, target.requests, gate.limit.rate, alpha) : undefined;
    const tail = verdict === 'inconclusive' ? needsText(needs) : verdict;
    return {
      gate: gate.text,
      verdict,
      evidence: `${head}${base} (limit ${formatLimitRate(gate.limit.rate)}, ${formatP(pValue)}) → ${tail}`,
      pValue,
      ...(needs !== undefined ? { needsRequests: needs } : {}),
    };
  }
  const factor = gate.limit.factor;
  if (!baseline || baseline.requests === 0) {
    return {
      gate: gate.text,
      verdict: 'inconclusive',
      evidence: `${head}, the baseline served no requests in the window → inconclusive`,
    };
  }
  if (target.errors + baseline.errors === 0) {
    return {
      gate: gate.text,
      verdict: 'inconclusive',
      evidence: `${head}${base}: no 5xx on either side, a ratio cannot be judged (add an absolute gate such as 5xx-rate<1%) → inconclusive`,
    };
  }
  const { pPass, pFail } = relativeTests(target, baseline, factor);
  const verdict = decide(pPass, pFail, alpha);
  const pValue = verdict === 'fail' ? pFail : verdict === 'pass' ? pPass : Math.min(pPass, pFail);
  const needs = verdict === 'inconclusive' ? relativeNeeds(target, baseline, factor, alpha) : undefined;
  const tail = verdict === 'inconclusive' ? needsText(needs) : verdict;
  return {
    gate: gate.text,
    verdict,
    evidence: `${head}${base} (limit baseline × ${factor}, ${formatP(pValue)}) → ${tail}`,
    pValue,
    ...(needs !== undefined ? { needsRequests: needs } : {}),
  };
}

/** A `latency` gate on the mean latency (CloudWatch gives the average): no test, but --min-requests. */
export function evaluateLatencyGate(
  gate: Extract<Gate, { type: 'latency' }>,
  obs: Observation,
  minRequests: number,
): GateVerdict {
  const { target, baseline, label } = obs;
  if (target.requests < minRequests) return tooFew(gate, label, target, minRequests);
  if (target.latencySeconds === undefined) {
    return {
      gate: gate.text,
      verdict: 'inconclusive',
      evidence: `${label}: no latency data in the window → inconclusive`,
    };
  }
  const head = `${label}: mean latency ${formatMs(target.latencySeconds)} over ${formatCount(target.requests)} requests`;
  let limit: number;
  let base = '';
  if (gate.limit.kind === 'absolute') {
    limit = gate.limit.seconds;
    if (baseline?.latencySeconds !== undefined) base = `, baseline ${formatMs(baseline.latencySeconds)}`;
  } else {
    if (!baseline || baseline.requests === 0 || baseline.latencySeconds === undefined) {
      return {
        gate: gate.text,
        verdict: 'inconclusive',
        evidence: `${head}, no baseline latency in the window → inconclusive`,
      };
    }
    limit = baseline.latencySeconds * gate.limit.factor;
    base = `, baseline ${formatMs(baseline.latencySeconds)}`;
  }
  const ok = gate.inclusive ? target.latencySeconds <= limit : target.latencySeconds < limit;
  const verdict: Verdict = ok ? 'pass' : 'fail';
  return { gate: gate.text, verdict, evidence: `${head}${base} (limit ${formatMs(limit)}) → ${verdict}` };
}

/** An `alarm:NAME` gate: ALARM fails, INSUFFICIENT_DATA (or no such alarm) is inconclusive, OK passes. */
export function evaluateAlarmGate(gate: Extract<Gate, { type: 'alarm' }>, obs: Observation): GateVerdict {
  const state = obs.alarms?.[gate.alarmName];
  const verdict: Verdict = state === 'OK' ? 'pass' : state === 'ALARM' ? 'fail' : 'inconclusive';
  const shown = state ?? 'not found';
  return { gate: gate.text, verdict, evidence: `alarm ${gate.alarmName}: ${shown} → ${verdict}` };
}

/** Every gate; the evaluation fails when one fails, else is inconclusive when one is, else passes. */
export function evaluateGates(gates: Gate[], obs: Observation, minRequests: number, alpha = ALPHA): Evaluation {
  const verdicts = gates.map((g) =>
    g.type === '5xx-rate'
      ? evaluateRateGate(g, obs, minRequests, alpha)
      : g.type === 'latency'
        ? evaluateLatencyGate(g, obs, minRequests)
        : evaluateAlarmGate(g, obs),
  );
  const verdict: Verdict = verdicts.some((v) => v.verdict === 'fail')
    ? 'fail'
    : verdicts.some((v) => v.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  return { verdict, gates: verdicts };
}

/** The versions losing traffic, summed (latency weighted by requests). */
export function sumCounts(sides: Counts[]): Counts {
  let requests = 0;
  let errors = 0;
  let latencyWeight = 0;
  let latencySum = 0;
  for (const s of sides) {
    requests += s.requests;
    errors += s.errors;
    if (s.latencySeconds !== undefined && s.requests > 0) {
      latencySum += s.latencySeconds * s.requests;
      latencyWeight += s.requests;
    }
  }
  return { requests, errors, ...(latencyWeight > 0 ? { latencySeconds: latencySum / latencyWeight } : {}) };
}
