import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../aws/aws-session.js';
import type { RolloutRecord } from './rollout-record.js';
import { awsObserver } from './rollout-run.js';
import { intendedShares, ShareTracker, type VersionShare, versionShares } from './rollout-shares.js';
import { sampleRecord } from './test-record.js';

// Observed against intended shares of every version (issue 18, senza#502), from canned CloudWatch
// answers: GetMetricData is an AWS-only answer, so a fake session gives it.

const record: RolloutRecord = { ...sampleRecord(), step: 1 };

const T0 = Date.parse('2026-12-07T03:00:00.000Z');

/** A session that answers ListStackResources (one classic ELB per stack) and GetMetricData from `metrics`. */
function cannedSession(metrics: Record<string, { requests: number[]; errors: number[]; latency: number[] }>) {
  const calls: string[] = [];
  const fake = {
    region: 'eu-central-1',
    // biome-ignore lint/suspicious/noExplicitAny: mirrors AwsSession.send
    async send(_service: string, command: any) {
      const operation = String(command.constructor.name).replace(/Command$/, '');
      calls.push(operation);
      if (operation === 'ListStackResources') {
        return {
          StackResourceSummaries: [
            {
              LogicalResourceId: 'AppLoadBalancer',
              PhysicalResourceId: command.input.StackName,
              ResourceType: 'AWS::ElasticLoadBalancing::LoadBalancer',
              ResourceStatus: 'CREATE_COMPLETE',
              LastUpdatedTimestamp: new Date(0),
            },
          ],
        };
      }
      if (operation === 'GetMetricData') {
        return {
          MetricDataResults: command.input.MetricDataQueries.map(
            (q: { Id: string; MetricStat: { Metric: { Dimensions: { Value: string }[] } } }) => {
              const lb = q.MetricStat.Metric.Dimensions[0].Value;
              const kind = q.Id.split('_')[1] as 'requests' | 'errors' | 'latency';
              const values = metrics[lb]?.[kind] ?? [];
              return {
                Id: q.Id,
                Timestamps: values.map((_, i) => new Date(T0 + i * 60_000)),
                Values: values,
              };
            },
          ),
        };
      }
      throw new Error(`unexpected ${operation}`);
    },
    withSignal: () => fake,
  };
  return { session: fake as unknown as AwsSession, calls };
}

describe('every version’s share of a window', () => {
  it('intends the step’s weights: at 50 % the others share the rest as a plain switch gives it', () => {
    expect(Object.fromEntries(intendedShares(record, 50))).toEqual({ 'app-v1': 5, 'app-v2': 45, 'app-v3': 50 });
    expect(Object.fromEntries(intendedShares(record, 10))).toEqual({ 'app-v1': 25, 'app-v2': 65, 'app-v3': 10 });
  });

  it('reads each version’s RequestCount, 5xx and latency from GetMetricData and reports observed next to intended', async () => {
    const { session, calls } = cannedSession({
      'app-v1': { requests: [300, 300], errors: [1, 2], latency: [0.1, 0.2] },
      'app-v2': { requests: [3000, 2400], errors: [10, 8], latency: [0.05, 0.05] },
      'app-v3': { requests: [2000, 2000], errors: [0, 40], latency: [0.3, 0.1] },
    });
    const observation = await awsObserver(session)({ start: new Date(T0), end: new Date(T0 + 120_000) }, record);
    expect(calls).toEqual(['ListStackResources', 'ListStackResources', 'ListStackResources', 'GetMetricData']);
    const shares = versionShares(record, 50, observation);
    expect(shares).toEqual([
      {
        identifier: 'app-v3',
        version: 'v3',
        target: true,
        intended: 50,
        observed: 40,
        requests: 4000,
        errors: 40,
        latencySeconds: 0.2,
      },
      {
        identifier: 'app-v1',
        version: 'v1',
        target: false,
        intended: 5,
        observed: 6,
        requests: 600,
        errors: 3,
        latencySeconds: expect.closeTo(0.15, 10),
      },
      {
        identifier: 'app-v2',
        version: 'v2',
        target: false,
        intended: 45,
        observed: 54,
        requests: 5400,
        errors: 18,
        latencySeconds: expect.closeTo(0.05, 10),
      },
    ]);
    // The gates still compare the target with the baseline summed.
    expect(observation.baseline).toMatchObject({ requests: 6000, errors: 21 });
  });

  it('without requests in the window there is no observed share', () => {
    const shares = versionShares(record, 50, {
      label: 'v3',
      target: { requests: 0, errors: 0 },
      versions: { 'app-v3': { requests: 0, errors: 0 }, 'app-v1': { requests: 0, errors: 0 } },
    });
    expect(shares.map((s) => s.observed)).toEqual([undefined, undefined]);
  });
});

describe('the share warning', () => {
  const share = (identifier: string, intended: number, observed: number): VersionShare => ({
    identifier,
    version: identifier,
    target: identifier === 'app-v3',
    intended,
    observed,
    requests: 1,
    errors: 0,
  });

  it('names a version whose observed share is more than 5 points off for the second evaluation in a row, once', () => {
    const t = new ShareTracker();
    expect(t.update(0, [share('app-v3', 50, 44), share('app-v2', 45, 50)])).toEqual([]);
    expect(t.update(0, [share('app-v3', 50, 44), share('app-v2', 45, 50)]).map((s) => s.identifier)).toEqual([
      'app-v3',
    ]);
    // Still off: no second warning for the same run.
    expect(t.update(0, [share('app-v3', 50, 40), share('app-v2', 45, 51)])).toEqual([]);
    // Back within 5 points, then off twice again: warns again.
    expect(t.update(0, [share('app-v3', 50, 46), share('app-v2', 45, 40)])).toEqual([]);
    expect(t.update(0, [share('app-v3', 50, 30)])).toEqual([]);
    expect(t.update(0, [share('app-v3', 50, 30)]).map((s) => s.identifier)).toEqual(['app-v3']);
  });

  it('exactly 5 points is within tolerance, and a new step starts the count again', () => {
    const t = new ShareTracker();
    expect(t.update(0, [share('app-v1', 25, 30)])).toEqual([]);
    expect(t.update(0, [share('app-v1', 25, 30)])).toEqual([]);
    expect(t.update(0, [share('app-v1', 25, 31)])).toEqual([]);
    expect(t.update(1, [share('app-v1', 5, 12)])).toEqual([]);
    expect(t.update(1, [share('app-v1', 5, 12)]).map((s) => s.identifier)).toEqual(['app-v1']);
  });
});
