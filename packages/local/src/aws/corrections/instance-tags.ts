import { type AutoScalingGroup, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, type Tag } from '@aws-sdk/client-ec2';
import { awsItems } from '@stups/core/aws';
import { findStack, listStacks, stackResources } from '../cfn-lookups.js';
import type { Correction, LayerContext } from '../correction.js';

interface GroupOrigin {
  stackName: string;
  stackId: string;
  logicalId: string;
  /** The stack's own tags, which AWS propagates to its resources (and so to the group's instances). */
  stackTags: Tag[];
}

const ACTIVE_STACK_STATUSES = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'CREATE_IN_PROGRESS',
] as const;

/**
 * AWS tags every instance an Auto Scaling group launches with `aws:autoscaling:groupName` and, when a
 * CloudFormation stack made the group, with `aws:cloudformation:stack-name`, `aws:cloudformation:stack-id`,
 * `aws:cloudformation:logical-id` and the stack's own tags. moto sets only the group name. Before a
 * DescribeInstances reaches moto, the layer tags such instances in moto (CreateTags), so answers and
 * `tag:` filters behave as on AWS.
 */
export const instanceTags: Correction = {
  name: 'instance-tags',
  async handle(req, next, layer) {
    if (req.service === 'ec2' && req.operation === 'DescribeInstances') {
      await tagStackInstances(layer, req.region).catch(() => undefined);
    }
    return next(req);
  },
};

const origins = new WeakMap<LayerContext, Map<string, GroupOrigin | null>>();
const tagged = new WeakMap<LayerContext, Set<string>>();

async function tagStackInstances(layer: LayerContext, region: string): Promise<void> {
  const groups = await allGroups(layer, region);
  const known = origins.get(layer) ?? new Map<string, GroupOrigin | null>();
  origins.set(layer, known);
  const done = tagged.get(layer) ?? new Set<string>();
  tagged.set(layer, done);
  const key = (name: string) => `${region}/${name}`;
  if (groups.some((g) => g.AutoScalingGroupName && !known.has(key(g.AutoScalingGroupName)))) {
    await scanStacks(layer, region, known, key);
    for (const g of groups) {
      if (g.AutoScalingGroupName && !known.has(key(g.AutoScalingGroupName)))
        known.set(key(g.AutoScalingGroupName), null);
    }
  }
  const ec2 = layer.moto.ec2(region);
  for (const g of groups) {
    const name = g.AutoScalingGroupName ?? '';
    const origin = known.get(key(name));
    const ids = (g.Instances ?? []).map((i) => i.InstanceId ?? '').filter((id) => id && !done.has(`${region}/${id}`));
    if (ids.length === 0) continue;
    const tags: Tag[] = [{ Key: 'aws:autoscaling:groupName', Value: name }];
    if (origin) {
      tags.push(
        ...origin.stackTags.filter((t) => !t.Key?.startsWith('aws:')),
        { Key: 'aws:cloudformation:stack-name', Value: origin.stackName },
        { Key: 'aws:cloudformation:stack-id', Value: origin.stackId },
        { Key: 'aws:cloudformation:logical-id', Value: origin.logicalId },
      );
    }
    await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: tags }));
    for (const id of ids) done.add(`${region}/${id}`);
  }
}

async function allGroups(layer: LayerContext, region: string): Promise<AutoScalingGroup[]> {
  const client = layer.moto.autoscaling(region);
  return awsItems({
    fetch: (NextToken) => client.send(new DescribeAutoScalingGroupsCommand({ NextToken })),
    next: (page) => page.NextToken,
    items: (page) => page.AutoScalingGroups,
  });
}

async function scanStacks(
  layer: LayerContext,
  region: string,
  known: Map<string, GroupOrigin | null>,
  key: (name: string) => string,
): Promise<void> {
  const cfn = layer.moto.cloudformation(region);
  const summaries = await listStacks(cfn, ACTIVE_STACK_STATUSES);
  for (const s of summaries) {
    if (!s.StackId) continue;
    const groups = (await stackResources(cfn, s.StackId)).filter(
      (r) => r.ResourceType === 'AWS::AutoScaling::AutoScalingGroup' && r.PhysicalResourceId,
    );
    if (groups.length === 0) continue;
    const stack = await findStack(cfn, s.StackId);
    for (const g of groups) {
      known.set(key(g.PhysicalResourceId ?? ''), {
        stackName: s.StackName ?? '',
        stackId: s.StackId,
        logicalId: g.LogicalResourceId ?? '',
        stackTags: (stack?.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
      });
    }
  }
}
