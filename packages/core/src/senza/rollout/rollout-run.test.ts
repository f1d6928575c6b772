import { describe, expect, it } from 'vitest';
import { metricSourcesOf, observationOf, planRollout } from './rollout-run.js';
import { parseRolloutSpec } from './rollout-spec.js';
import { sampleRecord } from './test-record.js';

describe('a rollout run on AWS', () => {
  it('reads classic ELBs by name and ALBs by the app/<name>/<id> end of their ARN', () => {
    expect(
      metricSourcesOf('app-v2', [
        {
          ResourceType: 'AWS::ElasticLoadBalancing::LoadBalancer',
          PhysicalResourceId: 'app-v2',
          LogicalResourceId: 'A',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(0),
        },
        {
          ResourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          PhysicalResourceId:
            'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/app-v2/50dc6c495c0c9188',
          LogicalResourceId: 'B',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(0),
        },
        {
          ResourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
          PhysicalResourceId: 'arn:…:targetgroup/x/1',
          LogicalResourceId: 'C',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(0),
        },
      ]),
    ).toEqual([
      { identifier: 'app-v2', kind: 'elb', dimension: 'app-v2' },
      { identifier: 'app-v2', kind: 'alb', dimension: 'app/app-v2/50dc6c495c0c9188' },
    ]);
  });

  it('compares the target with the versions losing traffic, summed', () => {
    const obs = observationOf(
      sampleRecord(),
      new Map([
        ['app-v1', { requests: 100, errors: 1 }],
        ['app-v2', { requests: 300, errors: 2 }],
        ['app-v3', { requests: 40, errors: 0 }],
      ]),
      undefined,
    );
    expect(obs).toEqual({
      label: 'v3',
      target: { requests: 40, errors: 0 },
      baseline: { requests: 400, errors: 3 },
      versions: {
        'app-v3': { requests: 40, errors: 0 },
        'app-v1': { requests: 100, errors: 1 },
        'app-v2': { requests: 300, errors: 2 },
      },
    });
  });

  it('plans every step, the revert, the queries and the duration deterministically', () => {
    const record = sampleRecord();
    const spec = parseRolloutSpec({
      steps: '10,50:10m,100',
      bake: '5m',
      finalBake: '2m',
      gates: ['5xx-rate<1%', 'alarm:slo'],
    });
    const sources = [
      { identifier: 'app-v3', kind: 'elb' as const, dimension: 'app-v3' },
      { identifier: 'app-v1', kind: 'elb' as const, dimension: 'app-v1' },
    ];
    const plan = planRollout(spec, record.start, record.versions, 'app-v3', sources);
    expect(plan.steps.map((s) => [s.percentage, s.bakeSeconds, s.domains[0].weights.map((w) => w.weight)])).toEqual([
      [10, 300, [50, 130, 20]],
      [50, 600, [10, 90, 100]],
      [100, 120, [0, 0, 200]],
    ]);
    expect(plan.revert).toEqual(record.start);
    expect(plan.queries).toHaveLength(6);
    expect(plan.alarms).toEqual(['slo']);
    expect([plan.minSeconds, plan.maxSeconds]).toEqual([60, 1020]);
    expect(JSON.stringify(planRollout(spec, record.start, record.versions, 'app-v3', sources))).toBe(
      JSON.stringify(plan),
    );
  });
});
