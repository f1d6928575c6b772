import type {
  GetMetricDataCommandOutput,
  ListMetricsCommandOutput,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { AwsSession } from '../../../aws/aws-session.js';
import { awsItems, awsPages } from '../../../aws/pages.js';
import { loadBalancerName } from '../../components/load-balancer-name.js';
import { countsFromResults, type MetricSource, metricQueries } from '../../rollout/rollout-metrics.js';
import type { Counts } from '../../rollout/verdict.js';
import { fetchHealthByName, type InstanceHealth } from './instance-health.js';
import type { StackSummary } from './list-stacks.js';
import { byStringKeys } from './stack-tables.js';

/** A row of `senza health`. */
export interface HealthRow {
  stack_name: string;
  version: string;
  status: string;
  healthy_hosts: number | null;
  requests_per_sec: number | null;
  '4xx_percentage': number | null;
  '5xx_percentage': number | null;
  latency_ms: number | null;
  /**
   * What a rollout's gates read (the same queries and sums): requests and 5xx over the last 5 minutes
   * (60 s periods), the latency weighted by requests.
   */
  requests_5m: number | null;
  '5xx_5m': number | null;
  latency_5m_ms: number | null;
}

/** The window `senza health` sums, as a rollout's gates sum theirs. */
export const HEALTH_WINDOW_SECONDS = 300;

type Kind = 'latency' | 'requests' | '5xx' | '4xx';
const METRICS: Record<'alb' | 'elb', Record<Kind, [string, 'Average' | 'Sum']>> = {
  alb: {
    latency: ['TargetResponseTime', 'Average'],
    requests: ['RequestCount', 'Sum'],
    '5xx': ['HTTPCode_Target_5XX_Count', 'Sum'],
    '4xx': ['HTTPCode_Target_4XX_Count', 'Sum'],
  },
  elb: {
    latency: ['Latency', 'Average'],
    requests: ['RequestCount', 'Sum'],
    '5xx': ['HTTPCode_Backend_5XX', 'Sum'],
    '4xx': ['HTTPCode_Backend_4XX', 'Sum'],
  },
};

/** `app/<name>/<id>` dimension values of the ALBs that report RequestCount, by name. */
async function albDimensions(session: AwsSession): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const metrics = await awsItems({
    fetch: (NextToken) =>
      session.send<ListMetricsCommandOutput>(
        'cloudwatch',
        new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', NextToken }),
      ),
    next: (page) => page.NextToken,
    items: (page) => page.Metrics,
  });
  for (const m of metrics) {
    const value = m.Dimensions?.find((d) => d.Name === 'LoadBalancer')?.Value;
    const name = value?.split('/')[1];
    if (value && name) out.set(name, value);
  }
  return out;
}

