import { describe, expect, it } from 'vitest';
import { countsFromResults, metricQueries } from './rollout-metrics.js';

const sources = [
  { identifier: 'app-v1', kind: 'elb' as const, dimension: 'app-v1' },
  { identifier: 'app-v2', kind: 'alb' as const, dimension: 'app/app-v2/42' },
];

describe('the gates’ metric queries', () => {
  it('use AWS’s namespaces, names, statistics and dimensions', () => {
    expect(
      metricQueries(sources, 60).map((q) => {
        const m = q.MetricStat;
        return `${q.Id} ${m?.Metric?.Namespace} ${m?.Metric?.MetricName} ${m?.Stat} ${m?.Metric?.Dimensions?.[0]?.Name}=${m?.Metric?.Dimensions?.[0]?.Value} ${m?.Period}`;
      }),
    ).toEqual([
      'm0_requests AWS/ELB RequestCount Sum LoadBalancerName=app-v1 60',
      'm0_errors AWS/ELB HTTPCode_Backend_5XX Sum LoadBalancerName=app-v1 60',
      'm0_latency AWS/ELB Latency Average LoadBalancerName=app-v1 60',
      'm1_requests AWS/ApplicationELB RequestCount Sum LoadBalancer=app/app-v2/42 60',
      'm1_errors AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum LoadBalancer=app/app-v2/42 60',
      'm1_latency AWS/ApplicationELB TargetResponseTime Average LoadBalancer=app/app-v2/42 60',
    ]);
  });

  it('add up the periods (pages may repeat an id) and weight latency by requests', () => {
    const t = (m: number) => new Date(m * 60_000);
    const counts = countsFromResults(
      [...sources, { identifier: 'app-v1', kind: 'alb', dimension: 'app/app-v1/7' }],
      [
        { Id: 'm0_requests', Timestamps: [t(1)], Values: [100] },
        { Id: 'm0_requests', Timestamps: [t(2)], Values: [300] },
        { Id: 'm0_errors', Timestamps: [t(2)], Values: [3] },
        { Id: 'm0_latency', Timestamps: [t(1), t(2)], Values: [0.1, 0.2] },
        { Id: 'm2_requests', Timestamps: [t(1)], Values: [100] },
        { Id: 'm2_latency', Timestamps: [t(1)], Values: [0.375] },
      ],
    );
    expect(counts.get('app-v2')).toEqual({ requests: 0, errors: 0 });
    expect(counts.get('app-v1')).toEqual({
      requests: 500,
      errors: 3,
      latencySeconds: (0.1 * 100 + 0.2 * 300 + 0.375 * 100) / 500,
    });
  });
});
