import { CliHost } from '@stups/cli-kit';
import type { RolloutEvent, RolloutRecord } from '@stups/core/senza/rollout';
import { describe, expect, it } from 'vitest';
import { formatSeconds, RolloutView } from './rollout-view.js';

// The live view of `senza traffic … --steps` on a terminal (issue 18): a block redrawn in place, fed
// with the engine's events and a fixed clock, drawn on a fake TTY of fixed width.

const T0 = Date.parse('2026-12-07T03:00:00.000Z');
const record: RolloutRecord = {
  format: 1,
  id: 'r1a2b3c4',
  name: 'app',
  target: 'app-v3',
  version: 'v3',
  start: [
    {
      domain: 'app.zo.ne.',
      weights: [
        { identifier: 'app-v1', weight: 60 },
        { identifier: 'app-v2', weight: 140 },
      ],
    },
  ],
  versions: ['v1', 'v2', 'v3'].map((v) => ({ identifier: `app-${v}`, version: v })),
  spec: {
    steps: '10,50,100',
    bake: '5m',
    finalBake: '0s',
    gates: ['5xx-rate<1%', 'latency<300ms'],
    minRequests: 200,
    interval: '60s',
    failureLimit: 1,
    onInconclusive: 'pause',
  },
  step: 1,
  stepStartedAt: new Date(T0).toISOString(),
  failures: 0,
  status: 'running',
  history: [],
};

const evaluation: RolloutEvent = {
  type: 'evaluation',
  step: 1,
  at: new Date(T0 + 60_000).toISOString(),
  madeAt: new Date(T0 + 60_400).toISOString(),
  evaluation: {
    verdict: 'pass',
    gates: [
      {
        gate: '5xx-rate<1%',
        verdict: 'pass',
        evidence: 'v3: 7 of 4,000 5xx = 0.18 %, baseline 0.35 % (limit 1 %, p < 0.0001) → pass',
      },
      { gate: 'latency<300ms', verdict: 'pass', evidence: 'v3: mean 200 ms (limit 300 ms) → pass' },
    ],
  },
  share: { intended: 50, observed: 40 },
  versions: [
    {
      identifier: 'app-v3',
      version: 'v3',
      target: true,
      intended: 50,
      observed: 40,
      requests: 4000,
      errors: 7,
      latencySeconds: 0.2,
    },
    { identifier: 'app-v1', version: 'v1', target: false, intended: 5, observed: 6, requests: 600, errors: 3 },
    {
      identifier: 'app-v2',
      version: 'v2',
      target: false,
      intended: 45,
      observed: 54,
      requests: 5400,
      errors: 18,
      latencySeconds: 0.05,
    },
  ],
  bakeEndsAt: new Date(T0 + 300_000).toISOString(),
};

describe('the live rollout view', () => {
  it('shows the step, the countdown, each version’s numbers and shares, and each gate with its evidence', () => {
    const view = new RolloutView();
    view.begin(record);
    expect(view.lines(T0 + 15_000, 200)).toEqual([
      'Rollout r1a2b3c4 of app-v3: step 2/3, 50 % — bake 4m45s left, next evaluation in 45s',
      '  no evaluation of this step yet',
    ]);
    view.apply(evaluation);
    view.apply({
      type: 'share-diverges',
      step: 1,
      identifier: 'app-v2',
      version: 'v2',
      target: false,
      intended: 45,
      observed: 54,
    });
    expect(view.lines(T0 + 61_500, 200)).toEqual([
      'Rollout r1a2b3c4 of app-v3: step 2/3, 50 % — bake 3m59s left, next evaluation in 59s',
      '  version      served / intended  requests  5xx          latency',
      '  v3 (target)  40.0 % / 50.0 %    4,000     7 (0.18 %)   200 ms',
      '  v1           6.0 % / 5.0 %      600       3 (0.50 %)   –',
      '  v2           54.0 % / 45.0 %    5,400     18 (0.33 %)  50 ms',
      '  window to 03:01:00: pass',
      '  5xx-rate<1%: pass — v3: 7 of 4,000 5xx = 0.18 %, baseline 0.35 % (limit 1 %, p < 0.0001) → pass',
      '  latency<300ms: pass — v3: mean 200 ms (limit 300 ms) → pass',
      '  Warning: v2 served 54 % where the weights give it 45 %, two evaluations in a row (DNS caching, pooled connections)',
    ]);
  });

  it('a new step clears the window; the outcome replaces the countdown', () => {
    const view = new RolloutView();
    view.begin(record);
    view.apply(evaluation);
    const next = { ...record, step: 2, stepStartedAt: new Date(T0 + 300_000).toISOString() };
    view.apply({ type: 'step', step: 2, percentage: 100, record: next });
    expect(view.lines(T0 + 300_000, 200)[0]).toBe('Rollout r1a2b3c4 of app-v3: step 3/3, 100 % — evaluating');
    expect(view.lines(T0 + 300_000, 200)[1]).toBe('  no evaluation of this step yet');
    view.apply({
      type: 'rolled-back',
      record: next,
      reason: 'gate failed: 5xx-rate<1%',
      decidedAt: next.stepStartedAt,
      restoredAt: next.stepStartedAt,
    });
    expect(view.lines(T0 + 301_000, 200)[0]).toBe(
      'Rollout r1a2b3c4 of app-v3: step 3/3, 100 % — Rolled back (gate failed: 5xx-rate<1%): the weights from before the rollout are restored',
    );
  });

  it('on a fake terminal 60 columns wide: every line fits, and each redraw moves back over the block it drew', () => {
    let err = '';
    const host = new CliHost({
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s), isTTY: true },
      env: {},
    });
    expect(host.live).toBe(true);
    const view = new RolloutView();
    view.begin(record);
    host.redraw(view.lines(T0 + 1_000, 60));
    view.apply(evaluation);
    const block = view.lines(T0 + 61_000, 60);
    host.redraw(block);
    host.redraw(view.lines(T0 + 62_000, 60));
    const frames = err.split(/\u001b\[\d+A\u001b\[J/);
    expect(frames).toHaveLength(3);
    // The second redraw goes up the 2 lines of the first block, the third the 8 of the second.
    expect(err).toMatch(/^[^\u001b]*\u001b\[2A\u001b\[J[^\u001b]*\u001b\[8A\u001b\[J/);
    for (const frame of frames) {
      for (const line of frame.split('\n')) expect([...line].length).toBeLessThan(60);
    }
    expect(frames[2]).toContain('step 2/3, 50 % — bake 3m58s le…\n');
    expect(frames[2]).toContain('  v2           54.0 % / 45.0 %    5,400     18 (0.33 %)  5…\n');
    expect(frames[2]).toContain('  5xx-rate<1%: pass — v3: 7 of 4,000 5xx = 0.18 %, baselin…');
  });

  it('writes durations as a countdown does', () => {
    expect([0.2, 42, 60, 185, 3600, 3725].map(formatSeconds)).toEqual([
      '1s',
      '42s',
      '1m00s',
      '3m05s',
      '1h00m',
      '1h02m',
    ]);
  });
});
