import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  domainsWithoutTraffic,
  planTraffic,
  removedMessage,
  TRAFFIC_CHANGE_COLUMNS,
  TRAFFIC_SHOW_COLUMNS,
  type TrafficPlan,
  type TrafficVersion,
  trafficChangeRows,
  trafficShowRows,
  withDomainColumn,
} from './traffic-plan.js';
import { renderTrafficTable } from './traffic-table.js';

const DOMAIN = 'myapp.zo.ne.';
const versions = (...vs: string[]): TrafficVersion[] => vs.map((v) => ({ identifier: `myapp-${v}`, version: v }));

/** Weights per version in half percents, in the order of `vs`. */
function state(vs: string[], weights: number[]) {
  return [{ domain: DOMAIN, weights: vs.map((v, i) => ({ identifier: `myapp-${v}`, weight: weights[i] })) }];
}

function newWeights(plan: TrafficPlan, vs: string[], domain = DOMAIN): number[] {
  const d = plan.domains.find((x) => x.domain === domain);
  return vs.map((v) => d?.entries.find((e) => e.identifier === `myapp-${v}`)?.newWeight ?? Number.NaN);
}

function step(vs: string[], weights: number[], target: string, percentage: number) {
  return planTraffic({
    stackName: 'myapp',
    versions: versions(...vs),
    target: `myapp-${target}`,
    domains: state(vs, weights),
    percentage,
  });
}

