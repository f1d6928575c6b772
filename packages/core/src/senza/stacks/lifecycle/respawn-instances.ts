import type {
  AutoScalingGroup,
  DescribeLaunchConfigurationsCommandOutput,
  Instance,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeLaunchConfigurationsCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeLaunchTemplateVersionsCommand,
  type DescribeLaunchTemplateVersionsCommandOutput,
} from '@aws-sdk/client-ec2';
import type { AwsSession } from '../../../aws/aws-session.js';
import { type AwsError, OperationError, throwIfAborted } from '../../../errors.js';
import type { SpanCode } from '../../../io/message-codes.js';
import { type IoHost, type SpanControl, silentHost, withSpan } from '../../../io/messages.js';
import { type PollSchedule, pollUntil, type Sleep } from '../../../io/poll-schedule.js';
import { classicElbStates, targetGroupStates } from '../read/instance-health.js';
import { listStacks } from '../read/list-stacks.js';
import type { StackRef } from '../stack-ref.js';
import { describeAutoScalingGroup, stackAutoScalingGroups } from './scale-stacks.js';

export interface RespawnInstancesOptions {
  host?: IoHost;
  /** Replace instances without raising the capacity first (one instance fewer in service meanwhile). */
  inplace?: boolean;
  /** Replace every instance, not only those with an outdated launch configuration. */
  force?: boolean;
  /** Bound of each wait for instances (coming into service, leaving it), in seconds. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
  /** Polls while waiting for new instances to come into service. */
  scaleOutSchedule?: PollSchedule;
  /** Polls while waiting for a terminated instance to leave service. */
  terminateSchedule?: PollSchedule;
}

export interface RespawnedGroup {
  stackName: string;
  name: string;
  terminated: string[];
  total: number;
}

export interface RespawnInstancesResult {
  matched: string[];
  groups: RespawnedGroup[];
}

const SCALING_PROCESSES_TO_SUSPEND = ['AZRebalance', 'AlarmNotification', 'ScheduledActions'];
const RUNNING_LIFECYCLE_STATES = new Set(['Pending', 'InService', 'Rebooting']);
const SCALE_OUT_SCHEDULE: PollSchedule = { delaysMs: [2000, 5000, 10000] };
const TERMINATE_SCHEDULE: PollSchedule = { delaysMs: [1000, 2000, 5000] };

/** True when the instance runs the group's current launch configuration (or launch template). */
function isUpToDate(group: AutoScalingGroup, instance: Instance): boolean {
  if (group.LaunchConfigurationName) return instance.LaunchConfigurationName === group.LaunchConfigurationName;
  const wanted = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  const actual = instance.LaunchTemplate;
  if (!wanted || !actual) return false;
  const sameTemplate = wanted.LaunchTemplateId
    ? wanted.LaunchTemplateId === actual.LaunchTemplateId
    : wanted.LaunchTemplateName === actual.LaunchTemplateName;
  // `$Latest`/`$Default` name no version to compare with.
  const sameVersion = !wanted.Version || wanted.Version.startsWith('$') || wanted.Version === actual.Version;
  return sameTemplate && sameVersion;
}

/** EC2's answers for a launch template, or a version of it, that does not exist. */
const LAUNCH_TEMPLATE_MISSING = /^InvalidLaunchTemplate(Id|Name)\./;

/**
 * The group can launch instances: its launch configuration, or its launch template version, exists.
 * Otherwise no new instance would ever come into service, and the wait for one would only end at the
 * timeout (issue 17 item 14: a group left pointing at a deleted launch configuration).
 */
