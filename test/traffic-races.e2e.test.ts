import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { type Platform, startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, localAwsEnv, runCli, SENZA } from './support/run-cli.js';

// senza and stups-local under races (issue 7 items 1–3): commands run as real subprocesses of the built
// CLI, at the same time, against one platform; every assertion reads Route53 and CloudFormation with
// the SDK. The loops are bounded (rounds, not time).

const MAIN = 'hello-world.team.example.org.';
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
let platform: Platform;
let env: NodeJS.ProcessEnv;
let work: string;
let route53: Route53Client;
let cfn: CloudFormationClient;
let elb: ElasticLoadBalancingClient;
const senza = (...args: string[]) => runCli(SENZA, args, env);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'traffic-races-e2e-'));
  platform = await startPlatform({ stateDir: join(work, 'platform') });
  env = localAwsEnv(platform.endpoint);
  const config = { endpoint: platform.endpoint, region: 'eu-central-1', credentials };
  route53 = new Route53Client(config);
  cfn = new CloudFormationClient(config);
  elb = new ElasticLoadBalancingClient(config);
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function zoneRecords() {
  const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: platform.seeded?.hostedZoneId }));
  return out.ResourceRecordSets ?? [];
}

/** The main domain's weights by SetIdentifier (a duplicate record of one identifier is reported, not hidden). */
async function weights(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await zoneRecords()) {
    if (r.Name !== MAIN || !r.SetIdentifier) continue;
    const key = r.SetIdentifier in out ? `${r.SetIdentifier} (duplicate)` : r.SetIdentifier;
    out[key] = r.Weight ?? -1;
  }
  return out;
}

/** Names of every record in the zone that belongs to the version (its version domain, its weighted records). */
async function recordsOf(version: string): Promise<string[]> {
  return (await zoneRecords())
    .filter((r) => r.SetIdentifier === `hello-world-${version}` || r.Name === `hello-world-${version}.team.example.org.`)
    .map((r) => `${r.Name} ${r.Type} ${r.SetIdentifier ?? ''}`);
}

async function stackStatus(name: string): Promise<string | undefined> {
  try {
    const status = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
    return status === 'DELETE_COMPLETE' ? undefined : status;
  } catch {
    return undefined;
  }
}

async function loadBalancerCount(): Promise<number> {
  return (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions?.length ?? 0;
}

function ok(r: CliResult, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBe(0);
}

const create = async (version: string) =>
  ok(await senza('create', 'examples/hello-world.yaml', version, '1.0', '--wait'), `create ${version}`);
const remove = async (version: string) =>
  ok(await senza('delete', 'hello-world', version, '--wait'), `delete ${version}`);

describe('races and repeated cycles on one platform', () => {
  it('deleting one version never touches another version: 5 create/delete cycles', async () => {
    await create('1');
    ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
    const lbs = await loadBalancerCount();
    for (let cycle = 1; cycle <= 5; cycle++) {
      await create('2');
      await create('3');
      expect(await weights(), `cycle ${cycle} created`).toEqual({
        'hello-world-1': 200,
        'hello-world-2': 0,
        'hello-world-3': 0,
      });
      ok(await senza('traffic', 'hello-world', '2', '50'), 'traffic 2 50');
      expect(await weights()).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100, 'hello-world-3': 0 });
      await remove('3');
      expect(await weights(), `cycle ${cycle} after delete 3`).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100 });
      expect(await recordsOf('3')).toEqual([]);
      ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
      await remove('2');
      expect(await weights(), `cycle ${cycle} after delete 2`).toEqual({ 'hello-world-1': 200 });
      expect(await recordsOf('2')).toEqual([]);
      expect(await stackStatus('hello-world-2')).toBeUndefined();
      expect(await loadBalancerCount(), 'the deleted versions took their load balancers along').toBe(lbs);
    }
    expect((await recordsOf('1')).length).toBe(2);
  }, 240_000);
});
