import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { RecordingHost } from '@stups/core';
import { AwsSession } from '@stups/core/aws';
import { switchTraffic, TRAFFIC_MESSAGES } from '@stups/core/senza/traffic';
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
const BIN = process.env.RACE_SENZA ?? SENZA;
const senza = (...args: string[]) => runCli(BIN, args, env);
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

  it('a switch that fails under throttling prints its weights as not applied, never as the result', async () => {
    await ensure(['1', '2']);
    ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
    const before = await weights();
    platform.faults.throttle({ operation: 'ChangeResourceRecordSets', service: 'route53', count: 10 });
    try {
      // Two attempts (the SDK's retry of a throttled call, kept short here), both throttled.
      const r = await runCli(BIN, ['traffic', 'hello-world', '2', '50'], { ...env, AWS_MAX_ATTEMPTS: '2' });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Setting weights for hello-world.team.example.org.. FAILED\n');
      expect(r.stderr).toContain('Warning: These new weights were NOT applied:\n');
      expect(r.stderr).toMatch(/hello-world 2 +0\.0 +50\.0 +50\.0 </);
      expect(r.stderr).toContain('Error: Route53 ChangeResourceRecordSets');
    } finally {
      platform.faults.clear();
    }
    expect(await weights()).toEqual(before);
  }, 120_000);

  it('the engine action: a lost compare-and-set is planned again, a target that began deleting is set back; every code it emits is registered', async () => {
    await ensure(['1', '2']);
    ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
    Object.assign(process.env, env);
    const session = new AwsSession({ region: 'eu-central-1' });
    /** A session whose first weight change is preceded by another command's (a real change, through the layer). */
    const racing = (times: number): AwsSession => {
      let left = times;
      return Object.assign(Object.create(session), {
        async send(service: string, command: { constructor: { name: string } }, resource?: string) {
          if (command.constructor.name === 'ChangeResourceRecordSetsCommand' && left-- > 0) {
            // Another switch writes first: 150/50 or 200/0, whichever the weights are not.
            const now = await weights();
            await setWeights(
              now['hello-world-1'] === 200
                ? { 'hello-world-1': 150, 'hello-world-2': 50 }
                : { 'hello-world-1': 200, 'hello-world-2': 0 },
            );
          }
          return session.send(service as never, command, resource);
        },
      });
    };
    try {
      const preview = new RecordingHost();
      const planned = await switchTraffic(session, {
        name: 'hello-world',
        version: '2',
        percentage: 50,
        planOnly: true,
        host: preview,
      });
      expect(planned.outcome).toBe('planned');
      expect(await weights()).toMatchObject({ 'hello-world-1': 200, 'hello-world-2': 0 });

      const host = new RecordingHost();
      const result = await switchTraffic(racing(1), {
        name: 'hello-world',
        version: '2',
        percentage: 50,
        host,
        sleep: async () => {},
      });
      expect(result).toMatchObject({ outcome: 'applied', attempts: 2 });
      // Planned again from what the other change left (150), not from what was read first (200).
      expect(result.changes.find((c) => c.setIdentifier === 'hello-world-1')).toMatchObject({
        oldWeight: 150,
        newWeight: 100,
      });
      expect(await weights()).toMatchObject({ 'hello-world-1': 100, 'hello-world-2': 100 });
      expect(host.codes()).toContain('senza.traffic-conflict');

      const loser = new RecordingHost();
      await expect(
        switchTraffic(racing(3), {
          name: 'hello-world',
          version: '2',
          percentage: 100,
          attempts: 3,
          host: loser,
          sleep: async () => {},
        }),
      ).rejects.toMatchObject({ code: 'senza.traffic-lost-race', exitCode: 1 });
      expect(loser.codes().filter((c) => c === 'senza.traffic-conflict')).toHaveLength(2);
      expect(loser.messages.find((m) => m.code === 'senza.traffic-not-applied')?.data).toMatchObject({
        rows: expect.any(Array),
      });

      // A delete that begins right after the weights are written: the switch sets its change back and fails.
      await ensure(['7']);
      ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
      const deleting = Object.assign(Object.create(session), {
        async send(service: string, command: { constructor: { name: string } }, resource?: string) {
          const out = await session.send(service as never, command, resource);
          // Once: the setting back is the next weight change, and by then the stack is gone.
          if (command.constructor.name === 'ChangeResourceRecordSetsCommand' && (await stackStatus('hello-world-7'))) {
            await cfn.send(new DeleteStackCommand({ StackName: 'hello-world-7' }));
          }
          return out;
        },
      });
      const late = new RecordingHost();
      await expect(
        switchTraffic(deleting, { name: 'hello-world', version: '7', percentage: 50, host: late }),
      ).rejects.toMatchObject({
        code: 'senza.traffic-target-deleted',
        message: expect.stringContaining('while traffic was shifted to it: the change was set back'),
      });
      expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });

      for (const code of [...preview.codes(), ...host.codes(), ...loser.codes(), ...late.codes()].filter((c) =>
        c.startsWith('senza.'),
      )) {
        expect(TRAFFIC_MESSAGES, code).toHaveProperty([code]);
      }
    } finally {
      session.destroy();
    }
  }, 120_000);
});

