import { describe, expect, it } from 'vitest';
import { AbortedError, EXIT, OperationError } from '../../../errors.js';
import { RecordingHost } from '../../../io/messages.js';
import { FakeStackSession, type Handler } from '../test-stack-session.js';
import { scaleStacks } from './scale-stacks.js';

interface Group {
  DesiredCapacity: number;
  MinSize: number;
  MaxSize: number;
}

function fakeAws(stacks: string[], groups: Record<string, Group>, extra: Record<string, Handler> = {}) {
  return new FakeStackSession({
    ListStacks: () => ({
      StackSummaries: stacks.map((name, i) => ({
        StackName: name,
        StackStatus: 'CREATE_COMPLETE',
        StackId: `arn:${name}`,
        CreationTime: new Date(i * 1000),
      })),
    }),
    ListStackResources: ({ StackName }) => ({
      StackResourceSummaries: [
        { LogicalResourceId: 'AppLoadBalancer', ResourceType: 'AWS::ElasticLoadBalancing::LoadBalancer' },
        {
          LogicalResourceId: 'AppServer',
          ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
          PhysicalResourceId: `${String(StackName).slice(4)}-AppServer-X`,
        },
      ],
    }),
    DescribeAutoScalingGroups: ({ AutoScalingGroupNames }) => ({
      AutoScalingGroups: [{ AutoScalingGroupName: AutoScalingGroupNames[0], ...groups[AutoScalingGroupNames[0]] }],
    }),
    UpdateAutoScalingGroup: () => ({}),
    ...extra,
  });
}

const texts = (host: RecordingHost) => host.messages.map((m) => m.text);
const updates = (aws: FakeStackSession) =>
  aws.calls.filter((c) => c.operation === 'UpdateAutoScalingGroup').map((c) => c.input);

