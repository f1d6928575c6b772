import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  ListStackResourcesCommand,
  waitUntilStackCreateComplete,
} from '@aws-sdk/client-cloudformation';
import {
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import * as local from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, ROOT, runCli, SENZA } from './support/run-cli.js';

/**
 * `senza traffic` against the local platform, with real stacks (senza print of hello-world: ELB, ASG,
 * RecordSets) and real weighted Route53 records.
 *
 * With the correcting layer (`startPlatform` of @stups/local) the main-domain records are the ones
 * CloudFormation created from the template. Without it (bare moto 5.2.1, which refuses Route53 API
 * changes to records CloudFormation created), the template's main-domain RecordSet is turned into a
 * TXT record of the same name (so the stack still declares its main domain) and the weighted alias A
 * records are created with the Route53 API; every assertion holds in both modes.
 */

const REGION = 'eu-central-1';
const ZONE = 'team.example.org';
let stop: () => Promise<void>;
let endpoint: string;
let zoneId: string;
let env: NodeJS.ProcessEnv;
let work: string;
let layer = false;
let cfn: CloudFormationClient;
let r53: Route53Client;
let elb: ElasticLoadBalancingClient;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-traffic-e2e-'));
  const startPlatform = (local as Record<string, unknown>).startPlatform as
    | ((o: { stateDir: string; region?: string }) => Promise<{
        endpoint: string;
        seeded?: local.SeededAccount;
        stop(): Promise<void>;
      }>)
    | undefined;
  if (startPlatform && process.env.SENZA_TRAFFIC_E2E_BARE_MOTO !== '1') {
    const platform = await startPlatform({ stateDir: join(work, 'platform'), region: REGION });
    layer = true;
    endpoint = platform.endpoint;
    zoneId = platform.seeded?.hostedZoneId ?? '';
    stop = () => platform.stop();
  } else {
    const moto = await local.startMoto({ stateDir: join(work, 'moto') });
    const account = await local.seedStupsAccount(moto.endpoint, { region: REGION });
    endpoint = moto.endpoint;
    zoneId = account.hostedZoneId;
    stop = () => moto.stop();
  }
  env = localAwsEnv(endpoint, REGION);
  const config = { region: REGION, endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
  cfn = new CloudFormationClient(config);
  r53 = new Route53Client(config);
  elb = new ElasticLoadBalancingClient(config);
}, 120_000);

afterAll(async () => {
  await stop?.();
  rmSync(work, { recursive: true, force: true });
});

const domainOf = (app: string) => `${app}.${ZONE}.`;

/** A copy of hello-world with another StackName (each test its own family, own main domain). */
function definitionFor(app: string): string {
  const path = join(work, `${app}.yaml`);
  writeFileSync(
    path,
    readFileSync(join(ROOT, 'examples/hello-world.yaml'), 'utf8').replace(
      'StackName: hello-world',
      `StackName: ${app}`,
    ),
  );
  return path;
}

/** senza print, then CreateStack with the SDK (as senza create would), then the weighted record. */
async function createVersion(
  app: string,
  version: string,
  options: { instances?: number; padding?: number } = {},
): Promise<void> {
  const printed = await runCli(SENZA, ['print', definitionFor(app), version, '0.1'], env);
  expect(printed.code, printed.stderr).toBe(0);
  const template = JSON.parse(printed.stdout);
  const main = template.Resources.AppLoadBalancerMainDomain;
  expect(main.Properties).toMatchObject({ SetIdentifier: `${app}-${version}`, Weight: 0 });
  if (!layer) {
    main.Properties = {
      HostedZoneName: main.Properties.HostedZoneName,
      Name: main.Properties.Name,
      Type: 'TXT',
      TTL: 20,
      SetIdentifier: main.Properties.SetIdentifier,
      Weight: 0,
      ResourceRecords: ['"senza main domain"'],
    };
  }
  if (options.instances !== undefined) {
    const asg = template.Resources.AppServer.Properties;
    asg.MinSize = options.instances;
    asg.MaxSize = Math.max(1, options.instances);
    asg.DesiredCapacity = options.instances;
  }
  if (options.padding) {
    // `padding` resources first and the main-domain RecordSet last: beyond DescribeStackResources' 100.
    const { AppLoadBalancerMainDomain, ...rest } = template.Resources;
    template.Resources = {
      ...Object.fromEntries(
        Array.from({ length: options.padding }, (_, i) => [
          `Padding${i}`,
          { Type: 'AWS::CloudFormation::WaitConditionHandle' },
        ]),
      ),
      ...rest,
      AppLoadBalancerMainDomain,
    };
  }
  const stackName = `${app}-${version}`;
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify(template),
      Parameters: [{ ParameterKey: 'ImageVersion', ParameterValue: '0.1' }],
      Tags: [
        { Key: 'StackName', Value: app },
        { Key: 'StackVersion', Value: version },
      ],
    }),
  );
  await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 120, minDelay: 1 }, { StackName: stackName });
  if (!layer) {
    const res = await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }));
    const lbName = res.StackResources?.find((r) => r.LogicalResourceId === 'AppLoadBalancer')?.PhysicalResourceId;
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [lbName as string] })))
      .LoadBalancerDescriptions?.[0];
    await upsert([
      {
        Name: domainOf(app),
        Type: 'A',
        SetIdentifier: stackName,
        Weight: 0,
        AliasTarget: {
          DNSName: lb?.DNSName as string,
          // moto leaves the canonical zone id of a classic ELB empty; eu-central-1's is Z215JYRZR1TBD5.
          HostedZoneId: lb?.CanonicalHostedZoneNameID || 'Z215JYRZR1TBD5',
          EvaluateTargetHealth: false,
        },
      },
    ]);
  }
}

