import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

/**
 * scale, patch and respawn-instances as a user runs them (built CLI, no TTY) against local AWS, on a
 * deployed hello-world stack; the effects are checked through the SDK.
 */
let work: string;
let stop: () => Promise<void>;
let env: NodeJS.ProcessEnv;
let asg: AutoScalingClient;
let cfn: CloudFormationClient;
let ec2: EC2Client;
let groupName: string;

const senza = (...args: string[]) => runCli(SENZA, args, env);

async function group() {
  const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }));
  const g = out.AutoScalingGroups?.[0];
  if (!g) throw new Error(`no group ${groupName}`);
  return g;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-scale-e2e-'));
  const platform = await startPlatform({ stateDir: join(work, 'platform') });
  stop = () => platform.stop();
  env = localAwsEnv(platform.endpoint);
  const config = {
    region: 'eu-central-1',
    endpoint: platform.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  };
  asg = new AutoScalingClient(config);
  cfn = new CloudFormationClient(config);
  ec2 = new EC2Client(config);
  const created = await senza('create', 'examples/hello-world.yaml', '1', '0.1', '--wait');
  expect(created.code, created.stderr).toBe(0);
  const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'hello-world-1' }));
  groupName =
    resources.StackResources?.find((r) => r.ResourceType === 'AWS::AutoScaling::AutoScalingGroup')
      ?.PhysicalResourceId ?? '';
  expect(groupName).not.toBe('');
}, 180_000);

afterAll(async () => {
  asg?.destroy();
  cfn?.destroy();
  ec2?.destroy();
  await stop?.();
  rmSync(work, { recursive: true, force: true });
});

describe('senza scale against local AWS', () => {
  it('scales 1 → 3: the action line, the group and its instances', async () => {
    expect((await group()).DesiredCapacity).toBe(1);
    const r = await senza('scale', 'hello-world', '1', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Scaling ${groupName} from 1 to 3 instances.. OK`);
    const g = await group();
    expect(g.DesiredCapacity).toBe(3);
    expect(g.MaxSize).toBe(3);
    expect(g.Instances).toHaveLength(3);
  });

  it('the same capacity again: NO CHANGES, exit 0', async () => {
    const r = await senza('scale', 'hello-world', '1', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Scaling ${groupName} from 3 to 3 instances.. NO CHANGES`);
  });

  it('min-size rules: below --min-size fails (exit 1); --min-size is applied; scaling below MinSize lowers it', async () => {
    const below = await senza('scale', 'hello-world', '1', '2', '--min-size', '3');
    expect(below.code).toBe(1);
    expect(below.stderr).toContain('Desired capacity must be bigger than specified min_size value');
    expect((await group()).DesiredCapacity).toBe(3);

    const withMin = await senza('scale', 'hello-world', '1', '2', '--min-size', '2');
    expect(withMin.code, withMin.stderr).toBe(0);
    expect((await group()).MinSize).toBe(2);

    const lower = await senza('scale', 'hello-world', '1', '1');
    expect(lower.code, lower.stderr).toBe(0);
    const g = await group();
    expect([g.DesiredCapacity, g.MinSize]).toEqual([1, 1]);
  });

  it('usage: missing capacity and a bad --min-size exit 2; no match is no error', async () => {
    const missing = await senza('scale');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Missing argument 'DESIRED_CAPACITY'.");
    const bad = await senza('scale', 'hello-world', '1', '2', '--min-size', '101');
    expect(bad.code).toBe(2);
    const none = await senza('scale', 'nothere', '2');
    expect(none.code, none.stderr).toBe(0);
  });

  it('several stacks: off a terminal without --force an error naming --force (exit 2); --force scales both', async () => {
    const created = await senza('create', 'examples/hello-world.yaml', '2', '0.1', '--wait');
    expect(created.code, created.stderr).toBe(0);
    const refused = await senza('scale', 'hello-world', '2');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Number of stacks to be scaled - 2. Do you want to continue?');
    expect(refused.stderr).toContain('-f/--force');
    expect((await group()).DesiredCapacity).toBe(1);

    const forced = await senza('scale', 'hello-world', '2', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr.match(/from 1 to 2 instances\.\. OK/g)).toHaveLength(2);
    const back = await senza('scale', 'hello-world', '1', '1');
    expect(back.code, back.stderr).toBe(0);
    const deleted = await senza('delete', 'hello-world', '2', '--force', '--wait');
    expect(deleted.code, deleted.stderr).toBe(0);
  }, 120_000);
});

