import {
  DescribeInstanceHealthCommand,
  type DescribeInstanceHealthCommandOutput,
  DescribeLoadBalancersCommand,
  type DescribeLoadBalancersCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeTargetGroupsCommand,
  type DescribeTargetGroupsCommandOutput,
  DescribeTargetHealthCommand,
  type DescribeTargetHealthCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsSession } from '../../../aws/aws-session.js';
import { AwsError } from '../../../errors.js';

/** Instance id → load balancer state in the original's spelling (`IN_SERVICE`, `HEALTHY`, ...). */
export type InstanceHealth = Map<string, string>;

const LB_NOT_FOUND = new Set(['LoadBalancerNotFound', 'AccessPointNotFoundException', 'AccessPointNotFound']);
const TG_NOT_FOUND = new Set(['TargetGroupNotFound', 'TargetGroupNotFoundException', 'LoadBalancerNotFound']);
/** The original shrugs these off when reading health (rate limits on big accounts, names ELB rejects). */
const IGNORED = new Set(['Throttling', 'ThrottlingException', 'ValidationError']);

/** `InService` → `IN_SERVICE`, `healthy` → `HEALTHY`. */
export function upperSnake(state: string): string {
  return state
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll('-', '_')
    .toUpperCase();
}

/** Instance id → raw state (`InService`, `OutOfService`, ...) in a classic ELB. */
export async function classicElbStates(session: AwsSession, loadBalancerName: string): Promise<Map<string, string>> {
  const page = await session.send(
    'elb',
    new DescribeInstanceHealthCommand({ LoadBalancerName: loadBalancerName }),
    loadBalancerName,
  );
  const states = new Map<string, string>();
  for (const s of page.InstanceStates ?? []) if (s.InstanceId && s.State) states.set(s.InstanceId, s.State);
  return states;
}

/** Target id → raw state (`healthy`, `unhealthy`, ...) in an ELBv2 target group. */
export async function targetGroupStates(session: AwsSession, targetGroupArn: string): Promise<Map<string, string>> {
  const page = await session.send(
    'elbv2',
    new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
    targetGroupArn,
  );
  const states = new Map<string, string>();
  for (const t of page.TargetHealthDescriptions ?? []) {
    if (t.Target?.Id && t.TargetHealth?.State) states.set(t.Target.Id, t.TargetHealth.State);
  }
  return states;
}

const upperSnakeStates = (states: Map<string, string>): InstanceHealth =>
  new Map([...states].map(([id, state]) => [id, upperSnake(state)]));

function awsCode(e: unknown): string | undefined {
  return e instanceof AwsError ? e.awsCode : undefined;
}

async function elbv2Health(session: AwsSession, name: string): Promise<InstanceHealth> {
  let groups: { TargetGroupArn?: string }[];
  try {
    const page = await session.send('elbv2', new DescribeTargetGroupsCommand({ Names: [name] }), name);
    groups = page.TargetGroups ?? [];
  } catch (e) {
    const code = awsCode(e);
    if (code && (TG_NOT_FOUND.has(code) || IGNORED.has(code))) return new Map();
    throw e;
  }
  const health: InstanceHealth = new Map();
  for (const g of groups) {
    if (!g.TargetGroupArn) continue;
    for (const [id, state] of upperSnakeStates(await targetGroupStates(session, g.TargetGroupArn)))
      health.set(id, state);
  }
  return health;
}

/**
 * Health of the instances behind the load balancer named like the stack: the classic ELB of that
 * name, else the ELBv2 target group of that name, else nothing.
 */
export async function fetchInstanceHealth(session: AwsSession, name: string): Promise<InstanceHealth> {
  try {
    return upperSnakeStates(await classicElbStates(session, name));
  } catch (e) {
    const code = awsCode(e);
    if (code && LB_NOT_FOUND.has(code)) return elbv2Health(session, name);
    if (code && IGNORED.has(code)) return new Map();
    throw e;
  }
}

/** Health per load balancer name, one look-up per distinct name, in parallel. */
export async function fetchHealthByName(
  session: AwsSession,
  names: Iterable<string>,
): Promise<Map<string, InstanceHealth>> {
  const unique = [...new Set(names)].filter((n) => n !== '');
  const results = await Promise.all(unique.map((n) => fetchInstanceHealth(session, n)));
  return new Map(unique.map((n, i) => [n, results[i]]));
}

