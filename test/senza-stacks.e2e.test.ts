import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { type MotoServer, seedStupsAccount, startMoto } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

/**
 * The read-only stack commands against local moto with two deployed versions of hello-world, created
 * directly with the SDK from `senza print` templates.
 */
let moto: MotoServer;
let env: NodeJS.ProcessEnv;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-stacks-e2e-'));
  moto = await startMoto({ stateDir: join(work, 'moto') });
  await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
  env = { ...localAwsEnv(moto.endpoint), XDG_CONFIG_HOME: join(work, 'config') };
  const cf = new CloudFormationClient({
    region: 'eu-central-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  for (const version of ['1', '2']) {
    const printed = await runCli(SENZA, ['print', 'examples/hello-world.yaml', version, `0.${version}`], env);
    expect(printed.code, printed.stderr).toBe(0);
    await cf.send(
      new CreateStackCommand({
        StackName: `hello-world-${version}`,
        TemplateBody: printed.stdout,
        Parameters: [{ ParameterKey: 'ImageVersion', ParameterValue: `0.${version}` }],
      }),
    );
  }
  cf.destroy();
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

const senza = (...args: string[]) => runCli(SENZA, args, env);
/** As on a terminal of 200 columns, where no column gives way. */
const wide = (...args: string[]) => runCli(SENZA, args, { ...env, COLUMNS: '200' });
/** Replaces what differs per run (ages, ids, addresses) so that the tables can be compared whole. */
const stable = (s: string) =>
  s
    .replace(/ *-?\d+[smhd] ago/g, ' AGO')
    .replace(/i-[0-9a-f]{17}/g, 'i-ID')
    .replace(/\d+\.\d+\.\d+\.\d+/g, 'IP');
const calls = (stderr: string) => Number(/(\d+) AWS calls/.exec(stderr)?.[1] ?? Number.NaN);

describe('senza list', () => {
  it('an unknown region: the endpoint, its HTTP status and the region named, no XML parse error', async () => {
    const r = await senza('list', '--region', 'xx-foo-1');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`Error: CloudFormation ListStacks: ${moto.endpoint} answered HTTP 500`);
    expect(r.stderr).toContain('Check the region name too (xx-foo-1)');
    expect(r.stderr).not.toMatch(/XML parse error|\$response/);
  });

  it('text, tsv with fields in table order, json with ISO times', async () => {
    const text = await senza('list');
    expect(text.code, text.stderr).toBe(0);
    expect(stable(text.stdout)).toBe(
      [
        'Stack Name │Ver.│Status         │Created│Description                    ',
        'hello-world 1    CREATE_COMPLETE AGO Hello World (ImageVersion: 0.1) ',
        'hello-world 2    CREATE_COMPLETE AGO Hello World (ImageVersion: 0.2) ',
        '',
      ].join('\n'),
    );
    const tsv = await senza('list', '-o', 'tsv', '-f', 'version', '-f', 'stack_name');
    expect(tsv.stdout).toBe('stack_name\tversion\nhello-world\t1\nhello-world\t2\n');
    const json = JSON.parse((await senza('list', 'hello-world', '2', '-o', 'json')).stdout);
    expect(json).toEqual([
      {
        creation_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
        description: 'Hello World (ImageVersion: 0.2)',
        stack_name: 'hello-world',
        status: 'CREATE_COMPLETE',
        version: '2',
      },
    ]);
  });

  it('a definition file stands for its stack; one ListStacks call', async () => {
    const r = await senza('list', 'examples/hello-world.yaml', '1', '--debug');
    expect(r.stdout.split('\n')).toHaveLength(3);
    expect(calls(r.stderr)).toBe(1);
  });

  it('unknown refs: just the header, exit 0; a missing .yaml file: the original error, exit 1', async () => {
    const none = await senza('list', 'nothing-here');
    expect(none).toMatchObject({ code: 0, stdout: 'Stack Name│Ver.│Status│Created│Description\n' });
    expect((await senza('events', 'nothing-here', '-o', 'json')).stdout).toBe('[]\n');
    expect((await senza('instances', 'nothing-here', '-o', 'tsv')).stdout.split('\n')[1]).toBe('');
    const missing = await senza('list', 'nothere.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Error: Could not open file 'nothere.yaml': No such file or directory");
  });
});

describe('senza events and resources', () => {
  it('events: oldest first, AWS:: stripped; in 80 columns the resource type gives way', async () => {
    const narrow = await senza('events', 'hello-world', '1');
    expect(narrow.code, narrow.stderr).toBe(0);
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(narrow.stdout.split('\n')[0]).toMatch(
      /^Stack Name │Ver\.│Resource ID +│Status +│Status Reason +│Event Time$/,
    );
    const r = await wide('events', 'hello-world', '1');
    expect(r.code, r.stderr).toBe(0);
    const lines = stable(r.stdout).split('\n');
    expect(lines[0]).toMatch(/^Stack Name │Ver\.│Resource Type +│Resource ID +│Status +│Status Reason +│Event Time$/);
    expect(lines.at(-2)).toMatch(/^hello-world 1 +CloudFormation::Stack +hello-world-1 +CREATE_COMPLETE +AGO $/);
    const json = JSON.parse((await senza('events', 'hello-world', '1', '-o', 'json')).stdout);
    expect(Object.keys(json[0])).toEqual([
      'LogicalResourceId',
      'ResourceStatus',
      'ResourceStatusReason',
      'event_time',
      'resource_type',
      'stack_name',
      'version',
    ]);
    expect(json[0]).toMatchObject({ ResourceStatus: 'CREATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated' });
  });

  it('resources: sorted by stack, version and logical id; one ListStacks plus one listing per stack', async () => {
    const r = await senza(
      'resources',
      '-o',
      'tsv',
      '-f',
      'stack_name',
      '-f',
      'version',
      '-f',
      'LogicalResourceId',
      '-f',
      'resource_type',
      '-f',
      'ResourceStatus',
      '--debug',
    );
    expect(r.code, r.stderr).toBe(0);
    const perStack = [
      'AppLoadBalancer\tAWS::ElasticLoadBalancing::LoadBalancer',
      'AppLoadBalancerMainDomain\tAWS::Route53::RecordSet',
      'AppLoadBalancerVersionDomain\tAWS::Route53::RecordSet',
      'AppServer\tAWS::AutoScaling::AutoScalingGroup',
      'AppServerInstanceProfile\tAWS::IAM::InstanceProfile',
      'AppServerLaunchTemplate\tAWS::EC2::LaunchTemplate',
    ];
    expect(r.stdout).toBe(
      [
        'stack_name\tversion\tLogicalResourceId\tresource_type\tResourceStatus',
        ...['1', '2'].flatMap((v) => perStack.map((p) => `hello-world\t${v}\t${p}\tCREATE_COMPLETE`)),
        '',
      ].join('\n'),
    );
    expect(calls(r.stderr)).toBe(3);
  });
});

describe('senza instances, status, domains', () => {
  it('instances: one DescribeInstances, LB health once per stack; -d adds the Docker image', async () => {
    const narrow = await senza('instances');
    expect(stable(narrow.stdout)).toMatch(
      /^Stack Name │Ver\.│Instance ID *│Private IP *│State {2}│LB Status │Launched\nhello-world 1 +i-ID +IP +RUNNING IN_SERVICE +AGO \n/,
    );
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const r = await wide('instances', '--debug');
    expect(r.code, r.stderr).toBe(0);
    expect(stable(r.stdout)).toMatch(
      /^Stack Name │Ver\.│Resource ID│Instance ID *│Public IP│Private IP *│State {2}│LB Status │Launched\nhello-world 1 +(AppServer)? +i-ID +IP +RUNNING IN_SERVICE +AGO \nhello-world 2 +(AppServer)? +i-ID +IP +RUNNING IN_SERVICE +AGO \n$/,
    );
    expect(calls(r.stderr)).toBe(3);
    const docker = await senza('instances', 'hello-world', '-d', '-o', 'json');
    expect(
      JSON.parse(docker.stdout).map((i: Record<string, unknown>) => [i.version, i.lb_status, i.docker_source]),
    ).toEqual([
      ['1', 'IN_SERVICE', 'stups/hello-world:0.1'],
      ['2', 'IN_SERVICE', 'stups/hello-world:0.2'],
    ]);
  });

  it('instances --piu without piu installed prints the piu commands, exit 1', async () => {
    const r = await runCli(SENZA, ['instances', 'hello-world', '1', '-p', 'debugging', '-O', 'odd.example.org'], {
      ...env,
      PATH: '/nonexistent',
    });
    expect(r.code).toBe(1);
    expect(stable(r.stderr)).toContain("piu request-access IP 'debugging via senza' --connect -O odd.example.org");
  });

  it('status: instance counts, LB health; HTTP ERROR where the domain does not answer', async () => {
    const r = await senza('status', '-o', 'tsv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'stack_name\tversion\tstatus\ttotal_instances\trunning_instances\thealthy_instances\tlb_status\thttp_status\tmain_dns',
        'hello-world\t1\tCREATE_COMPLETE\t1\t1\t1\tIN_SERVICE\tERROR\t',
        'hello-world\t2\tCREATE_COMPLETE\t1\t1\t1\tIN_SERVICE\tERROR\t',
        '',
      ].join('\n'),
    );
  });

  it('domains: weighted main domain and version domain per stack, each record name read once', async () => {
    const r = await senza(
      'domains',
      '-o',
      'tsv',
      '-f',
      'stack_name',
      '-f',
      'version',
      '-f',
      'resource_id',
      '-f',
      'domain',
      '-f',
      'weight',
      '-f',
      'type',
      '--debug',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'stack_name\tversion\tresource_id\tdomain\tweight\ttype',
        'hello-world\t1\tAppLoadBalancerMainDomain\thello-world.team.example.org\t0\tA',
        'hello-world\t1\tAppLoadBalancerVersionDomain\thello-world-1.team.example.org\t\tA',
        'hello-world\t2\tAppLoadBalancerMainDomain\thello-world.team.example.org\t0\tA',
        'hello-world\t2\tAppLoadBalancerVersionDomain\thello-world-2.team.example.org\t\tA',
        '',
      ].join('\n'),
    );
    // ListStacks, ListStackResources ×2, ListHostedZones, ListResourceRecordSets ×3 (one per record name,
    // from StartRecordName: never the whole zone)
    expect(calls(r.stderr)).toBe(7);
    const text = await senza('domains', 'hello-world', '1');
    expect(text.stdout.split('\n')[0]).toMatch(
      /^Stack Name │Ver\.│Resource ID +│Domain +│Weight│Type│Value +│Create Time$/,
    );
  });
});

