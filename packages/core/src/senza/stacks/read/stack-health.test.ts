import { describe, expect, it } from 'vitest';
import type { StackSummary } from './list-stacks.js';
import { healthRow, pickDatapoint } from './stack-health.js';

const stack: StackSummary = {
  stackName: 'app-1',
  name: 'app',
  version: '1',
  status: 'UPDATE_COMPLETE',
  stackId: 'arn:app-1',
  creationTime: new Date(0),
};

describe('senza health rows', () => {
  it('requests per second, 4xx/5xx as percentages, latency in ms', () => {
    const row = healthRow(
      stack,
      new Map([
        ['i-1', 'IN_SERVICE'],
        ['i-2', 'OUT_OF_SERVICE'],
      ]),
      {
        requests: 600,
        '4xx': 6,
        '5xx': 0,
        latency: 0.0234,
      },
    );
    expect(row).toEqual({
      stack_name: 'app',
      version: '1',
      status: 'UPDATE_COMPLETE',
      healthy_hosts: 1,
      requests_per_sec: 10,
      '4xx_percentage': 1,
      '5xx_percentage': 0,
      latency_ms: 23,
      requests_5m: null,
      '5xx_5m': null,
      latency_5m_ms: null,
    });
    expect(healthRow(stack, new Map(), {})).toMatchObject({
      healthy_hosts: null,
      requests_per_sec: null,
      latency_ms: null,
    });
  });

  it('beside them, the numbers a rollout’s gates read: requests and 5xx summed over the window, latency weighted by requests', () => {
    const row = healthRow(stack, new Map(), { requests: 600 }, { requests: 2400, errors: 12, latencySeconds: 0.0456 });
    expect(row).toMatchObject({ requests_5m: 2400, '5xx_5m': 12, latency_5m_ms: 46 });
  });

  it('classic ELB uses the newest datapoint, ALB the second newest', () => {
    const result = { Timestamps: [new Date(1000), new Date(3000), new Date(2000)], Values: [1, 3, 2] };
    expect(pickDatapoint(result, false)).toBe(3);
    expect(pickDatapoint(result, true)).toBe(2);
    expect(pickDatapoint({ Timestamps: [], Values: [] }, false)).toBeUndefined();
  });
});
