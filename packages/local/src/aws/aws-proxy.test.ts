import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  type StackEvent,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand as DescribeClassicCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  type Change,
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRunning } from '../contract/own-process.js';
import { FAULTS_PATH } from './aws-proxy.js';
import { type Platform, startPlatform } from './local-aws.js';

const REGION = 'eu-central-1';
const ZONE = 'team.example.org.';

let dir: string;
let platform: Platform;
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(
  make: new (c: object) => T,
  endpoint = platform.endpoint,
  region = REGION,
): T {
  const c = new make({
    region,
    endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  clients.push(c);
  return c;
}

/** A senza-like stack version: ALB, target group, ASG, a weighted main domain and a version domain. */
function appTemplate(app: string, version: string) {
  const seeded = platform.seeded;
  if (!seeded) throw new Error('not seeded');
  const subnets = [seeded.subnets[`dmz-${REGION}a`], seeded.subnets[`dmz-${REGION}b`]];
  return JSON.stringify({
    Resources: {
      AppLoadBalancer: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Name: `${app}-${version}`, Subnets: subnets },
      },
      AppTargetGroup: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: { Name: `${app}-${version}`, Port: 8080, Protocol: 'HTTP', VpcId: seeded.vpcId },
      },
      AppServerConfig: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: { ImageId: seeded.amis['Taupage-AMI-20261101-120000'], InstanceType: 't3.micro' },
        },
      },
      AppServer: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          LaunchTemplate: {
            LaunchTemplateId: { Ref: 'AppServerConfig' },
            Version: { 'Fn::GetAtt': ['AppServerConfig', 'LatestVersionNumber'] },
          },
          MinSize: 1,
          MaxSize: 1,
          DesiredCapacity: 1,
          VPCZoneIdentifier: subnets,
          TargetGroupARNs: [{ Ref: 'AppTargetGroup' }],
          Tags: [{ Key: 'Name', Value: `${app}-${version}`, PropagateAtLaunch: true }],
        },
      },
      AppLoadBalancerMainDomain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: `${app}.${ZONE}`,
          HostedZoneName: ZONE,
          SetIdentifier: `${app}-${version}`,
          Weight: version === '1' ? 200 : 0,
          AliasTarget: {
            HostedZoneId: { 'Fn::GetAtt': ['AppLoadBalancer', 'CanonicalHostedZoneID'] },
            DNSName: { 'Fn::GetAtt': ['AppLoadBalancer', 'DNSName'] },
          },
        },
      },
      AppLoadBalancerVersionDomain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'CNAME',
          Name: `${app}-${version}.${ZONE}`,
          HostedZoneName: ZONE,
          TTL: 20,
          ResourceRecords: [{ 'Fn::GetAtt': ['AppLoadBalancer', 'DNSName'] }],
        },
      },
    },
    Outputs: { DNSName: { Value: { 'Fn::GetAtt': ['AppLoadBalancer', 'DNSName'] } } },
  });
}

async function createApp(app: string, version: string, extra: Record<string, unknown> = {}) {
  const cfn = client(CloudFormationClient);
  const out = await cfn.send(
    new CreateStackCommand({
      StackName: `${app}-${version}`,
      TemplateBody: appTemplate(app, version),
      Tags: [
        { Key: 'StackName', Value: app },
        { Key: 'StackVersion', Value: version },
      ],
      ...extra,
    }),
  );
  return out.StackId ?? '';
}

async function records(): Promise<ResourceRecordSet[]> {
  const r53 = client(Route53Client);
  const out = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: platform.seeded?.hostedZoneId }));
  return out.ResourceRecordSets ?? [];
}

const mainRecords = async (app: string) =>
  (await records())
    .filter((r) => r.Name === `${app}.${ZONE}`)
    .map((r) => [r.SetIdentifier, r.Weight])
    .sort();

