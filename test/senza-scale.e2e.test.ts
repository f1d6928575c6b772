import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
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

async function launchConfiguration(name: string) {
  const out = await asg.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [name] }));
  const lc = out.LaunchConfigurations?.[0];
  if (!lc) throw new Error(`no launch configuration ${name}`);
  return lc;
}

describe('senza patch against local AWS', () => {
  it('no option: the original usage error, exit 2', async () => {
    const r = await senza('patch', 'hello-world', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Nothing to patch. Please specify at least one patch option (e.g. "--image").');
  });

  it('--image latest on a stack built from the latest Taupage AMI: NO CHANGES', async () => {
    const before = (await group()).LaunchConfigurationName;
    const r = await senza('patch', 'hello-world', '1', '--image', 'latest');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Patching Auto Scaling Group ${groupName}.. NO CHANGES`);
    expect((await group()).LaunchConfigurationName).toBe(before);
  });

  it('--instance-type: a new launch configuration (<old>-<stamp>) with the rest copied, the group uses it', async () => {
    const oldName = (await group()).LaunchConfigurationName ?? '';
    const old = await launchConfiguration(oldName);
    const r = await senza('patch', 'hello-world', '1', '--instance-type', 't2.small');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Patching Auto Scaling Group ${groupName}.. OK`);
    const newName = (await group()).LaunchConfigurationName ?? '';
    expect(newName.startsWith(`${oldName.slice(0, 64)}-`)).toBe(true);
    expect(newName.slice(Math.min(64, oldName.length))).toMatch(/^-\d{8}T\d{6}$/);
    const lc = await launchConfiguration(newName);
    expect(lc.InstanceType).toBe('t2.small');
    expect(lc.ImageId).toBe(old.ImageId);
    expect(lc.UserData).toBe(old.UserData);
    expect(lc.SecurityGroups).toEqual(old.SecurityGroups);

    const again = await senza('patch', 'hello-world', '1', '--instance-type', 't2.small');
    expect(again.stderr).toContain('NO CHANGES');
  });

  it('--user-data: merged into the Taupage config; a plain string is refused (exit 1)', async () => {
    const r = await senza('patch', 'hello-world', '1', '--user-data', '{environment: {STAGE: test}}');
    expect(r.code, r.stderr).toBe(0);
    const lc = await launchConfiguration((await group()).LaunchConfigurationName ?? '');
    const text = Buffer.from(lc.UserData ?? '', 'base64').toString('utf8');
    expect(text.startsWith('#taupage-ami-config\n')).toBe(true);
    expect(text).toContain('environment:\n  STAGE: test\n');
    expect(text).toContain('source: stups/hello-world:0.1\n');

    const bad = await senza('patch', 'hello-world', '1', '--user-data', 'just a string');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Current user data is a map but provided user data is a string.');
  });
});

describe('senza respawn-instances against local AWS', () => {
  it('after a patch: every instance replaced one at a time (--force), the capacity restored', async () => {
    const before = await group();
    const oldIds = (before.Instances ?? []).map((i) => i.InstanceId).sort();
    expect(oldIds.length).toBeGreaterThan(0);
    // moto reports every instance with the group's current launch configuration, so the outdated ones
    // cannot be told apart here: --force replaces all of them, as a real account would after the patch.
    const r = await senza('respawn-instances', 'hello-world', '1', '--force', '--timeout', '120');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${oldIds.length}/${oldIds.length} instances need to be updated in ${groupName}`);
    expect(r.stderr).toContain(`Suspending scaling processes for ${groupName}.. OK`);
    expect(r.stderr).toContain(`Scaling to ${oldIds.length + 1} instances.. OK`);
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
    // the replacements run the patched launch configuration
    expect(running.every((i) => i.InstanceType === 't2.small')).toBe(true);

    const again = await senza('respawn-instances', 'hello-world', '1');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Nothing to do');
  }, 180_000);

  it('SIGTERM (a cancelled CI job) restores the group and resumes its processes, as Ctrl-C does: exit 143', async () => {
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
    while (!stderr.includes('Scaling to ') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toContain('Scaling to ');
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
    expect(after.SuspendedProcesses ?? []).toEqual([]);
  }, 120_000);
});
