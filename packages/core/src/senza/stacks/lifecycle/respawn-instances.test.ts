import { describe, expect, it } from 'vitest';
import { AbortedError, OperationError } from '../../../errors.js';
import { type MessageCatalog, RecordingHost } from '../../../io/messages.js';
import { FakeStackSession, type Handler } from '../test-stack-session.js';
import { respawnInstances } from './respawn-instances.js';
import { RESPAWN_MESSAGES } from './respawn-messages.js';

interface Inst {
  id: string;
  lc: string;
  state?: string;
}

/**
 * A small auto scaling group simulation: UpdateAutoScalingGroup launches instances with the group's
 * launch configuration up to the desired capacity; terminating replaces an instance; the load
 * balancer sees an instance in service `lag` polls after it was launched.
 */
function simulation(options: {
  instances: Inst[];
  lc?: string;
  sizes?: [number, number, number];
  balancer?: 'elb' | 'target-group' | 'none';
  lag?: number;
  suspended?: string[];
  /** The group's launch configuration was deleted. */
  lcMissing?: boolean;
  extra?: Record<string, Handler>;
}) {
  const lc = options.lc ?? 'lc-new';
  const [minSize, desired, maxSize] = options.sizes ?? [1, options.instances.length, options.instances.length];
  const group = {
    AutoScalingGroupName: 'app-1-AppServer-X',
    LaunchConfigurationName: lc,
    MinSize: minSize,
    DesiredCapacity: desired,
    MaxSize: maxSize,
    LoadBalancerNames: options.balancer === 'elb' || options.balancer === undefined ? ['app-1-lb'] : [],
    TargetGroupARNs: options.balancer === 'target-group' ? ['arn:tg'] : [],
    SuspendedProcesses: (options.suspended ?? []).map((p) => ({ ProcessName: p })),
  };
  let instances = options.instances.map((i) => ({ ...i, age: 99 }));
  let next = 1;
  const fill = () => {
    while (instances.length < group.DesiredCapacity) instances.push({ id: `i-new${next++}`, lc, age: 0 });
  };
  const inService = () => {
    return instances.filter((i) => i.age > (options.lag ?? 0)).map((i) => i.id);
  };
  return new FakeStackSession({
    ListStacks: () => ({
      StackSummaries: [
        { StackName: 'app-1', StackStatus: 'CREATE_COMPLETE', StackId: 'arn:app-1', CreationTime: new Date(0) },
      ],
    }),
    ListStackResources: () => ({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'AppServer',
          ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
          PhysicalResourceId: 'app-1-AppServer-X',
        },
      ],
    }),
    DescribeAutoScalingGroups: () => {
      for (const i of instances) i.age++;
      return {
        AutoScalingGroups: [
          {
            ...group,
            Instances: instances.map((i) => ({
              InstanceId: i.id,
              LaunchConfigurationName: i.lc,
              LifecycleState: i.state ?? (i.age > (options.lag ?? 0) ? 'InService' : 'Pending'),
            })),
          },
        ],
      };
    },
    DescribeLaunchConfigurations: ({ LaunchConfigurationNames }) => ({
      LaunchConfigurations: options.lcMissing
        ? []
        : (LaunchConfigurationNames as string[]).map((n) => ({ LaunchConfigurationName: n })),
    }),
    SuspendProcesses: () => ({}),
    ResumeProcesses: () => ({}),
    UpdateAutoScalingGroup: (input) => {
      Object.assign(group, input);
      fill();
      return {};
    },
    TerminateInstanceInAutoScalingGroup: ({ InstanceId }) => {
      instances = instances.filter((i) => i.id !== InstanceId);
      fill();
      return {};
    },
    DescribeInstanceHealth: () => ({
      InstanceStates: inService().map((id) => ({ InstanceId: id, State: 'InService' })),
    }),
    DescribeTargetHealth: () => ({
      TargetHealthDescriptions: inService().map((id) => ({ Target: { Id: id }, TargetHealth: { State: 'healthy' } })),
    }),
    ...options.extra,
  });
}

function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const texts = (host: RecordingHost) =>
  host.messages.filter((m) => m.level !== 'debug' && m.span?.phase !== 'progress').map((m) => m.text);
const inputs = (aws: FakeStackSession, op: string) => aws.calls.filter((c) => c.operation === op).map((c) => c.input);

