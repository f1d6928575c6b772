import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { type Platform, startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, localAwsEnv, runCli, runProgram, SENZA } from './support/run-cli.js';

// `senza traffic NAME VERSION --steps …` and `--status/--resume/--abort/--plan` (issue 18 item 4) as a
// user runs them, against stups-local. No load balancer metrics are published here (the router's
// metrics are not built yet), so every rate gate is inconclusive: the rollout pauses (exit 4).

const MAIN = 'hello-world.team.example.org.';
let platform: Platform;
let env: NodeJS.ProcessEnv;
let work: string;
let route53: Route53Client;
const senza = (...args: string[]) => runCli(SENZA, args, env);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-rollout-cli-e2e-'));
  platform = await startPlatform({ stateDir: join(work, 'platform') });
  env = localAwsEnv(platform.endpoint);
  route53 = new Route53Client({
    endpoint: platform.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  for (const v of ['1', '2']) ok(await senza('create', 'examples/hello-world.yaml', v, '1.0', '--wait'), `create ${v}`);
  ok(await senza('traffic', 'hello-world', '1', '100'), 'traffic 1 100');
}, 300_000);

afterAll(async () => {
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
    expect(ev.filter((e) => e.event === 'evaluation').map((e) => e.verdict)).toEqual(['inconclusive', 'inconclusive']);
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
});
