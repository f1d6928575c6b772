import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  SignalResourceCommand,
  type StackEvent,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformLinks } from '../../contract/links.js';
import { type Platform, startPlatform } from '../local-aws.js';
import { durationSeconds, SIGNAL_TIMEOUT_ENV } from '../signal-waits.js';

const REGION = 'eu-central-1';
/** Caps the templates' PT15M: a stack that gets no signal fails after this. */
const CAP_SECONDS = 3;

let dir: string;
let platform: Platform;
let cfn: CloudFormationClient;
let asg: AutoScalingClient;
let pokes = 0;
// The runtime as the layer sees it (no Docker engine in a unit test): it runs, and is poked.
const links: PlatformLinks = {
  instances: { instances: () => [], consoleOutput: async () => undefined, poke: () => void pokes++ },
};

function template(count = 1) {
  return JSON.stringify({
    Resources: {
      AppServerConfig: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: { LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't2.micro' } },
      },
      AppServer: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        CreationPolicy: { ResourceSignal: { Count: count, Timeout: 'PT15M' } },
        Properties: {
          AvailabilityZones: [`${REGION}a`],
          LaunchTemplate: {
            LaunchTemplateId: { Ref: 'AppServerConfig' },
            Version: { 'Fn::GetAtt': ['AppServerConfig', 'LatestVersionNumber'] },
          },
          MinSize: String(count),
          MaxSize: String(count),
          DesiredCapacity: String(count),
        },
      },
    },
  });
}

async function create(name: string, extra: { OnFailure?: 'DO_NOTHING' } = {}, count = 1): Promise<string> {
  const out = await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template(count), ...extra }));
  return out.StackId ?? '';
}
const status = async (name: string) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
const resourceStatus = async (name: string) =>
  (await cfn.send(new DescribeStackResourceCommand({ StackName: name, LogicalResourceId: 'AppServer' })))
    .StackResourceDetail;
/** Oldest first: the resource's and the stack's statuses with their reasons. */
async function events(name: string): Promise<string[]> {
  const out = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
  return (out.StackEvents ?? [])
    .slice()
    .reverse()
    .filter((e: StackEvent) => e.LogicalResourceId === 'AppServer' || e.ResourceType === 'AWS::CloudFormation::Stack')
    .map(
      (e) => `${e.LogicalResourceId} ${e.ResourceStatus}${e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : ''}`,
    );
}
const signal = (
  name: string,
  UniqueId: string,
  Status: 'SUCCESS' | 'FAILURE' = 'SUCCESS',
  LogicalResourceId = 'AppServer',
) => cfn.send(new SignalResourceCommand({ StackName: name, LogicalResourceId, UniqueId, Status }));
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: Error) => `${e.name}: ${e.message}`,
  );

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(200);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stups-signals-'));
  process.env[SIGNAL_TIMEOUT_ENV] = String(CAP_SECONDS);
  platform = await startPlatform({ stateDir: dir, region: REGION, links });
  delete process.env[SIGNAL_TIMEOUT_ENV];
  const config = {
    region: REGION,
    endpoint: platform.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  };
  cfn = new CloudFormationClient(config);
  asg = new AutoScalingClient(config);
}, 60_000);

