import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialSf } from './binomial.js';
import { decideStep } from './rollout-decision.js';
import { evaluationTimes, parseGate, parseRolloutSpec, type RolloutSpec, stepBakeSeconds } from './rollout-spec.js';
import {
  ALPHA,
  absoluteNeeds,
  evaluateGates,
  evaluateRateGate,
  type GateVerdict,
  type Observation,
  sumCounts,
} from './verdict.js';

const rateGate = (t: string) => parseGate(t) as Extract<ReturnType<typeof parseGate>, { type: '5xx-rate' }>;

describe('rate gates', () => {
  it('pass with the evidence text', () => {
    const v = evaluateRateGate(
      rateGate('5xx-rate<=baseline*1.5'),
      { label: 'v2', target: { requests: 12_030, errors: 70 }, baseline: { requests: 120_000, errors: 588 } },
      200,
    );
    expect(v.verdict).toBe('inconclusive');
    const abs = evaluateRateGate(
      rateGate('5xx-rate<1%'),
      { label: 'v2', target: { requests: 1203, errors: 7 }, baseline: { requests: 10_000, errors: 49 } },
      200,
    );
    // P(X ≤ 7 | 1203, 1 %) ≈ 0.1: not yet significant.
    expect(abs.verdict).toBe('inconclusive');
    expect(abs.evidence).toMatch(
      /^v2: 7 of 1,203 5xx = 0\.58 %, baseline 0\.49 % \(limit 1 %, p = 0\.\d+\) → inconclusive, needs [\d,]+ more requests$/,
    );
    const pass = evaluateRateGate(
      rateGate('5xx-rate<1%'),
      { label: 'v2', target: { requests: 5000, errors: 25 }, baseline: { requests: 45_000, errors: 220 } },
      200,
    );
    expect(pass.verdict).toBe('pass');
    expect(pass.evidence).toMatch(
      /^v2: 25 of 5,000 5xx = 0\.50 %, baseline 0\.49 % \(limit 1 %, p < 0\.0001\) → pass$/,
    );
  });

  it('decide by the exact one-sided test at α = 0.01', () => {
    const gate = rateGate('5xx-rate<1%');
    for (const [n, k] of [
      [500, 0],
      [500, 1],
      [500, 11],
      [500, 12],
      [2000, 10],
      [2000, 31],
    ]) {
      const v = evaluateRateGate(gate, { label: 'v2', target: { requests: n, errors: k } }, 200);
      const expected =
        binomialCdf(k, n, 0.01) <= ALPHA ? 'pass' : binomialSf(k, n, 0.01) <= ALPHA ? 'fail' : 'inconclusive';
      expect(v.verdict, `${k} of ${n}`).toBe(expected);
    }
    // Poisson(5) tail: 12 errors in 500 is significant above 1 %, 11 is not.
    expect(evaluateRateGate(gate, { label: 'v2', target: { requests: 500, errors: 12 } }, 200).verdict).toBe('fail');
    expect(evaluateRateGate(gate, { label: 'v2', target: { requests: 500, errors: 11 } }, 200).verdict).toBe(
      'inconclusive',
    );
  });

  it('never judge fewer than --min-requests, and say how many are missing', () => {
    const v = evaluateRateGate(rateGate('5xx-rate<1%'), { label: 'v2', target: { requests: 150, errors: 150 } }, 200);
    expect(v).toMatchObject({ verdict: 'inconclusive', needsRequests: 50 });
    expect(v.evidence).toBe('v2: 150 requests, fewer than --min-requests 200 → inconclusive, needs 50 more requests');
  });

  it('estimate the requests an inconclusive test needs', () => {
    // 0 errors: (0.99)^N ≤ 0.01 from N = 459 on.
    expect(absoluteNeeds(0, 200, 0.01)).toBe(259);
    const needs = absoluteNeeds(3, 600, 0.01) ?? 0;
    const total = 600 + needs;
    expect(binomialCdf(Math.floor(0.005 * total), total, 0.01)).toBeLessThanOrEqual(ALPHA);
    expect(binomialCdf(Math.floor(0.005 * (total - 1)), total - 1, 0.01)).toBeGreaterThan(ALPHA);
    expect(absoluteNeeds(6, 600, 0.01)).toBeUndefined();
  });

  it('against the baseline: inconclusive without baseline traffic or without any 5xx', () => {
    const gate = rateGate('5xx-rate<=baseline*1.5');
    expect(evaluateRateGate(gate, { label: 'v2', target: { requests: 900, errors: 3 } }, 200).evidence).toContain(
      'the baseline served no requests',
    );
    const none = evaluateRateGate(
      gate,
      { label: 'v2', target: { requests: 900, errors: 0 }, baseline: { requests: 9000, errors: 0 } },
      200,
    );
    expect(none.verdict).toBe('inconclusive');
    const fail = evaluateRateGate(
      gate,
      { label: 'v2', target: { requests: 1000, errors: 40 }, baseline: { requests: 9000, errors: 45 } },
      200,
    );
    expect(fail.verdict).toBe('fail');
    expect(fail.evidence).toMatch(
      /^v2: 40 of 1,000 5xx = 4\.00 %, baseline 0\.50 % \(limit baseline × 1\.5, p < 0\.0001\) → fail$/,
    );
  });
});

