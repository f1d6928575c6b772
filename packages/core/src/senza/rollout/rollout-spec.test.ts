import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import {
  evaluationTimes,
  formatDuration,
  parseDuration,
  parseGate,
  parseRolloutSpec,
  parseSteps,
  rolloutDuration,
  stepBakeSeconds,
} from './rollout-spec.js';

describe('durations', () => {
  it('parses s, m, h and combinations', () => {
    expect(parseDuration('60s')).toBe(60);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('0')).toBe(0);
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(65)).toBe('1m5s');
  });
  it.each(['', '5', 'm', '5 min', '-1s', '1.5m', '5m1h'])('refuses %j', (t) => {
    expect(() => parseDuration(t)).toThrow(UsageError);
  });
});

describe('steps', () => {
  it('parses percentages and per-step bakes', () => {
    expect(parseSteps('10,50,100')).toEqual([{ percentage: 10 }, { percentage: 50 }, { percentage: 100 }]);
    expect(parseSteps('1:10m, 5, 25.5%,100')).toEqual([
      { percentage: 1, bakeSeconds: 600 },
      { percentage: 5 },
      { percentage: 25.5 },
      { percentage: 100 },
    ]);
  });
  it.each([
    ['10,50', 'the last step must be 100'],
    ['50,10,100', 'steps must increase'],
    ['10,10,100', 'steps must increase'],
    ['0,100', 'not within'],
    ['10,,100', 'empty step'],
    ['33.3,100', 'multiple of 0.5'],
    ['ten,100', 'not a percentage'],
    ['10:5x,100', 'Invalid step bake'],
    ['150', 'not within'],
  ])('refuses %j (%s)', (text, why) => {
    expect(() => parseSteps(text)).toThrow(why);
    try {
      parseSteps(text);
    } catch (e) {
      expect((e as UsageError).exitCode).toBe(2);
    }
  });
});

describe('gates', () => {
  it('parses the four kinds', () => {
    expect(parseGate('5xx-rate<1%')).toEqual({
      type: '5xx-rate',
      text: '5xx-rate<1%',
      inclusive: false,
      limit: { kind: 'absolute', rate: 0.01 },
    });
    expect(parseGate(' 5xx-rate <= baseline * 1.5 ')).toMatchObject({
      type: '5xx-rate',
      inclusive: true,
      limit: { kind: 'baseline', factor: 1.5 },
    });
    expect(parseGate('5xx-rate<=baseline')).toMatchObject({ limit: { kind: 'baseline', factor: 1 } });
    expect(parseGate('latency<300ms')).toMatchObject({ type: 'latency', limit: { kind: 'absolute', seconds: 0.3 } });
    expect(parseGate('latency<=1.5s')).toMatchObject({ type: 'latency', inclusive: true, limit: { seconds: 1.5 } });
    expect(parseGate('latency<=baseline*1.2')).toMatchObject({ limit: { kind: 'baseline', factor: 1.2 } });
    expect(parseGate('alarm:myapp-slo-burn')).toEqual({
      type: 'alarm',
      text: 'alarm:myapp-slo-burn',
      alarmName: 'myapp-slo-burn',
    });
  });
  it.each([
    '5xx-rate>1%',
    '5xx-rate<1',
    '5xx-rate<0%',
    '5xx-rate<100%',
    'latency<300',
    'latency<0ms',
    'cpu<5%',
    'alarm:',
    '5xx-rate<baseline*0',
    '5xx-rate<=baseline*x',
  ])('refuses %j', (t) => {
    expect(() => parseGate(t)).toThrow(UsageError);
  });
});

describe('the whole spec', () => {
  it('has the documented defaults', () => {
    const spec = parseRolloutSpec({ steps: '10,50,100' });
    expect(spec).toMatchObject({
      bakeSeconds: 300,
      finalBakeSeconds: 0,
      minRequests: 200,
      intervalSeconds: 60,
      failureLimit: 1,
      onInconclusive: 'pause',
    });
    expect(spec.gates.map((g) => g.text)).toEqual(['5xx-rate<1%']);
    expect(stepBakeSeconds(spec, 0)).toBe(300);
    expect(stepBakeSeconds(spec, 2)).toBe(0);
    expect(rolloutDuration(spec)).toEqual({ minSeconds: 60, maxSeconds: 600 });
  });
  it('refuses bad options', () => {
    expect(() => parseRolloutSpec({ steps: '100', minRequests: 0 })).toThrow('--min-requests');
    expect(() => parseRolloutSpec({ steps: '100', failureLimit: 1.5 })).toThrow('--failure-limit');
    expect(() => parseRolloutSpec({ steps: '100', onInconclusive: 'continue' })).toThrow('--on-inconclusive');
    expect(() => parseRolloutSpec({ steps: '100', interval: '0s' })).toThrow('--interval');
    expect(() => parseRolloutSpec({ steps: '100', gates: ['latency<1s', 'latency<1s'] })).toThrow('given twice');
  });
  it('evaluates every interval and at the end of the bake', () => {
    expect(evaluationTimes(300, 60)).toEqual([60, 120, 180, 240, 300]);
    expect(evaluationTimes(150, 60)).toEqual([60, 120, 150]);
    expect(evaluationTimes(30, 60)).toEqual([30]);
    expect(evaluationTimes(0, 60)).toEqual([]);
  });
});