async function faults(method: string, body?: unknown): Promise<{ throttle: unknown[] }> {
  const res = await fetch(`${platform.endpoint}${FAULTS_PATH}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { throttle: unknown[] };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stups-layer-test-'));
  platform = await startPlatform({ stateDir: dir, region: REGION });
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  if (platform) {
    await platform.stop();
    expect(isRunning(platform.motoPid)).toBe(false);
    const closed = await fetch(platform.endpoint).then(
      () => false,
      () => true,
    );
    expect(closed).toBe(true);
  }
  await rm(dir, { recursive: true, force: true });
});

describe('the AWS-correcting layer', () => {
  beforeEach(async () => {
    await faults('DELETE');
    const cfn = client(CloudFormationClient);
    const live = await cfn.send(new ListStacksCommand({}));
    for (const s of live.StackSummaries ?? []) {
      if (s.StackStatus !== 'DELETE_COMPLETE') await cfn.send(new DeleteStackCommand({ StackName: s.StackId }));
    }
  });

  it('forwards what it does not correct, answers and errors alike', async () => {
    const viaLayer = await client(SNSClient).send(new ListTopicsCommand({}));
    const viaMoto = await client(SNSClient, platform.motoEndpoint).send(new ListTopicsCommand({}));
    expect(viaLayer.Topics).toEqual(viaMoto.Topics);
    expect(viaLayer.Topics?.length).toBeGreaterThan(0);
    const vpcs = await client(EC2Client).send(new DescribeVpcsCommand({}));
    expect(vpcs.Vpcs?.map((v) => v.VpcId)).toContain(platform.seeded?.vpcId);
    await expect(
      client(CloudFormationClient).send(new DescribeStacksCommand({ StackName: 'nope' })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Stack with id nope does not exist' });
  });

  it('AWS writes per-resource CREATE/UPDATE/DELETE events between the stack events, listed newest first', async () => {
    const stackId = await createApp('ev', '1');
    const cfn = client(CloudFormationClient);
    const events = async () =>
      (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents ?? [];
    const created = await events();
    const times = created.map((e) => e.Timestamp?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const oldestFirst = created.slice().reverse().map(row);
    expect(oldestFirst[0]).toEqual(['ev-1', 'CREATE_IN_PROGRESS']);
    expect(oldestFirst.at(-1)).toEqual(['ev-1', 'CREATE_COMPLETE']);
    const resources = [
      'AppLoadBalancer',
      'AppTargetGroup',
      'AppServerConfig',
      'AppServer',
      'AppLoadBalancerMainDomain',
      'AppLoadBalancerVersionDomain',
    ];
    for (const id of resources) {
      const mine = oldestFirst.filter(([logical]) => logical === id).map(([, status]) => status);
      expect(mine).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    }
    const asg = created.find((e) => e.LogicalResourceId === 'AppServer' && e.ResourceStatus === 'CREATE_COMPLETE');
    expect(asg).toMatchObject({ ResourceType: 'AWS::AutoScaling::AutoScalingGroup', StackName: 'ev-1' });
    expect(asg?.PhysicalResourceId).toMatch(/^ev-1-AppServer-/);

    await cfn.send(
      new UpdateStackCommand({
        StackName: 'ev-1',
        TemplateBody: appTemplate('ev', '1').replace('"InstanceType":"t3.micro"', '"InstanceType":"t3.small"'),
      }),
    );
    const updated = (await events()).slice().reverse().map(row);
    const updateStart = updated.findIndex(([l, s]) => l === 'ev-1' && s === 'UPDATE_IN_PROGRESS');
    expect(updated.slice(updateStart)).toEqual(
      expect.arrayContaining([
        ['AppServerConfig', 'UPDATE_IN_PROGRESS'],
        ['AppServerConfig', 'UPDATE_COMPLETE'],
      ]),
    );
    expect(updated.at(-1)?.[1]).toMatch(/^UPDATE_COMPLETE/);

    await cfn.send(new DeleteStackCommand({ StackName: 'ev-1' }));
    const deleted = (await events()).slice().reverse().map(row);
    const deleteStart = deleted.findIndex(([l, s]) => l === 'ev-1' && s === 'DELETE_IN_PROGRESS');
    const tail = deleted.slice(deleteStart);
    expect(tail.at(-1)).toEqual(['ev-1', 'DELETE_COMPLETE']);
    for (const id of resources) {
      expect(tail.filter(([l]) => l === id).map(([, s]) => s)).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    }
  });

  it('AWS tags ASG instances with the stack name, id, logical id, group name and stack tags', async () => {
    const stackId = await createApp('tag', '1');
    const ec2 = client(EC2Client);
    const found = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:cloudformation:stack-name', Values: ['tag-1'] }] }),
    );
    const instances = (found.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(instances).toHaveLength(1);
    const tags = Object.fromEntries((instances[0]?.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({
      Name: 'tag-1',
      StackName: 'tag',
      StackVersion: '1',
      'aws:cloudformation:stack-name': 'tag-1',
      'aws:cloudformation:stack-id': stackId,
      'aws:cloudformation:logical-id': 'AppServer',
    });
    expect(tags['aws:autoscaling:groupName']).toMatch(/^tag-1-AppServer-/);
  });

  it('AWS deletes only the stack’s own weighted record: the other version’s record of the same name survives', async () => {
    await createApp('del', '1');
    await createApp('del', '2');
    expect(await mainRecords('del')).toEqual([
      ['del-1', 200],
      ['del-2', 0],
    ]);
    const cfn = client(CloudFormationClient);
    await cfn.send(new DeleteStackCommand({ StackName: 'del-2' }));
    expect(await mainRecords('del')).toEqual([['del-1', 200]]);
    // moto keeps a deleted stack's target group (AWS deletes it), so the next version gets a new name.
    await createApp('del', '4');
    await cfn.send(new DeleteStackCommand({ StackName: 'del-1' }));
    expect(await mainRecords('del')).toEqual([['del-4', 0]]);
    // An update that replaces the stack's record set keeps the other versions' records as well.
    await createApp('del', '3');
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'del-3',
        TemplateBody: appTemplate('del', '3').replace('"TTL":20', '"TTL":30'),
      }),
    );
    expect(await mainRecords('del')).toEqual([
      ['del-3', 0],
      ['del-4', 0],
    ]);
  });

  it('AWS lets the Route53 API UPSERT and DELETE records that CloudFormation created', async () => {
    await createApp('rr', '1');
    await createApp('rr', '2');
    const r53 = client(Route53Client);
    const zone = platform.seeded?.hostedZoneId;
    const [one, two] = (await records()).filter((r) => r.Name === `rr.${ZONE}`).sort(bySetId);
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: [
            { Action: 'UPSERT', ResourceRecordSet: { ...one, Weight: 100 } },
            { Action: 'UPSERT', ResourceRecordSet: { ...two, Weight: 100 } },
          ],
        },
      }),
    );
    expect(await mainRecords('rr')).toEqual([
      ['rr-1', 100],
      ['rr-2', 100],
    ]);
    const [, current2] = (await records()).filter((r) => r.Name === `rr.${ZONE}`).sort(bySetId);
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: current2 }] },
      }),
    );
    expect(await mainRecords('rr')).toEqual([['rr-1', 100]]);
    await expect(
      r53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zone,
          ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: current2 }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidChangeBatch' });
  });

  it('AWS checks a change batch as a whole: a DELETE must match the stored values, a CREATE must not find the record', async () => {
    await createApp('cas', '1');
    await createApp('cas', '2');
    const r53 = client(Route53Client);
    const zone = platform.seeded?.hostedZoneId;
    const read = async () => (await records()).filter((r) => r.Name === `cas.${ZONE}`).sort(bySetId);
    const swap = (from: ResourceRecordSet, weight: number) => [
      { Action: 'DELETE' as const, ResourceRecordSet: from },
      { Action: 'CREATE' as const, ResourceRecordSet: { ...from, Weight: weight } },
    ];
    const send = (changes: Change[]) =>
      r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: changes } }));
    const [one, two] = await read();
    // Compare-and-set on the values read (CloudFormation-made alias records): accepted.
    await send([...swap(one, 150), ...swap(two, 50)]);
    expect(await mainRecords('cas')).toEqual([
      ['cas-1', 150],
      ['cas-2', 50],
    ]);
    // The same batch again: its DELETEs name weights that are no longer stored; nothing of it applies.
    await expect(send([...swap({ ...two, Weight: 50 }, 0), ...swap(one, 200)])).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('but the values provided do not match the current values'),
    });
    expect(await mainRecords('cas')).toEqual([
      ['cas-1', 150],
      ['cas-2', 50],
    ]);
    // A CREATE of a record that exists is refused (moto would add a second one).
    const [now1] = await read();
    await expect(send([{ Action: 'CREATE', ResourceRecordSet: { ...now1, Weight: 3 } }])).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('but it already exists'),
    });
    // A CREATE equal to an earlier one (moto's journal would refuse it as "already exists") works.
    const [a1, a2] = await read();
    await send([...swap(a1, 200), ...swap(a2, 0)]);
    const [b1, b2] = await read();
    await send([...swap(b1, 150), ...swap(b2, 50)]);
    expect(await mainRecords('cas')).toEqual([
      ['cas-1', 150],
      ['cas-2', 50],
    ]);
  });

  it('AWS deletes by name, type and SetIdentifier: a record of another name with that identifier stays', async () => {
    const r53 = client(Route53Client);
    const zone = platform.seeded?.hostedZoneId;
    const rec = (name: string): ResourceRecordSet => ({
      Name: `${name}.${ZONE}`,
      Type: 'CNAME',
      SetIdentifier: 'shared-id',
      Weight: 10,
      TTL: 60,
      ResourceRecords: [{ Value: 'target.example.org' }],
    });
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: ['a', 'b'].map((n) => ({ Action: 'CREATE', ResourceRecordSet: rec(n) })) },
      }),
    );
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: rec('a') }] },
      }),
    );
    const left = (await records()).filter((r) => r.SetIdentifier === 'shared-id').map((r) => r.Name);
    expect(left).toEqual([`b.${ZONE}`]);
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: rec('b') }] },
      }),
    );
  });

  it('AWS gives a RecordSet physical id without the final dot', async () => {
    await createApp('pid', '1');
    const cfn = client(CloudFormationClient);
    const described = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'pid-1' }));
    const listed = await cfn.send(new ListStackResourcesCommand({ StackName: 'pid-1' }));
    const ids = (rs: { ResourceType?: string; PhysicalResourceId?: string }[] | undefined) =>
      (rs ?? []).filter((r) => r.ResourceType === 'AWS::Route53::RecordSet').map((r) => r.PhysicalResourceId);
    expect(ids(described.StackResources).sort()).toEqual(['pid-1.team.example.org', 'pid.team.example.org']);
    expect(ids(listed.StackResourceSummaries).sort()).toEqual(['pid-1.team.example.org', 'pid.team.example.org']);
  });

  it('AWS names the region in ELB DNS names and resolves alias targets to the ELB’s canonical zone', async () => {
    const elb = client(ElasticLoadBalancingClient);
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'classic-1',
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }],
        AvailabilityZones: [`${REGION}a`],
      }),
    );
    const classic = (await elb.send(new DescribeClassicCommand({ LoadBalancerNames: ['classic-1'] })))
      .LoadBalancerDescriptions?.[0];
    expect(classic?.DNSName).toMatch(/^classic-1.*\.eu-central-1\.elb\.amazonaws\.com$/);
    expect(classic?.CanonicalHostedZoneNameID).toBe('Z215JYRZR1TBD5');

    await createApp('elb', '1');
    const alb = (
      await client(ElasticLoadBalancingV2Client).send(new DescribeLoadBalancersCommand({ Names: ['elb-1'] }))
    ).LoadBalancers?.[0];
    expect(alb?.DNSName).toContain('.eu-central-1.elb.amazonaws.com');
    const main = (await records()).find((r) => r.SetIdentifier === 'elb-1');
    expect(main?.AliasTarget).toEqual({
      HostedZoneId: alb?.CanonicalHostedZoneId,
      DNSName: `${alb?.DNSName}.`,
      EvaluateTargetHealth: false,
    });
    const soa = (await records()).find((r) => r.Type === 'SOA');
    expect(soa?.ResourceRecords?.[0]?.Value).toMatch(/^ns-\S+ hostmaster\.\S+ 1 /);
  });

  it('fault switch: throttles the next N calls with each protocol’s own error, then clears', async () => {
    await faults('POST', {
      throttle: [
        { operation: 'DescribeStacks', count: 2 },
        { operation: 'DescribeVpcs', service: 'ec2' },
        { operation: 'ListResourceRecordSets' },
        { operation: 'ListCertificates' },
      ],
    });
    const cfn = client(CloudFormationClient);
    for (let i = 0; i < 2; i++) {
      await expect(cfn.send(new DescribeStacksCommand({}))).rejects.toMatchObject({
        name: 'Throttling',
        $metadata: { httpStatusCode: 400 },
      });
    }
    await expect(cfn.send(new DescribeStacksCommand({}))).resolves.toBeDefined();
    await expect(client(EC2Client).send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
    await expect(records()).rejects.toMatchObject({ name: 'Throttling' });
    await expect(client(ACMClient).send(new ListCertificatesCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    // The SDK's standard retry rides out a throttled call, as against AWS.
    await faults('POST', { throttle: { operation: 'DescribeStacks', count: 1 } });
    const retrying = new CloudFormationClient({
      region: REGION,
      endpoint: platform.endpoint,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 3,
    });
    clients.push(retrying);
    const ok = await retrying.send(new DescribeStacksCommand({}));
    expect(ok.$metadata.attempts).toBe(2);
    await faults('POST', { throttle: { operation: 'DescribeStacks', count: 5 } });
    expect((await faults('GET')).throttle).toHaveLength(1);
    await faults('DELETE');
    await expect(cfn.send(new DescribeStacksCommand({}))).resolves.toBeDefined();
  });

  it('fault switch: a failed creation ends in ROLLBACK_COMPLETE with the resource CREATE_FAILED and its reason', async () => {
    await faults('POST', {
      failStackCreation: { stackName: 'fail-1', logicalId: 'AppServer', reason: 'Instance capacity exceeded' },
    });
    const stackId = await createApp('fail', '1');
    const cfn = client(CloudFormationClient);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'fail-1' }))).Stacks?.[0];
    expect(stack).toMatchObject({
      StackStatus: 'ROLLBACK_COMPLETE',
      StackStatusReason: 'The following resource(s) failed to create: [AppServer]. Rollback requested by user.',
    });
    const events = ((await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents ?? [])
      .slice()
      .reverse();
    expect(events.map(row)).toEqual([
      ['fail-1', 'CREATE_IN_PROGRESS'],
      ['AppLoadBalancer', 'CREATE_IN_PROGRESS'],
      ['AppLoadBalancer', 'CREATE_COMPLETE'],
      ['AppTargetGroup', 'CREATE_IN_PROGRESS'],
      ['AppTargetGroup', 'CREATE_COMPLETE'],
      ['AppServerConfig', 'CREATE_IN_PROGRESS'],
      ['AppServerConfig', 'CREATE_COMPLETE'],
      ['AppServer', 'CREATE_IN_PROGRESS'],
      ['AppServer', 'CREATE_FAILED'],
      ['fail-1', 'ROLLBACK_IN_PROGRESS'],
      ['AppServerConfig', 'DELETE_IN_PROGRESS'],
      ['AppServerConfig', 'DELETE_COMPLETE'],
      ['AppTargetGroup', 'DELETE_IN_PROGRESS'],
      ['AppTargetGroup', 'DELETE_COMPLETE'],
      ['AppLoadBalancer', 'DELETE_IN_PROGRESS'],
      ['AppLoadBalancer', 'DELETE_COMPLETE'],
      ['AppServer', 'DELETE_COMPLETE'],
      ['fail-1', 'ROLLBACK_COMPLETE'],
    ]);
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')).toMatchObject({
      ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
      ResourceStatusReason: 'Instance capacity exceeded',
    });
    // Nothing of the template exists, as after a rollback.
    expect((await cfn.send(new DescribeStackResourcesCommand({ StackName: 'fail-1' }))).StackResources).toEqual([]);
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['ROLLBACK_COMPLETE'] }));
    expect(listed.StackSummaries?.map((s) => s.StackName)).toEqual(['fail-1']);
    // The fault was used up: the next creation succeeds.
    await cfn.send(new DeleteStackCommand({ StackName: 'fail-1' }));
    await createApp('fail', '1');
    const again = (await cfn.send(new DescribeStacksCommand({ StackName: 'fail-1' }))).Stacks?.[0];
    expect(again?.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('fault switch: without rollback the stack stays CREATE_FAILED', async () => {
    await faults('POST', { failStackCreation: { stackName: 'nofail-2', logicalId: 'AppLoadBalancer' } });
    await createApp('nofail', '2', { OnFailure: 'DO_NOTHING' });
    const cfn = client(CloudFormationClient);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'nofail-2' }))).Stacks?.[0];
    expect(stack?.StackStatus).toBe('CREATE_FAILED');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'nofail-2' }))).StackEvents ?? [];
    expect(row(events[0] as StackEvent)).toEqual(['nofail-2', 'CREATE_FAILED']);
    expect(
      events.find((e) => e.LogicalResourceId === 'AppLoadBalancer' && e.ResourceStatus === 'CREATE_FAILED'),
    ).toBeDefined();
  });
});

function row(e: StackEvent): [string, string] {
  return [e.LogicalResourceId ?? '', e.ResourceStatus ?? ''];
}

function bySetId(a: ResourceRecordSet, b: ResourceRecordSet): number {
  return (a.SetIdentifier ?? '').localeCompare(b.SetIdentifier ?? '');
}
