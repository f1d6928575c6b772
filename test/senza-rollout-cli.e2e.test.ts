import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  closeRouterConnections,
  type Platform,
  type PlatformOptions,
  routerRequest,
  startPlatform,
  startRouter,
} from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, localAwsEnv, runCli, runProgram, SENZA } from './support/run-cli.js';

// `senza traffic NAME VERSION --steps …` and `--status/--resume/--abort/--plan` (issue 18) as a user
// runs them, against stups-local with its weighted router in front of the versions' instances. The
// instances' containers are stand-ins here (HTTP servers on unix sockets, as the Docker runtime's
// forwarders are: no Docker engine is needed); the router, its health checks and its CloudWatch metrics
// are the real ones. Without requests no load balancer metrics are published, so every rate gate is
// inconclusive and the rollout pauses (exit 4) unless a test sends traffic through the router.

const MAIN = 'hello-world.team.example.org.';
const HOST = 'hello-world.team.example.org';
const REGION = 'eu-central-1';
let platform: Platform;
let env: NodeJS.ProcessEnv;
let work: string;
let route53: Route53Client;
let router: Awaited<ReturnType<typeof startRouter>>;
const senza = (...args: string[]) => runCli(SENZA, args, env);

type Instance = ReturnType<Parameters<typeof startRouter>[0]['instances']['instances']>[number];
const links: NonNullable<PlatformOptions['links']> = {};
const running: Instance[] = [];
const servers: Server[] = [];
/** Instances whose page answers 500 while their health check (ELB-HealthChecker) passes: a broken version. */
const failing = new Set<string>();

/** Gives every running instance of the hello-world versions a stand-in container (once). */
async function adoptInstances(): Promise<void> {
  const ec2 = new EC2Client({
    endpoint: platform.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  const found = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }),
  );
  ec2.destroy();
  for (const i of (found.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
    const id = i.InstanceId ?? '';
    const stack = i.Tags?.find((t) => t.Key === 'aws:cloudformation:stack-name')?.Value ?? '';
    if (!stack.startsWith('hello-world-') || running.some((r) => r.instanceId === id)) continue;
    const socket = join(work, `${id}.sock`);
    const server = createServer((req, res) => {
      req.resume();
      const check = req.headers['user-agent'] === 'ELB-HealthChecker/1.0';
      if (!check && failing.has(stack)) res.writeHead(500).end('failing on purpose');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${stack}`);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socket, () => resolve()));
    running.push({
      instanceId: id,
      stackName: stack,
      region: REGION,
      containerId: `c-${id}`,
      sockets: { 8080: socket },
      running: true,
    });
  }
}

/** Until every instance of the versions is InService in the router's health checks. */
async function allInService(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const states = ['hello-world-1', 'hello-world-2'].flatMap((lb) => router.health.instanceHealth(lb, REGION) ?? []);
    if (states.length >= 2 && states.every((h) => h.state === 'InService')) return;
    if (Date.now() > deadline) throw new Error(`instances not InService: ${JSON.stringify(states)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-rollout-cli-e2e-'));
  platform = await startPlatform({ stateDir: join(work, 'platform'), region: REGION, links });
  env = localAwsEnv(platform.endpoint);
  route53 = new Route53Client({
    endpoint: platform.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  for (const v of ['1', '2']) ok(await senza('create', 'examples/hello-world.yaml', v, '1.0', '--wait'), `create ${v}`);
  await adoptInstances();
  const source = { instances: () => running, consoleOutput: async () => undefined, poke: () => undefined };
  router = await startRouter({
    motoEndpoint: platform.motoEndpoint,
    awsEndpoint: platform.endpoint,
    region: REGION,
    instances: source,
    maxHealthIntervalSeconds: 1,
    log: () => undefined,
  });
  links.instances = source;
  links.health = router.health;
  await allInService();
  ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
}, 300_000);

afterAll(async () => {
  closeRouterConnections();
  await router?.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await platform?.stop();
  rmSync(work, { recursive: true, force: true });
});

function ok(r: CliResult, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBe(0);
}

async function zone() {
  const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: platform.seeded?.hostedZoneId }));
  return out.ResourceRecordSets ?? [];
}

async function weights(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await zone()) if (r.Name === MAIN && r.SetIdentifier) out[r.SetIdentifier] = r.Weight ?? -1;
  return out;
}

const hasRecord = async () => (await zone()).some((r) => r.Name === `_senza-rollout.${MAIN}` && r.Type === 'TXT');
const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });

