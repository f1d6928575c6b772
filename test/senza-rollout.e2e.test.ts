import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  type Change,
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { AwsSession } from '@stups/core/aws';
import {
  decodeRolloutRecord,
  driveRollout,
  fetchAlarmStates,
  fetchWindowCounts,
  finishRollout,
  newRolloutRecord,
  type Observation,
  type RolloutEvent,
  type RolloutRecord,
  readRolloutState,
  resumeRollout,
  startRollout,
  updateRollout,
} from '@stups/core/senza/rollout';
import { type Platform, startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv } from './support/run-cli.js';

// The rollout record (issue 18 item 2) against stups-local's Route53 (moto behind the correcting
// layer, which checks compare-and-set batches as Route53 does): state and weights are written in one
// batch, two rollouts cannot both start, a manual change stops the rollout, a revert is exact.

const DOMAIN = 'app.team.example.org.';
const TXT = `_senza-rollout.${DOMAIN}`;
let platform: Platform;
let work: string;
let route53: Route53Client;
let cloudwatch: CloudWatchClient;
let zoneId: string;
let session: AwsSession;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rollout-record-e2e-'));
  platform = await startPlatform({ stateDir: join(work, 'platform') });
  Object.assign(process.env, localAwsEnv(platform.endpoint));
  route53 = new Route53Client({
    endpoint: platform.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  cloudwatch = new CloudWatchClient({
    endpoint: platform.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  zoneId = platform.seeded?.hostedZoneId ?? '';
  session = new AwsSession({ region: 'eu-central-1' });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function records() {
  const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return out.ResourceRecordSets ?? [];
}

async function weights(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await records()) if (r.Name === DOMAIN && r.SetIdentifier) out[r.SetIdentifier] = r.Weight ?? -1;
  return out;
}

async function storedRecord(): Promise<RolloutRecord | undefined> {
  const txt = (await records()).find((r) => r.Name === TXT && r.Type === 'TXT');
  return txt ? decodeRolloutRecord((txt.ResourceRecords ?? []).map((v) => v.Value ?? '')) : undefined;
}

/** Sets weights by hand (UPSERT, as a human in the console would). */
async function setWeights(w: Record<string, number>) {
  const changes: Change[] = Object.entries(w).map(([id, weight], i) => ({
    Action: 'UPSERT',
    ResourceRecordSet: {
      Name: DOMAIN,
      Type: 'A',
      SetIdentifier: id,
      Weight: weight,
      TTL: 20,
      ResourceRecords: [{ Value: `10.0.0.${i + 1}` }],
    },
  }));
  await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
}

const START = { 'app-v1': 60, 'app-v2': 140, 'app-v3': 0 };
const input = (id: string, gates = ['5xx-rate<1%', 'alarm:quote"and\\backslash ✓']) => ({
  id,
  name: 'app',
  target: 'app-v3',
  version: 'v3',
  versions: ['v1', 'v2', 'v3'].map((v) => ({ identifier: `app-${v}`, version: v })),
  spec: {
    steps: '10,50,100',
    bake: '5m',
    finalBake: '0s',
    gates,
    minRequests: 200,
    interval: '60s',
    failureLimit: 1,
    onInconclusive: 'pause' as const,
  },
  now: '2026-12-07T03:00:00.000Z',
});

describe('the rollout record beside the weights', () => {
  it('starts with the record and the first step in one batch; a second rollout cannot start, even in a race', async () => {
    await setWeights(START);
    const first = await readRolloutState(session, [DOMAIN]);
    const racing = await readRolloutState(session, [DOMAIN]);
    expect(first.stored).toEqual([]);
    const record = newRolloutRecord(first, input('r-1'));
    expect(record.start).toEqual([
      {
        domain: DOMAIN,
        weights: [
          { identifier: 'app-v1', weight: 60 },
          { identifier: 'app-v2', weight: 140 },
          { identifier: 'app-v3', weight: 0 },
        ],
      },
    ]);
    await startRollout(session, first, record);
    expect(await weights()).toEqual({ 'app-v1': 50, 'app-v2': 130, 'app-v3': 20 });
    expect(await storedRecord()).toEqual(record);

    // Read before the first one wrote: Route53 refuses the CREATE of the record.
    const raced = newRolloutRecord(racing, input('r-2'));
    await expect(startRollout(session, racing, raced)).rejects.toMatchObject({
      code: 'senza.rollout-running',
      exitCode: 1,
    });
    // Read after it: refused before writing.
    await expect(startRollout(session, await readRolloutState(session, [DOMAIN]), raced)).rejects.toMatchObject({
      code: 'senza.rollout-running',
    });
    expect(await weights()).toEqual({ 'app-v1': 50, 'app-v2': 130, 'app-v3': 20 });
    expect((await storedRecord())?.id).toBe('r-1');
  }, 60_000);

  it('steps with the record; a stale writer is refused; a manual change stops it (exit 4) and --abort reverts exactly', async () => {
    const state = await readRolloutState(session, [DOMAIN]);
    const record = state.stored[0]?.record as RolloutRecord;
    await updateRollout(session, state, { ...record, step: 1, stepStartedAt: '2026-12-07T03:05:00.000Z' });
    expect(await weights()).toEqual({ 'app-v1': 10, 'app-v2': 90, 'app-v3': 100 });
    expect((await storedRecord())?.step).toBe(1);

    // The state read before that step is stale: its compare-and-set fails, nothing changes.
    await expect(updateRollout(session, state, { ...record, status: 'paused' })).rejects.toMatchObject({
      code: 'senza.rollout-manual-change',
      exitCode: 4,
    });
    expect((await storedRecord())?.status).toBe('running');

    await setWeights({ 'app-v1': 0, 'app-v2': 100, 'app-v3': 100 });
    const changed = await readRolloutState(session, [DOMAIN]);
    const now = changed.stored[0]?.record as RolloutRecord;
    await expect(updateRollout(session, changed, { ...now, step: 2 })).rejects.toMatchObject({
      code: 'senza.rollout-manual-change',
      exitCode: 4,
    });
    await expect(finishRollout(session, changed, 'revert')).rejects.toMatchObject({ exitCode: 4 });
    expect(await weights()).toEqual({ 'app-v1': 0, 'app-v2': 100, 'app-v3': 100 });

    await finishRollout(session, changed, 'revert', { force: true });
    expect(await weights()).toEqual(START);
    expect(await storedRecord()).toBeUndefined();
  }, 60_000);

  it('promotes: the last step at 100 %, then the record goes', async () => {
    const first = await readRolloutState(session, [DOMAIN]);
    const record = newRolloutRecord(first, input('r-3', ['5xx-rate<1%']));
    await startRollout(session, first, record);
    for (const step of [1, 2]) {
      const state = await readRolloutState(session, [DOMAIN]);
      await updateRollout(session, state, { ...(state.stored[0]?.record as RolloutRecord), step });
    }
    expect(await weights()).toEqual({ 'app-v1': 0, 'app-v2': 0, 'app-v3': 200 });
    const done = await finishRollout(session, await readRolloutState(session, [DOMAIN]), 'promote');
    expect(done.id).toBe('r-3');
    expect(await weights()).toEqual({ 'app-v1': 0, 'app-v2': 0, 'app-v3': 200 });
    expect(await storedRecord()).toBeUndefined();
    await expect(finishRollout(session, await readRolloutState(session, [DOMAIN]), 'revert')).rejects.toMatchObject({
      code: 'senza.rollout-none',
    });
  }, 60_000);
});

describe('what the gates read', () => {
  it('GetMetricData sums requests and 5xx over the window and weights latency by requests (classic ELB and ALB names)', async () => {
    const now = Date.now();
    const minute = (k: number) => new Date(Math.floor(now / 60_000) * 60_000 - k * 60_000 + 5_000);
    const put = (namespace: string, dimension: string, value: string, name: string, points: [number, number][]) =>
      cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: points.map(([k, v]) => ({
            MetricName: name,
            Dimensions: [{ Name: dimension, Value: value }],
            Timestamp: minute(k),
            Value: v,
            StorageResolution: 1,
          })),
        }),
      );
    await put('AWS/ELB', 'LoadBalancerName', 'app-v1', 'RequestCount', [
      [1, 100],
      [2, 300],
    ]);
    await put('AWS/ELB', 'LoadBalancerName', 'app-v1', 'HTTPCode_Backend_5XX', [[2, 3]]);
    await put('AWS/ELB', 'LoadBalancerName', 'app-v1', 'Latency', [
      [1, 0.1],
      [2, 0.2],
    ]);
    await put('AWS/ApplicationELB', 'LoadBalancer', 'app/app-v3/0123', 'RequestCount', [[1, 40]]);
    await put('AWS/ApplicationELB', 'LoadBalancer', 'app/app-v3/0123', 'HTTPCode_Target_5XX_Count', [[1, 2]]);
    await put('AWS/ApplicationELB', 'LoadBalancer', 'app/app-v3/0123', 'TargetResponseTime', [[1, 0.05]]);
    const counts = await fetchWindowCounts(
      session,
      [
        { identifier: 'app-v1', kind: 'elb', dimension: 'app-v1' },
        { identifier: 'app-v2', kind: 'elb', dimension: 'app-v2' },
        { identifier: 'app-v3', kind: 'alb', dimension: 'app/app-v3/0123' },
      ],
      { start: new Date(now - 10 * 60_000), end: new Date(now + 60_000), periodSeconds: 60 },
    );
    expect(counts.get('app-v1')).toEqual({ requests: 400, errors: 3, latencySeconds: expect.closeTo(0.175, 6) });
    expect(counts.get('app-v2')).toEqual({ requests: 0, errors: 0 });
    expect(counts.get('app-v3')).toEqual({ requests: 40, errors: 2, latencySeconds: expect.closeTo(0.05, 6) });
  }, 60_000);

  it('DescribeAlarms gives the states of the named alarms', async () => {
    // High-resolution alarms on a load balancer without requests: evaluated every 10 s (the layer does as
    // CloudWatch), each one's missing data decides its state. A new alarm is INSUFFICIENT_DATA until then.
    const treat = { 'app-ok': 'notBreaching', 'app-burn': 'breaching', 'app-new': 'missing' } as const;
    for (const [name, TreatMissingData] of Object.entries(treat)) {
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/ELB',
          MetricName: 'HTTPCode_Backend_5XX',
          Dimensions: [{ Name: 'LoadBalancerName', Value: 'app-none' }],
          Statistic: 'Sum',
          Period: 10,
          EvaluationPeriods: 1,
          Threshold: 10,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData,
        }),
      );
    }
    const expected = { 'app-ok': 'OK', 'app-burn': 'ALARM', 'app-new': 'INSUFFICIENT_DATA' };
    let states: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      states = await fetchAlarmStates(session, ['app-ok', 'app-burn', 'app-new', 'app-gone']);
      if (isDeepStrictEqual(states, expected)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(states).toEqual(expected);
  }, 60_000);
});

