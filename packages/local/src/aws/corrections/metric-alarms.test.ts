import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../local-aws.js';

// The correction through the layer, with the SDK v3 CloudWatch client as a user's: datapoints put
// directly (no router), a 2-of-3 alarm on 10 s periods.
let dir: string;
let platform: Platform;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metric-alarms-test-'));
  platform = await startPlatform({ stateDir: dir });
  cloudwatch = new CloudWatchClient({
    endpoint: platform.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
}, 120_000);

afterAll(async () => {
  cloudwatch?.destroy();
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const alarm = async (name: string) =>
  (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];

async function changed(name: string, from: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const a = await alarm(name);
    if (a?.StateValue !== from) return a;
    if (Date.now() > deadline) throw new Error(`${name} stayed ${from} for ${timeoutMs} ms`);
    await sleep(250);
  }
}

describe('metric alarms through the layer', () => {
  it('2 of 3 breaching 10 s periods (not consecutive) → ALARM, with AWS’s reason; an update keeps the state', async () => {
    const metric = { Namespace: 'Test/App', MetricName: 'Errors', Dimensions: [{ Name: 'App', Value: 'm-of-n' }] };
    const spec = {
      AlarmName: 'm-of-n',
      ...metric,
      Statistic: 'Maximum' as const,
      Period: 10,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold' as const,
    };
    await cloudwatch.send(new PutMetricAlarmCommand(spec));
    expect(await alarm('m-of-n')).toMatchObject({ StateValue: 'INSUFFICIENT_DATA' });
    // The three periods before the next evaluation: breaching, not breaching, breaching.
    const now = Date.now();
    const next = Math.ceil((now - 2000) / 10_000) * 10_000;
    const points = [
      [next - 25_000, 5],
      [next - 15_000, 0],
      [next - 5_000, 3],
    ];
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: metric.Namespace,
        MetricData: points.map(([at, v]) => ({
          MetricName: metric.MetricName,
          Dimensions: metric.Dimensions,
          Timestamp: new Date(at),
          Value: v,
          StorageResolution: 1,
        })),
      }),
    );
    const a = await changed('m-of-n', 'INSUFFICIENT_DATA');
    expect(a?.StateValue).toBe('ALARM');
    expect(a?.StateReason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [5.0, 0.0, 3.0] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(JSON.parse(a?.StateReasonData ?? '{}')).toMatchObject({ statistic: 'Maximum', period: 10, threshold: 1 });
    // PutMetricAlarm of an existing alarm updates it; only a creation starts in INSUFFICIENT_DATA.
    await cloudwatch.send(new PutMetricAlarmCommand({ ...spec, AlarmDescription: 'updated' }));
    expect(await alarm('m-of-n')).toMatchObject({ StateValue: 'ALARM', AlarmDescription: 'updated' });
  }, 60_000);

  it('missing data treated as breaching → ALARM, as notBreaching → OK; SetAlarmState holds until the next evaluation', async () => {
    for (const [name, mode] of [
      ['silent-breaching', 'breaching'],
      ['silent-ok', 'notBreaching'],
    ] as const) {
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'Test/App',
          MetricName: 'Nothing',
          Statistic: 'Sum',
          Period: 10,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: mode,
        }),
      );
    }
    expect((await changed('silent-breaching', 'INSUFFICIENT_DATA'))?.StateValue).toBe('ALARM');
    expect((await changed('silent-ok', 'INSUFFICIENT_DATA'))?.StateValue).toBe('OK');
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'silent-ok', StateValue: 'ALARM', StateReason: 'drill' }),
    );
    expect(await alarm('silent-ok')).toMatchObject({ StateValue: 'ALARM', StateReason: 'drill' });
    expect((await changed('silent-ok', 'ALARM'))?.StateValue).toBe('OK');
  }, 60_000);
});