/** `round(x, n)` for display. */
export function roundTo(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

/** Newest (classic ELB) or second newest (ALB: the newest minute is still filling) datapoint. */
export function pickDatapoint(result: MetricDataResult | undefined, alb: boolean): number | undefined {
  if (!result?.Timestamps?.length || !result.Values?.length) return undefined;
  const points = result.Timestamps.map((t, i) => ({ t: t.getTime(), v: result.Values?.[i] ?? 0 })).sort(
    (a, b) => b.t - a.t,
  );
  return (alb ? points[1] : points[0])?.v;
}

/**
 * Health row from the metrics of one minute: requests per second, 4xx/5xx as a percentage of the
 * requests (the original printed a ratio under a % title), latency in ms.
 */
export function healthRow(
  stack: StackSummary,
  health: InstanceHealth,
  values: Partial<Record<Kind, number>>,
  window?: Counts,
): HealthRow {
  const requests = values.requests;
  const share = (n: number | undefined) =>
    n === undefined ? null : roundTo((100 * n) / ((requests ?? 0) + 0.0001), 2);
  const healthy = [...health.values()].filter((s) => s === 'IN_SERVICE' || s === 'HEALTHY').length;
  return {
    stack_name: stack.name,
    version: stack.version,
    status: stack.status,
    healthy_hosts: health.size > 0 ? healthy : null,
    requests_per_sec: requests === undefined ? null : roundTo(requests / 60, 2),
    '4xx_percentage': share(values['4xx']),
    '5xx_percentage': share(values['5xx']),
    latency_ms: values.latency === undefined ? null : Math.round(values.latency * 1000),
    requests_5m: window ? window.requests : null,
    '5xx_5m': window ? window.errors : null,
    latency_5m_ms: window?.latencySeconds === undefined ? null : Math.round(window.latencySeconds * 1000),
  };
}

/** `senza health`: LB health per stack and one GetMetricData for every stack's metrics of the last 5 min. */
export async function fetchStackHealth(
  session: AwsSession,
  stacks: StackSummary[],
  nowMs = Date.now(),
): Promise<HealthRow[]> {
  if (stacks.length === 0) return [];
  const lbNames = stacks.map((s) => loadBalancerName(s.name, s.version));
  const [albs, health] = await Promise.all([albDimensions(session), fetchHealthByName(session, lbNames)]);
  // The gates' queries (ids m<i>_requests, _errors, _latency) and the 4xx beside them.
  const sources: MetricSource[] = stacks.map((s, i) => {
    const alb = albs.get(lbNames[i]);
    return alb
      ? { identifier: s.stackName, kind: 'alb', dimension: alb }
      : { identifier: s.stackName, kind: 'elb', dimension: lbNames[i] };
  });
  const queries: MetricDataQuery[] = [
    ...metricQueries(sources, 60),
    ...sources.map((source, i): MetricDataQuery => {
      const alb = source.kind === 'alb';
      const [metric, stat] = (alb ? METRICS.alb : METRICS.elb)['4xx'];
      return {
        Id: `m${i}_4xx`,
        MetricStat: {
          Metric: {
            Namespace: alb ? 'AWS/ApplicationELB' : 'AWS/ELB',
            MetricName: metric,
            Dimensions: [{ Name: alb ? 'LoadBalancer' : 'LoadBalancerName', Value: source.dimension }],
          },
          Period: 60,
          Stat: stat,
        },
      };
    }),
  ];
  const results = new Map<string, MetricDataResult>();
  // GetMetricData takes up to 500 queries per call.
  for (let start = 0; start < queries.length; start += 500) {
    const pages = awsPages({
      fetch: (NextToken) =>
        session.send<GetMetricDataCommandOutput>(
          'cloudwatch',
          new GetMetricDataCommand({
            MetricDataQueries: queries.slice(start, start + 500),
            StartTime: new Date(nowMs - HEALTH_WINDOW_SECONDS * 1000),
            EndTime: new Date(nowMs),
            NextToken,
          }),
        ),
      next: (page) => page.NextToken,
    });
    for await (const page of pages) {
      for (const r of page.MetricDataResults ?? []) {
        if (!r.Id) continue;
        const prev = results.get(r.Id);
        results.set(
          r.Id,
          prev
            ? {
                ...r,
                Timestamps: [...(prev.Timestamps ?? []), ...(r.Timestamps ?? [])],
                Values: [...(prev.Values ?? []), ...(r.Values ?? [])],
              }
            : r,
        );
      }
    }
  }
  const windows = countsFromResults(sources, [...results.values()]);
  const ids: Record<Kind, string> = { latency: 'latency', requests: 'requests', '5xx': 'errors', '4xx': '4xx' };
  return stacks
    .map((stack, i) => {
      const alb = albs.has(lbNames[i]);
      const values: Partial<Record<Kind, number>> = {};
      for (const kind of ['latency', 'requests', '5xx', '4xx'] as Kind[]) {
        const v = pickDatapoint(results.get(`m${i}_${ids[kind]}`), alb);
        if (v !== undefined) values[kind] = v;
      }
      return healthRow(stack, health.get(lbNames[i]) ?? new Map(), values, windows.get(stack.stackName));
    })
    .sort(
      byStringKeys(
        (r) => r.stack_name,
        (r) => r.version,
      ),
    );
}