async function launchTemplateVersion(spec: { LaunchTemplateId?: string; Version?: string } | undefined) {
  const out = await ec2.send(
    new DescribeLaunchTemplateVersionsCommand({
      LaunchTemplateId: spec?.LaunchTemplateId,
      Versions: [spec?.Version ?? ''],
    }),
  );
  const v = out.LaunchTemplateVersions?.[0];
  if (!v) throw new Error(`no launch template version ${JSON.stringify(spec)}`);
  return v;
}

describe('senza patch against local AWS (a group with a launch template)', () => {
  it('no option: the original usage error, exit 2', async () => {
    const r = await senza('patch', 'hello-world', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Nothing to patch. Please specify at least one patch option (e.g. "--image").');
  });

  it('--image latest on a stack built from the latest Taupage AMI: NO CHANGES', async () => {
    const before = (await group()).LaunchTemplate;
    expect(before?.Version).toBe('1');
    const r = await senza('patch', 'hello-world', '1', '--image', 'latest');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Patching Auto Scaling Group ${groupName}.. NO CHANGES`);
    expect((await group()).LaunchTemplate).toEqual(before);
  });

  it('--instance-type: a new version of the launch template with the rest inherited, the group uses it', async () => {
    const before = (await group()).LaunchTemplate;
    const old = await launchTemplateVersion(before);
    const r = await senza('patch', 'hello-world', '1', '--instance-type', 't2.small');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Patching Auto Scaling Group ${groupName}.. OK`);
    const after = (await group()).LaunchTemplate;
    expect(after?.LaunchTemplateId).toBe(before?.LaunchTemplateId);
    expect(after?.Version).toBe('2');
    const lt = (await launchTemplateVersion(after)).LaunchTemplateData;
    expect(lt?.InstanceType).toBe('t2.small');
    expect(lt?.ImageId).toBe(old.LaunchTemplateData?.ImageId);
    expect(lt?.UserData).toBe(old.LaunchTemplateData?.UserData);
    expect(lt?.NetworkInterfaces).toEqual(old.LaunchTemplateData?.NetworkInterfaces);
    expect(lt?.IamInstanceProfile).toEqual(old.LaunchTemplateData?.IamInstanceProfile);

    const again = await senza('patch', 'hello-world', '1', '--instance-type', 't2.small');
    expect(again.stderr).toContain('NO CHANGES');
    expect((await group()).LaunchTemplate?.Version).toBe('2');
  });

  it('--user-data: merged into the Taupage config; a plain string is refused (exit 1)', async () => {
    const r = await senza('patch', 'hello-world', '1', '--user-data', '{environment: {STAGE: test}}');
    expect(r.code, r.stderr).toBe(0);
    const spec = (await group()).LaunchTemplate;
    expect(spec?.Version).toBe('3');
    const lt = (await launchTemplateVersion(spec)).LaunchTemplateData;
    const text = Buffer.from(lt?.UserData ?? '', 'base64').toString('utf8');
    expect(text.startsWith('#taupage-ami-config\n')).toBe(true);
    expect(text).toContain('environment:\n  STAGE: test\n');
    expect(text).toContain('source: stups/hello-world:0.1\n');
    expect(lt?.InstanceType).toBe('t2.small');

    const bad = await senza('patch', 'hello-world', '1', '--user-data', 'just a string');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Current user data is a map but provided user data is a string.');
  });
});