/**
 * A loopback proxy in front of the layer, for a fault no peer produces on demand: the next call of
 * `operation` is forwarded to AWS, which does it, and then the connection is dropped before the answer
 * (the caller cannot know). Afterwards that operation is refused (`writes`: the retries fail too), or
 * every call is (`all`: AWS is gone, nothing can be read back either).
 */
async function answerLosingProxy(target: string) {
  const mode = {
    operation: '',
    armed: false,
    afterwards: 'writes' as 'none' | 'writes' | 'all',
    refusing: 'none' as string,
    lost: 0,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isOperation =
        mode.operation === 'ChangeResourceRecordSets'
          ? req.method === 'POST' && /\/rrset\/?$/.test(req.url ?? '')
          : mode.operation !== '' && body.toString().includes(`Action=${mode.operation}&`);
      if (mode.refusing === 'all' || (mode.refusing === 'writes' && isOperation)) {
        req.socket.destroy();
        return;
      }
      const upstream = request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            if (isOperation && mode.armed) {
              mode.armed = false;
              mode.lost++;
              mode.refusing = mode.afterwards;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode,
    lose(operation: string, afterwards: 'none' | 'writes' | 'all') {
      Object.assign(mode, { operation, armed: true, afterwards, refusing: 'none', lost: 0 });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('a change whose answer is lost (issue 17 item 10)', () => {
  it('traffic: read back and told as applied, or as unknown when nothing answers; never "NOT applied"', async () => {
    await ensure(['1', '2']);
    ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
    const proxy = await answerLosingProxy(platform.endpoint);
    const via = { ...localAwsEnv(proxy.endpoint), AWS_MAX_ATTEMPTS: '2' };
    try {
      for (let round = 1; round <= 3; round++) {
        const version = round % 2 === 1 ? '2' : '1';
        const expected =
          version === '2'
            ? { 'hello-world-1': 100, 'hello-world-2': 100 }
            : { 'hello-world-1': 200, 'hello-world-2': 0 };
        proxy.lose('ChangeResourceRecordSets', 'writes');
        const r = await runCli(BIN, ['traffic', 'hello-world', version, version === '2' ? '50' : '100'], via);
        expect(proxy.mode.lost, r.stderr).toBe(1);
        expect(await weights()).toEqual(expected);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).not.toContain('NOT applied');
        expect(r.stderr).toContain('read back from Route 53: the new weights are applied');
      }
      // AWS gone right after the change: nothing can be read back, so nothing is claimed.
      proxy.lose('ChangeResourceRecordSets', 'all');
      const gone = await runCli(BIN, ['traffic', 'hello-world', '1', '100'], via);
      expect(proxy.mode.lost).toBe(1);
      expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
      expect(gone.code).toBe(1);
      expect(gone.stderr).not.toContain('NOT applied');
      expect(gone.stderr).toContain(
        'Error: Whether the new weights of hello-world.team.example.org. were applied is unknown',
      );
      expect(gone.stderr).toContain('Hint: Look at the weights (senza traffic hello-world)');
    } finally {
      await proxy.close();
    }
  }, 240_000);

  it('create: a stack created while the answer was lost is told as created; unknown when nothing answers', async () => {
    const proxy = await answerLosingProxy(platform.endpoint);
    const via = { ...localAwsEnv(proxy.endpoint), AWS_MAX_ATTEMPTS: '2' };
    try {
      for (const [version, afterwards] of [
        ['21', 'writes'],
        ['22', 'all'],
      ] as const) {
        proxy.lose('CreateStack', afterwards);
        const r = await runCli(BIN, ['create', 'examples/hello-world.yaml', version, '1.0'], via);
        expect(proxy.mode.lost, r.stderr).toBe(1);
        expect(await stackStatus(`hello-world-${version}`)).toBeDefined();
        if (afterwards === 'writes') {
          expect(r.code, r.stderr).toBe(0);
          expect(r.stderr).toContain(`read back: stack hello-world-${version} was created by this command`);
        } else {
          expect(r.code).toBe(1);
          expect(r.stderr).toContain(
            `Creating Cloud Formation stack hello-world-${version}.. Whether stack hello-world-${version} was created is unknown`,
          );
          expect(r.stderr).not.toContain('already exists');
        }
      }
      // A retry that finds the stack (the first attempt created it) is no "already exists" either: the retry
      // carries the first attempt's ClientRequestToken, and the session counts its own applied attempt as
      // the success it was.
      proxy.lose('CreateStack', 'none');
      const retried = await runCli(BIN, ['create', 'examples/hello-world.yaml', '23', '1.0'], via);
      expect(proxy.mode.lost, retried.stderr).toBe(1);
      expect(retried.code, retried.stderr).toBe(0);
      expect(retried.stderr).toContain('Creating Cloud Formation stack hello-world-23.. OK');
      expect(retried.stderr).not.toContain('already exists');
      // And a stack that existed before is still refused.
      const again = await runCli(BIN, ['create', 'examples/hello-world.yaml', '23', '1.0'], via);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Stack hello-world-23 already exists');
    } finally {
      await proxy.close();
      for (const v of ['21', '22', '23']) await cfn.send(new DeleteStackCommand({ StackName: `hello-world-${v}` }));
    }
  }, 240_000);
});