async function assertLaunchable(session: AwsSession, group: AutoScalingGroup): Promise<void> {
  const name = group.AutoScalingGroupName ?? '';
  let what: string | undefined;
  if (group.LaunchConfigurationName) {
    const lc = group.LaunchConfigurationName;
    const out = await session.send<DescribeLaunchConfigurationsCommandOutput>(
      'autoscaling',
      new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [lc] }),
      lc,
    );
    if ((out.LaunchConfigurations ?? []).length > 0) return;
    what = `launch configuration ${lc}`;
  } else if (group.LaunchTemplate?.LaunchTemplateId || group.LaunchTemplate?.LaunchTemplateName) {
    const spec = group.LaunchTemplate;
    const version = spec.Version || '$Default';
    const id = spec.LaunchTemplateId ?? spec.LaunchTemplateName ?? '';
    try {
      const out = await session.send<DescribeLaunchTemplateVersionsCommandOutput>(
        'ec2',
        new DescribeLaunchTemplateVersionsCommand({
          ...(spec.LaunchTemplateId
            ? { LaunchTemplateId: spec.LaunchTemplateId }
            : { LaunchTemplateName: spec.LaunchTemplateName }),
          Versions: [version],
        }),
        id,
      );
      if ((out.LaunchTemplateVersions ?? []).length > 0) return;
    } catch (e) {
      if (!LAUNCH_TEMPLATE_MISSING.test((e as AwsError).awsCode ?? '')) throw e;
    }
    what = `launch template ${id} version ${version}`;
  } else {
    return;
  }
  throw new OperationError(`Auto Scaling Group ${name} cannot launch instances: its ${what} does not exist`, {
    code: 'senza.respawn-launch-missing',
    hint: `Point the group at an existing launch template or configuration (senza update of the stack, or senza patch), then run respawn-instances again.`,
    data: { asgName: name, launch: what },
  });
}

/**
 * Instances that take traffic: `InService` in every attached classic ELB and `healthy` in every
 * attached target group; without load balancers, the group's own `InService` lifecycle state.
 */
async function instancesInService(session: AwsSession, group: AutoScalingGroup): Promise<Set<string>> {
  const lbs = group.LoadBalancerNames ?? [];
  const targetGroups = group.TargetGroupARNs ?? [];
  if (lbs.length === 0 && targetGroups.length === 0) {
    return new Set(
      (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId ?? ''),
    );
  }
  const inState = (states: Map<string, string>, wanted: string) =>
    new Set([...states].filter(([, state]) => state === wanted).map(([id]) => id));
  const sets: Set<string>[] = [
    ...(await Promise.all(lbs.map(async (name) => inState(await classicElbStates(session, name), 'InService')))),
    ...(await Promise.all(targetGroups.map(async (arn) => inState(await targetGroupStates(session, arn), 'healthy')))),
  ];
  const [first, ...rest] = sets;
  return new Set([...first].filter((id) => rest.every((s) => s.has(id))));
}

/**
 * `senza respawn-instances`: replaces the instances of every auto scaling group of the matched
 * stacks whose launch configuration is outdated (all with `force`), one at a time: suspend the
 * processes that would interfere, raise the capacity by one (not with `inplace`), wait until the
 * group has that many instances in service, terminate the oldest-named outdated instance without
 * lowering the capacity, wait until it has left service, repeat; then restore the sizes and resume
 * the processes — also after an error, a timeout or Ctrl-C.
 */
export async function respawnInstances(
  session: AwsSession,
  refs: StackRef[],
  options: RespawnInstancesOptions = {},
): Promise<RespawnInstancesResult> {
  const host = options.host ?? silentHost;
  const stacks = await listStacks(session, refs);
  const result: RespawnInstancesResult = { matched: stacks.map((s) => s.stackName), groups: [] };
  if (stacks.length === 0) return result;
  for (const asg of await stackAutoScalingGroups(session, stacks, 'respawning instances')) {
    throwIfAborted(options.signal);
    const group = await describeAutoScalingGroup(session, asg.name);
    const running = (group.Instances ?? []).filter((i) => RUNNING_LIFECYCLE_STATES.has(i.LifecycleState ?? ''));
    const outdated = running
      .filter((i) => options.force || !isUpToDate(group, i))
      .map((i) => i.InstanceId ?? '')
      .sort();
    const data = { stackName: asg.stackName, asgName: asg.name };
    host.notify({
      level: 'info',
      code: 'senza.respawn-count',
      text: `${outdated.length}/${running.length} instances need to be updated in ${asg.name}`,
      data: { ...data, outdated, total: running.length },
    });
    if (outdated.length === 0) {
      host.notify({ level: 'info', code: 'senza.respawn-nothing', text: 'Nothing to do', data });
    } else {
      await assertLaunchable(session, group);
      await respawnGroup(session, group, outdated, options, host);
    }
    result.groups.push({ stackName: asg.stackName, name: asg.name, terminated: outdated, total: running.length });
  }
  return result;
}