describe('senza respawn-instances against local AWS (a group with a launch template)', () => {
  it('after a patch: the instances of older versions replaced one at a time, the capacity restored', async () => {
    const before = await group();
    const oldIds = (before.Instances ?? []).map((i) => i.InstanceId).sort();
    expect(oldIds.length).toBeGreaterThan(0);
    // Each instance reports the launch template version it was launched with (as on AWS).
    expect((before.Instances ?? []).every((i) => i.LaunchTemplate?.Version === '1')).toBe(true);
    const r = await senza('respawn-instances', 'hello-world', '1', '--timeout', '120');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${oldIds.length}/${oldIds.length} instances need to be updated in ${groupName}`);
    expect(r.stderr).toContain(`Suspending scaling processes for ${groupName}.. OK`);
    // Each check of the wait is a dot on the line (issue 20: no long silent waits).
    expect(r.stderr).toMatch(new RegExp(`Scaling to ${oldIds.length + 1} instances\\.\\.\\.+ OK`));
    for (const id of oldIds) expect(r.stderr).toContain(`Terminating old instance ${id}.. OK`);
    expect(r.stderr).toContain(
      `Resetting Auto Scaling Group to original capacity (${before.MinSize}-${before.DesiredCapacity}-${before.MaxSize}).. OK`,
    );
    expect(r.stderr).toContain(`Resuming scaling processes for ${groupName}.. OK`);
    const after = await group();
    expect([after.MinSize, after.DesiredCapacity, after.MaxSize]).toEqual([
      before.MinSize,
      before.DesiredCapacity,
      before.MaxSize,
    ]);
    expect(after.SuspendedProcesses ?? []).toEqual([]);
    const running = (after.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
    const newIds = running.map((i) => i.InstanceId);
    for (const id of oldIds) expect(newIds).not.toContain(id);
    expect(running).toHaveLength(oldIds.length);
    // the replacements run the patched version
    expect(running.every((i) => i.InstanceType === 't2.small' && i.LaunchTemplate?.Version === '3')).toBe(true);

    const again = await senza('respawn-instances', 'hello-world', '1');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Nothing to do');
  }, 180_000);

  it('SIGTERM (a cancelled CI job) restores the group and resumes its processes, as Ctrl-C does: exit 143', async () => {
    // Launch suspended beforehand: the group cannot scale out (as on AWS), so the command is surely still
    // waiting when the signal comes, however late it is delivered; and a suspension from before is kept.
    const launch = { AutoScalingGroupName: groupName, ScalingProcesses: ['Launch'] };
    await asg.send(new SuspendProcessesCommand(launch));
    const before = await group();
    const child = spawn(
      process.execPath,
      [SENZA, 'respawn-instances', 'hello-world', '1', '--force', '--timeout', '120'],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    const deadline = Date.now() + 60_000;
    // The first check's dot: it found the group one instance short.
    const waiting = /Scaling to \d+ instances\.\.\./;
    while (!waiting.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toMatch(waiting);
    child.kill('SIGTERM');
    const code = await closed;
    expect(code, stderr).toBe(143);
    expect(stderr).toContain(
      `Resetting Auto Scaling Group to original capacity (${before.MinSize}-${before.DesiredCapacity}-${before.MaxSize}).. OK`,
    );
    expect(stderr).toContain(`Resuming scaling processes for ${groupName}.. OK`);
    const after = await group();
    expect([after.MinSize, after.DesiredCapacity, after.MaxSize]).toEqual([
      before.MinSize,
      before.DesiredCapacity,
      before.MaxSize,
    ]);
    expect((after.SuspendedProcesses ?? []).map((p) => p.ProcessName)).toEqual(['Launch']);
    expect(stderr).not.toContain('Terminating old instance');
    await asg.send(new ResumeProcessesCommand(launch));
  }, 120_000);
});