describe('traffic plan: the worked examples of the original (reference §5.7)', () => {
  const vs = ['v1', 'v2', 'v3', 'v4'];
  const sequence: [string, number, number[], { changed?: boolean; warning?: string; removed?: boolean }][] = [
    ['v4', 100, [0, 0, 0, 200], {}],
    ['v3', 10, [0, 0, 20, 180], {}],
    ['v2', 0.5, [0, 1, 20, 179], {}],
    ['v1', 1, [2, 1, 19, 178], {}],
    [
      'v4',
      95,
      [1, 1, 13, 185],
      {
        warning:
          'Changing given percentage from 95.0 to 92.5 because all other versions are already getting the possible minimum traffic',
      },
    ],
    ['v4', 100, [0, 0, 0, 200], {}],
    ['v4', 10, [0, 0, 0, 200], { changed: false }],
    ['v4', 0, [0, 0, 0, 0], { removed: true }],
  ];

  it('runs the whole sequence from 60/30/10/0 with exactly the original weights', () => {
    let weights = [120, 60, 20, 0];
    for (const [target, pct, expected, extra] of sequence) {
      const plan = step(vs, weights, target, pct);
      expect(newWeights(plan, vs), `${target} ${pct}`).toEqual(expected);
      expect(plan.domains[0].warning).toBe(extra.warning);
      expect(plan.domains[0].removed).toBe(extra.removed ?? false);
      expect(plan.changed).toBe(extra.changed ?? true);
      weights = expected;
    }
  });

  it('prints the v4 95 table exactly like the original', () => {
    const plan = step(vs, [2, 1, 19, 178], 'v4', 95);
    const table = renderTrafficTable('text', [...TRAFFIC_CHANGE_COLUMNS], trafficChangeRows(plan));
    expect(table).toBe(
      [
        'Stack Name│Version│Identifier│Old Weight%│Delta│Compensation│New Weight%│Current',
        'myapp      v1      myapp-v1           1.0  -0.5                      0.5        ',
        'myapp      v2      myapp-v2           0.5                            0.5        ',
        'myapp      v3      myapp-v3           9.5  -2.0         -1.0         6.5        ',
        'myapp      v4      myapp-v4          89.0   6.0         -2.5        92.5 <      ',
        '',
      ].join('\n'),
    );
  });

  it('two versions: 100/0 → v2 25 → v2 50 → v1 0 → v2 150 (clamped by the CLI) → v1 33.3', () => {
    const two = ['v1', 'v2'];
    let w = [200, 0];
    w = newWeights(step(two, w, 'v2', 25), two);
    expect(w).toEqual([150, 50]);
    w = newWeights(step(two, w, 'v2', 50), two);
    expect(w).toEqual([100, 100]);
    w = newWeights(step(two, w, 'v1', 0), two);
    expect(w).toEqual([0, 200]);
    const full = step(two, w, 'v2', 100);
    expect(full.changed).toBe(false);
    w = newWeights(step(two, w, 'v1', 33.3), two);
    expect(w).toEqual([66, 134]);
  });

  it('three versions: 50/50/0 → v3 40 → 30/30/40; then v1 0 → 0/45/55', () => {
    const three = ['v1', 'v2', 'v3'];
    let w = newWeights(step(three, [100, 100, 0], 'v3', 40), three);
    expect(w).toEqual([60, 60, 80]);
    w = newWeights(step(three, w, 'v1', 0), three);
    expect(w).toEqual([0, 90, 110]);
  });

  it('JSON rows of 100/0 → v2 25 carry the original keys and values', () => {
    const rows = trafficChangeRows(step(['v1', 'v2'], [200, 0], 'v2', 25));
    expect(renderTrafficTable('json', [...TRAFFIC_CHANGE_COLUMNS], rows)).toBe(
      '[{"compensation": null, "current": null, "delta": -25, "identifier": "myapp-v1", "new_weight%": 75, "old_weight%": 100, "stack_name": "myapp", "version": "v1"}, ' +
        '{"compensation": null, "current": "<", "delta": 25, "identifier": "myapp-v2", "new_weight%": 25, "old_weight%": 0, "stack_name": "myapp", "version": "v2"}]\n',
    );
  });

  it('shows a full switch of the only version with traffic with the compensation as negative delta', () => {
    const rows = trafficChangeRows(step(['v1', 'v2'], [0, 200], 'v2', 10));
    expect(rows[1]).toMatchObject({ delta: -90, compensation: 90, 'new_weight%': 100, current: '<' });
  });

  it('the show table: stack name, version, identifier, weight% and the current marker', () => {
    const vs2 = versions('v1', 'v2');
    const rows = trafficShowRows('myapp', vs2, state(['v1', 'v2'], [120, 60]));
    expect(renderTrafficTable('text', [...TRAFFIC_SHOW_COLUMNS], rows)).toBe(
      'Stack Name│Version│Identifier│Weight%\nmyapp      v1      myapp-v1      60.0\nmyapp      v2      myapp-v2      30.0\n',
    );
    const current = trafficShowRows('myapp', vs2, state(['v1', 'v2'], [120, 60]), 'myapp-v2');
    expect(current.map((r) => r.current)).toEqual([null, '<']);
    expect(renderTrafficTable('tsv', [...TRAFFIC_SHOW_COLUMNS, 'current'], current)).toBe(
      'stack_name\tversion\tidentifier\tweight%\tcurrent\nmyapp\tv1\tmyapp-v1\t60.0\t\nmyapp\tv2\tmyapp-v2\t30.0\t<\n',
    );
  });

  it('p = 0 without other traffic removes the record and says so like the original', () => {
    const plan = step(['v1', 'v2'], [0, 200], 'v2', 0);
    expect(plan.domains[0].removed).toBe(true);
    expect(domainsWithoutTraffic(plan)).toEqual([DOMAIN]);
    expect(removedMessage([DOMAIN])).toBe(`DNS record "['myapp.zo.ne.']" will be removed from that stack`);
  });

  it('truncates to half percents: 33.3 → 33.0, 0.7 → 0.5', () => {
    expect(step(['v1', 'v2'], [200, 0], 'v2', 33.3).requestedWeight).toBe(66);
    expect(step(['v1', 'v2'], [200, 0], 'v2', 0.7).requestedWeight).toBe(1);
  });

  it('rejects percentages outside 0..100 (the CLI validates them first)', () => {
    expect(() => step(['v1'], [200], 'v1', 150)).toThrow(RangeError);
    expect(() => step(['v1'], [200], 'v1', Number.NaN)).toThrow(RangeError);
  });
});