afterAll(async () => {
  cfn?.destroy();
  asg?.destroy();
  await platform?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('resource-signals: CreationPolicy and SignalResource as AWS runs them', () => {
  it('holds the stack CREATE_IN_PROGRESS until Count SUCCESS signals, one per UniqueId, then completes', async () => {
    await create('held-v1', {}, 2);
    expect((await status('held-v1'))?.StackStatus).toBe('CREATE_IN_PROGRESS');
    expect((await resourceStatus('held-v1'))?.ResourceStatus).toBe('CREATE_IN_PROGRESS');
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_IN_PROGRESS'] }));
    expect(listed.StackSummaries?.map((s) => s.StackName)).toContain('held-v1');
    expect(
      await errorOf(cfn.send(new UpdateStackCommand({ StackName: 'held-v1', TemplateBody: template(2) }))),
    ).toMatch(/^ValidationError: Stack:arn:.* is in CREATE_IN_PROGRESS state and can not be updated\.$/);
    await signal('held-v1', 'i-1');
    await signal('held-v1', 'i-1'); // the same instance again counts once
    expect((await status('held-v1'))?.StackStatus).toBe('CREATE_IN_PROGRESS');
    await signal('held-v1', 'i-2');
    expect((await status('held-v1'))?.StackStatus).toBe('CREATE_COMPLETE');
    expect((await resourceStatus('held-v1'))?.ResourceStatus).toBe('CREATE_COMPLETE');
    expect(await events('held-v1')).toEqual([
      'held-v1 CREATE_IN_PROGRESS User Initiated',
      'AppServer CREATE_IN_PROGRESS',
      'AppServer CREATE_IN_PROGRESS Resource creation Initiated',
      'AppServer CREATE_IN_PROGRESS Received SUCCESS signal with UniqueId i-1',
      'AppServer CREATE_IN_PROGRESS Received SUCCESS signal with UniqueId i-2',
      'AppServer CREATE_COMPLETE',
      'held-v1 CREATE_COMPLETE',
    ]);
    // A complete stack refuses signals, as AWS does.
    expect(await errorOf(signal('held-v1', 'i-3'))).toMatch(
      /^ValidationError: Stack arn:aws:cloudformation:.*:stack\/held-v1\/.* is in CREATE_COMPLETE state and cannot be signaled$/,
    );
  });

  it('refuses signals for a stack or resource that does not exist', async () => {
    expect(await errorOf(signal('nowhere-v1', 'i-1'))).toBe('ValidationError: Stack with id nowhere-v1 does not exist');
    await create('names-v1');
    expect(await errorOf(signal('names-v1', 'i-1', 'SUCCESS', 'Nothing'))).toBe(
      'ValidationError: Resource Nothing does not exist for stack names-v1',
    );
    await cfn.send(new DeleteStackCommand({ StackName: 'names-v1' }));
  });

  it('a FAILURE signal fails the resource at once and rolls the stack back', async () => {
    await create('failing-v1');
    await signal('failing-v1', 'i-9', 'FAILURE');
    const stack = await until(
      () => status('failing-v1'),
      (s) => s?.StackStatus === 'ROLLBACK_COMPLETE',
    );
    expect(stack?.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(stack?.StackStatusReason).toBe(
      'The following resource(s) failed to create: [AppServer]. Rollback requested by user.',
    );
    const seen = await events('failing-v1');
    expect(seen).toContain('AppServer CREATE_IN_PROGRESS Received FAILURE signal with UniqueId i-9');
    expect(seen).toContain(
      'AppServer CREATE_FAILED Received 1 FAILURE signal(s) out of 1.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement',
    );
    expect(seen.slice(-3)).toEqual([
      'AppServer DELETE_IN_PROGRESS',
      'AppServer DELETE_COMPLETE',
      'failing-v1 ROLLBACK_COMPLETE',
    ]);
  });

  it('no signal within the Timeout: CREATE_FAILED, rollback, the group emptied', async () => {
    const started = Date.now();
    pokes = 0;
    await create('silent-v1');
    const groupName = (await resourceStatus('silent-v1'))?.PhysicalResourceId ?? '';
    expect(groupName).not.toBe('');
    const stack = await until(
      () => status('silent-v1'),
      (s) => s?.StackStatus === 'ROLLBACK_COMPLETE',
    );
    expect(stack?.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(CAP_SECONDS * 1000 - 100);
    const seen = await events('silent-v1');
    expect(seen).toContain(
      'AppServer CREATE_FAILED Failed to receive 1 resource signal(s) within the specified duration',
    );
    expect(seen).toContain(
      'silent-v1 ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [AppServer]. Rollback requested by user.',
    );
    expect(seen.at(-1)).toBe('silent-v1 ROLLBACK_COMPLETE');
    const groups = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }));
    expect(groups.AutoScalingGroups?.[0]?.DesiredCapacity).toBe(0);
    expect(groups.AutoScalingGroups?.[0]?.Instances ?? []).toEqual([]);
    expect(pokes).toBeGreaterThan(0);
  });

  it('with OnFailure=DO_NOTHING the stack stays CREATE_FAILED and keeps its resources', async () => {
    await create('kept-v1', { OnFailure: 'DO_NOTHING' });
    const stack = await until(
      () => status('kept-v1'),
      (s) => s?.StackStatus === 'CREATE_FAILED',
    );
    expect(stack?.StackStatus).toBe('CREATE_FAILED');
    expect(stack?.StackStatusReason).toBe('The following resource(s) failed to create: [AppServer].');
    const r = await resourceStatus('kept-v1');
    expect(r?.ResourceStatus).toBe('CREATE_FAILED');
    expect(r?.ResourceStatusReason).toBe('Failed to receive 1 resource signal(s) within the specified duration');
    expect((await events('kept-v1')).at(-1)).toBe(
      'kept-v1 CREATE_FAILED The following resource(s) failed to create: [AppServer].',
    );
  });

  it('DeleteStack while waiting cancels the creation and deletes the stack', async () => {
    const id = await create('cancelled-v1');
    await cfn.send(new DeleteStackCommand({ StackName: 'cancelled-v1' }));
    const stack = await until(
      () => status(id),
      (s) => s?.StackStatus === 'DELETE_COMPLETE',
    );
    expect(stack?.StackStatus).toBe('DELETE_COMPLETE');
    expect(await events(id)).toContain('AppServer CREATE_FAILED Resource creation cancelled');
  });
});

describe('CreationPolicy Timeout', () => {
  it('reads ISO-8601 durations as CloudFormation takes them', () => {
    expect(durationSeconds('PT15M')).toBe(900);
    expect(durationSeconds('PT1H30M5S')).toBe(5405);
    expect(durationSeconds('PT45S')).toBe(45);
    expect(durationSeconds('15M')).toBeUndefined();
    expect(durationSeconds('PT')).toBeUndefined();
  });
});
