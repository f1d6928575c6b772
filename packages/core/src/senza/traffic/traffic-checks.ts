import type { AwsSession } from '../../aws/aws-session.js';
import { OperationError } from '../../errors.js';
import type { Message } from '../../io/messages.js';
import { classicElbStates, targetGroupStates } from '../stacks/read/instance-health.js';
import type { LoadBalancerResource, TrafficState } from './traffic-discovery.js';
import { domainsWithoutTraffic, type TrafficPlan } from './traffic-plan.js';

const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);

/** True when the plan raises the target's weight in some domain. */
export function shiftsTrafficToTarget(plan: TrafficPlan): boolean {
  return plan.domains.some((d) => d.entries.some((e) => e.identifier === plan.target && e.newWeight > e.oldWeight));
}

/** Healthy when any instance behind any of the stack's load balancers (classic ELB or ELBv2 target group) is. */
export async function countHealthy(session: AwsSession, lbs: LoadBalancerResource[]): Promise<number> {
  const counts = await Promise.all(
    lbs.map(async (lb) => {
      const states =
        lb.kind === 'elb' ? await classicElbStates(session, lb.id) : await targetGroupStates(session, lb.id);
      const healthy = lb.kind === 'elb' ? 'InService' : 'healthy';
      return [...states.values()].filter((s) => s === healthy).length;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Refusals before applying (all skipped with `force`): a result without traffic on a domain (Route53
 * would then spread traffic equally over every record, new stacks included), and shifting traffic to
 * a target that is not complete or has no healthy instance. Returns notes for the user.
 */
export async function checkTrafficChange(
  session: AwsSession,
  plan: TrafficPlan,
  state: Pick<TrafficState, 'target' | 'loadBalancers'>,
  options: { force?: boolean } = {},
): Promise<Message[]> {
  const notes: Message[] = [];
  const t = state.target;
  if (t.status.startsWith('DELETE_') && shiftsTrafficToTarget(plan)) {
    // Not even with --force: the stack's records and load balancer are going away.
    throw new OperationError(`Stack ${t.stackName} is ${t.status}: traffic not shifted to it`, {
      code: 'senza.traffic-target-deleting',
      hint: `Choose a version that is not being deleted (senza traffic ${t.name}).`,
    });
  }
  if (options.force || !plan.changed) return notes;
  const empty = domainsWithoutTraffic(plan);
  if (empty.length > 0) {
    throw new OperationError(
      `No version of ${plan.stackName} would get traffic on ${empty.join(', ')}: Route53 would then spread it over every record, new stacks included`,
      { code: 'senza.traffic-none-left', hint: 'Give another version traffic first, or use --force.' },
    );
  }
  if (!shiftsTrafficToTarget(plan)) return notes;
  if (!COMPLETE.has(t.status)) {
    throw new OperationError(`Stack ${t.stackName} is ${t.status}: traffic not shifted to it`, {
      code: 'senza.traffic-target-not-ready',
      hint: `Wait for it (senza wait ${t.name} ${t.version}), or use --force.`,
    });
  }
  if (state.loadBalancers.length === 0) {
    notes.push({
      level: 'info',
      code: 'senza.traffic-health-unchecked',
      text: `Stack ${t.stackName} has no load balancer: its health was not checked`,
    });
    return notes;
  }
  if ((await countHealthy(session, state.loadBalancers)) === 0) {
    throw new OperationError(
      `Stack ${t.stackName} has no healthy instance in its load balancer: traffic not shifted to it`,
      {
        code: 'senza.traffic-target-unhealthy',
        hint: `Check senza instances ${t.name} ${t.version} / senza health, or use --force.`,
      },
    );
  }
  return notes;
}
