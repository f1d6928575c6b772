import type { RolloutRecord } from './rollout-record.js';

/**
 * For tests: a running rollout of app-v3 on one domain whose start weights are app-v1 60 and app-v2 140,
 * at step 0 (step 1 after `{ ...sampleRecord(), step: 1 }`).
 */
export const sampleRecord = (gates: string[] = ['5xx-rate<1%']): RolloutRecord => ({
  format: 1,
  id: 'r-1',
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
    gates,
    minRequests: 200,
    interval: '60s',
    failureLimit: 1,
    onInconclusive: 'pause',
  },
  step: 0,
  stepStartedAt: '2026-12-07T03:00:00.000Z',
  failures: 0,
  status: 'running',
  history: [],
});
