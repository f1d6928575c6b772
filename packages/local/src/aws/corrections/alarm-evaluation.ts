/**
 * How CloudWatch evaluates a metric alarm, as a pure function over datapoints (the `metric-alarms`
 * correction feeds it what moto stored). The rules are AWS's, from "Alarm evaluation" and "Configuring
 * how CloudWatch alarms treat missing data"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html):
 * - each period's statistic is compared to the threshold: breaching, not breaching, or missing;
 * - "M out of N": ALARM when DatapointsToAlarm (M, default EvaluationPeriods) of the last
 *   EvaluationPeriods (N) datapoints breach; the breaching ones need not be consecutive;
 * - CloudWatch looks at more periods than N (the evaluation range). When all are missing: `missing` →
 *   INSUFFICIENT_DATA, `ignore` → the current state, `breaching` → ALARM, `notBreaching` → OK;
 * - when at least M datapoints exist in the range, the most recent existing ones (up to N) decide and
 *   the missing-data setting is not used;
 * - with fewer than M, the missing ones are filled in as the setting says (as few as possible: every
 *   real datapoint counts); `ignore` keeps the state unless the real datapoints decide either way,
 *   `missing` lets the real datapoints alone decide.
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/**
 * How many periods beyond EvaluationPeriods the evaluation range holds. AWS does not give the number
 * ("depends on the length of the alarm period"); its examples show 5 datapoints for 3 periods.
 */
export const EXTRA_RANGE_PERIODS = 2;

/** What the evaluation needs of a metric alarm (DescribeAlarms' fields). */
export interface AlarmRule {
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparison: ComparisonOperator;
  treatMissingData?: TreatMissingData;
}

export interface AlarmVerdict {
  state: AlarmState;
  /** The reason in AWS's words (`Threshold Crossed: …`, `Insufficient Data: …`). */
  reason: string;
}

/** True when `value` is on the alarm side of the threshold. */
export function breaches(value: number, rule: Pick<AlarmRule, 'threshold' | 'comparison'>): boolean {
  switch (rule.comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= rule.threshold;
  }
}

const COMPARISON_WORDS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/**
 * The state after one evaluation. `values` are the statistic of each period of the evaluation range,
 * oldest first, the most recent complete period last; `undefined` where no datapoint exists.
 */
export function evaluateAlarm(
  rule: AlarmRule,
  values: readonly (number | undefined)[],
  current: AlarmState,
): AlarmVerdict {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm ?? n;
  const mode = rule.treatMissingData ?? 'missing';
  const real = values.filter((v): v is number => v !== undefined);
  const words = COMPARISON_WORDS[rule.comparison];
  const threshold = `the threshold (${fmt(rule.threshold)})`;
  if (real.length === 0) {
    const what = `no datapoints were received for ${values.length} period${values.length === 1 ? '' : 's'}`;
    switch (mode) {
      case 'missing':
        return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${what}.` };
      case 'ignore':
        return { state: current, reason: `Missing data ignored: ${what}; the state is kept.` };
      case 'breaching':
        return { state: 'ALARM', reason: `Threshold Crossed: ${what} and missing data is treated as breaching.` };
      case 'notBreaching':
        return { state: 'OK', reason: `Threshold Crossed: ${what} and missing data is treated as not breaching.` };
    }
  }
  if (real.length >= m) {
    const recent = real.slice(-n);
    const breaching = recent.filter((v) => breaches(v, rule)).length;
    const state: AlarmState = breaching >= m ? 'ALARM' : 'OK';
    const points = recent.map(fmt).join(', ');
    return {
      state,
      reason:
        `Threshold Crossed: ${breaching} out of the last ${recent.length} datapoints [${points}] ` +
        `${breaching === 1 ? 'was' : 'were'} ${words} ${threshold} ` +
        `(minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition).`,
    };
  }
  // Fewer real datapoints than M: fill the other slots of N, as few as possible.
  const realBreaching = real.filter((v) => breaches(v, rule)).length;
  const fills = Math.max(0, n - real.length);
  const withFill = (fillBreaching: boolean): AlarmState =>
    realBreaching + (fillBreaching ? fills : 0) >= m ? 'ALARM' : 'OK';
  let state: AlarmState;
  switch (mode) {
    case 'breaching':
      state = withFill(true);
      break;
    case 'notBreaching':
      state = withFill(false);
      break;
    case 'ignore':
      state = withFill(true) === withFill(false) ? withFill(false) : current;
      break;
    case 'missing':
      state = realBreaching === real.length ? 'ALARM' : 'OK';
      break;
  }
  return {
    state,
    reason:
      `Threshold Crossed: ${realBreaching} of ${real.length} datapoint${real.length === 1 ? '' : 's'} ` +
      `[${real.map(fmt).join(', ')}] ${realBreaching === 1 ? 'was' : 'were'} ${words} ${threshold}; ` +
      `${n - real.length} missing treated as ${mode}.`,
  };
}

function fmt(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** One second of a metric as moto aggregates it (GetMetricStatistics with Period 1). */
export interface MetricSample {
  /** Epoch milliseconds. */
  at: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/**
 * The statistic of each period of the evaluation range ending at `end` (epoch ms, exclusive), oldest
 * first: `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, or a percentile `pNN(.N)`
 * (ExtendedStatistic; from the per-second averages, nearest rank, weighted by their sample counts).
 */
export function periodValues(
  samples: readonly MetricSample[],
  statistic: string,
  periodSeconds: number,
  periods: number,
  end: number,
): (number | undefined)[] {
  const p = periodSeconds * 1000;
  const start = end - periods * p;
  const buckets: MetricSample[][] = Array.from({ length: periods }, () => []);
  for (const s of samples) {
    if (s.at < start || s.at >= end) continue;
    buckets[Math.floor((s.at - start) / p)]?.push(s);
  }
  return buckets.map((b) => (b.length === 0 ? undefined : statisticOf(b, statistic)));
}

function statisticOf(b: MetricSample[], statistic: string): number | undefined {
  const count = b.reduce((a, s) => a + s.sampleCount, 0);
  const sum = b.reduce((a, s) => a + s.sum, 0);
  switch (statistic) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return count > 0 ? sum / count : undefined;
    case 'Minimum':
      return Math.min(...b.map((s) => s.minimum));
    case 'Maximum':
      return Math.max(...b.map((s) => s.maximum));
  }
  const pct = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(statistic);
  if (!pct) return undefined;
  const sorted = b
    .map((s) => ({ v: s.sampleCount > 0 ? s.sum / s.sampleCount : s.minimum, w: Math.max(1, s.sampleCount) }))
    .sort((x, y) => x.v - y.v);
  const total = sorted.reduce((a, s) => a + s.w, 0);
  const rank = Math.max(1, Math.ceil((Number(pct[1]) / 100) * total));
  let seen = 0;
  for (const s of sorted) {
    seen += s.w;
    if (seen >= rank) return s.v;
  }
  return sorted.at(-1)?.v;
}