describe('latency and alarm gates, and the evaluation', () => {
  const obs: Observation = {
    label: 'v2',
    target: { requests: 500, errors: 0, latencySeconds: 0.21 },
    baseline: { requests: 5000, errors: 0, latencySeconds: 0.18 },
    alarms: { slo: 'OK', burn: 'ALARM', fresh: 'INSUFFICIENT_DATA' },
  };
  it('judges each gate', () => {
    const e = evaluateGates(
      ['latency<300ms', 'latency<=baseline*1.1', 'alarm:slo', 'alarm:burn', 'alarm:fresh', 'alarm:gone'].map(parseGate),
      obs,
      200,
    );
    expect(e.gates.map((g) => g.verdict)).toEqual(['pass', 'fail', 'pass', 'fail', 'inconclusive', 'inconclusive']);
    expect(e.verdict).toBe('fail');
    expect(e.gates[0].evidence).toBe(
      'v2: mean latency 210 ms over 500 requests, baseline 180 ms (limit 300 ms) → pass',
    );
    expect(e.gates[5].evidence).toBe('alarm gone: not found → inconclusive');
  });
  it('is inconclusive when a gate is and none fails', () => {
    expect(evaluateGates(['alarm:slo', 'alarm:fresh'].map(parseGate), obs, 200).verdict).toBe('inconclusive');
    expect(evaluateGates(['alarm:slo'].map(parseGate), obs, 200).verdict).toBe('pass');
    expect(evaluateGates(['latency<300ms'].map(parseGate), obs, 501).verdict).toBe('inconclusive');
  });
  it('sums the baseline versions', () => {
    expect(
      sumCounts([
        { requests: 100, errors: 1, latencySeconds: 0.1 },
        { requests: 300, errors: 2, latencySeconds: 0.2 },
        { requests: 0, errors: 0 },
      ]),
    ).toEqual({ requests: 400, errors: 3, latencySeconds: 0.175 });
  });
});

// ---- simulated rollouts ------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every simulated rollout is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Binomial(n, p) by geometric skips between errors: O(errors), exact. */
function binomialSample(n: number, p: number, rand: () => number): number {
  if (p <= 0 || n <= 0) return 0;
  const logq = Math.log1p(-p);
  let count = 0;
  let position = 0;
  for (;;) {
    position += Math.floor(Math.log(1 - rand()) / logq) + 1;
    if (position > n) return count;
    count++;
  }
}

interface Scenario {
  requestsPerMinute: number;
  baselineRate: number;
  targetRate: number;
}

interface Outcome {
  result: 'promoted' | 'rolled back' | 'paused';
  /** Pass or fail verdicts of rate gates that rested on fewer than --min-requests target requests. */
  verdictsOnTooFew: number;
  /** The smallest target request count any pass/fail rate verdict rested on. */
  fewestJudged: number;
}