describe('the loop: bake, evaluate, advance, promote or revert (virtual clock, metrics given)', () => {
  const healthy = (): Observation => ({
    label: 'v3',
    target: { requests: 1000, errors: 0 },
    baseline: { requests: 9000, errors: 40 },
  });
  const broken = (): Observation => ({
    label: 'v3',
    target: { requests: 1000, errors: 500 },
    baseline: { requests: 9000, errors: 40 },
  });
  const quiet = (): Observation => ({
    label: 'v3',
    target: { requests: 3, errors: 0 },
    baseline: { requests: 30, errors: 0 },
  });

  async function start(id: string, spec: { bake?: string; finalBake?: string; steps?: string } = {}) {
    await setWeights(START);
    const state = await readRolloutState(session, [DOMAIN]);
    const base = input(id, ['5xx-rate<1%']);
    const record = newRolloutRecord(state, {
      ...base,
      spec: {
        ...base.spec,
        bake: spec.bake ?? '2m',
        finalBake: spec.finalBake ?? '1m',
        steps: spec.steps ?? '10,50,100',
      },
    });
    await startRollout(session, state, record);
    let clock = Date.parse(record.stepStartedAt);
    const events: RolloutEvent[] = [];
    const seen: number[] = [];
    const deps = (observe: () => Observation, onObserve?: () => Promise<void>) => ({
      session,
      domains: [DOMAIN],
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
      observe: async () => {
        seen.push(Object.values(await weights()).reduce((a, b) => a + b, 0));
        await onObserve?.();
        return observe();
      },
      emit: (e: RolloutEvent) => events.push(e),
    });
    return { deps, events, seen };
  }

  it('promotes a healthy target through every step', async () => {
    const { deps, events, seen } = await start('loop-1');
    const result = await driveRollout(deps(healthy));
    expect(result).toMatchObject({ outcome: 'promoted', exitCode: 0 });
    expect(events.filter((e) => e.type === 'step').map((e) => (e as { percentage: number }).percentage)).toEqual([
      50, 100,
    ]);
    // 2 evaluations in each 2 min step, 1 in the 1 min final bake; weights always total 200.
    expect(events.filter((e) => e.type === 'evaluation')).toHaveLength(5);
    expect(seen.every((s) => s === 200)).toBe(true);
    expect(await weights()).toEqual({ 'app-v1': 0, 'app-v2': 0, 'app-v3': 200 });
    expect(await storedRecord()).toBeUndefined();
  }, 60_000);

  it('reverts a broken target at the first failing evaluation to the exact start weights (exit 1)', async () => {
    const { deps, events } = await start('loop-2');
    const result = await driveRollout(deps(broken));
    expect(result).toMatchObject({ outcome: 'rolled back', exitCode: 1, reason: 'gate failed: 5xx-rate<1%' });
    expect(events.filter((e) => e.type === 'evaluation')).toHaveLength(1);
    const evaluation = events.find((e) => e.type === 'evaluation') as Extract<RolloutEvent, { type: 'evaluation' }>;
    expect(evaluation.evaluation.gates[0].evidence).toMatch(
      /^v3: 500 of 1,000 5xx = 50\.00 %, baseline 0\.44 % .* → fail$/,
    );
    expect(await weights()).toEqual(START);
    expect(await storedRecord()).toBeUndefined();
    // Revert latency on the rollout's own clock: the start weights are back within one interval + 5 s
    // of the first failing evaluation.
    const back = events.find((e) => e.type === 'rolled-back') as Extract<RolloutEvent, { type: 'rolled-back' }>;
    expect(back.decidedAt).toBe(evaluation.madeAt);
    expect(evaluation.madeAt).toBe(evaluation.at);
    expect(Date.parse(back.restoredAt) - Date.parse(back.decidedAt)).toBeLessThanOrEqual(60_000 + 5_000);
  }, 60_000);

  it('behind schedule (metrics answering late) it evaluates the latest due window instead of replaying every missed one', async () => {
    const { deps, events } = await start('loop-8', { steps: '50,100', bake: '5m', finalBake: '0s' });
    const d = deps(healthy);
    let now = 0;
    const late = {
      ...d,
      now: () => now || d.now(),
      observe: async (w: { start: Date; end: Date }, r: RolloutRecord) => {
        const o = await d.observe();
        // Each GetMetricData answers 150 s after its window's end.
        now = w.end.getTime() + 150_000;
        void r;
        return o;
      },
      sleep: async (ms: number) => {
        await d.sleep(ms);
        now = 0;
      },
    };
    expect(await driveRollout(late)).toMatchObject({ outcome: 'promoted' });
    const evaluations = events.filter(
      (e): e is Extract<RolloutEvent, { type: 'evaluation' }> => e.type === 'evaluation' && e.step === 0,
    );
    const startMs = Date.parse(evaluations[0].at) - 60_000;
    // Every 60 s of a 5 min bake would be 5; late answers make it 60 s, then 180 s (120 s was past), then 300 s.
    expect(evaluations.map((e) => (Date.parse(e.at) - startMs) / 1000)).toEqual([60, 180, 300]);
    expect(evaluations.map((e) => (Date.parse(e.madeAt) - Date.parse(e.at)) / 1000)).toEqual([150, 150, 150]);
  }, 60_000);

  it('pauses on too few requests (exit 4), and resumes to promotion', async () => {
    const { deps } = await start('loop-3');
    const paused = await driveRollout(deps(quiet));
    expect(paused).toMatchObject({ outcome: 'paused', exitCode: 4 });
    expect(paused.reason).toContain('5xx-rate<1%');
    expect(await storedRecord()).toMatchObject({ status: 'paused', step: 0 });
    expect(await weights()).toEqual({ 'app-v1': 50, 'app-v2': 130, 'app-v3': 20 });
    // Driving a paused rollout does nothing; resume sets it running again.
    expect(await driveRollout(deps(healthy))).toMatchObject({ outcome: 'paused' });
    const d = deps(healthy);
    await resumeRollout(d);
    expect(await driveRollout(d)).toMatchObject({ outcome: 'promoted', exitCode: 0 });
    expect(await weights()).toEqual({ 'app-v1': 0, 'app-v2': 0, 'app-v3': 200 });
  }, 60_000);

  it('stops (exit 4) when the weights are changed by hand during a step, and leaves them', async () => {
    const { deps } = await start('loop-4');
    const result = await driveRollout(
      deps(healthy, async () => {
        await setWeights({ 'app-v1': 100, 'app-v2': 100, 'app-v3': 0 });
      }),
    );
    expect(result).toMatchObject({ outcome: 'paused', exitCode: 4 });
    expect(result.reason).toContain('changed outside the rollout');
    expect(await weights()).toEqual({ 'app-v1': 100, 'app-v2': 100, 'app-v3': 0 });
    expect(await storedRecord()).toMatchObject({ status: 'paused' });
    await finishRollout(session, await readRolloutState(session, [DOMAIN]), 'revert', { force: true });
    expect(await weights()).toEqual(START);
  }, 60_000);

  it('is interrupted with the record kept, and a later run continues where it stopped', async () => {
    const { deps } = await start('loop-5');
    const controller = new AbortController();
    let evaluations = 0;
    const first = await driveRollout({
      ...deps(healthy),
      signal: controller.signal,
      emit: (e) => {
        if (e.type === 'evaluation' && ++evaluations === 3) controller.abort();
      },
    });
    expect(first).toMatchObject({ outcome: 'interrupted', exitCode: 130 });
    expect(await storedRecord()).toMatchObject({ status: 'running', step: 1 });
    expect(await driveRollout(deps(healthy))).toMatchObject({ outcome: 'promoted' });
  }, 60_000);

  it('reports the share the target served next to the intended one, and warns once after two evaluations off by more than 5 points', async () => {
    const { deps, events } = await start('loop-6', { steps: '50,100', bake: '3m', finalBake: '0s' });
    // DNS caching: the target gets 10 % of the requests at its 50 % step.
    const cached = (): Observation => ({
      label: 'v3',
      target: { requests: 1000, errors: 0 },
      baseline: { requests: 9000, errors: 40 },
    });
    expect(await driveRollout(deps(cached))).toMatchObject({ outcome: 'promoted' });
    const evaluations = events.filter((e) => e.type === 'evaluation') as Extract<
      RolloutEvent,
      { type: 'evaluation' }
    >[];
    expect(evaluations.map((e) => e.share)).toEqual([
      { intended: 50, observed: 10 },
      { intended: 50, observed: 10 },
      { intended: 50, observed: 10 },
    ]);
    expect(events.filter((e) => e.type === 'share-diverges')).toEqual([
      {
        type: 'share-diverges',
        step: 0,
        identifier: 'app-v3',
        version: 'v3',
        target: true,
        intended: 50,
        observed: 10,
      },
    ]);
  }, 60_000);

  it('reports every version’s observed and intended share, and warns for each version off by more than 5 points twice', async () => {
    const { deps, events } = await start('loop-7', { steps: '50,100', bake: '2m', finalBake: '0s' });
    // At 50 % the weights give v1 5 % and v2 45 % (the switch's arithmetic); pooled connections keep clients on v1.
    const pooled = (): Observation => ({
      label: 'v3',
      target: { requests: 4800, errors: 0 },
      baseline: { requests: 5200, errors: 20 },
      versions: {
        'app-v3': { requests: 4800, errors: 0, latencySeconds: 0.05 },
        'app-v1': { requests: 3000, errors: 10, latencySeconds: 0.1 },
        'app-v2': { requests: 2200, errors: 10, latencySeconds: 0.2 },
      },
    });
    expect(await driveRollout(deps(pooled))).toMatchObject({ outcome: 'promoted' });
    const first = events.find((e) => e.type === 'evaluation') as Extract<RolloutEvent, { type: 'evaluation' }>;
    expect(first.versions.map((v) => [v.version, v.intended, v.observed, v.requests, v.errors])).toEqual([
      ['v3', 50, 48, 4800, 0],
      ['v1', 5, 30, 3000, 10],
      ['v2', 45, 22, 2200, 10],
    ]);
    expect(first.bakeEndsAt).toBe(new Date(Date.parse(first.at) + 60_000).toISOString());
    expect(
      events
        .filter((e): e is Extract<RolloutEvent, { type: 'share-diverges' }> => e.type === 'share-diverges')
        .map((e) => [e.step, e.version, e.intended, e.observed]),
    ).toEqual([
      [0, 'v1', 5, 30],
      [0, 'v2', 45, 22],
    ]);
  }, 60_000);
});