describe('traffic plan: fixed bugs of the original', () => {
  it('orders versions naturally (v10 after v9)', () => {
    expect(['v10', 'v9', 'v1', 'v2a', 'v2'].sort(compareVersions)).toEqual(['v1', 'v2', 'v2a', 'v9', 'v10']);
    expect(['10', '9', '100', '09'].sort(compareVersions)).toEqual(['9', '09', '10', '100']);
  });

  it('compensates the highest version by number first, not by string (v10 before v9)', () => {
    // 3 versions with traffic, target v11 gets 0.5 %: error -1 goes to the newest other version.
    const vs = ['v9', 'v10', 'v11'];
    const plan = step(vs, [100, 100, 0], 'v11', 0.5);
    // delta = trunc((200-1-200)/2) = 0 → 100/100/1 = 201, error -1 → v10 (not v9, as upstream did).
    expect(newWeights(plan, vs)).toEqual([100, 99, 1]);
    const rows = trafficChangeRows(plan);
    expect(rows.map((r) => r.version)).toEqual(['v9', 'v10', 'v11']);
    expect(rows[1].compensation).toBe(-0.5);
  });

  it('plans every main domain of the target separately, each summing to 200', () => {
    const domains = [
      {
        domain: 'a.zo.ne.',
        weights: [
          { identifier: 'myapp-v1', weight: 200 },
          { identifier: 'myapp-v2', weight: 0 },
        ],
      },
      {
        domain: 'b.zo.ne.',
        weights: [
          { identifier: 'myapp-v1', weight: 100 },
          { identifier: 'myapp-v2', weight: 100 },
        ],
      },
    ];
    const plan = planTraffic({
      stackName: 'myapp',
      versions: versions('v1', 'v2'),
      target: 'myapp-v2',
      domains,
      percentage: 50,
    });
    expect(plan.domains.map((d) => d.entries.map((e) => e.newWeight))).toEqual([
      [100, 100],
      [100, 100],
    ]);
    expect(plan.domains[0].changed).toBe(true);
    expect(plan.domains[1].changed).toBe(false);
    for (const d of plan.domains) expect(d.entries.reduce((s, e) => s + e.newWeight, 0)).toBe(200);
    const rows = trafficChangeRows(plan);
    expect(rows.map((r) => r.domain)).toEqual(['a.zo.ne.', 'a.zo.ne.', 'b.zo.ne.', 'b.zo.ne.']);
    expect(withDomainColumn(TRAFFIC_CHANGE_COLUMNS, 2)).toEqual([
      'stack_name',
      'version',
      'identifier',
      'domain',
      'old_weight%',
      'delta',
      'compensation',
      'new_weight%',
      'current',
    ]);
    expect(withDomainColumn(TRAFFIC_CHANGE_COLUMNS, 1)).toEqual([...TRAFFIC_CHANGE_COLUMNS]);
  });

  it('the second domain with the original first-domain-only sums would have gone wrong; here it is right', () => {
    // Domain b has traffic only on v1; domain a on v1 and v3. Target v2 25 %.
    const plan = planTraffic({
      stackName: 'myapp',
      versions: versions('v1', 'v2', 'v3'),
      target: 'myapp-v2',
      domains: [
        {
          domain: 'a.zo.ne.',
          weights: [
            { identifier: 'myapp-v1', weight: 100 },
            { identifier: 'myapp-v2', weight: 0 },
            { identifier: 'myapp-v3', weight: 100 },
          ],
        },
        { domain: 'b.zo.ne.', weights: [{ identifier: 'myapp-v1', weight: 200 }] },
      ],
      percentage: 25,
    });
    expect(plan.domains[0].entries.map((e) => e.newWeight)).toEqual([75, 50, 75]);
    // v3 had no traffic on b and gets none; v2 has no record there yet (counts as 0).
    expect(plan.domains[1].entries.map((e) => [e.identifier, e.newWeight])).toEqual([
      ['myapp-v1', 150],
      ['myapp-v2', 50],
      ['myapp-v3', 0],
    ]);
  });

  it('records of no discovered version take part, are shown without version and are never compensated', () => {
    // myapp-v0 (failed or deleted stack, or a hand-made record) still has 1 %.
    const domains = [
      {
        domain: DOMAIN,
        weights: [
          { identifier: 'myapp-v0', weight: 2 },
          { identifier: 'myapp-v1', weight: 1 },
          { identifier: 'myapp-v2', weight: 19 },
          { identifier: 'myapp-v3', weight: 178 },
        ],
      },
    ];
    const plan = planTraffic({
      stackName: 'myapp',
      versions: versions('v1', 'v2', 'v3'),
      target: 'myapp-v3',
      domains,
      percentage: 95,
    });
    const entries = plan.domains[0].entries;
    expect(entries[0]).toMatchObject({ identifier: 'myapp-v0', version: '', newWeight: 1 });
    expect(entries[0].compensation).toBeUndefined();
    expect(entries.reduce((s, e) => s + e.newWeight, 0)).toBe(200);
    expect(trafficChangeRows(plan)[0].version).toBeNull();
    const text = renderTrafficTable('text', [...TRAFFIC_CHANGE_COLUMNS], trafficChangeRows(plan));
    expect(text.split('\n')[1]).toMatch(/^myapp {6} {8}myapp-v0 /);
  });

  it('never compensates onto a version that had no traffic', () => {
    // v1..v3 1 unit each, v5 197; target v5 50 % → delta trunc(97/3)=32 → 33/33/33/100 = 199, error +1.
    // Upstream gave the +1 to the highest version string, v4, which had 0 %. Here it goes to v3.
    const vs = ['v1', 'v2', 'v3', 'v4', 'v5'];
    const plan = step(vs, [1, 1, 1, 0, 197], 'v5', 50);
    expect(newWeights(plan, vs)).toEqual([33, 33, 34, 0, 100]);
  });

  it('keeps every version that had traffic at 0.5 % at least', () => {
    const vs = ['v1', 'v2', 'v3'];
    const plan = step(vs, [1, 1, 198], 'v3', 100);
    expect(newWeights(plan, vs)).toEqual([0, 0, 200]);
    const plan99 = step(vs, [1, 1, 198], 'v3', 99.5);
    expect(newWeights(plan99, vs)).toEqual([1, 1, 198]);
    expect(plan99.domains[0].warning).toContain('from 99.5 to 99.0');
  });

  it('target without a record yet counts as 0 and gets its share', () => {
    const plan = planTraffic({
      stackName: 'myapp',
      versions: versions('v1', 'v2'),
      target: 'myapp-v2',
      domains: [{ domain: DOMAIN, weights: [{ identifier: 'myapp-v1', weight: 200 }] }],
      percentage: 50,
    });
    expect(newWeights(plan, ['v1', 'v2'])).toEqual([100, 100]);
  });

  it('all weights 0 before: the target gets everything', () => {
    const vs = ['v1', 'v2'];
    expect(newWeights(step(vs, [0, 0], 'v2', 30), vs)).toEqual([0, 200]);
  });
});