async function respawnGroup(
  session: AwsSession,
  original: AutoScalingGroup,
  outdated: string[],
  options: RespawnInstancesOptions,
  host: IoHost,
): Promise<void> {
  const name = original.AutoScalingGroupName ?? '';
  const min = original.MinSize ?? 0;
  const max = original.MaxSize ?? 0;
  const desired = original.DesiredCapacity ?? 0;
  const extra = options.inplace ? 0 : 1;
  const timeoutMs = (options.timeoutSeconds ?? 1200) * 1000;
  const data = { asgName: name };
  const step = <T>(code: SpanCode, text: string, work: (span: SpanControl) => Promise<T>) =>
    withSpan(host, { code, text, data }, (span) => work(span));

  /** Polls `done` on the schedule until it holds, the bound passes (error) or the signal fires. */
  const waitUntil = (schedule: PollSchedule, what: string, done: (bounded: AwsSession) => Promise<boolean>) =>
    pollUntil(async (signal) => ((await done(session.withSignal(signal))) ? true : undefined), {
      schedule,
      timeoutMs,
      signal: options.signal,
      sleep: options.sleep,
      now: options.now,
      onTimeout: () =>
        new OperationError(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`, {
          code: 'senza.respawn-timeout',
          hint: `The group ${name} was reset to its original capacity. Run respawn-instances again (with a larger --timeout) to continue.`,
          data: { ...data, what },
        }),
    });

  // Processes suspended before stay suspended afterwards.
  const alreadySuspended = new Set((original.SuspendedProcesses ?? []).map((p) => p.ProcessName));
  const toSuspend = SCALING_PROCESSES_TO_SUSPEND.filter((p) => !alreadySuspended.has(p));
  await step('senza.respawn-suspend', `Suspending scaling processes for ${name}..`, () =>
    session.send(
      'autoscaling',
      new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: toSuspend }),
      name,
    ),
  );
  try {
    const target = desired + extra;
    if (extra > 0) {
      await session.send(
        'autoscaling',
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          MinSize: min + extra,
          MaxSize: max + extra,
          DesiredCapacity: target,
        }),
        name,
      );
    }
    for (const instanceId of outdated) {
      await step('senza.respawn-scale-out', `Scaling to ${target} instances..`, (span) =>
        waitUntil(options.scaleOutSchedule ?? SCALE_OUT_SCHEDULE, `${target} instances in service`, async (aws) => {
          const current = await describeAutoScalingGroup(aws, name);
          const members = new Set((current.Instances ?? []).map((i) => i.InstanceId ?? ''));
          const inService = [...(await instancesInService(aws, current))].filter((id) => members.has(id));
          // Each check shows (a dot on the step's line): the wait takes ~18 s per instance, minutes on AWS.
          span.progress({
            code: 'senza.respawn-in-service',
            text: `${inService.length}/${target} instances in service`,
            data: { ...data, inService },
          });
          return inService.length >= target;
        }),
      );
      // A signal that came during the check that ended the wait: no instance is terminated after it.
      throwIfAborted(options.signal);
      await step('senza.respawn-terminate', `Terminating old instance ${instanceId}..`, async () => {
        const current = await describeAutoScalingGroup(session, name);
        await session.send(
          'autoscaling',
          new TerminateInstanceInAutoScalingGroupCommand({
            InstanceId: instanceId,
            ShouldDecrementDesiredCapacity: false,
          }),
          instanceId,
        );
        await waitUntil(
          options.terminateSchedule ?? TERMINATE_SCHEDULE,
          `${instanceId} to leave service`,
          async (aws) => !(await instancesInService(aws, await groupForLeaving(aws, current))).has(instanceId),
        );
      });
    }
  } finally {
    // Also after Ctrl-C: these calls run without the interrupted signal.
    await step(
      'senza.respawn-reset',
      `Resetting Auto Scaling Group to original capacity (${min}-${desired}-${max})..`,
      () =>
        session.send(
          'autoscaling',
          new UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: name,
            MinSize: min,
            MaxSize: max,
            DesiredCapacity: desired,
          }),
          name,
        ),
    );
    await step('senza.respawn-resume', `Resuming scaling processes for ${name}..`, async () => {
      if (toSuspend.length > 0) {
        await session.send(
          'autoscaling',
          new ResumeProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: toSuspend }),
          name,
        );
      }
    });
  }
}

/**
 * The group to ask about an instance that is leaving: with load balancers, their view (the group
 * read before the termination, so that the instance is still looked for); without, the group now.
 */
async function groupForLeaving(session: AwsSession, before: AutoScalingGroup): Promise<AutoScalingGroup> {
  if ((before.LoadBalancerNames ?? []).length > 0 || (before.TargetGroupARNs ?? []).length > 0) return before;
  return describeAutoScalingGroup(session, before.AutoScalingGroupName ?? '');
}
