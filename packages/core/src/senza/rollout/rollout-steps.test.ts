import { describe, expect, it } from 'vitest';
import { planTraffic, type TrafficVersion } from '../traffic/traffic-plan.js';
import { losingIdentifiers, planStepWeights, sameWeights } from './rollout-steps.js';

const versions: TrafficVersion[] = ['v1', 'v2', 'v3', 'v4'].map((v) => ({ identifier: `app-${v}`, version: v }));
const start = [
  {
    domain: 'app.zo.ne.',
    weights: [
      { identifier: 'app-v1', weight: 60 },
      { identifier: 'app-v2', weight: 140 },
      { identifier: 'app-v3', weight: 0 },
    ],
  },
];

describe('step weights', () => {
  it('gives the target each step, the others the rest as `senza traffic` would, summing to 200', () => {
    const steps = planStepWeights(start, versions, 'app-v4', [10, 50, 100]);
    expect(steps.map((s) => s.domains[0].weights)).toEqual([
      [
        { identifier: 'app-v1', weight: 50 },
        { identifier: 'app-v2', weight: 130 },
        { identifier: 'app-v3', weight: 0 },
        { identifier: 'app-v4', weight: 20 },
      ],
      [
        { identifier: 'app-v1', weight: 10 },
        { identifier: 'app-v2', weight: 90 },
        { identifier: 'app-v3', weight: 0 },
        { identifier: 'app-v4', weight: 100 },
      ],
      [
        { identifier: 'app-v1', weight: 0 },
        { identifier: 'app-v2', weight: 0 },
        { identifier: 'app-v3', weight: 0 },
        { identifier: 'app-v4', weight: 200 },
      ],
    ]);
    for (const [i, p] of [10, 50, 100].entries()) {
      const direct = planTraffic({ stackName: 'app', versions, target: 'app-v4', domains: start, percentage: p });
      const expected = direct.domains[0].entries.map((e) => ({ identifier: e.identifier, weight: e.newWeight }));
      expect(sameWeights(steps[i].domains[0].weights, expected)).toBe(true);
      expect(steps[i].domains[0].weights.reduce((s, w) => s + w.weight, 0)).toBe(200);
    }
    // v3 had no traffic and never gets any.
    expect(losingIdentifiers(start, 'app-v4')).toEqual(['app-v1', 'app-v2']);
  });

  it('compares weights with missing records as 0', () => {
    expect(sameWeights([{ identifier: 'a', weight: 0 }], [])).toBe(true);
    expect(sameWeights([{ identifier: 'a', weight: 1 }], [])).toBe(false);
  });
});