describe('scaleStacks', () => {
  it('scales every group of the stack: action line and one UpdateAutoScalingGroup', async () => {
    const aws = fakeAws(['app-1'], { 'app-1-AppServer-X': { DesiredCapacity: 1, MinSize: 1, MaxSize: 1 } });
    const host = new RecordingHost();
    const result = await scaleStacks(aws.asSession(), [{ name: 'app', version: '1' }], { host, desiredCapacity: 3 });
    expect(texts(host)).toEqual(['Scaling app-1-AppServer-X from 1 to 3 instances..', 'OK']);
    expect(updates(aws)).toEqual([{ AutoScalingGroupName: 'app-1-AppServer-X', DesiredCapacity: 3, MaxSize: 3 }]);
    expect(result.groups[0]).toMatchObject({ from: 1, to: 3, changed: true, minSize: 1, maxSize: 3 });
  });

  it('equal capacity: NO CHANGES and no update', async () => {
    const aws = fakeAws(['app-1'], { 'app-1-AppServer-X': { DesiredCapacity: 2, MinSize: 1, MaxSize: 4 } });
    const host = new RecordingHost();
    await scaleStacks(aws.asSession(), [{ name: 'app' }], { host, desiredCapacity: 2 });
    expect(texts(host)).toEqual(['Scaling app-1-AppServer-X from 2 to 2 instances..', 'NO CHANGES']);
    expect(updates(aws)).toEqual([]);
  });

  it('scaling below MinSize lowers MinSize; MinSize 0 before gives the hint about --min_size', async () => {
    const aws = fakeAws(['app-1'], { 'app-1-AppServer-X': { DesiredCapacity: 3, MinSize: 2, MaxSize: 4 } });
    await scaleStacks(aws.asSession(), [{ name: 'app' }], { desiredCapacity: 1 });
    expect(updates(aws)).toEqual([{ AutoScalingGroupName: 'app-1-AppServer-X', DesiredCapacity: 1, MinSize: 1 }]);

    const zero = fakeAws(['app-1'], { 'app-1-AppServer-X': { DesiredCapacity: 3, MinSize: 0, MaxSize: 4 } });
    const host = new RecordingHost();
    await scaleStacks(zero.asSession(), [{ name: 'app' }], { host, desiredCapacity: 2 });
    expect(texts(host)[0]).toBe(
      'MinSize was set to 0 previously. This might result in unexpected downscaling of the stack. Please use --min_size to update the value.',
    );
    expect(updates(zero)).toEqual([{ AutoScalingGroupName: 'app-1-AppServer-X', DesiredCapacity: 2 }]);
  });

  it('--min-size: applied; desired below it fails with exit 1 and changes nothing', async () => {
    const aws = fakeAws(['app-1'], { 'app-1-AppServer-X': { DesiredCapacity: 1, MinSize: 0, MaxSize: 2 } });
    const host = new RecordingHost();
    await scaleStacks(aws.asSession(), [{ name: 'app' }], { host, desiredCapacity: 3, minSize: 2 });
    expect(texts(host)).toEqual(['Scaling app-1-AppServer-X from 1 to 3 instances..', 'OK']);
    expect(updates(aws)).toEqual([
      { AutoScalingGroupName: 'app-1-AppServer-X', DesiredCapacity: 3, MinSize: 2, MaxSize: 3 },
    ]);

    const below = fakeAws(['app-1'], { 'app-1-AppServer-X': { DesiredCapacity: 1, MinSize: 0, MaxSize: 2 } });
    const e = await scaleStacks(below.asSession(), [{ name: 'app' }], { desiredCapacity: 2, minSize: 3 }).catch(
      (x) => x,
    );
    expect(e).toBeInstanceOf(OperationError);
    expect(e.message).toBe('Desired capacity must be bigger than specified min_size value');
    expect(e.exitCode).toBe(EXIT.FAILED);
    expect(updates(below)).toEqual([]);
  });

  it('--min-size 0 counts as not given; capacity is clamped to 0..100', async () => {
    const aws = fakeAws(['app-1'], { 'app-1-AppServer-X': { DesiredCapacity: 1, MinSize: 1, MaxSize: 1 } });
    await scaleStacks(aws.asSession(), [{ name: 'app' }], { desiredCapacity: 500, minSize: 0 });
    expect(updates(aws)).toEqual([{ AutoScalingGroupName: 'app-1-AppServer-X', DesiredCapacity: 100, MaxSize: 100 }]);
  });

  it('several stacks: asks once; a "no" aborts (exit 1) before any change; --force skips the question', async () => {
    const groups = {
      'app-1-AppServer-X': { DesiredCapacity: 1, MinSize: 1, MaxSize: 1 },
      'app-2-AppServer-X': { DesiredCapacity: 1, MinSize: 1, MaxSize: 1 },
    };
    const questions: string[] = [];
    const declined = fakeAws(['app-1', 'app-2'], groups);
    const e = await scaleStacks(declined.asSession(), [{ name: 'app' }], {
      desiredCapacity: 2,
      confirm: async (q) => {
        questions.push(q);
        return false;
      },
    }).catch((x) => x);
    expect(questions).toEqual(['Number of stacks to be scaled - 2. Do you want to continue?']);
    expect(e).toBeInstanceOf(AbortedError);
    expect(e.exitCode).toBe(EXIT.FAILED);
    expect(declined.operations()).toEqual(['ListStacks']);

    const forced = fakeAws(['app-1', 'app-2'], groups);
    const result = await scaleStacks(forced.asSession(), [{ name: 'app' }], { desiredCapacity: 2, force: true });
    expect(result.groups.map((g) => g.name).sort()).toEqual(['app-1-AppServer-X', 'app-2-AppServer-X']);
  });

  it('no matching stack: nothing happens', async () => {
    const aws = fakeAws([], {});
    expect(await scaleStacks(aws.asSession(), [{ name: 'none' }], { desiredCapacity: 2 })).toEqual({
      matched: [],
      groups: [],
    });
  });

  it('an Elastigroup stack is refused as not supported before any change', async () => {
    const aws = fakeAws(
      ['app-1'],
      {},
      {
        ListStackResources: () => ({
          StackResourceSummaries: [{ LogicalResourceId: 'AppServerConfig', ResourceType: 'Custom::elastigroup' }],
        }),
      },
    );
    const e = await scaleStacks(aws.asSession(), [{ name: 'app' }], { desiredCapacity: 2 }).catch((x) => x);
    expect(e.code).toBe('senza.elastigroup-unsupported');
    expect(e.message).toContain('not supported');
    expect(aws.operations()).toEqual(['ListStacks', 'ListStackResources']);
  });
});
