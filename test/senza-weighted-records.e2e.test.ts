import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  waitUntilStackCreateComplete,
} from '@aws-sdk/client-cloudformation';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { type Platform, startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, ROOT, runCli, SENZA } from './support/run-cli.js';

/**
 * The weighted main-domain record belongs to the version's CloudFormation stack, and CloudFormation
 * changes or deletes it with the values it stored (the layer acts so: stack-record-sets), while
 * `senza traffic` changes weights through Route53. `update`, `diff`, `delete` and `create` must work
 * with that, also for a stack whose stored weight is not 0 (the original senza switched traffic through
 * UpdateStack, so its templates hold the weight of the last switch).
 */

const REGION = 'eu-central-1';
const DOMAIN = 'hello-world.team.example.org.';
const DEF = 'examples/hello-world.yaml';
let work: string;
let platform: Platform;
let env: NodeJS.ProcessEnv;
let cfn: CloudFormationClient;
let r53: Route53Client;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-records-e2e-'));
  platform = await startPlatform({ stateDir: join(work, 'platform'), region: REGION });
  env = localAwsEnv(platform.endpoint);
  const config = {
    region: REGION,
    endpoint: platform.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  };
  cfn = new CloudFormationClient(config);
  r53 = new Route53Client(config);
}, 120_000);

afterAll(async () => {
  cfn?.destroy();
  r53?.destroy();
  await platform?.stop();
  rmSync(work, { recursive: true, force: true });
});

const senza = (...args: string[]) => runCli(SENZA, args, env);

/** The verdicts of `senza create --preflight --log-format json` (the data of its error messages). */
function preflightVerdicts(
  stderr: string,
): { code: string; summary: string; fix: string; data: Record<string, unknown> }[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; code: string; data: never })
    .filter((m) => m.level === 'error' && m.code.startsWith('senza.diagnose-'))
    .map((m) => m.data);
}
const status = async (name: string) =>
  (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;

async function mainRecords(): Promise<ResourceRecordSet[]> {
  const out = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: platform.seeded?.hostedZoneId }));
  return (out.ResourceRecordSets ?? []).filter((r) => r.Name === DOMAIN && r.SetIdentifier !== undefined);
}

/** { identifier: weight } of the main domain. */
async function weights(): Promise<Record<string, number | undefined>> {
  return Object.fromEntries((await mainRecords()).map((r) => [r.SetIdentifier, r.Weight]));
}

async function storedWeight(stackName: string): Promise<unknown> {
  const out = await cfn.send(new GetTemplateCommand({ StackName: stackName }));
  return JSON.parse(out.TemplateBody ?? '{}').Resources.AppLoadBalancerMainDomain.Properties.Weight;
}

/** A weight changed through the Route53 API (as a traffic switch does), compare-and-set. */
async function setWeight(stackName: string, weight: number): Promise<void> {
  const r = (await mainRecords()).find((x) => x.SetIdentifier === stackName);
  if (!r) throw new Error(`no record of ${stackName}`);
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

/** A version as the original senza leaves it after switching traffic to it: the template says Weight 200. */
async function createLegacyVersion(version: string): Promise<void> {
  const printed = await senza('print', DEF, version, '0.1');
  expect(printed.code, printed.stderr).toBe(0);
  const template = JSON.parse(printed.stdout);
  template.Resources.AppLoadBalancerMainDomain.Properties.Weight = 200;
  const stackName = `hello-world-${version}`;
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify(template),
      Parameters: [{ ParameterKey: 'ImageVersion', ParameterValue: '0.1' }],
      Tags: [
        { Key: 'Name', Value: stackName },
        { Key: 'StackName', Value: 'hello-world' },
        { Key: 'StackVersion', Value: version },
      ],
    }),
  );
  await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 60, minDelay: 1 }, { StackName: stackName });
}

