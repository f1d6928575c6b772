import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
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
// RACE_SENZA=<another build's bin.js> runs the races with that senza (how the tests were shown to fail before).
const senza = (...args: string[]) => runCli(process.env.RACE_SENZA ?? SENZA, args, env);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    .filter(
      (r) => r.SetIdentifier === `hello-world-${version}` || r.Name === `hello-world-${version}.team.example.org.`,
    )
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

/** Starting weights, written with the Route53 API (not by senza). */
async function setWeights(bySetId: Record<string, number>): Promise<void> {
  const records = (await zoneRecords()).filter((r) => r.Name === MAIN && r.SetIdentifier! in bySetId);
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: platform.seeded?.hostedZoneId,
      ChangeBatch: {
        Changes: records.map((r) => {
          const copy = { ...r, Weight: bySetId[r.SetIdentifier as string] };
          if (copy.AliasTarget) delete copy.TTL;
          return { Action: 'UPSERT' as const, ResourceRecordSet: copy };
        }),
      },
    }),
  );
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

/** Each test can run alone (`-t`): the versions it needs are created when missing. */
async function ensure(versions: string[]): Promise<void> {
  for (const v of versions) if (!(await stackStatus(`hello-world-${v}`))) await create(v);
}

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

  it('concurrent switches are compare-and-set: 3 at once, 8 rounds, every result is a serial one', async () => {
    const versions = ['1', '2', '3', '4', '5'];
    await ensure(versions);
    const starts = [
      [40, 40, 40, 40, 40],
      [100, 0, 50, 0, 50],
      [10, 90, 20, 30, 50],
      [0, 100, 0, 50, 50],
      [60, 20, 20, 20, 80],
      [2, 2, 2, 2, 192],
      [50, 50, 50, 50, 0],
      [196, 1, 1, 1, 1],
    ];
    let retries = 0;
    // Versions 3 and 4 always keep traffic: no command is refused for leaving the domain without any.
    for (const [round, start] of starts.entries()) {
      await setWeights(Object.fromEntries(versions.map((v, i) => [`hello-world-${v}`, start[i]])));
      const targets = ['1', '2', '5'];
      const results = await Promise.all(targets.map((v) => senza('traffic', 'hello-world', v, '0', '-o', 'json')));
      retries += results.filter((r) => r.stderr.includes('reading them again')).length;
      const label = `round ${round + 1} from ${start.join('/')}`;
      const won: string[] = [];
      for (const [i, r] of results.entries()) {
        if (r.code === 0) won.push(targets[i]);
        else expect(r.stderr, `${label}: traffic ${targets[i]} 0`).toContain('came first 5 times: nothing applied');
      }
      expect(won.length, `${label}: someone wins`).toBeGreaterThan(0);
      const now = await weights();
      const total = Object.values(now).reduce((a, b) => a + b, 0);
      expect(total, `${label}: ${JSON.stringify(now)}`).toBe(200);
      // Every command that succeeded took its version's traffic away, whatever ran at the same time.
      for (const v of won) expect(now[`hello-world-${v}`], `${label}: ${v} ${JSON.stringify(now)}`).toBe(0);
      // The weights are exactly one successful command's plan (the last one applied).
      const plans = won.map((v) => {
        const rows = JSON.parse(results[targets.indexOf(v)].stdout) as { identifier: string; 'new_weight%': number }[];
        return Object.fromEntries(rows.map((row) => [row.identifier, Math.round(row['new_weight%'] * 2)]));
      });
      expect(plans, `${label}: ${JSON.stringify(now)}`).toContainEqual(now);
    }
    console.log(`3 concurrent switches, ${starts.length} rounds: ${retries} commands lost a race and planned again`);
  }, 240_000);

  it('delete racing traffic: no weight stays on a deleted stack, and not both commands succeed (10 trials)', async () => {
    await ensure(['1']);
    ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
    for (const v of ['2', '3', '4', '5']) {
      if (await stackStatus(`hello-world-${v}`)) ok(await senza('delete', 'hello-world', v), `clean up ${v}`);
    }
    const outcomes: string[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const v = String(10 + trial);
      await create(v);
      expect(await weights()).toEqual({ 'hello-world-1': 200, [`hello-world-${v}`]: 0 });
      const offset = (trial % 5) * 60;
      const [traffic, deletion] = await Promise.all([
        senza('traffic', 'hello-world', v, '50'),
        pause(offset).then(() => senza('delete', 'hello-world', v)),
      ]);
      const label = `trial ${trial + 1} (delete ${offset} ms later): traffic ${traffic.code} ${traffic.stderr.trim()} / delete ${deletion.code} ${deletion.stderr.trim()}`;
      const deleted = (await stackStatus(`hello-world-${v}`)) === undefined;
      outcomes.push(`traffic ${traffic.code}/delete ${deletion.code}${deleted ? ' (deleted)' : ''}`);
      const now = await weights();
      expect(traffic.code === 0 && deletion.code === 0, label).toBe(false);
      if (deleted) {
        expect(await recordsOf(v), label).toEqual([]);
        if (deletion.code === 0) expect(now, label).toEqual({ 'hello-world-1': 200 });
        else expect(deletion.stderr, label).toContain('got traffic while it was being deleted');
      } else {
        expect(deletion.code, label).toBe(1);
        expect(now, label).toEqual(
          traffic.code === 0
            ? { 'hello-world-1': 100, [`hello-world-${v}`]: 100 }
            : { 'hello-world-1': 200, [`hello-world-${v}`]: 0 },
        );
        ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
        ok(await senza('delete', 'hello-world', v), `delete ${v}`);
      }
      if (!('hello-world-1' in now) || now['hello-world-1'] !== 200) {
        ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
      }
    }
    console.log(`delete racing traffic, exit codes: ${outcomes.join(', ')}`);
  }, 240_000);
});
