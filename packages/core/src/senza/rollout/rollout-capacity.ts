/**
 * Before a rollout starts: can the versions losing traffic take all of it back? A revert writes
 * their start weights back at once, so each of them must still have capacity: an auto scaling group
 * scaled to 0 (desired capacity 0) could not serve what it gets back.
 */
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { AwsSession } from '../../aws/aws-session.js';
import { OperationError } from '../../errors.js';
import { describeAutoScalingGroup } from '../stacks/lifecycle/scale-stacks.js';
import { listStackResources } from '../stacks/read/stack-resources.js';

export interface GroupCapacity {
  /** The stack (SetIdentifier) that owns the group. */
  identifier: string;
  group: string;
  desired: number;
}

/** The versions that could not take their traffic back; empty when all can. */
export function capacityRefusals(groups: GroupCapacity[], losing: string[]): string[] {
  const out: string[] = [];
  for (const id of losing) {
    const own = groups.filter((g) => g.identifier === id);
    const empty = own.filter((g) => g.desired === 0);
    if (own.length > 0 && empty.length === own.length) {
      out.push(`${id} (auto scaling group ${empty.map((g) => g.group).join(', ')} at desired capacity 0)`);
    }
  }
  return out;
}

/** The auto scaling groups of the given stacks with their desired capacity. */
export async function groupCapacities(session: AwsSession, identifiers: string[]): Promise<GroupCapacity[]> {
  const perStack = await Promise.all(
    identifiers.map(async (identifier) => {
      const resources = await listStackResources(session, identifier);
      const names = resources
        .filter((r) => r.ResourceType === 'AWS::AutoScaling::AutoScalingGroup' && r.PhysicalResourceId)
        .map((r) => r.PhysicalResourceId as string);
      const groups: AutoScalingGroup[] = await Promise.all(names.map((n) => describeAutoScalingGroup(session, n)));
      return groups.map((g) => ({ identifier, group: g.AutoScalingGroupName ?? '', desired: g.DesiredCapacity ?? 0 }));
    }),
  );
  return perStack.flat();
}

/** Refuses (exit 1) when a version losing traffic could not take it back. */
export async function checkRevertCapacity(session: AwsSession, losing: string[]): Promise<void> {
  const refusals = capacityRefusals(await groupCapacities(session, losing), losing);
  if (refusals.length > 0) {
    throw new OperationError(
      `A revert could not give the traffic back to ${refusals.join('; ')}: rollout not started`,
      {
        code: 'senza.rollout-no-capacity',
        hint: 'Scale those versions up first (senza scale NAME VERSION N), or take them out of the traffic.',
      },
    );
  }
}
