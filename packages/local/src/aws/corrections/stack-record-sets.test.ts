import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../local-aws.js';

const REGION = 'eu-central-1';
const ZONE = 'team.example.org.';

let dir: string;
let platform: Platform;
let cfn: CloudFormationClient;
let r53: Route53Client;

/** A stack version with one weighted main-domain record (a CNAME: no load balancer needed). */
function template(app: string, version: string, { weight = 0, ttl = 20 } = {}) {
  return JSON.stringify({
    Parameters: { ImageVersion: { Type: 'String' } },
    Resources: {
      Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
      MainDomain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'CNAME',
          Name: `${app}.${ZONE}`,
          HostedZoneName: ZONE,
          SetIdentifier: `${app}-${version}`,
          Weight: weight,
          TTL: ttl,
          ResourceRecords: [`${app}-${version}.elb.example.org`],
        },
      },
    },
  });
}

const params = (v: string) => [{ ParameterKey: 'ImageVersion', ParameterValue: v }];

async function create(app: string, version: string, weight = 0): Promise<string> {
  const out = await cfn.send(
    new CreateStackCommand({
      StackName: `${app}-${version}`,
      TemplateBody: template(app, version, { weight }),
      Parameters: params('1'),
    }),
  );
  return out.StackId ?? '';
}

async function record(app: string, version: string): Promise<ResourceRecordSet | undefined> {
  const out = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: platform.seeded?.hostedZoneId }));
  return out.ResourceRecordSets?.find((r) => r.SetIdentifier === `${app}-${version}`);
}

/** What `senza traffic` does: the record's weight changed through the Route53 API. */
async function setWeight(app: string, version: string, weight: number) {
  const r = await record(app, version);
  if (!r) throw new Error('no record');
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: platform.seeded?.hostedZoneId,
      ChangeBatch: {
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: r },
          { Action: 'CREATE', ResourceRecordSet: { ...r, Weight: weight } },
        ],
      },
    }),
  );
}

const status = async (name: string) =>
  (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stups-record-sets-test-'));
  platform = await startPlatform({ stateDir: dir, region: REGION });
  const config = {
    region: REGION,
    endpoint: platform.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
  cfn = new CloudFormationClient(config);
  r53 = new Route53Client(config);
}, 120_000);

afterAll(async () => {
  cfn?.destroy();
  r53?.destroy();
  await platform?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('stack-record-sets: CloudFormation changes a RecordSet with its stored values, as on AWS', () => {
  it('an update that leaves the RecordSet alone succeeds and keeps the live weight', async () => {
    await create('keep', '1');
    await setWeight('keep', '1', 200);
    await cfn.send(
      new UpdateStackCommand({ StackName: 'keep-1', TemplateBody: template('keep', '1'), Parameters: params('2') }),
    );
    expect(await status('keep-1')).toBe('UPDATE_COMPLETE');
    expect((await record('keep', '1'))?.Weight).toBe(200);
  });

  it('an update that changes a RecordSet whose live weight differs fails with Route53’s text and rolls back', async () => {
    await create('upd', '1');
    await create('upd', '2');
    await setWeight('upd', '1', 150);
    await setWeight('upd', '2', 50);
    const out = await cfn.send(
      new UpdateStackCommand({
        StackName: 'upd-1',
        TemplateBody: template('upd', '1', { ttl: 30 }),
        Parameters: params('2'),
      }),
    );
    expect(out.StackId).toMatch(/^arn:aws:cloudformation:/);
    expect(await status('upd-1')).toBe('UPDATE_ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'upd-1' }))).StackEvents ?? [];
    const failed = events.find((e) => e.ResourceStatus === 'UPDATE_FAILED');
    expect(failed?.LogicalResourceId).toBe('MainDomain');
    expect(failed?.ResourceStatusReason).toContain(
      "[Tried to delete resource record set [name='upd.team.example.org.', type='CNAME', set-identifier='upd-1'] but the values provided do not match the current values]",
    );
    expect(events[0]?.ResourceStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    // Nothing of the update stays: template, parameters, record.
    const stored = await cfn.send(new GetTemplateCommand({ StackName: 'upd-1' }));
    expect(JSON.parse(stored.TemplateBody ?? '{}').Resources.MainDomain.Properties.TTL).toBe(20);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'upd-1' }))).Stacks?.[0]?.Parameters).toEqual(
      params('1'),
    );
    expect(await record('upd', '1')).toMatchObject({ Weight: 150, TTL: 20 });
    expect((await record('upd', '2'))?.Weight).toBe(50);

    // With the stored weight back in Route53 the same update goes through.
    await setWeight('upd', '1', 0);
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'upd-1',
        TemplateBody: template('upd', '1', { ttl: 30 }),
        Parameters: params('2'),
      }),
    );
    expect(await status('upd-1')).toBe('UPDATE_COMPLETE');
    expect(await record('upd', '1')).toMatchObject({ Weight: 0, TTL: 30 });
    expect((await record('upd', '2'))?.Weight).toBe(50);
  });

  it('a delete whose stored weight differs from the live one reports success and leaves the record', async () => {
    const id1 = await create('del', '1');
    await create('del', '2', 200);
    await setWeight('del', '1', 100);
    await setWeight('del', '2', 100);
    await cfn.send(new DeleteStackCommand({ StackName: 'del-1' }));
    expect(await status(id1)).toBe('DELETE_COMPLETE');
    expect((await record('del', '1'))?.Weight).toBe(100);
    // Stored 200 = live 200: CloudFormation's DELETE matches and the record goes.
    await setWeight('del', '2', 200);
    await cfn.send(new DeleteStackCommand({ StackName: 'del-2' }));
    expect(await record('del', '2')).toBeUndefined();
    expect((await record('del', '1'))?.Weight).toBe(100);
  });
});