async function upsert(records: ResourceRecordSet[]): Promise<void> {
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: records.map((r) => ({ Action: 'UPSERT', ResourceRecordSet: r })) },
    }),
  );
}

async function records(app: string): Promise<ResourceRecordSet[]> {
  const out = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return (out.ResourceRecordSets ?? []).filter(
    (r) => r.Name === domainOf(app) && r.SetIdentifier && ['A', 'AAAA', 'CNAME'].includes(r.Type ?? ''),
  );
}

/** Live weights of the family's main domain, by version, read with the SDK. */
async function weights(app: string, versions: string[]): Promise<number[]> {
  const rs = await records(app);
  return versions.map((v) => rs.find((r) => r.SetIdentifier === `${app}-${v}`)?.Weight ?? Number.NaN);
}

/** Sets starting weights directly with the Route53 API. */
async function setWeights(app: string, byVersion: Record<string, number>): Promise<void> {
  const rs = await records(app);
  await upsert(
    Object.entries(byVersion).map(([v, w]) => {
      const r = rs.find((x) => x.SetIdentifier === `${app}-${v}`);
      if (!r) throw new Error(`no record for ${app}-${v}`);
      const copy: ResourceRecordSet = { ...r, Weight: w };
      if (copy.AliasTarget) delete copy.TTL;
      return copy;
    }),
  );
}

const senza = (...args: string[]) => runCli(SENZA, args, env);

