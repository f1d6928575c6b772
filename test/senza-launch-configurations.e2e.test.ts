import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AutoScalingClient,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

/**
 * Launch configurations (issue 15 §2, review F2): accounts created on or after 2024-10-01 cannot create
 * them by any method, so senza compiles every group to a launch template; stacks that older senza
 * versions made in older accounts keep a launch configuration, and patch, respawn-instances and update
 * handle them. The local account is a new one; the older stacks run on a platform seeded as an older
 * account (`accountCreatedOn`).
 */
const UNAVAILABLE =
  'The Launch Configuration creation operation is not available in your account. Use launch templates to create configuration templates for your Auto Scaling groups.';
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template as JSON
type Template = any;

interface Local {
  work: string;
  env: NodeJS.ProcessEnv;
  asg: AutoScalingClient;
  cfn: CloudFormationClient;
  stop(): Promise<void>;
}

async function local(accountCreatedOn?: string): Promise<Local> {
  const work = mkdtempSync(join(tmpdir(), 'senza-lc-e2e-'));
  const platform = await startPlatform({ stateDir: join(work, 'platform'), accountCreatedOn });
  const config = { region: 'eu-central-1', endpoint: platform.endpoint, credentials };
  const asg = new AutoScalingClient(config);
  const cfn = new CloudFormationClient(config);
  return {
    work,
    env: localAwsEnv(platform.endpoint),
    asg,
    cfn,
    stop: async () => {
      asg.destroy();
      cfn.destroy();
      await platform.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** hello-world 1 as senza compiled it before launch templates: `<N>Config`, a launch configuration. */
async function olderSenzaTemplate(env: NodeJS.ProcessEnv): Promise<Template> {
  const printed = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1', '0.1'], env);
  expect(printed.code, printed.stderr).toBe(0);
  const t = JSON.parse(printed.stdout);
  const data = t.Resources.AppServerLaunchTemplate.Properties.LaunchTemplateData;
  const nic = data.NetworkInterfaces[0];
  delete t.Resources.AppServerLaunchTemplate;
  t.Resources.AppServerConfig = {
    Type: 'AWS::AutoScaling::LaunchConfiguration',
    Properties: {
      InstanceType: data.InstanceType,
      ImageId: data.ImageId,
      AssociatePublicIpAddress: nic.AssociatePublicIpAddress,
      EbsOptimized: data.EbsOptimized,
      MetadataOptions: data.MetadataOptions,
      IamInstanceProfile: { Ref: 'AppServerInstanceProfile' },
      SecurityGroups: nic.Groups,
      UserData: data.UserData,
    },
  };
  delete t.Resources.AppServer.Properties.LaunchTemplate;
  t.Resources.AppServer.Properties.LaunchConfigurationName = { Ref: 'AppServerConfig' };
  return t;
}

async function createStack(cfn: CloudFormationClient, name: string, template: Template): Promise<string> {
  await cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: JSON.stringify(template),
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: [{ ParameterKey: 'ImageVersion', ParameterValue: '0.1' }],
      Tags: [
        { Key: 'StackName', Value: 'hello-world' },
        { Key: 'StackVersion', Value: '1' },
      ],
    }),
  );
  for (let i = 0; i < 120; i++) {
    const status = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus ?? '';
    if (!status.endsWith('_IN_PROGRESS')) return status;
    await sleep(500);
  }
  throw new Error(`${name} still in progress`);
}

describe('a new account (the local default): no launch configurations', () => {
  let l: Local;
  beforeAll(async () => {
    l = await local();
  }, 120_000);
  afterAll(async () => l?.stop());

  it('CreateLaunchConfiguration is refused with UnsupportedOperation and AWS text', async () => {
    const err = await l.asg
      .send(
        new CreateLaunchConfigurationCommand({
          LaunchConfigurationName: 'lc',
          ImageId: 'ami-12c6146b',
          InstanceType: 't3.micro',
        }),
      )
      .then(
        () => undefined,
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
      );
    expect(err?.name).toBe('UnsupportedOperation');
    expect(err?.message).toBe(UNAVAILABLE);
    expect(err?.$metadata?.httpStatusCode).toBe(400);
    const listed = await l.asg.send(new DescribeLaunchConfigurationsCommand({}));
    expect(listed.LaunchConfigurations ?? []).toEqual([]);
  });

  it('a stack with a launch configuration fails at it as CloudFormation reports it, and is rolled back', async () => {
    const status = await createStack(l.cfn, 'hello-world-1', await olderSenzaTemplate(l.env));
    expect(status).toBe('ROLLBACK_COMPLETE');
    const events = (await l.cfn.send(new DescribeStackEventsCommand({ StackName: 'hello-world-1' }))).StackEvents ?? [];
    const failed = events.find(
      (e) => e.ResourceStatus === 'CREATE_FAILED' && e.LogicalResourceId === 'AppServerConfig',
    );
    expect(failed?.ResourceType).toBe('AWS::AutoScaling::LaunchConfiguration');
    expect(failed?.ResourceStatusReason).toMatch(
      new RegExp(
        `^Resource handler returned message: "${UNAVAILABLE.replace(/\./g, '\\.')} \\(Service: AutoScaling, Status Code: 400, Request ID: [0-9a-f-]+\\)" \\(RequestToken: [0-9a-f-]+, HandlerErrorCode: GeneralServiceException\\)$`,
      ),
    );
    expect((await runCli(SENZA, ['delete', 'hello-world', '1', '--wait'], l.env)).code).toBe(0);
  }, 120_000);

  it('senza create succeeds: the group has a launch template', async () => {
    const r = await runCli(SENZA, ['create', 'examples/hello-world.yaml', '1', '0.1', '--wait'], l.env);
    expect(r.code, r.stderr).toBe(0);
    const resources =
      (await l.cfn.send(new DescribeStackResourcesCommand({ StackName: 'hello-world-1' }))).StackResources ?? [];
    expect(resources.map((x) => x.ResourceType)).not.toContain('AWS::AutoScaling::LaunchConfiguration');
    const name = resources.find((x) => x.ResourceType === 'AWS::AutoScaling::AutoScalingGroup')?.PhysicalResourceId;
    const group = (await l.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name ?? ''] })))
      .AutoScalingGroups?.[0];
    expect(group?.LaunchConfigurationName).toBeUndefined();
    expect(group?.LaunchTemplate?.Version).toBe('1');
  }, 120_000);
});