describe('senza traffic --steps', () => {
  it('refuses bad specifications (exit 2) before touching anything', async () => {
    for (const args of [
      ['--steps', '10,50'],
      ['--steps', '10,100', '--gate', 'cpu<1%'],
      ['--steps', '10,100', '--bake', '5x'],
      ['50', '--steps', '10,100'],
    ]) {
      const r = await senza('traffic', 'hello-world', '2', ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
    expect(await hasRecord()).toBe(false);
  }, 60_000);

  it('--plan -o json: every step’s weights, the revert, the metric queries and the duration; deterministic', async () => {
    const args = [
      'traffic',
      'hello-world',
      '2',
      '--steps',
      '10,50,100',
      '--gate',
      '5xx-rate<1%',
      '--gate',
      'alarm:slo',
      '--plan',
      '-o',
      'json',
    ];
    const a = await senza(...args);
    ok(a, 'plan');
    const b = await senza(...args);
    expect(b.stdout).toBe(a.stdout);
    const plan = JSON.parse(a.stdout);
    expect(
      plan.steps.map((s: { percentage: number; domains: { weights: { weight: number }[] }[] }) => [
        s.percentage,
        s.domains[0].weights.map((w) => w.weight),
      ]),
    ).toEqual([
      [10, [180, 20]],
      [50, [100, 100]],
      [100, [0, 200]],
    ]);
    expect(
      Object.fromEntries(
        plan.revert[0].weights.map((w: { identifier: string; weight: number }) => [w.identifier, w.weight]),
      ),
    ).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
    expect(
      plan.queries.map((q: { MetricStat: { Metric: { MetricName: string } } }) => q.MetricStat.Metric.MetricName),
    ).toContain('HTTPCode_Backend_5XX');
    expect(plan.alarms).toEqual(['slo']);
    expect([plan.minSeconds, plan.maxSeconds]).toEqual([60, 600]);
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
  }, 60_000);

  it('pauses without data (exit 4); a second rollout is refused; --status shows it; --abort restores the weights', async () => {
    const r = await senza(
      'traffic',
      'hello-world',
      '2',
      '--steps',
      '50,100',
      '--bake',
      '2s',
      '--interval',
      '1s',
      '-o',
      'json',
    );
    expect(r.code, r.stderr).toBe(4);
    const ev = events(r.stdout);
    expect(ev[0]).toMatchObject({ event: 'started', percentage: 50 });
    // Evaluations at 1 s and at the end of the 2 s bake; when the first comes late (a loaded machine) the
    // loop makes only the one due last. Every one inconclusive, the last at the end of the bake.
    const evaluations = ev.filter((e) => e.event === 'evaluation') as unknown as {
      verdict: string;
      at: string;
      bakeEndsAt: string;
    }[];
    expect(evaluations.length).toBeGreaterThanOrEqual(1);
    expect(evaluations.length).toBeLessThanOrEqual(2);
    expect(evaluations.every((e) => e.verdict === 'inconclusive')).toBe(true);
    expect(evaluations.at(-1)?.at).toBe(evaluations.at(-1)?.bakeEndsAt);
    expect(ev.at(-1)).toMatchObject({ event: 'paused' });
    expect(await weights()).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100 });

    const second = await senza('traffic', 'hello-world', '2', '--steps', '100');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('A rollout is already running');

    const status = await senza('traffic', 'hello-world', '--status');
    ok(status, 'status');
    expect(status.stdout).toMatch(/^Rollout \w+ of hello-world-2: paused/);
    const statusJson = JSON.parse((await senza('traffic', 'hello-world', '--status', '-o', 'json')).stdout);
    expect(statusJson).toMatchObject({ target: 'hello-world-2', status: 'paused', step: 0 });

    ok(await senza('traffic', 'hello-world', '--abort'), 'abort');
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
    expect(await hasRecord()).toBe(false);
    expect((await senza('traffic', 'hello-world', '--status')).stdout).toContain('No rollout is running');
  }, 120_000);

  it('Ctrl-C: exit 130 with the --resume command; --resume continues it', async () => {
    const r = await runProgram(
      process.execPath,
      [SENZA, 'traffic', 'hello-world', '2', '--steps', '50,100', '--bake', '20s', '--interval', '1s', '-o', 'json'],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...env },
        onSpawn: (child) => {
          child.stdout?.on('data', (d: Buffer) => {
            if (d.toString().includes('"event":"evaluation"')) child.kill('SIGINT');
          });
        },
      },
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('senza traffic hello-world --resume');
    expect(await hasRecord()).toBe(true);
    expect(await weights()).toEqual({ 'hello-world-1': 100, 'hello-world-2': 100 });
    // Still no data: the resumed rollout bakes the rest of the step and pauses.
    const resumed = await senza('traffic', 'hello-world', '--resume', '-o', 'json');
    expect(resumed.code, resumed.stderr).toBe(4);
    expect(events(resumed.stdout).at(-1)).toMatchObject({ event: 'paused' });
    ok(await senza('traffic', 'hello-world', '--abort'), 'abort');
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
  }, 120_000);

  it('a manual senza traffic while a step bakes stops the rollout (exit 4), the weights left as the manual change set them', async () => {
    let manual: Promise<CliResult> | undefined;
    const r = await runProgram(
      process.execPath,
      [SENZA, 'traffic', 'hello-world', '2', '--steps', '50,100', '--bake', '60s', '--interval', '1s', '-o', 'json'],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...env },
        onSpawn: (child) => {
          child.stdout?.on('data', (d: Buffer) => {
            if (!manual && d.toString().includes('"event":"evaluation"'))
              manual = senza('traffic', 'hello-world', '2', '25');
          });
        },
      },
    );
    ok(await (manual as Promise<CliResult>), 'the manual switch');
    expect(r.code, r.stderr).toBe(4);
    const ev = events(r.stdout);
    // Every NDJSON line names its registered message code.
    expect(ev.every((e) => e.code === `senza.rollout-${e.event}`)).toBe(true);
    expect(ev.at(-1)).toMatchObject({ event: 'paused', code: 'senza.rollout-paused' });
    expect(String(ev.at(-1)?.reason)).toContain('changed outside the rollout');
    // Stopped, not fought: the manual weights stay, the record says paused.
    expect(await weights()).toEqual({ 'hello-world-1': 150, 'hello-world-2': 50 });
    expect((await senza('traffic', 'hello-world', '--status')).stdout).toMatch(/: paused \(.*changed outside/);
    // --resume refuses while the weights differ from the rollout's step; --abort restores the start (exit 0).
    const resumed = await senza('traffic', 'hello-world', '--resume');
    expect(resumed.code, resumed.stderr).toBe(4);
    expect(resumed.stderr).toContain('changed outside the rollout');
    const aborted = await senza('traffic', 'hello-world', '--abort');
    ok(aborted, 'abort');
    expect(aborted.stderr).toContain('Aborted the rollout of hello-world-2');
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
    expect(await hasRecord()).toBe(false);
  }, 120_000);

  it('on a terminal: a block redrawn in place with the step, the countdown, every version and each gate', async () => {
    // util-linux `script` gives senza a terminal (a pty) for stdin, stdout and stderr, as a person has.
    const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, SENZA, 'traffic', 'hello-world', '2', '--steps', '50,100', '--bake', '3s']
      .concat(['--interval', '1s'])
      .map(quote)
      .join(' ');
    const r = await runProgram('script', ['-qfec', `stty cols 100; ${command}`, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', TERM: 'xterm', ...env },
    });
    expect(r.code, r.stdout).toBe(4);
    const screen = r.stdout;
    // Redrawn: the cursor goes back up over the block (ESC [ n A, ESC [ J) instead of appending lines.
    expect(screen).toMatch(/\u001b\[\d+A\u001b\[J/);
    expect(screen).toMatch(/Rollout \w+ of hello-world-2: step 1\/2, 50 % — bake \ds left/);
    expect(screen).toMatch(/version\s+served \/ intended\s+requests\s+5xx\s+latency/);
    expect(screen).toMatch(/2 \(target\)\s+– \/ 50\.0 %\s+0/);
    expect(screen).toMatch(/1\s+– \/ 50\.0 %\s+0/);
    expect(screen).toContain('5xx-rate<1%: inconclusive');
    // The outcome stays below the block; no line per evaluation was appended.
    expect(screen).toMatch(/Paused \(.*\): continue with senza traffic hello-world --resume/);
    expect(screen).not.toContain('Step 1 at ');
    // The redrawn block fits the terminal's 100 columns (the outcome after it may wrap: nothing redraws it).
    const block = screen.slice(0, screen.lastIndexOf('Paused ('));
    for (const line of block.split(/\r?\n|\u001b\[\d+A\u001b\[J/)) expect([...line].length).toBeLessThan(100);
    ok(await senza('traffic', 'hello-world', '--abort'), 'abort');
    expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
  }, 120_000);

  it('revert latency through the router: a version answering 500 is rolled back within one interval + 5 s of the first failing evaluation, and 99 % of requests reach the old version within 20 s', async () => {
    failing.add('hello-world-2');
    const served: { at: number; by: string; status: number }[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const a = await routerRequest(router.endpoint, HOST);
          served.push({ at: Date.now(), by: a.stack ?? '', status: a.status });
        } catch {
          served.push({ at: Date.now(), by: '', status: 0 });
        }
      }
    };
    const workers = Promise.all(Array.from({ length: 8 }, worker));
    try {
      // 5xx-rate<5%: 50 requests of which all failed reject "at or below 5 %" at once.
      let r = await senza(
        'traffic',
        'hello-world',
        '2',
        '--steps',
        '50,100',
        '--bake',
        '20s',
        '-i',
        '1s',
        '--min-requests',
        '50',
        '--gate',
        '5xx-rate<5%',
        '-o',
        'json',
      );
      // A loaded machine may not send 50 requests in the first window: the rollout then pauses; resume it.
      for (let i = 0; i < 5 && r.code === 4; i++) r = await senza('traffic', 'hello-world', '--resume', '-o', 'json');
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
      const ev = events(r.stdout);
      const failed = ev.find((e) => e.event === 'evaluation' && e.verdict === 'fail') as unknown as {
        at: string;
        madeAt: string;
        versions: { version: string; requests: number; errors: number; intended: number; observed?: number }[];
      };
      // Every version's numbers from its own load balancer: v2 answered only 500s, v1 none.
      expect(failed.versions.map((v) => [v.version, v.intended])).toEqual([
        ['2', 50],
        ['1', 50],
      ]);
      expect(failed.versions[0].errors).toBe(failed.versions[0].requests);
      expect(failed.versions[1].errors).toBe(0);
      expect(failed.versions[1].requests).toBeGreaterThan(0);
      const back = ev.at(-1) as { event: string; decidedAt: string; restoredAt: string };
      expect(back.event).toBe('rolled-back');
      expect(back.decidedAt).toBe(failed.madeAt);
      const revertMs = Date.parse(back.restoredAt) - Date.parse(back.decidedAt);
      expect(revertMs).toBeLessThanOrEqual(1_000 + 5_000);
      expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
      // Keep the load on for 22 s after the breach, then find when the old version took the traffic back.
      // The breach: the end of the window whose evaluation failed (stricter than when it was made).
      const breach = Date.parse(failed.at);
      while (Date.now() < breach + 22_000) await new Promise((resolve) => setTimeout(resolve, 250));
      stop = true;
      await workers;
      const after = served.filter((a) => a.at >= breach);
      // The first moment from which on at least 99 % of the requests were answered by hello-world-1.
      let from = after.length;
      let old = 0;
      for (let i = after.length - 1; i >= 0; i--) {
        if (after[i].by === 'hello-world-1' && after[i].status === 200) old++;
        if (old >= 0.99 * (after.length - i)) from = i;
      }
      const tail = after.slice(from);
      expect(tail.length, 'requests after the old version took over').toBeGreaterThan(100);
      expect(tail[0].at - breach, 'ms from the breach until 99 % reach the old version').toBeLessThanOrEqual(20_000);

      // senza health shows the numbers the gates read (the same queries, summed over its 5 min window):
      // every request the router answered, by version, v2's all 5xx.
      const count = (stack: string, status?: number) =>
        served.filter((a) => a.by === stack && (status === undefined || a.status === status)).length;
      type HealthJson = { version: string; requests_5m: number; '5xx_5m': number; latency_5m_ms: number | null };
      let health: HealthJson[] = [];
      for (let i = 0; i < 20; i++) {
        const h = await senza('health', 'hello-world', '-o', 'json');
        ok(h, 'health');
        health = JSON.parse(h.stdout) as HealthJson[];
        // The router publishes each second's counts a second later: wait until both versions' are in.
        const published = (v: string) => health.find((x) => x.version === v)?.requests_5m;
        if (published('2') === count('hello-world-2') && published('1') === count('hello-world-1')) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const [h1, h2] = ['1', '2'].map((v) => health.find((x) => x.version === v) as HealthJson);
      expect(h2).toMatchObject({ requests_5m: count('hello-world-2'), '5xx_5m': count('hello-world-2', 500) });
      expect(h2.requests_5m).toBe(h2['5xx_5m']);
      expect(h1).toMatchObject({ requests_5m: count('hello-world-1'), '5xx_5m': 0 });
      expect(h1.latency_5m_ms).not.toBeNull();
    } finally {
      stop = true;
      await workers;
      failing.delete('hello-world-2');
    }
  }, 180_000);

  it('does not start when a version losing traffic could not take it back (its auto scaling group at 0)', async () => {
    ok(await senza('scale', 'hello-world', '1', '0'), 'scale 1 to 0');
    try {
      const r = await senza('traffic', 'hello-world', '2', '--steps', '50,100');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('could not give the traffic back to hello-world-1');
      expect(await weights()).toEqual({ 'hello-world-1': 200, 'hello-world-2': 0 });
      expect(await hasRecord()).toBe(false);
    } finally {
      ok(await senza('scale', 'hello-world', '1', '1'), 'scale 1 to 1');
      // The group's new instance gets its stand-in container, and the router's checks see it healthy.
      await adoptInstances();
      await allInService();
    }
  }, 60_000);

  it('crash safety: 30 runs killed with SIGKILL at seeded random moments, each then --resume: all converge, weights total 200, one record at most', async () => {
    let seed = 18;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const records = async () => (await zone()).filter((r) => r.Name === `_senza-rollout.${MAIN}` && r.Type === 'TXT');
    const START = { 'hello-world-1': 200, 'hello-world-2': 0 };
    const PROMOTED = { 'hello-world-1': 0, 'hello-world-2': 200 };
    const outcomes = { killedBeforeStart: 0, resumed: 0, finishedBeforeKill: 0 };
    for (let run = 0; run < 30; run++) {
      const delay = 150 + Math.floor(random() * 1500);
      const r = await runProgram(
        process.execPath,
        [SENZA, 'traffic', 'hello-world', '2', '--steps', '10,20,30,40,50,60,70,80,90,100', '--bake', '0s'],
        {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...env },
          onSpawn: (child) => {
            // Even runs: a moment after the start (before, during or after its first write); odd runs: a
            // moment after the rollout said it started, so the kill lands between its steps.
            if (run % 2 === 0) setTimeout(() => child.kill('SIGKILL'), delay);
            else
              child.stderr?.on('data', (d: Buffer) => {
                if (/Rollout \w+ of hello-world-2/.test(d.toString()))
                  setTimeout(() => child.kill('SIGKILL'), delay % 400);
              });
          },
        },
      );
      // A write the killed process had sent may still be applied after its death (by the layer, as by
      // Route53): let it land.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const w = await weights();
      expect(
        Object.values(w).reduce((a, b) => a + b, 0),
        `run ${run}`,
      ).toBe(200);
      const txt = await records();
      expect(txt.length, `run ${run}`).toBeLessThanOrEqual(1);
      if (txt.length === 1) {
        const resumed = await senza('traffic', 'hello-world', '--resume');
        expect(resumed.code, `run ${run}: ${resumed.stderr}`).toBe(0);
        expect(await weights(), `run ${run}`).toEqual(PROMOTED);
        outcomes.resumed++;
      } else if (r.code === 0) {
        expect(await weights(), `run ${run}`).toEqual(PROMOTED);
        outcomes.finishedBeforeKill++;
      } else {
        // Killed before its first write (or after its last): the weights are one of the two ends.
        expect([START, PROMOTED], `run ${run}`).toContainEqual(w);
        outcomes.killedBeforeStart++;
      }
      if ((await records()).length === 1) {
        // A write that landed later still (a loaded machine): that rollout is resumed too.
        ok(await senza('traffic', 'hello-world', '--resume'), `run ${run}: late resume`);
        expect(await weights(), `run ${run}`).toEqual(PROMOTED);
      }
      expect(await records(), `run ${run}`).toEqual([]);
      ok(await senza('traffic', 'hello-world', '1', '100'), 'reset');
    }
    // Most kills land inside the rollout (the seeded delays are fixed; a loaded machine shifts them).
    expect(outcomes.resumed + outcomes.killedBeforeStart + outcomes.finishedBeforeKill).toBe(30);
    expect(outcomes.resumed).toBeGreaterThan(0);
  }, 400_000);
});