describe('respawnInstances', () => {
  it('all instances up to date: the count and "Nothing to do", no change', async () => {
    const aws = simulation({ instances: [{ id: 'i-1', lc: 'lc-new' }] });
    const host = new RecordingHost();
    await respawnInstances(aws.asSession(), [{ name: 'app' }], { host });
    expect(texts(host)).toEqual(['0/1 instances need to be updated in app-1-AppServer-X', 'Nothing to do']);
    expect(aws.operations()).toEqual(['ListStacks', 'ListStackResources', 'DescribeAutoScalingGroups']);
  });

  it('outdated instances replaced one at a time (sorted), then sizes restored and processes resumed', async () => {
    const aws = simulation({
      instances: [
        { id: 'i-b', lc: 'lc-old' },
        { id: 'i-a', lc: 'lc-old' },
        { id: 'i-c', lc: 'lc-new' },
        { id: 'i-gone', lc: 'lc-old', state: 'Terminated' },
      ],
      sizes: [2, 3, 4],
    });
    const host = new RecordingHost();
    const c = clock();
    const result = await respawnInstances(aws.asSession(), [{ name: 'app' }], { host, sleep: c.sleep, now: c.now });
    expect(texts(host)).toEqual([
      '2/3 instances need to be updated in app-1-AppServer-X',
      'Suspending scaling processes for app-1-AppServer-X..',
      'OK',
      'Scaling to 4 instances..',
      'OK',
      'Terminating old instance i-a..',
      'OK',
      'Scaling to 4 instances..',
      'OK',
      'Terminating old instance i-b..',
      'OK',
      'Resetting Auto Scaling Group to original capacity (2-3-4)..',
      'OK',
      'Resuming scaling processes for app-1-AppServer-X..',
      'OK',
    ]);
    expect(inputs(aws, 'SuspendProcesses')).toEqual([
      {
        AutoScalingGroupName: 'app-1-AppServer-X',
        ScalingProcesses: ['AZRebalance', 'AlarmNotification', 'ScheduledActions'],
      },
    ]);
    expect(inputs(aws, 'UpdateAutoScalingGroup')).toEqual([
      { AutoScalingGroupName: 'app-1-AppServer-X', MinSize: 3, MaxSize: 5, DesiredCapacity: 4 },
      { AutoScalingGroupName: 'app-1-AppServer-X', MinSize: 2, MaxSize: 4, DesiredCapacity: 3 },
    ]);
    expect(inputs(aws, 'TerminateInstanceInAutoScalingGroup')).toEqual([
      { InstanceId: 'i-a', ShouldDecrementDesiredCapacity: false },
      { InstanceId: 'i-b', ShouldDecrementDesiredCapacity: false },
    ]);
    expect(inputs(aws, 'ResumeProcesses')).toEqual([
      {
        AutoScalingGroupName: 'app-1-AppServer-X',
        ScalingProcesses: ['AZRebalance', 'AlarmNotification', 'ScheduledActions'],
      },
    ]);
    expect(result.groups).toEqual([
      { stackName: 'app-1', name: 'app-1-AppServer-X', terminated: ['i-a', 'i-b'], total: 3 },
    ]);
  });
  it('each check while scaling out is progress of the scaling step (a dot in text), not silence', async () => {
    const aws = simulation({ instances: [{ id: 'i-a', lc: 'lc-old' }], sizes: [1, 1, 2] });
    const host = new RecordingHost();
    const c = clock();
    await respawnInstances(aws.asSession(), [{ name: 'app' }], { host, sleep: c.sleep, now: c.now });
    const start = host.messages.find((m) => m.code === 'senza.respawn-scale-out' && m.span?.phase === 'start');
    const checks = host.messages.filter((m) => m.code === 'senza.respawn-in-service');
    expect(checks.length).toBeGreaterThan(0);
    for (const m of checks) {
      expect(m.level).toBe('info');
      expect(m.span).toEqual({ id: start?.span?.id, phase: 'progress' });
      expect(m.text).toMatch(/^\d\/2 instances in service$/);
    }
  });

  it('a group whose launch configuration is gone: an error at once, nothing suspended or scaled (issue 17 item 14)', async () => {
    const aws = simulation({ instances: [{ id: 'i-1', lc: 'lc-old' }], lcMissing: true });
    const e = await respawnInstances(aws.asSession(), [{ name: 'app' }], { host: new RecordingHost() }).catch((x) => x);
    expect(e).toBeInstanceOf(OperationError);
    expect(e.code).toBe('senza.respawn-launch-missing');
    expect(e.message).toBe(
      'Auto Scaling Group app-1-AppServer-X cannot launch instances: its launch configuration lc-new does not exist',
    );
    expect(aws.operations()).not.toContain('SuspendProcesses');
    expect(aws.operations()).not.toContain('UpdateAutoScalingGroup');
  });

  it('a group with a launch template: its version is checked, and a missing one is an error at once', async () => {
    const missing = Object.assign(new Error('The specified launch template version does not exist.'), {
      awsCode: 'InvalidLaunchTemplateId.VersionNotFound',
    });
    const aws = simulation({
      instances: [{ id: 'i-1', lc: 'lc-old' }],
      extra: {
        DescribeAutoScalingGroups: () => ({
          AutoScalingGroups: [
            {
              AutoScalingGroupName: 'app-1-AppServer-X',
              LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '7' },
              Instances: [
                {
                  InstanceId: 'i-1',
                  LifecycleState: 'InService',
                  LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '6' },
                },
              ],
            },
          ],
        }),
        DescribeLaunchTemplateVersions: () => {
          throw missing;
        },
      },
    });
    const e = await respawnInstances(aws.asSession(), [{ name: 'app' }], {}).catch((x) => x);
    expect(e.code).toBe('senza.respawn-launch-missing');
    expect(e.message).toContain('its launch template lt-1 version 7 does not exist');
    expect(inputs(aws, 'DescribeLaunchTemplateVersions')).toEqual([{ LaunchTemplateId: 'lt-1', Versions: ['7'] }]);
    expect(aws.operations()).not.toContain('SuspendProcesses');
  });

  it('waits for new instances with back-off (no busy loop), through the load balancer', async () => {
    const aws = simulation({ instances: [{ id: 'i-1', lc: 'lc-old' }], lag: 4 });
    const c = clock();
    await respawnInstances(aws.asSession(), [{ name: 'app' }], { sleep: c.sleep, now: c.now });
    expect(c.sleeps).toEqual([2000, 5000, 10000, 10000]);
    expect(aws.operations().filter((o) => o === 'DescribeInstanceHealth').length).toBeGreaterThanOrEqual(5);
  });

  it('target groups: healthy targets count; no load balancer: the lifecycle state', async () => {
    for (const balancer of ['target-group', 'none'] as const) {
      const aws = simulation({ instances: [{ id: 'i-1', lc: 'lc-old' }], balancer, lag: 1 });
      const c = clock();
      await respawnInstances(aws.asSession(), [{ name: 'app' }], { sleep: c.sleep, now: c.now });
      expect(inputs(aws, 'TerminateInstanceInAutoScalingGroup')).toHaveLength(1);
      const ops = aws.operations();
      expect(ops.includes('DescribeTargetHealth')).toBe(balancer === 'target-group');
      expect(ops.includes('DescribeInstanceHealth')).toBe(false);
    }
  });

  it('--inplace keeps the capacity; --force replaces up-to-date instances too', async () => {
    const aws = simulation({ instances: [{ id: 'i-1', lc: 'lc-new' }] });
    const host = new RecordingHost();
    const c = clock();
    await respawnInstances(aws.asSession(), [{ name: 'app' }], {
      host,
      inplace: true,
      force: true,
      sleep: c.sleep,
      now: c.now,
    });
    expect(texts(host)).toContain('Scaling to 1 instances..');
    expect(inputs(aws, 'TerminateInstanceInAutoScalingGroup')).toEqual([
      { InstanceId: 'i-1', ShouldDecrementDesiredCapacity: false },
    ]);
    // only the reset
    expect(inputs(aws, 'UpdateAutoScalingGroup')).toEqual([
      { AutoScalingGroupName: 'app-1-AppServer-X', MinSize: 1, MaxSize: 1, DesiredCapacity: 1 },
    ]);
  });

  it('a timeout fails the wait, but the group is still reset and resumed', async () => {
    const aws = simulation({ instances: [{ id: 'i-1', lc: 'lc-old' }], lag: 1000 });
    const host = new RecordingHost();
    const c = clock();
    const e = await respawnInstances(aws.asSession(), [{ name: 'app' }], {
      host,
      timeoutSeconds: 30,
      sleep: c.sleep,
      now: c.now,
    }).catch((x) => x);
    expect(e).toBeInstanceOf(OperationError);
    expect(e.code).toBe('senza.respawn-timeout');
    expect(e.message).toBe('Timed out after 30 s waiting for 2 instances in service');
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000);
    expect(texts(host).slice(-6)).toEqual([
      'Scaling to 2 instances..',
      'FAILED',
      'Resetting Auto Scaling Group to original capacity (1-1-1)..',
      'OK',
      'Resuming scaling processes for app-1-AppServer-X..',
      'OK',
    ]);
    expect(inputs(aws, 'UpdateAutoScalingGroup').at(-1)).toEqual({
      AutoScalingGroupName: 'app-1-AppServer-X',
      MinSize: 1,
      MaxSize: 1,
      DesiredCapacity: 1,
    });
    expect(aws.operations().at(-1)).toBe('ResumeProcesses');
    expect(aws.operations()).not.toContain('TerminateInstanceInAutoScalingGroup');
  });

  it('Ctrl-C (abort signal) while waiting: interrupted, the group still reset; earlier suspensions kept', async () => {
    const controller = new AbortController();
    const aws = simulation({ instances: [{ id: 'i-1', lc: 'lc-old' }], lag: 1000, suspended: ['AZRebalance'] });
    const host = new RecordingHost();
    const e = await respawnInstances(aws.asSession(), [{ name: 'app' }], {
      host,
      signal: controller.signal,
      sleep: async () => {
        controller.abort();
        throw new AbortedError('Interrupted.');
      },
    }).catch((x) => x);
    expect(e).toBeInstanceOf(AbortedError);
    expect(texts(host)).toContain('INTERRUPTED');
    expect(inputs(aws, 'SuspendProcesses')[0].ScalingProcesses).toEqual(['AlarmNotification', 'ScheduledActions']);
    expect(inputs(aws, 'ResumeProcesses')).toEqual([
      { AutoScalingGroupName: 'app-1-AppServer-X', ScalingProcesses: ['AlarmNotification', 'ScheduledActions'] },
    ]);
    expect(inputs(aws, 'UpdateAutoScalingGroup').at(-1)).toMatchObject({ DesiredCapacity: 1, MinSize: 1, MaxSize: 1 });
  });

  it('Ctrl-C during the check that finds the new instance in service: no instance terminated after it', async () => {
    const controller = new AbortController();
    const aws = simulation({
      instances: [{ id: 'i-1', lc: 'lc-old' }],
      extra: {
        DescribeInstanceHealth: () => {
          controller.abort();
          return { InstanceStates: ['i-1', 'i-new1'].map((id) => ({ InstanceId: id, State: 'InService' })) };
        },
      },
    });
    const host = new RecordingHost();
    const e = await respawnInstances(aws.asSession(), [{ name: 'app' }], { host, signal: controller.signal }).catch(
      (x) => x,
    );
    expect(e).toBeInstanceOf(AbortedError);
    expect(aws.operations()).not.toContain('TerminateInstanceInAutoScalingGroup');
    expect(texts(host).some((t) => t.startsWith('Terminating'))).toBe(false);
    expect(inputs(aws, 'UpdateAutoScalingGroup').at(-1)).toMatchObject({ DesiredCapacity: 1, MinSize: 1, MaxSize: 1 });
    expect(aws.operations().at(-1)).toBe('ResumeProcesses');
  });

  it('every code it emits is registered in RESPAWN_MESSAGES; the steps are spans that end once each', async () => {
    const host = new RecordingHost();
    const c = clock();
    await respawnInstances(simulation({ instances: [{ id: 'i-1', lc: 'lc-old' }] }).asSession(), [{ name: 'app' }], {
      host,
      sleep: c.sleep,
      now: c.now,
    });
    await respawnInstances(simulation({ instances: [{ id: 'i-1', lc: 'lc-new' }] }).asSession(), [{ name: 'app' }], {
      host,
    });
    // The messages it notifies: the catalog's entries without an exit code (those are its errors).
    const catalog: MessageCatalog = RESPAWN_MESSAGES;
    const notified = Object.entries(catalog).filter(([, d]) => d.exitCode === undefined);
    expect(new Set(host.codes())).toEqual(new Set(notified.map(([code]) => code)));
    for (const m of host.messages) expect(m.level).toBe(catalog[m.code].level);
    const spans = host.messages.filter((m) => m.span);
    const started = spans.filter((m) => m.span?.phase === 'start').map((m) => m.span?.id);
    const ended = spans.filter((m) => m.span?.phase === 'end').map((m) => m.span?.id);
    expect(ended).toEqual(started);
  });
});
