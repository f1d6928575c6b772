import { describe, expect, it } from 'vitest';
import {
  type AlarmRule,
  evaluateAlarm,
  type MetricSample,
  periodValues,
  type TreatMissingData,
} from './alarm-evaluation.js';
import { dueEvaluation, SETTLE_MS } from './metric-alarms.js';

// AWS's rules (alarm-evaluation.html, alarms-and-missing-data.html), written as datapoint rows:
// X breaching, 0 not breaching, - missing; oldest first, the evaluation range being N + 2 periods.
const row = (s: string) => s.split(' ').map((c) => (c === 'X' ? 5 : c === '0' ? 0 : undefined));
const rule = (n: number, m: number, treatMissingData?: TreatMissingData): AlarmRule => ({
  evaluationPeriods: n,
  datapointsToAlarm: m,
  threshold: 1,
  comparison: 'GreaterThanThreshold',
  treatMissingData,
});
const state = (r: AlarmRule, points: string, current: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' = 'OK') =>
  evaluateAlarm(r, row(points), current).state;

describe('alarm evaluation (pure)', () => {
  it('3 of 3: every mode as AWS documents it', () => {
    const cases: [string, string, string, string, string][] = [
      // points         missing              ignore      breaching  notBreaching
      ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
      ['0 0 X 0 X', 'OK', 'OK', 'OK', 'OK'],
      ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
      ['- - X - -', 'ALARM', 'retain', 'ALARM', 'OK'],
      ['- - - - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
      ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ];
    for (const [points, missing, ignore, breaching, notBreaching] of cases) {
      expect(state(rule(3, 3, 'missing'), points), `${points} missing`).toBe(missing);
      expect(state(rule(3, 3), points), `${points} default = missing`).toBe(missing);
      for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const)
        expect(state(rule(3, 3, 'ignore'), points, current), `${points} ignore from ${current}`).toBe(
          ignore === 'retain' ? current : ignore,
        );
      expect(state(rule(3, 3, 'breaching'), points), `${points} breaching`).toBe(breaching);
      expect(state(rule(3, 3, 'notBreaching'), points), `${points} notBreaching`).toBe(notBreaching);
    }
  });

  it('M of N: breaching datapoints need not be consecutive; fewer than M is OK', () => {
    expect(state(rule(3, 2), '0 0 X 0 X')).toBe('ALARM');
    expect(state(rule(3, 2), '0 0 0 0 X')).toBe('OK');
    expect(state(rule(5, 3), '0 0 X 0 X 0 X')).toBe('ALARM');
    expect(state(rule(5, 3), 'X X X 0 X 0 0')).toBe('OK');
    // Enough real datapoints: the most recent existing ones decide, missing data is not used.
    expect(state(rule(3, 2, 'breaching'), '0 0 - 0 -')).toBe('OK');
    expect(state(rule(3, 2, 'notBreaching'), 'X - X - -')).toBe('ALARM');
    // Fewer than M: filled as the setting says, as few as possible.
    expect(state(rule(3, 2, 'breaching'), '- - 0 - -')).toBe('ALARM');
    expect(state(rule(3, 2, 'notBreaching'), '- - X - -')).toBe('OK');
    expect(state(rule(3, 2, 'ignore'), '- - X - -', 'INSUFFICIENT_DATA')).toBe('INSUFFICIENT_DATA');
  });

  it('every comparison operator, and a reason in AWS words', () => {
    const at = (comparison: AlarmRule['comparison'], v: number) =>
      evaluateAlarm({ evaluationPeriods: 1, threshold: 1, comparison }, [v], 'OK').state;
    expect([at('GreaterThanThreshold', 1), at('GreaterThanOrEqualToThreshold', 1)]).toEqual(['OK', 'ALARM']);
    expect([at('LessThanThreshold', 1), at('LessThanOrEqualToThreshold', 1)]).toEqual(['OK', 'ALARM']);
    expect(evaluateAlarm(rule(3, 2), row('0 0 X 0 X'), 'OK').reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [5.0, 0.0, 5.0] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(evaluateAlarm(rule(1, 1), [undefined, undefined, undefined], 'OK').reason).toMatch(/^Insufficient Data: /);
  });

  it('statistics per period from per-second samples (high resolution: 10 s periods)', () => {
    const end = 1_000_000_000_000 - (1_000_000_000_000 % 10_000);
    const sample = (secondsBeforeEnd: number, values: number[]): MetricSample => ({
      at: end - secondsBeforeEnd * 1000,
      sampleCount: values.length,
      sum: values.reduce((a, v) => a + v, 0),
      minimum: Math.min(...values),
      maximum: Math.max(...values),
    });
    // Periods [end-30, end-20), [end-20, end-10), [end-10, end); the last has no data; one sample is too new.
    const samples = [sample(25, [1, 3]), sample(21, [10]), sample(15, [4]), sample(0, [100])];
    expect(periodValues(samples, 'Sum', 10, 3, end)).toEqual([14, 4, undefined]);
    expect(periodValues(samples, 'SampleCount', 10, 3, end)).toEqual([3, 1, undefined]);
    expect(periodValues(samples, 'Average', 10, 3, end)).toEqual([14 / 3, 4, undefined]);
    expect(periodValues(samples, 'Minimum', 10, 3, end)).toEqual([1, 4, undefined]);
    expect(periodValues(samples, 'Maximum', 10, 3, end)).toEqual([10, 4, undefined]);
    expect(periodValues(samples, 'p50', 10, 3, end)).toEqual([2, 4, undefined]);
    expect(periodValues(samples, 'p99', 10, 3, end)).toEqual([10, 4, undefined]);
  });

  it('is evaluated every period for 10 and 30 s alarms, every minute otherwise, once the period settled', () => {
    const t = Date.UTC(2026, 11, 7, 6, 0, 0);
    expect(dueEvaluation(10, t + 12_500)).toBe(t + 10_000);
    expect(dueEvaluation(10, t + 11_999)).toBe(t);
    expect(dueEvaluation(30, t + 45_000)).toBe(t + 30_000);
    expect(dueEvaluation(60, t + 59_000)).toBe(t);
    expect(dueEvaluation(300, t + 61_000 + SETTLE_MS)).toBe(t + 60_000);
  });
});
