import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { type _InstanceType, CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMoto } from './moto-server.js';

/**
 * moto with the capacity patches (python/stups_moto_capacity.py): an account whose On-Demand Standard vCPU
 * quota is 4 (STUPS_LOCAL_VCPU_LIMIT), the scaling activities AWS records for each launch, and a suspended
 * Launch process.
 */
const LIMIT_MESSAGE =
  'You have requested more vCPU capacity than your current vCPU limit of 4 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit. Launching EC2 instance failed.';

let moto: MotoServer;
let dir: string;
let asg: AutoScalingClient;
let ec2: EC2Client;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stups-moto-capacity-'));
  process.env.STUPS_LOCAL_VCPU_LIMIT = '4';
  moto = await startMoto({ stateDir: dir });
  const config = {
    region: 'eu-central-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  };
  asg = new AutoScalingClient(config);
  ec2 = new EC2Client(config);
}, 60_000);

afterAll(async () => {
  asg?.destroy();
  ec2?.destroy();
  await moto?.stop();
  delete process.env.STUPS_LOCAL_VCPU_LIMIT;
  await rm(dir, { recursive: true, force: true });
});

async function group(name: string, instanceType: _InstanceType, desired: number): Promise<void> {
  const lt = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${name}-lt`,
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: instanceType },
    }),
  );
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: '$Latest' },
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: desired,
      AvailabilityZones: ['eu-central-1a'],
    }),
  );
}

const activities = async (name: string) =>
  (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }))).Activities ?? [];
const instances = async (name: string) =>
  (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0]
    ?.Instances ?? [];

describe('the account vCPU quota and scaling activities', () => {
  it('launches within the quota, each launch a Successful activity', async () => {
    await group('small', 't2.medium', 1);
    const [launch] = await activities('small');
    const [instance] = await instances('small');
    expect(launch).toMatchObject({
      AutoScalingGroupName: 'small',
      StatusCode: 'Successful',
      Description: `Launching a new EC2 instance: ${instance.InstanceId}`,
      Progress: 100,
    });
    expect(launch.Cause).toMatch(
      /^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1\.$/,
    );
  });

  it('a launch beyond the quota fails as on AWS: no instance, a Failed activity with EC2 VcpuLimitExceeded text', async () => {
    // 2 of 4 vCPUs run (t2.medium); an m5.large has 2 more, a second one would need 6.
    await group('big', 'm5.large', 2);
    expect(await instances('big')).toHaveLength(1);
    const list = await activities('big');
    expect(list.map((a) => a.StatusCode)).toEqual(['Failed', 'Successful']);
    expect(list[0]).toMatchObject({
      StatusCode: 'Failed',
      StatusMessage: LIMIT_MESSAGE,
      Description: `Launching a new EC2 instance.  Status Reason: ${LIMIT_MESSAGE}`,
    });
    expect(list[0].Cause).toContain('increasing the capacity from 1 to 2.');
  });

  it('the quota counts running instances: capacity freed, the group launches again', async () => {
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'small', DesiredCapacity: 0 }));
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'big', DesiredCapacity: 2 }));
    expect(await instances('big')).toHaveLength(2);
    expect((await activities('big')).map((a) => a.StatusCode)).toEqual(['Successful', 'Failed', 'Successful']);
  });
});

describe('a suspended Launch process', () => {
  it('launches nothing, neither for a higher capacity nor for a terminated instance, and catches up once resumed', async () => {
    // A G instance: outside the Standard quota that the groups above use up.
    await group('held', 'g4dn.xlarge', 1);
    const [first] = await instances('held');
    await asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'held', ScalingProcesses: ['Launch'] }));
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'held', DesiredCapacity: 2 }));
    expect((await instances('held')).map((i) => i.InstanceId)).toEqual([first.InstanceId]);
    await asg.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: first.InstanceId,
        ShouldDecrementDesiredCapacity: false,
      }),
    );
    expect(await instances('held')).toEqual([]);
    expect((await activities('held')).map((a) => a.StatusCode)).toEqual(['Successful']);

    await asg.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'held', ScalingProcesses: ['Launch'] }));
    const after = await instances('held');
    expect(after).toHaveLength(2);
    expect(after.map((i) => i.InstanceId)).not.toContain(first.InstanceId);
  });
});
