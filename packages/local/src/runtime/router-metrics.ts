import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeError } from '@stups/core';
import type { LoadBalancerRoute } from './route-table.js';

/** How often the router sends what it counted (one datapoint per load balancer and second). */
export const METRICS_FLUSH_MS = 1000;

interface Bucket {
  lb: LoadBalancerRoute;
  second: number;
  requests: number;
  errors5xx: number;
  latencySum: number;
}

/**
 * The load balancer metrics of the local router, published into the local CloudWatch with the names,
 * namespaces and dimensions AWS uses, so `senza health` and the gates of `senza traffic --steps` read
 * them unchanged:
 * - classic ELB: `AWS/ELB`, `LoadBalancerName`; `RequestCount`, `HTTPCode_Backend_5XX`, `Latency` (s)
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-cloudwatch-metrics.html);
 * - ALB: `AWS/ApplicationELB`, `LoadBalancer` = `app/<name>/<id>`; `RequestCount`,
 *   `HTTPCode_Target_5XX_Count`, `TargetResponseTime` (s)
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 * Only responses of an instance count (the router's own 502/503 are the load balancer's, not the
 * backend's); a 5xx count is published only when non-zero, as AWS does. Datapoints are per second
 * with StorageResolution 1 (high resolution), so a rollout on a laptop can bake in seconds.
 */
export class RouterMetrics {
  private readonly buckets = new Map<string, Bucket>();
  private readonly albDimensions = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly cloudwatch: (region: string) => CloudWatchClient,
    private readonly elbv2: (region: string) => ElasticLoadBalancingV2Client,
    private readonly log: (line: string) => void,
    flushMs = METRICS_FLUSH_MS,
  ) {
    this.timer = setInterval(() => {
      this.flushing = this.flushing.then(() => this.flush());
    }, flushMs);
    this.timer.unref();
  }

  /** One request an instance answered: its status and the seconds until its response headers. */
  record(lb: LoadBalancerRoute, status: number, latencySeconds: number, at = Date.now()): void {
    const second = Math.floor(at / 1000);
    const key = `${lb.region}|${lb.kind}|${lb.name}|${second}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { lb, second, requests: 0, errors5xx: 0, latencySum: 0 };
      this.buckets.set(key, b);
    }
    b.requests++;
    if (status >= 500 && status <= 599) b.errors5xx++;
    b.latencySum += latencySeconds;
  }

  /** Sends every bucket counted so far; a failure is logged and those counts are dropped. */
  async flush(): Promise<void> {
    const buckets = [...this.buckets.values()];
    this.buckets.clear();
    const byLb = new Map<string, Bucket[]>();
    for (const b of buckets) {
      const key = `${b.lb.region}|${b.lb.kind}|${b.lb.name}`;
      byLb.set(key, [...(byLb.get(key) ?? []), b]);
    }
    for (const list of byLb.values()) {
      const lb = list[0].lb;
      try {
        const classic = lb.kind === 'classic';
        const dimension = classic
          ? { Name: 'LoadBalancerName', Value: lb.name }
          : { Name: 'LoadBalancer', Value: await this.albDimension(lb) };
        const names = classic
          ? { requests: 'RequestCount', errors: 'HTTPCode_Backend_5XX', latency: 'Latency' }
          : { requests: 'RequestCount', errors: 'HTTPCode_Target_5XX_Count', latency: 'TargetResponseTime' };
        const data: MetricDatum[] = list.flatMap((b) => {
          const common = { Dimensions: [dimension], Timestamp: new Date(b.second * 1000), StorageResolution: 1 };
          return [
            { ...common, MetricName: names.requests, Value: b.requests, Unit: 'Count' as const },
            ...(b.errors5xx > 0
              ? [{ ...common, MetricName: names.errors, Value: b.errors5xx, Unit: 'Count' as const }]
              : []),
            { ...common, MetricName: names.latency, Value: b.latencySum / b.requests, Unit: 'Seconds' as const },
          ];
        });
        // PutMetricData takes up to 1,000 datums a call.
        for (let i = 0; i < data.length; i += 1000) {
          await this.cloudwatch(lb.region).send(
            new PutMetricDataCommand({
              Namespace: classic ? 'AWS/ELB' : 'AWS/ApplicationELB',
              MetricData: data.slice(i, i + 1000),
            }),
          );
        }
      } catch (e) {
        this.log(`stups-local router: publishing the metrics of ${lb.name} failed (${describeError(e).message})`);
      }
    }
  }

  /** `app/<name>/<id>`: the end of the ALB's ARN, looked up once. */
  private async albDimension(lb: LoadBalancerRoute): Promise<string> {
    const known = this.albDimensions.get(`${lb.region}|${lb.name}`);
    if (known) return known;
    const out = await this.elbv2(lb.region).send(new DescribeLoadBalancersCommand({ Names: [lb.name] }));
    const arn = out.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const value = /:loadbalancer\/(.+)$/.exec(arn)?.[1] ?? `app/${lb.name}`;
    this.albDimensions.set(`${lb.region}|${lb.name}`, value);
    return value;
  }

  /** Stops the timer and sends what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
  }
}

/** A CloudWatch client per region against `endpoint`. */
export function cloudwatchClients(endpoint: string): { get(region: string): CloudWatchClient; destroy(): void } {
  const clients = new Map<string, CloudWatchClient>();
  return {
    get(region) {
      let c = clients.get(region);
      if (!c) {
        c = new CloudWatchClient({
          region,
          endpoint,
          credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
          maxAttempts: 2,
        });
        clients.set(region, c);
      }
      return c;
    },
    destroy() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
  };
}