/** One load balancer's answer about one instance, with its reason (for a diagnosis). */
export interface HealthAnswer {
  instanceId: string;
  /** The load balancer or target group asked. */
  source: string;
  /** As the API spells it: `InService`, `OutOfService`, `healthy`, `unhealthy`, ... */
  state: string;
  reasonCode?: string;
  description?: string;
  /** What the load balancer checks, ELB's `Target` spelling: `HTTP:8080/health` (ELBv2 answers only). */
  check?: string;
}

/**
 * A classic ELB's health check target (`HTTP:8080/health`, `TCP:8080`), or undefined when there is no
 * classic ELB of that name.
 */
export async function classicHealthCheckTarget(session: AwsSession, name: string): Promise<string | undefined> {
  try {
    const out = await session.send<DescribeLoadBalancersCommandOutput>(
      'elb',
      new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] }),
      name,
    );
    return out.LoadBalancerDescriptions?.[0]?.HealthCheck?.Target || undefined;
  } catch (e) {
    const code = awsCode(e);
    if (code && (LB_NOT_FOUND.has(code) || IGNORED.has(code))) return undefined;
    throw e;
  }
}

/** An ELBv2 target group's health check in ELB's `Target` spelling (`traffic-port` stays as it is). */
function targetGroupCheck(g: { HealthCheckProtocol?: string; HealthCheckPort?: string; HealthCheckPath?: string }) {
  if (!g.HealthCheckProtocol) return undefined;
  return `${g.HealthCheckProtocol}:${g.HealthCheckPort ?? 'traffic-port'}${g.HealthCheckPath ?? ''}`;
}

/**
 * The answers, reasons included, of the classic ELB named like the stack, else of the ELBv2 target
 * group of that name; none when neither exists (or the API throttles).
 */
export async function fetchHealthAnswers(session: AwsSession, name: string): Promise<HealthAnswer[]> {
  try {
    const page = await session.send<DescribeInstanceHealthCommandOutput>(
      'elb',
      new DescribeInstanceHealthCommand({ LoadBalancerName: name }),
      name,
    );
    return (page.InstanceStates ?? []).flatMap((s) =>
      s.InstanceId && s.State
        ? [
            {
              instanceId: s.InstanceId,
              source: name,
              state: s.State,
              reasonCode: s.ReasonCode || undefined,
              description: s.Description || undefined,
            },
          ]
        : [],
    );
  } catch (e) {
    const code = awsCode(e);
    if (!code || !(LB_NOT_FOUND.has(code) || IGNORED.has(code))) throw e;
    if (IGNORED.has(code)) return [];
  }
  let groups: {
    TargetGroupArn?: string;
    TargetGroupName?: string;
    HealthCheckProtocol?: string;
    HealthCheckPort?: string;
    HealthCheckPath?: string;
  }[];
  try {
    groups =
      (
        await session.send<DescribeTargetGroupsCommandOutput>(
          'elbv2',
          new DescribeTargetGroupsCommand({ Names: [name] }),
          name,
        )
      ).TargetGroups ?? [];
  } catch (e) {
    const code = awsCode(e);
    if (code && (TG_NOT_FOUND.has(code) || IGNORED.has(code))) return [];
    throw e;
  }
  const answers: HealthAnswer[] = [];
  for (const g of groups) {
    if (!g.TargetGroupArn) continue;
    const page = await session.send<DescribeTargetHealthCommandOutput>(
      'elbv2',
      new DescribeTargetHealthCommand({ TargetGroupArn: g.TargetGroupArn }),
      g.TargetGroupArn,
    );
    for (const t of page.TargetHealthDescriptions ?? []) {
      if (!t.Target?.Id || !t.TargetHealth?.State) continue;
      answers.push({
        instanceId: t.Target.Id,
        source: g.TargetGroupName ?? name,
        state: t.TargetHealth.State,
        reasonCode: t.TargetHealth.Reason || undefined,
        description: t.TargetHealth.Description || undefined,
        check: targetGroupCheck(g),
      });
    }
  }
  return answers;
}