describe('the weighted record that CloudFormation owns and senza traffic changes', () => {
  it('update of versions with traffic (one of them stored with Weight 200) keeps the live weights; diff clean; NO UPDATE', async () => {
    const created = await senza('create', '--wait', DEF, '1', '0.1');
    expect(created.code, created.stderr).toBe(0);
    await createLegacyVersion('2');
    expect(await weights()).toEqual({ 'hello-world-1': 0, 'hello-world-2': 200 });
    const switched = await senza('traffic', 'hello-world', '1', '50', '--force');
    expect(switched.code, switched.stderr).toBe(0);
    expect(await weights()).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100 });

    for (const version of ['1', '2']) {
      const r = await senza('update', '--wait', DEF, version, '0.2');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Keeping the live weight 100 of ${DOMAIN}`);
      expect(r.stderr).toContain(`OK: Stack(s) hello-world-${version} updated successfully.`);
      expect(await status(`hello-world-${version}`)).toBe('UPDATE_COMPLETE');
    }
    expect(await weights()).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100 });
    // CloudFormation's stored weights never changed: its later DELETE of the record still matches nothing
    // but the values it wrote itself.
    expect(await storedWeight('hello-world-1')).toBe(0);
    expect(await storedWeight('hello-world-2')).toBe(200);

    for (const version of ['1', '2']) {
      const diff = await senza('diff', '--exit-code', DEF, version, '0.2');
      expect(diff.code, diff.stdout + diff.stderr).toBe(0);
      expect(diff.stdout).toBe('');
      const again = await senza('update', DEF, version, '0.2');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain(`Updating Cloud Formation stack hello-world-${version}.. NO UPDATE`);
    }
  });

  it('an update that must change the weighted record of a version with traffic is refused before anything changes', async () => {
    // A replaced load balancer (Scheme is a replacing property) gives the alias record a new target.
    const variant = join(work, 'internal.yaml');
    writeFileSync(
      variant,
      readFileSync(join(ROOT, DEF), 'utf8').replace('Scheme: internet-facing', 'Scheme: internal'),
    );
    const r = await senza('update', variant, '1', '0.2');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Stack hello-world-1: this update changes the weighted record AppLoadBalancerMainDomain of ${DOMAIN}, and it has traffic (weight 100)`,
    );
    expect(r.stderr).toContain(
      'Move its traffic to another version first (senza traffic hello-world OTHER_VERSION 100)',
    );
    expect(r.stderr).not.toContain('Updating Cloud Formation stack');
    expect(await status('hello-world-1')).toBe('UPDATE_COMPLETE');
    expect(await weights()).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100 });
  });

  it('delete --force of the Weight-200 version with traffic: traffic moves first, the record CloudFormation leaves is removed', async () => {
    const r = await senza('delete', '--force', '--wait', 'hello-world', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Stack hello-world-2 has traffic: moving it to the other versions first');
    expect(r.stderr).toContain(
      `Removed the record ${DOMAIN} (SetIdentifier hello-world-2, weight 0, zone team.example.org.) that CloudFormation left behind`,
    );
    expect(r.stderr).toContain('OK: Stack(s) hello-world-2 deleted successfully.');
    expect(await weights()).toEqual({ 'hello-world-1': 200 });
  });

  it('a record whose stack is gone: create names it, traffic removes it', async () => {
    const created = await senza('create', '--wait', DEF, '3', '0.1');
    expect(created.code, created.stderr).toBe(0);
    await setWeight('hello-world-3', 50);
    // Deleted behind senza's back: CloudFormation's DELETE (stored weight 0) does not match, the record stays.
    await cfn.send(new DeleteStackCommand({ StackName: 'hello-world-3' }));
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-3': 50 });

    const again = await senza('create', DEF, '3', '0.1');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `Route53 already holds the weighted record ${DOMAIN} (SetIdentifier hello-world-3, weight 50, zone team.example.org.), left behind by an earlier stack hello-world-3`,
    );
    expect(again.stderr).toContain('senza traffic hello-world VERSION PERCENTAGE');
    // --preflight finds it too (the same check), as a verdict naming the record, its zone and the way out.
    const preflight = await senza('create', '--preflight', '--log-format', 'json', DEF, '3', '0.1');
    expect(preflight.code, preflight.stderr).toBe(1);
    const verdicts = preflightVerdicts(preflight.stderr);
    expect(verdicts.map((v) => v.code)).toEqual(['senza.diagnose-name-conflict']);
    expect(verdicts[0].data).toMatchObject({
      record: DOMAIN,
      setIdentifier: 'hello-world-3',
      weight: 50,
      zoneId: platform.seeded?.hostedZoneId?.replace(/^\/hostedzone\//, ''),
      zoneName: 'team.example.org.',
    });
    expect(verdicts[0].fix).toContain('senza traffic hello-world VERSION PERCENTAGE');

    const plan = await senza('traffic', 'hello-world', '1', '100', '--plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain(`The record ${DOMAIN} (SetIdentifier hello-world-3, weight 50`);
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-3': 50 });

    const switched = await senza('traffic', 'hello-world', '1', '100');
    expect(switched.code, switched.stderr).toBe(0);
    expect(switched.stderr).toContain(
      `Removed the record ${DOMAIN} (SetIdentifier hello-world-3, weight 50, zone team.example.org.) that CloudFormation left behind`,
    );
    expect(await weights()).toEqual({ 'hello-world-1': 200 });
    const recreated = await senza('create', '--wait', DEF, '3', '0.1');
    expect(recreated.code, recreated.stderr).toBe(0);
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-3': 0 });
  });
  it('the version domain taken by another record: create --preflight and create name it and its zone', async () => {
    const zoneId = platform.seeded?.hostedZoneId ?? '';
    const name = 'hello-world-4.team.example.org.';
    const record = {
      Name: name,
      Type: 'CNAME' as const,
      TTL: 60,
      ResourceRecords: [{ Value: 'elsewhere.example.org' }],
    };
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: record }] },
      }),
    );
    const preflight = await senza('create', '--preflight', '--log-format', 'json', DEF, '4', '0.1');
    expect(preflight.code, preflight.stderr).toBe(1);
    const verdicts = preflightVerdicts(preflight.stderr);
    expect(verdicts.map((v) => v.code)).toEqual(['senza.diagnose-name-conflict']);
    expect(verdicts[0].data).toMatchObject({
      record: name,
      type: 'CNAME',
      setIdentifier: null,
      zoneName: 'team.example.org.',
    });
    expect(verdicts[0].summary).toBe(
      `Route53 already holds the record ${name} (type CNAME, zone team.example.org.), which stack hello-world-4 would create`,
    );
    const created = await senza('create', DEF, '4', '0.1');
    expect(created.code).toBe(1);
    expect(created.stderr).toContain(`Route53 already holds the record ${name} (type CNAME, zone team.example.org.)`);
    expect(created.stderr).toContain('aws route53 change-resource-record-sets --hosted-zone-id');
    expect(await status('hello-world-4').catch(() => 'none')).toBe('none');
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: record }] },
      }),
    );
    const ok = await senza('create', '--preflight', DEF, '4', '0.1');
    expect(ok.code, ok.stderr).toBe(0);
  });
});
