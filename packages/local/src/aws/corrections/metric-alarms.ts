import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  type MetricAlarm,
  SetAlarmStateCommand,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import type { AwsRequest } from '../aws-request.js';
import type { Correction } from '../correction.js';
import {
  type AlarmRule,
  type AlarmState,
  type ComparisonOperator,
  EXTRA_RANGE_PERIODS,
  evaluateAlarm,
  type MetricSample,
  periodValues,
  type TreatMissingData,
} from './alarm-evaluation.js';

/**
 * How long after a period ends its evaluation waits for the period's last datapoints (the router sends
 * each second's counts within the next second).
 */
export const SETTLE_MS = 2000;

const COMPARISONS = new Set<string>([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);

/**
 * CloudWatch metric alarms as AWS runs them. moto creates an alarm in OK (an update too) and never
 * evaluates it; AWS
 * creates it in INSUFFICIENT_DATA ("When this operation creates an alarm, the alarm state is
 * immediately set to INSUFFICIENT_DATA. The alarm is then evaluated and its state is set
 * appropriately", API_PutMetricAlarm) and evaluates it every period for high-resolution alarms (10 or
 * 30 s), every minute otherwise, by the rules of alarm-evaluation.ts.
 *
 * The layer evaluates lazily, on DescribeAlarms: per alarm, the last evaluation time due (a multiple of
 * the evaluation interval, plus SETTLE_MS); when the alarm's state was last set before it, the datapoints
 * of the evaluation range are read from moto and a changed state is stored in moto (SetAlarmState), so
 * DescribeAlarms answers the evaluated StateValue, StateReason and StateUpdatedTimestamp. A SetAlarmState
 * of a client lasts until the next evaluation, as on AWS. Metric-math and anomaly-detection alarms are
 * left as moto keeps them.
 */
export const metricAlarms: Correction = {
  name: 'metric-alarms',
  async handle(req, next, layer) {
    if (req.service !== 'monitoring') return next(req);
    if (req.operation === 'PutMetricAlarm') {
      const name = alarmNameOf(req);
      const cloudwatch = layer.moto.cloudwatch(req.region);
      const before = name
        ? (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0]
        : undefined;
      const res = await next(req);
      if (res.status !== 200 || !name) return res;
      // moto replaces an updated alarm with a new one in OK; AWS keeps an updated alarm's state.
      await cloudwatch.send(
        new SetAlarmStateCommand({
          AlarmName: name,
          StateValue: before?.StateValue ?? 'INSUFFICIENT_DATA',
          StateReason: before?.StateReason ?? 'Unchecked: Initial alarm creation',
          ...(before?.StateReasonData && before.StateReasonData !== '{}'
            ? { StateReasonData: before.StateReasonData }
            : {}),
        }),
      );
      return res;
    }
    if (req.operation === 'DescribeAlarms' || req.operation === 'DescribeAlarmsForMetric') {
      // An evaluation that fails (moto not answering) leaves the states as they were, as a failed
      // evaluation does on AWS; the request itself is answered by moto either way.
      await evaluateDue(layer.moto.cloudwatch(req.region), req.region).catch(() => undefined);
    }
    return next(req);
  },
};

function alarmNameOf(req: AwsRequest): string | undefined {
  if (req.protocol === 'json') {
    try {
      return (JSON.parse(req.body.toString('utf8')) as { AlarmName?: string }).AlarmName;
    } catch {
      return undefined;
    }
  }
  return req.params.get('AlarmName') ?? undefined;
}

/** One evaluation pass per region at a time (two DescribeAlarms at once evaluate once). */
const passes = new Map<string, Promise<void>>();

function evaluateDue(cloudwatch: CloudWatchClient, region: string): Promise<void> {
  const before = passes.get(region) ?? Promise.resolve();
  const pass = before.then(() => evaluateAll(cloudwatch, Date.now()));
  const kept = pass.catch(() => undefined);
  passes.set(region, kept);
  void kept.then(() => {
    if (passes.get(region) === kept) passes.delete(region);
  });
  return pass;
}

async function evaluateAll(cloudwatch: CloudWatchClient, now: number): Promise<void> {
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], NextToken: token }));
    for (const alarm of page.MetricAlarms ?? []) await evaluateOne(cloudwatch, alarm, now);
    token = page.NextToken;
  } while (token);
}

/** The end of the last period due for evaluation at `now` (epoch ms), for an alarm of `periodSeconds`. */
export function dueEvaluation(periodSeconds: number, now: number): number {
  const interval = Math.min(periodSeconds, 60) * 1000;
  return Math.floor((now - SETTLE_MS) / interval) * interval;
}

async function evaluateOne(cloudwatch: CloudWatchClient, alarm: MetricAlarm, now: number): Promise<void> {
  const statistic = alarm.Statistic ?? alarm.ExtendedStatistic;
  const period = alarm.Period ?? 0;
  const n = alarm.EvaluationPeriods ?? 0;
  const comparison = alarm.ComparisonOperator ?? '';
  if (!alarm.AlarmName || !alarm.MetricName || !statistic || period <= 0 || n <= 0 || !COMPARISONS.has(comparison))
    return;
  if (alarm.Threshold === undefined) return;
  const end = dueEvaluation(period, now);
  const setAt = alarm.StateUpdatedTimestamp?.getTime() ?? 0;
  if (setAt >= end + SETTLE_MS) return;
  const periods = n + EXTRA_RANGE_PERIODS;
  const out = await cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: alarm.Namespace,
      MetricName: alarm.MetricName,
      Dimensions: alarm.Dimensions,
      StartTime: new Date(end - periods * period * 1000),
      EndTime: new Date(end),
      Period: 1,
      Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum'],
      ...(alarm.Unit ? { Unit: alarm.Unit as StandardUnit } : {}),
    }),
  );
  const samples: MetricSample[] = (out.Datapoints ?? []).map((d) => ({
    at: d.Timestamp?.getTime() ?? 0,
    sampleCount: d.SampleCount ?? 0,
    sum: d.Sum ?? 0,
    minimum: d.Minimum ?? 0,
    maximum: d.Maximum ?? 0,
  }));
  const rule: AlarmRule = {
    evaluationPeriods: n,
    datapointsToAlarm: alarm.DatapointsToAlarm,
    threshold: alarm.Threshold,
    comparison: comparison as ComparisonOperator,
    treatMissingData: alarm.TreatMissingData as TreatMissingData | undefined,
  };
  const values = periodValues(samples, statistic, period, periods, end);
  const current = (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState;
  const verdict = evaluateAlarm(rule, values, current);
  if (verdict.state === current) return;
  await cloudwatch.send(
    new SetAlarmStateCommand({
      AlarmName: alarm.AlarmName,
      StateValue: verdict.state,
      StateReason: verdict.reason,
      StateReasonData: JSON.stringify({
        version: '1.0',
        queryDate: new Date(now).toISOString(),
        startDate: new Date(end - n * period * 1000).toISOString(),
        statistic,
        period,
        recentDatapoints: values.slice(-n).filter((v) => v !== undefined),
        threshold: alarm.Threshold,
        evaluatedDatapoints: values
          .slice(-n)
          .flatMap((v, i) =>
            v === undefined
              ? []
              : [{ timestamp: new Date(end - (n - i) * period * 1000).toISOString(), sampleCount: 1, value: v }],
          ),
      }),
    }),
  );
}