describe('traffic plan: every weight is a Route53 weight (integer, 0..255)', () => {
  it('others adding up to more than 200: the target never goes negative (A=255, B=1, target 0)', () => {
    // The original's arithmetic gave the target -14 here, which Route53 refuses (InvalidInput).
    const vs = ['v1', 'v2', 'v3'];
    const plan = step(vs, [255, 1, 0], 'v3', 0);
    expect(newWeights(plan, vs)).toEqual([199, 1, 0]);
    expect(plan.domains[0].warning).toBeUndefined();
    const asked = step(vs, [255, 1, 10], 'v3', 5);
    expect(newWeights(asked, vs).every((w) => w >= 0)).toBe(true);
    expect(newWeights(asked, vs).reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('a hand-made record with 255 and a version with 1: the rest is taken from the hand-made record', () => {
    const plan = planTraffic({
      stackName: 'myapp',
      versions: versions('v1', 'v2'),
      target: 'myapp-v2',
      domains: [
        {
          domain: DOMAIN,
          weights: [
            { identifier: 'handmade', weight: 255 },
            { identifier: 'myapp-v1', weight: 1 },
            { identifier: 'myapp-v2', weight: 10 },
          ],
        },
      ],
      percentage: 0,
    });
    const w = Object.fromEntries(plan.domains[0].entries.map((e) => [e.identifier, e.newWeight]));
    expect(w).toEqual({ handmade: 199, 'myapp-v1': 1, 'myapp-v2': 0 });
  });

  it('property: any live weights in 0..255, any target and percentage: integers in 0..255, never a crash', () => {
    const live = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        live,
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.integer({ min: 0, max: 200 }),
        fc.boolean(),
        (weights, unknown, targetPick, halfPercents, withoutRecord) => {
          // The last `unknown` records belong to no discovered version (hand-made, failed stacks).
          const ids = weights.map((_, i) => (i >= weights.length - unknown ? `other-${i}` : `myapp-v${i + 1}`));
          const known = ids.filter((id) => id.startsWith('myapp-')).map((id) => id.slice('myapp-'.length));
          const targets = [...known.map((v) => `myapp-${v}`), 'myapp-new'];
          const target = targets[targetPick % targets.length];
          const domainWeights = ids
            .map((identifier, i) => ({ identifier, weight: weights[i] }))
            .filter((r) => !(withoutRecord && r.identifier === target));
          const plan = planTraffic({
            stackName: 'myapp',
            versions: versions(...known, 'new'),
            target,
            domains: [{ domain: DOMAIN, weights: domainWeights }],
            percentage: halfPercents / 2,
          });
          for (const e of plan.domains[0].entries) {
            expect(Number.isInteger(e.newWeight)).toBe(true);
            expect(e.newWeight).toBeGreaterThanOrEqual(0);
            expect(e.newWeight).toBeLessThanOrEqual(255);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