describe('an older account: a stack older senza made with a launch configuration', () => {
  let l: Local;
  let groupName = '';
  const senza = (...args: string[]) => runCli(SENZA, args, l.env);
  const group = async () => {
    const g = (await l.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] })))
      .AutoScalingGroups?.[0];
    if (!g) throw new Error(`no group ${groupName}`);
    return g;
  };

  beforeAll(async () => {
    l = await local('2020-01-01');
    expect(await createStack(l.cfn, 'hello-world-1', await olderSenzaTemplate(l.env))).toBe('CREATE_COMPLETE');
    const resources =
      (await l.cfn.send(new DescribeStackResourcesCommand({ StackName: 'hello-world-1' }))).StackResources ?? [];
    groupName =
      resources.find((x) => x.ResourceType === 'AWS::AutoScaling::AutoScalingGroup')?.PhysicalResourceId ?? '';
    expect(groupName).not.toBe('');
  }, 120_000);
  afterAll(async () => l?.stop());

  it('patch: a new launch configuration, the group uses it', async () => {
    const oldName = (await group()).LaunchConfigurationName ?? '';
    expect(oldName).not.toBe('');
    const r = await senza('patch', 'hello-world', '1', '--instance-type', 't2.small');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Patching Auto Scaling Group ${groupName}.. OK`);
    const newName = (await group()).LaunchConfigurationName ?? '';
    expect(newName.startsWith(`${oldName.slice(0, 64)}-`)).toBe(true);
    const lc = (await l.asg.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [newName] })))
      .LaunchConfigurations?.[0];
    expect(lc?.InstanceType).toBe('t2.small');
  });

  it('respawn-instances: the instances of the older launch configuration, told apart without --force', async () => {
    const before = await group();
    const current = before.LaunchConfigurationName;
    const oldIds = (before.Instances ?? []).map((i) => i.InstanceId);
    // Each instance reports the launch configuration it was launched with (as on AWS).
    expect((before.Instances ?? []).every((i) => i.LaunchConfigurationName !== current)).toBe(true);
    const r = await senza('respawn-instances', 'hello-world', '1', '--timeout', '120');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${oldIds.length}/${oldIds.length} instances need to be updated in ${groupName}`);
    const after = (await group()).Instances ?? [];
    expect(after.map((i) => i.InstanceId)).not.toContain(oldIds[0]);
    expect(after.every((i) => i.LaunchConfigurationName === current && i.InstanceType === 't2.small')).toBe(true);
    const again = await senza('respawn-instances', 'hello-world', '1');
    expect(again.stderr).toContain('Nothing to do');
  }, 180_000);

  it('update moves the group to a launch template without replacing its instances', async () => {
    const before = await group();
    const ids = (before.Instances ?? []).map((i) => i.InstanceId).sort();
    const r = await senza('update', 'examples/hello-world.yaml', '1', '0.1', '--wait');
    expect(r.code, r.stderr).toBe(0);
    const resources =
      (await l.cfn.send(new DescribeStackResourcesCommand({ StackName: 'hello-world-1' }))).StackResources ?? [];
    const types = resources.map((x) => `${x.LogicalResourceId} ${x.ResourceType}`);
    expect(types).toContain('AppServerLaunchTemplate AWS::EC2::LaunchTemplate');
    expect(types).not.toContain('AppServerConfig AWS::AutoScaling::LaunchConfiguration');
    expect(resources.find((x) => x.LogicalResourceId === 'AppServer')?.PhysicalResourceId).toBe(groupName);
    const after = await group();
    expect(after.LaunchConfigurationName).toBeUndefined();
    expect(after.LaunchTemplate?.Version).toBe('1');
    expect((after.Instances ?? []).map((i) => i.InstanceId).sort()).toEqual(ids);

    // Those instances still run the launch configuration; respawn-instances moves them to the template.
    const respawned = await senza('respawn-instances', 'hello-world', '1', '--timeout', '120');
    expect(respawned.code, respawned.stderr).toBe(0);
    expect(respawned.stderr).toContain(`${ids.length}/${ids.length} instances need to be updated in ${groupName}`);
    const now = (await group()).Instances ?? [];
    expect(now.every((i) => i.LaunchTemplate?.Version === '1' && !i.LaunchConfigurationName)).toBe(true);
  }, 240_000);
});