describe('senza dump, config, console, watch', () => {
  it('dump prints the deployed template like print', async () => {
    const json = await senza('dump', 'hello-world', '2');
    expect(json.code, json.stderr).toBe(0);
    expect(
      json.stdout.startsWith(
        '{\n    "AWSTemplateFormatVersion": "2010-09-09",\n    "Description": "Hello World (ImageVersion: 0.2)",',
      ),
    ).toBe(true);
    const yaml = await senza('dump', 'hello-world', '1', '-o', 'yaml');
    expect(yaml.stdout).toContain(
      "AWSTemplateFormatVersion: '2010-09-09'\nDescription: 'Hello World (ImageVersion: 0.1)'\n",
    );
  });

  it('config: set, get, missing key exit 1, key without section exit 2', async () => {
    expect((await senza('config', 'sentry.endpoint')).code).toBe(1);
    const set = await senza('config', 'sentry.endpoint', 'https://sentry.example.org/7');
    expect(set.code, set.stderr).toBe(0);
    expect(readFileSync(join(work, 'config', 'senza', 'senza.yaml'), 'utf8')).toBe(
      'sentry:\n  endpoint: https://sentry.example.org/7\n',
    );
    expect(await senza('config', 'sentry.endpoint')).toMatchObject({
      code: 0,
      stdout: 'https://sentry.example.org/7\n',
    });
    const bad = await senza('config', 'nosection');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('key does not contain a section: nosection');
  });

  it('console: the last lines per instance; nothing found names the stack, exit 1', async () => {
    const r = await senza('console', 'hello-world', '1', '-l', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(stable(r.stdout).split('\n')[0]).toBe('Showing last 3 lines of hello-world-1/IP..');
    expect(r.stdout.split('\n')).toHaveLength(5);
    const none = await senza('console', 'nope', '7');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No stack matching 'nope' with version '7'.");
  });

  it('-w SECS off a TTY appends tables until interrupted; out-of-range periods are usage errors', async () => {
    const bad = await senza('list', '-w', '0');
    expect(bad.code).toBe(2);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [SENZA, 'list', '-w', '1', '-o', 'tsv', '-f', 'version'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    // Ctrl-C once two tables are out (not after a fixed time: a loaded machine starts Node slowly).
    const deadline = Date.now() + 30_000;
    while (out.split('version\n1\n2\n').length - 1 < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(out.split('version\n1\n2\n').length - 1).toBeGreaterThanOrEqual(2);
  });
});