/** One rollout: each step's window grows from its start; every interval the gates are evaluated. */
function simulate(spec: RolloutSpec, scenario: Scenario, rand: () => number): Outcome {
  let verdictsOnTooFew = 0;
  let fewestJudged = Number.POSITIVE_INFINITY;
  for (let i = 0; i < spec.steps.length; i++) {
    const share = spec.steps[i].percentage / 100;
    const times = evaluationTimes(stepBakeSeconds(spec, i), spec.intervalSeconds);
    const target = { requests: 0, errors: 0 };
    const baseline = { requests: 0, errors: 0 };
    let previous = 0;
    let failures = 0;
    for (let e = 0; e < times.length; e++) {
      const total = Math.round((scenario.requestsPerMinute * (times[e] - previous)) / 60);
      previous = times[e];
      const nt = Math.round(total * share);
      const nb = total - nt;
      target.requests += nt;
      target.errors += binomialSample(nt, scenario.targetRate, rand);
      baseline.requests += nb;
      baseline.errors += binomialSample(nb, scenario.baselineRate, rand);
      const evaluation = evaluateGates(
        spec.gates,
        { label: 'v2', target: { ...target }, baseline: { ...baseline } },
        spec.minRequests,
      );
      for (const g of evaluation.gates as GateVerdict[]) {
        if (g.verdict === 'inconclusive') continue;
        fewestJudged = Math.min(fewestJudged, target.requests);
        if (target.requests < spec.minRequests) verdictsOnTooFew++;
      }
      const d = decideStep({
        evaluation,
        failures,
        failureLimit: spec.failureLimit,
        atBakeEnd: e === times.length - 1,
        onInconclusive: spec.onInconclusive,
      });
      failures = d.failures;
      if (d.action === 'rollback') return { result: 'rolled back', verdictsOnTooFew, fewestJudged };
      if (d.action === 'pause') return { result: 'paused', verdictsOnTooFew, fewestJudged };
    }
  }
  return { result: 'promoted', verdictsOnTooFew, fewestJudged };
}

function run(spec: RolloutSpec, scenario: Scenario, seed: number, runs = 200) {
  const counts = { promoted: 0, 'rolled back': 0, paused: 0 };
  let verdictsOnTooFew = 0;
  let fewestJudged = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const o = simulate(spec, scenario, prng(seed * 1000 + r));
    counts[o.result]++;
    verdictsOnTooFew += o.verdictsOnTooFew;
    fewestJudged = Math.min(fewestJudged, o.fewestJudged);
  }
  return { ...counts, verdictsOnTooFew, fewestJudged };
}

describe('200 simulated rollouts each (seeded)', () => {
  // 10,000 requests a minute, 0.5 % 5xx on the old version, steps 10/50/100 with 5 min bakes and a
  // 5 min final bake, the default gate 5xx-rate<1 %, --min-requests 200, every 60 s.
  const spec = parseRolloutSpec({ steps: '10,50,100', bake: '5m', finalBake: '5m' });
  const busy = { requestsPerMinute: 10_000, baselineRate: 0.005 };

  it('rolls a healthy target back in at most 1 %', () => {
    const r = run(spec, { ...busy, targetRate: 0.005 }, 1);
    expect(r['rolled back']).toBeLessThanOrEqual(2);
    expect(r.promoted).toBeGreaterThanOrEqual(180);
    expect(r.verdictsOnTooFew).toBe(0);
  });

  it('catches a target with 5× the baseline error rate in at least 99 %', () => {
    const r = run(spec, { ...busy, targetRate: 0.025 }, 2);
    expect(r['rolled back']).toBeGreaterThanOrEqual(198);
    expect(r.promoted).toBe(0);
    expect(r.verdictsOnTooFew).toBe(0);
  });

  it('relative gate: healthy rolled back ≤ 1 %, 5× caught ≥ 99 %', () => {
    const relative = parseRolloutSpec({ steps: '10,50,100', bake: '5m', gates: ['5xx-rate<=baseline*1.5'] });
    expect(run(relative, { ...busy, targetRate: 0.005 }, 3)['rolled back']).toBeLessThanOrEqual(2);
    expect(run(relative, { ...busy, targetRate: 0.025 }, 4)['rolled back']).toBeGreaterThanOrEqual(198);
  });

  it('gives no verdict on fewer than --min-requests, even to a broken target', () => {
    // 5 % at 10 requests a minute: 2 target requests per 5 min step at 10 %, 10 at 50 %, all broken.
    const slow = parseRolloutSpec({ steps: '5,10,100', bake: '5m', minRequests: 200 });
    const r = run(slow, { requestsPerMinute: 40, baselineRate: 0.005, targetRate: 1 }, 5);
    expect(r.paused).toBe(200);
    expect(r.verdictsOnTooFew).toBe(0);
    // With min-requests reached, every judged window had at least that many.
    const judged = run(spec, { ...busy, targetRate: 0.025 }, 6);
    expect(judged.fewestJudged).toBeGreaterThanOrEqual(spec.minRequests);
  });
});
