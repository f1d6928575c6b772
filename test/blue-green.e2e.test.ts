import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { type Platform, startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

// The main job end to end, as a user runs it: two versions of hello-world, traffic shifted in steps,
// the old version deleted — asserted through the AWS SDK, not through senza's own output.
let platform: Platform;
let env: NodeJS.ProcessEnv;
let work: string;
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
const senza = (...args: string[]) => runCli(SENZA, args, env);

async function weights(): Promise<Record<string, number>> {
  const route53 = new Route53Client({ endpoint: platform.endpoint, region: 'eu-central-1', credentials });
  const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: platform.seeded?.hostedZoneId }));
  const records = (out.ResourceRecordSets ?? []).filter(
    (r) => r.Name === 'hello-world.team.example.org.' && r.SetIdentifier,
  );
  return Object.fromEntries(records.map((r) => [r.SetIdentifier as string, r.Weight ?? -1]));
}

async function stackStatus(name: string): Promise<string | undefined> {
  const cfn = new CloudFormationClient({ endpoint: platform.endpoint, region: 'eu-central-1', credentials });
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'blue-green-e2e-'));
  platform = await startPlatform({ stateDir: join(work, 'platform') });
  env = localAwsEnv(platform.endpoint);
});

afterAll(async () => {
  await platform?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('blue/green with senza on the local platform', () => {
  it('create v1 and v2, traffic 2 50 then 100, delete v1', async () => {
    const v1 = await senza('create', 'examples/hello-world.yaml', '1', '1.0', '--wait');
    expect(v1.code, v1.stderr).toBe(0);
    expect(await stackStatus('hello-world-1')).toBe('CREATE_COMPLETE');
    expect((await senza('traffic', 'hello-world', '1', '100')).code).toBe(0);
    expect(await weights()).toEqual({ 'hello-world-1': 200 });

    const v2 = await senza('create', 'examples/hello-world.yaml', '2', '2.0', '--wait');
    expect(v2.code, v2.stderr).toBe(0);
    expect(await stackStatus('hello-world-2')).toBe('CREATE_COMPLETE');
    // A new version gets no traffic.
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });

    const list = await senza('list', '-o', 'json');
    expect(JSON.parse(list.stdout).map((s: { version: string; status: string }) => `${s.version}:${s.status}`)).toEqual(
      ['1:CREATE_COMPLETE', '2:CREATE_COMPLETE'],
    );

    const half = await senza('traffic', 'hello-world', '2', '50');
    expect(half.code, half.stderr).toBe(0);
    expect(await weights()).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100 });
    const full = await senza('traffic', 'hello-world', '2', '100');
    expect(full.code, full.stderr).toBe(0);
    expect(await weights()).toEqual({ 'hello-world-1': 0, 'hello-world-2': 200 });

    const show = await senza('traffic', 'hello-world', '-o', 'json');
    expect(JSON.parse(show.stdout).map((r: Record<string, unknown>) => [r.version, r['weight%']])).toEqual([
      ['1', 0],
      ['2', 100],
    ]);

    // Instances of both versions, in service behind their load balancers, tagged by CloudFormation.
    const instances = JSON.parse((await senza('instances', 'hello-world', '-o', 'json')).stdout);
    expect(
      instances.map((i: Record<string, string>) => `${i.version}:${i.resource_id}:${i.state}:${i.lb_status}`).sort(),
    ).toEqual(['1:AppServer:RUNNING:IN_SERVICE', '2:AppServer:RUNNING:IN_SERVICE']);
    // Per-resource events, as AWS writes them.
    const events = JSON.parse((await senza('events', 'hello-world', '2', '-o', 'json')).stdout);
    expect(
      events.some(
        (e: Record<string, string>) => e.LogicalResourceId === 'AppServer' && e.ResourceStatus === 'CREATE_COMPLETE',
      ),
    ).toBe(true);

    const deleted = await senza('delete', 'hello-world', '1', '--wait');
    expect(deleted.code, deleted.stderr).toBe(0);
    // As on AWS, a deleted stack is no longer found by name; ListStacks still shows it as deleted.
    expect(await stackStatus('hello-world-1')).toBeUndefined();
    const all = JSON.parse((await senza('list', '--all', '-o', 'json')).stdout);
    expect(all.map((s: { version: string; status: string }) => `${s.version}:${s.status}`)).toContain(
      '1:DELETE_COMPLETE',
    );
    // Deleting v1 leaves v2's weighted record of the same name alone.
    expect(await weights()).toEqual({ 'hello-world-2': 200 });
    const remaining = JSON.parse((await senza('list', '-o', 'json')).stdout);
    expect(remaining.map((s: { version: string }) => s.version)).toEqual(['2']);
  });

  it('refuses to delete a version that still gets traffic', async () => {
    const r = await senza('delete', 'hello-world', '2');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Stack hello-world-2 has traffic!');
    expect(await stackStatus('hello-world-2')).toBe('CREATE_COMPLETE');
  });

  it('retries throttled AWS calls and succeeds', async () => {
    platform.faults.throttle({ operation: 'ListStacks', count: 2 });
    const r = await runCli(SENZA, ['list', '-o', 'json', '--debug'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(platform.faults.list().throttle).toEqual([]);
  });

  it('expired or missing credentials: exit 3 with the fix', async () => {
    platform.faults.expireCredentials({ count: 10 });
    const expired = await senza('list');
    platform.faults.clear();
    expect(expired.code).toBe(3);
    expect(expired.stderr).toContain('Error: AWS credentials have expired.');
    expect(expired.stderr).toContain('Hint: Get new temporary credentials');

    const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...noCredentials } = env;
    const missing = await runCli(SENZA, ['list'], { ...noCredentials, HOME: work, AWS_EC2_METADATA_DISABLED: 'true' });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Error: No AWS credentials found.');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('names an unknown version and a bad percentage (exit 2)', async () => {
    const unknown = await senza('traffic', 'hello-world', '9', '50');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Stack version 9 not found');
    const bad = await senza('traffic', 'hello-world', '2', 'lots');
    expect(bad.code).toBe(2);
    const outside = await senza('traffic', 'hello-world', '2', '150');
    expect(outside.code).toBe(2);
  });
});
