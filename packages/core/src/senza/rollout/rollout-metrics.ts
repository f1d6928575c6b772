/**
 * What the gates read: the load balancers' CloudWatch metrics over a window (GetMetricData) and
 * alarm states (DescribeAlarms). The metric names, statistics and dimensions are AWS's:
 * - classic ELB, namespace `AWS/ELB`, dimension `LoadBalancerName`: `RequestCount` (Sum),
 *   `HTTPCode_Backend_5XX` (Sum), `Latency` (Average, seconds)
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-cloudwatch-metrics.html);
 * - ALB, namespace `AWS/ApplicationELB`, dimension `LoadBalancer` (`app/<name>/<id>`): `RequestCount`
 *   (Sum), `HTTPCode_Target_5XX_Count` (Sum), `TargetResponseTime` (Average, seconds)
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 * A missing datapoint means no requests (ELB publishes these only when there are some).
 */
import type {
  DescribeAlarmsCommandOutput,
  GetMetricDataCommandOutput,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { AwsSession } from '../../aws/aws-session.js';
import { awsPages } from '../../aws/pages.js';
import type { AlarmState, Counts } from './verdict.js';

/** The load balancer of one version, as CloudWatch names it. */
export interface MetricSource {
  /** The version's SetIdentifier. */
  identifier: string;
  kind: 'elb' | 'alb';
  /** `LoadBalancerName` (classic) or the `LoadBalancer` dimension value `app/<name>/<id>` (ALB). */
  dimension: string;
}

type Kind = 'requests' | 'errors' | 'latency';

export const ROLLOUT_METRICS: Record<
  MetricSource['kind'],
  { namespace: string; dimension: string; metrics: Record<Kind, [string, 'Sum' | 'Average']> }
> = {
  elb: {
    namespace: 'AWS/ELB',
    dimension: 'LoadBalancerName',
    metrics: {
      requests: ['RequestCount', 'Sum'],
      errors: ['HTTPCode_Backend_5XX', 'Sum'],
      latency: ['Latency', 'Average'],
    },
  },
  alb: {
    namespace: 'AWS/ApplicationELB',
    dimension: 'LoadBalancer',
    metrics: {
      requests: ['RequestCount', 'Sum'],
      errors: ['HTTPCode_Target_5XX_Count', 'Sum'],
      latency: ['TargetResponseTime', 'Average'],
    },
  },
};

const KINDS: Kind[] = ['requests', 'errors', 'latency'];

/** The queries of every source, ids `m<i>_<kind>`, in source order (deterministic, for --plan). */
export function metricQueries(sources: MetricSource[], periodSeconds: number): MetricDataQuery[] {
  return sources.flatMap((s, i) => {
    const def = ROLLOUT_METRICS[s.kind];
    return KINDS.map((kind) => ({
      Id: `m${i}_${kind}`,
      Label: `${s.identifier} ${def.metrics[kind][0]}`,
      MetricStat: {
        Metric: {
          Namespace: def.namespace,
          MetricName: def.metrics[kind][0],
          Dimensions: [{ Name: def.dimension, Value: s.dimension }],
        },
        Period: periodSeconds,
        Stat: def.metrics[kind][1],
      },
      ReturnData: true,
    }));
  });
}

/**
 * Counts per source from the results: sums of requests and 5xx over every period of the window, the
 * latency as the request-weighted mean of the periods' averages.
 */
export function countsFromResults(sources: MetricSource[], results: MetricDataResult[]): Map<string, Counts> {
  const byId = new Map<string, Map<number, number>>();
  for (const r of results) {
    if (!r.Id) continue;
    const points = byId.get(r.Id) ?? new Map<number, number>();
    (r.Timestamps ?? []).forEach((t, j) => {
      points.set(new Date(t).getTime(), (points.get(new Date(t).getTime()) ?? 0) + (r.Values?.[j] ?? 0));
    });
    byId.set(r.Id, points);
  }
  const out = new Map<string, Counts>();
  sources.forEach((s, i) => {
    const requests = byId.get(`m${i}_requests`) ?? new Map();
    const errors = byId.get(`m${i}_errors`) ?? new Map();
    const latency = byId.get(`m${i}_latency`) ?? new Map();
    const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    let weighted = 0;
    let weight = 0;
    for (const [t, avg] of latency) {
      const n = requests.get(t) ?? 0;
      weighted += avg * n;
      weight += n;
    }
    const previous = out.get(s.identifier);
    const counts: Counts = {
      requests: Math.round(total(requests)),
      errors: Math.round(total(errors)),
      ...(weight > 0 ? { latencySeconds: weighted / weight } : {}),
    };
    // A version behind several load balancers: their counts add up.
    out.set(s.identifier, previous ? sumTwo(previous, counts) : counts);
  });
  return out;
}

function sumTwo(a: Counts, b: Counts): Counts {
  const la = a.latencySeconds !== undefined ? a.latencySeconds * a.requests : 0;
  const lb = b.latencySeconds !== undefined ? b.latencySeconds * b.requests : 0;
  const w = (a.latencySeconds !== undefined ? a.requests : 0) + (b.latencySeconds !== undefined ? b.requests : 0);
  return {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    ...(w > 0 ? { latencySeconds: (la + lb) / w } : {}),
  };
}

/** GetMetricData of the window (up to 500 queries a call, every page). */
export async function fetchWindowCounts(
  session: AwsSession,
  sources: MetricSource[],
  window: { start: Date; end: Date; periodSeconds: number },
): Promise<Map<string, Counts>> {
  const queries = metricQueries(sources, window.periodSeconds);
  const results: MetricDataResult[] = [];
  for (let start = 0; start < queries.length; start += 500) {
    const pages = awsPages({
      fetch: (NextToken: string | undefined) =>
        session.send<GetMetricDataCommandOutput>(
          'cloudwatch',
          new GetMetricDataCommand({
            MetricDataQueries: queries.slice(start, start + 500),
            StartTime: window.start,
            EndTime: window.end,
            ScanBy: 'TimestampAscending',
            NextToken,
          }),
        ),
      next: (page) => page.NextToken,
    });
    for await (const page of pages) results.push(...(page.MetricDataResults ?? []));
  }
  return countsFromResults(sources, results);
}

/** DescribeAlarms of the named alarms (metric and composite); a name not returned is absent. */
export async function fetchAlarmStates(session: AwsSession, names: string[]): Promise<Record<string, AlarmState>> {
  const out: Record<string, AlarmState> = {};
  if (names.length === 0) return out;
  // DescribeAlarms takes up to 100 names.
  for (let i = 0; i < names.length; i += 100) {
    const pages = awsPages({
      fetch: (NextToken: string | undefined) =>
        session.send<DescribeAlarmsCommandOutput>(
          'cloudwatch',
          new DescribeAlarmsCommand({
            AlarmNames: names.slice(i, i + 100),
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken,
          }),
        ),
      next: (page) => page.NextToken,
    });
    for await (const page of pages) {
      for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        if (a.AlarmName && a.StateValue) out[a.AlarmName] = a.StateValue as AlarmState;
      }
    }
  }
  return out;
}
