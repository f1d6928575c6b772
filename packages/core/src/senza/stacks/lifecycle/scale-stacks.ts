import type { AutoScalingGroup, DescribeAutoScalingGroupsCommandOutput } from '@aws-sdk/client-auto-scaling';
import { DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import type { AwsSession } from '../../../aws/aws-session.js';
import { AbortedError, EXIT, NotFoundError, OperationError } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import { listStacks, type StackSummary } from '../read/list-stacks.js';
import { fetchStackResources } from '../read/stack-resources.js';
import type { StackRef } from '../stack-ref.js';
import { endAction, startAction } from './stack-action.js';

/** An auto scaling group of a deployed stack (the `AWS::AutoScaling::AutoScalingGroup` resources). */
export interface StackAutoScalingGroup {
  stackName: string;
  logicalId: string;
  /** The group's name (the resource's physical id). */
  name: string;
}

const ASG_TYPE = 'AWS::AutoScaling::AutoScalingGroup';
const ELASTIGROUP_TYPE = 'Custom::elastigroup';

/**
 * The auto scaling groups of the stacks, in stack order. Stacks with an Elastigroup (Spotinst) are
 * refused before anything is changed: the Spotinst API is not supported by this implementation.
 */
export async function stackAutoScalingGroups(
  session: AwsSession,
  stacks: StackSummary[],
  command: string,
): Promise<StackAutoScalingGroup[]> {
  const all = await fetchStackResources(session, stacks);
  const groups: StackAutoScalingGroup[] = [];
  for (const { stack, resources } of all) {
    const elastigroup = resources.find((r) => r.ResourceType === ELASTIGROUP_TYPE);
    if (elastigroup) {
      throw new OperationError(
        `Stack ${stack.stackName} has an Elastigroup (${elastigroup.LogicalResourceId}, Custom::elastigroup): ${command} of Elastigroups is not supported`,
        {
          code: 'senza.elastigroup-unsupported',
          hint: 'Use the Spotinst console or API for Elastigroups.',
          data: { stackName: stack.stackName },
        },
      );
    }
    for (const r of resources) {
      if (r.ResourceType !== ASG_TYPE || !r.PhysicalResourceId) continue;
      groups.push({ stackName: stack.stackName, logicalId: r.LogicalResourceId ?? '', name: r.PhysicalResourceId });
    }
  }
  return groups;
}

/** One auto scaling group as AWS describes it now. */
export async function describeAutoScalingGroup(session: AwsSession, name: string): Promise<AutoScalingGroup> {
  const out = await session.send<DescribeAutoScalingGroupsCommandOutput>(
    'autoscaling',
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    name,
  );
  const group = out.AutoScalingGroups?.[0];
  if (!group) throw new NotFoundError(`Auto Scaling Group ${name} not found`, { code: 'senza.asg-not-found' });
  return group;
}

export interface ScaleStacksOptions {
  host?: IoHost;
  /** Clamped to 0..100 like the original. */
  desiredCapacity: number;
  /** New MinSize; 0 or undefined leaves it (0 means "not given", as in the original). */
  minSize?: number;
  /** Scale several stacks without asking. */
  force?: boolean;
  /** Asked when more than one stack matches and `force` is off; false aborts before any change. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface ScaledGroup extends StackAutoScalingGroup {
  from: number;
  to: number;
  changed: boolean;
  minSize: number;
  maxSize: number;
}

export interface ScaleStacksResult {
  matched: string[];
  groups: ScaledGroup[];
}

/**
 * `senza scale`: sets the desired capacity of every auto scaling group of the matched stacks,
 * lowering MinSize / raising MaxSize when the new capacity is outside them.
 */
export async function scaleStacks(
  session: AwsSession,
  refs: StackRef[],
  options: ScaleStacksOptions,
): Promise<ScaleStacksResult> {
  const host = options.host ?? silentHost;
  const desired = Math.min(100, Math.max(0, Math.trunc(options.desiredCapacity)));
  const minSize = options.minSize ? options.minSize : undefined;
  const stacks = await listStacks(session, refs);
  const result: ScaleStacksResult = { matched: stacks.map((s) => s.stackName), groups: [] };
  if (stacks.length === 0) return result;
  if (stacks.length > 1 && !options.force) {
    const question = `Number of stacks to be scaled - ${stacks.length}. Do you want to continue?`;
    const yes = options.confirm ? await options.confirm(question) : false;
    if (!yes) throw new AbortedError('Aborted!', { exitCode: EXIT.FAILED });
  }
  for (const asg of await stackAutoScalingGroups(session, stacks, 'scaling')) {
    const group = await describeAutoScalingGroup(session, asg.name);
    const current = group.DesiredCapacity ?? 0;
    const currentMin = group.MinSize ?? 0;
    const currentMax = group.MaxSize ?? 0;
    const data = { stackName: asg.stackName, asgName: asg.name, from: current, to: desired };
    if (minSize === undefined && currentMin === 0 && current !== desired) {
      host.notify({
        level: 'info',
        code: 'senza.scale-min-size-zero',
        text: 'MinSize was set to 0 previously. This might result in unexpected downscaling of the stack. Please use --min_size to update the value.',
        data,
      });
    }
    startAction(host, `Scaling ${asg.name} from ${current} to ${desired} instances..`, data);
    // A new --min-size is applied even when the capacity stays (the original ignored it then).
    if (current === desired && (minSize === undefined || minSize === currentMin)) {
      endAction(host, 'NO CHANGES', data);
      result.groups.push({
        ...asg,
        from: current,
        to: desired,
        changed: false,
        minSize: currentMin,
        maxSize: currentMax,
      });
      continue;
    }
    if (minSize !== undefined && desired < minSize) {
      throw new OperationError('Desired capacity must be bigger than specified min_size value', {
        code: 'senza.scale-below-min-size',
        data: { ...data, minSize },
      });
    }
    const newMin = minSize ?? Math.min(desired, currentMin);
    const newMax = Math.max(desired, currentMax);
    await session.send(
      'autoscaling',
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: asg.name,
        DesiredCapacity: desired,
        ...(newMin !== currentMin ? { MinSize: newMin } : {}),
        ...(newMax !== currentMax ? { MaxSize: newMax } : {}),
      }),
      asg.name,
    );
    endAction(host, 'OK', data);
    result.groups.push({ ...asg, from: current, to: desired, changed: true, minSize: newMin, maxSize: newMax });
  }
  return result;
}