describe('senza traffic against the local platform', () => {
  it('shows, shifts to 50 % and to 100 %, converges, previews without changing anything', async () => {
    await createVersion('blue', '1');
    await createVersion('blue', '2');
    await setWeights('blue', { 1: 200 });

    const show = await senza('traffic', 'blue');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toBe(
      'Stack Name│Version│Identifier│Weight%\nblue       1       blue-1       100.0\nblue       2       blue-2         0.0\n',
    );

    const half = await senza('traffic', 'blue', '2', '50');
    expect(half.code, half.stderr).toBe(0);
    expect(half.stderr).toContain('Calculating new weights.. OK\n');
    expect(half.stderr).toContain(`Setting weights for blue.${ZONE}.. OK\n`);
    expect(half.stdout).toContain('blue       2       blue-2             0.0  50.0                     50.0 <      ');
    expect(await weights('blue', ['1', '2'])).toEqual([100, 100]);

    const again = await senza('traffic', 'blue', '2', '50');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Setting weights for blue.${ZONE}.. not changed\n`);

    const preview = await senza('traffic', 'blue', '1', '25', '--plan');
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('Route53 changes (plan only, nothing applied):');
    expect(preview.stdout).toContain(`UPSERT ${domainOf('blue')} A blue-1 weight 100 → 50`);
    expect(preview.stdout).toContain(`UPSERT ${domainOf('blue')} A blue-2 weight 100 → 150`);
    expect(await weights('blue', ['1', '2'])).toEqual([100, 100]);

    const json = await senza('traffic', 'blue', '1', '25', '--plan', '-o', 'json');
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.changes).toHaveLength(2);
    expect(parsed.rows.map((r: Record<string, unknown>) => r['new_weight%'])).toEqual([25, 75]);
    expect(await weights('blue', ['1', '2'])).toEqual([100, 100]);

    const full = await senza('traffic', 'blue', '2', '100', '-o', 'json');
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).map((r: Record<string, unknown>) => r['new_weight%'])).toEqual([0, 100]);
    expect(await weights('blue', ['1', '2'])).toEqual([0, 200]);

    const current = await senza('traffic', 'blue', '2', '-o', 'tsv');
    expect(current.stdout).toBe(
      'stack_name\tversion\tidentifier\tweight%\tcurrent\nblue\t1\tblue-1\t0.0\t\nblue\t2\tblue-2\t100.0\t<\n',
    );
  }, 120_000);

  it('refuses to leave a domain without traffic unless --force, and tells usage errors with exit 2', async () => {
    const none = await senza('traffic', 'blue', '2', '0');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No version of blue would get traffic on blue.team.example.org.');
    expect(await weights('blue', ['1', '2'])).toEqual([0, 200]);

    const forced = await senza('traffic', 'blue', '2', '0', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain(`DNS record "['blue.team.example.org.']" will be removed from that stack`);
    expect(await weights('blue', ['1', '2'])).toEqual([0, 0]);
    const back = await senza('traffic', 'blue', '1', '30');
    expect(back.code, back.stderr).toBe(0);
    expect(await weights('blue', ['1', '2'])).toEqual([200, 0]);

    const cases: [string[], string][] = [
      [['traffic', 'blue', '9', '50'], 'Error: Stack version 9 not found'],
      [['traffic', 'nothere'], 'Error: No stack version of "nothere" found'],
      [['traffic', 'blue', '2', 'abc'], `Error: Invalid value for 'PERCENTAGE': "abc" is not a number within 0..100`],
      [['traffic', 'blue', '2', '150'], `Error: Invalid value for 'PERCENTAGE': "150" is not a number within 0..100`],
      [['traffic', 'blue', '2', '-1'], `Error: Invalid value for 'PERCENTAGE': "-1" is not a number within 0..100`],
      [['traffic', 'blu', '2', '50'], 'Error: No stack version of "blu" found'],
    ];
    for (const [args, message] of cases) {
      const r = await senza(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(await weights('blue', ['1', '2'])).toEqual([200, 0]);
  }, 120_000);

  it('refuses a target without a healthy instance unless --force; a stack without a domain is exit 2', async () => {
    await createVersion('blue', '3', { instances: 0 });
    const r = await senza('traffic', 'blue', '3', '10');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Stack blue-3 has no healthy instance in its load balancer');
    expect(await weights('blue', ['1', '2', '3'])).toEqual([200, 0, 0]);
    const preview = await senza('traffic', 'blue', '3', '10', '--plan');
    expect(preview.code).toBe(0);
    expect(preview.stderr).toContain('Would be refused: Stack blue-3 has no healthy instance');
    // `-f` as for create and delete (traffic has no `-f/--field`).
    const forced = await senza('traffic', 'blue', '3', '10', '-f');
    expect(forced.code, forced.stderr).toBe(0);
    expect(await weights('blue', ['1', '2', '3'])).toEqual([180, 0, 20]);

    await cfn.send(
      new CreateStackCommand({
        StackName: 'nodomain-1',
        TemplateBody: JSON.stringify({
          Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'nodomain-1' } } },
        }),
      }),
    );
    const noDomain = await senza('traffic', 'nodomain', '1', '50');
    expect(noDomain.code).toBe(2);
    expect(noDomain.stderr).toContain('Error: Stack nodomain version 1 has no domain');
  }, 120_000);

  it('the worked examples of the original (reference §5.7) through the real command', async () => {
    for (const v of ['v1', 'v2', 'v3', 'v4']) await createVersion('myapp', v);
    await setWeights('myapp', { v1: 120, v2: 60, v3: 20, v4: 0 });
    const show = await senza('traffic', 'myapp');
    expect(show.stdout.split('\n').slice(0, 3).join('\n')).toBe(
      'Stack Name│Version│Identifier│Weight%\nmyapp      v1      myapp-v1      60.0\nmyapp      v2      myapp-v2      30.0',
    );
    const vs = ['v1', 'v2', 'v3', 'v4'];
    const sequence: [string, string, number[]][] = [
      ['v4', '100', [0, 0, 0, 200]],
      ['v3', '10', [0, 0, 20, 180]],
      ['v2', '0.5', [0, 1, 20, 179]],
      ['v1', '1', [2, 1, 19, 178]],
      ['v4', '95', [1, 1, 13, 185]],
      ['v4', '100', [0, 0, 0, 200]],
      ['v4', '10', [0, 0, 0, 200]],
    ];
    for (const [v, p, expected] of sequence) {
      const r = await senza('traffic', 'myapp', v, p);
      expect(r.code, `${v} ${p}: ${r.stderr}`).toBe(0);
      expect(await weights('myapp', vs), `${v} ${p}`).toEqual(expected);
      if (v === 'v4' && p === '95') {
        expect(r.stderr).toContain(
          'Calculating new weights..\nChanging given percentage from 95.0 to 92.5 because all other versions are already getting the possible minimum traffic\nCalculating new weights.. OK\n',
        );
        expect(r.stdout).toBe(
          [
            'Stack Name│Version│Identifier│Old Weight%│Delta│Compensation│New Weight%│Current',
            'myapp      v1      myapp-v1           1.0  -0.5                      0.5        ',
            'myapp      v2      myapp-v2           0.5                            0.5        ',
            'myapp      v3      myapp-v3           9.5  -2.0         -1.0         6.5        ',
            'myapp      v4      myapp-v4          89.0   6.0         -2.5        92.5 <      ',
            '',
          ].join('\n'),
        );
        expect(r.stderr).toContain('Setting weights for myapp.team.example.org.. OK');
      }
      if (p === '10' && v === 'v4') expect(r.stderr).toContain('.. not changed');
    }
    const last = await senza('traffic', 'myapp', 'v4', '0', '--force');
    expect(last.code, last.stderr).toBe(0);
    expect(last.stderr).toContain(`DNS record "['myapp.team.example.org.']" will be removed from that stack`);
    expect(await weights('myapp', vs)).toEqual([0, 0, 0, 0]);
  }, 180_000);

  it('a switch across 10 versions stays within 12 AWS calls', async () => {
    const versions = Array.from({ length: 10 }, (_, i) => String(i + 1));
    for (const v of versions) await createVersion('ten', v);
    await setWeights('ten', { 1: 100, 9: 100 });
    const r = await senza('traffic', 'ten', '10', '100', '--debug');
    expect(r.code, r.stderr).toBe(0);
    const calls = /(\d+) AWS calls: (.*)/.exec(r.stderr);
    expect(calls, r.stderr).not.toBeNull();
    console.log(`senza traffic ten 10 100 across 10 versions: ${calls?.[0]}`);
    expect(Number(calls?.[1])).toBeLessThanOrEqual(12);
    expect(await weights('ten', versions)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 200]);
    // Natural order: 10 is the last row, not the second.
    const show = await senza('traffic', 'ten');
    expect(show.stdout.split('\n').at(-2)).toMatch(/^ten {8}10 {6}ten-10 +100\.0$/);
    // A name pattern that matches several applications is ambiguous.
    const ambiguous = await senza('traffic', '(ten|blue)', '1', '50');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('Error: Stack name "(ten|blue)" matches several stacks: blue, ten');
  }, 240_000);

  it('a stack of more than 100 resources: traffic finds the RecordSet beyond the first 100 (ListStackResources)', async () => {
    if (!layer) return;
    await createVersion('big', '1', { padding: 120 });
    await createVersion('big', '2', { padding: 120 });
    // The layer answers DescribeStackResources as AWS does: the first 100 resources only.
    const described = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'big-1' }));
    expect(described.StackResources).toHaveLength(100);
    expect(described.StackResources?.map((r) => r.LogicalResourceId)).not.toContain('AppLoadBalancerMainDomain');
    await setWeights('big', { 1: 200 });
    const show = await senza('traffic', 'big');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('big        1       big-1        100.0');
    const half = await senza('traffic', 'big', '2', '50');
    expect(half.code, half.stderr).toBe(0);
    expect(await weights('big', ['1', '2'])).toEqual([100, 100]);
  }, 240_000);

  it("a rejection that is no race (an alias to a load balancer that is gone) fails at once with Route53's text", async () => {
    if (!layer) return;
    await createVersion('orphan', '1');
    await createVersion('orphan', '2');
    await setWeights('orphan', { 1: 200 });
    const resources = await cfn.send(new ListStackResourcesCommand({ StackName: 'orphan-1' }));
    const lbName = resources.StackResourceSummaries?.find(
      (r) => r.LogicalResourceId === 'AppLoadBalancer',
    )?.PhysicalResourceId;
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: lbName as string }));

    const r = await senza('traffic', 'orphan', '2', '50');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /Tried to create an alias that targets \S+\.elb\.amazonaws\.com\., type A in zone .*, but that target was not found/,
    );
    // One attempt: no re-read, no "came first" message.
    expect(r.stderr).not.toContain('reading them again');
    expect(r.stderr).not.toContain('came first');
    expect(await weights('orphan', ['1', '2'])).toEqual([200, 0]);
  }, 180_000);
});
