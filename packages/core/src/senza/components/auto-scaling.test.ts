import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../errors.js';
import { pythonInt } from '../../io/python-values.js';
import { normalizeAsgSuccess, normalizeNetworkThreshold, toIso8601Duration } from './auto-scaling.js';

describe('toIso8601Duration (upstream test_to_iso8601_duration)', () => {
  it('rejects empty, missing, unknown and out-of-order durations', () => {
    expect(() => toIso8601Duration('')).toThrow('Unknown duration . Use something like 15m.');
    expect(() => toIso8601Duration(null)).toThrow('Unknown duration None. Use something like 15m.');
    expect(() => toIso8601Duration('foo')).toThrow(DefinitionError);
    expect(() => toIso8601Duration('5s16h')).toThrow('Unknown duration 5s16h. Use something like 15m.');
  });

  it('converts hours, minutes and seconds', () => {
    expect(toIso8601Duration('5m')).toBe('PT5M');
    expect(toIso8601Duration('5H4s')).toBe('PT5H4S');
    expect(toIso8601Duration('4h0m5s')).toBe('PT4H0M5S');
  });
});

describe('normalizeAsgSuccess (upstream test_normalize_asg_success)', () => {
  it('takes counts and "<count> within <duration>"', () => {
    expect(normalizeAsgSuccess(10)).toEqual(['10', 'PT15M']);
    expect(normalizeAsgSuccess('10')).toEqual(['10', 'PT15M']);
    expect(normalizeAsgSuccess('1 within 4h5s')).toEqual(['1', 'PT4H5S']);
    expect(normalizeAsgSuccess('4 within 30m')).toEqual(['4', 'PT30M']);
    expect(normalizeAsgSuccess('1 within 4h0m5s')).toEqual(['1', 'PT4H0M5S']);
    expect(normalizeAsgSuccess('-1 within 5s')).toEqual(['-1', 'PT5S']);
    expect(normalizeAsgSuccess(undefined)).toEqual(['1', 'PT15M']);
  });

  it('rejects other forms', () => {
    expect(() => normalizeAsgSuccess('1 in 5m')).toThrow(
      'Unknown ASG success requirement "1 in 5m". Use something like "1 within 10m".',
    );
    expect(() => normalizeAsgSuccess('1 within 5y')).toThrow('Unknown duration 5y. Use something like 15m.');
    expect(() => normalizeAsgSuccess('1 within 5s4h')).toThrow(DefinitionError);
  });

  it('reports the error at the given key with a hint', () => {
    try {
      normalizeAsgSuccess('soon', {
        ctx: { path: ['SenzaComponents', 1, 'App'] },
        key: ['AutoScaling', 'SuccessRequires'],
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DefinitionError);
      const err = e as DefinitionError;
      expect(err.location.path).toEqual(['SenzaComponents', 1, 'App', 'AutoScaling', 'SuccessRequires']);
      expect(err.hint).toBeTruthy();
    }
  });
});

describe('normalizeNetworkThreshold (upstream test_normalize_network_threshold)', () => {
  it('parses amounts and units', () => {
    expect(normalizeNetworkThreshold(null)).toEqual([]);
    expect(normalizeNetworkThreshold('10')).toEqual(['10', 'Bytes']);
    expect(normalizeNetworkThreshold(10)).toEqual(['10', 'Bytes']);
    expect(normalizeNetworkThreshold('10   Gigabytes')).toEqual(['10', 'Gigabytes']);
    expect(normalizeNetworkThreshold('10 B')).toEqual(['10', 'Bytes']);
    expect(normalizeNetworkThreshold('10 KB')).toEqual(['10', 'Kilobytes']);
    expect(normalizeNetworkThreshold('10 MB')).toEqual(['10', 'Megabytes']);
    expect(normalizeNetworkThreshold('10 GB')).toEqual(['10', 'Gigabytes']);
    expect(normalizeNetworkThreshold('5.7 TB')).toEqual(['5.7', 'Terabytes']);
  });

  it('rejects a missing space and unknown units', () => {
    expect(() => normalizeNetworkThreshold('5.7GB')).toThrow(
      'Unknown network threshold "5.7GB". Use something like "20 GB".',
    );
    expect(() => normalizeNetworkThreshold('5 Donkeys')).toThrow(
      "Network threshold unit must be one of ['Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes']",
    );
  });
});

describe('pythonInt', () => {
  it('accepts what Python int() accepts', () => {
    expect(pythonInt(3)).toBe(3);
    expect(pythonInt(3.9)).toBe(3);
    expect(pythonInt(' 42 ')).toBe(42);
    expect(pythonInt('-7')).toBe(-7);
    expect(pythonInt('1_000')).toBe(1000);
    expect(pythonInt('1.5')).toBeUndefined();
    expect(pythonInt('x')).toBeUndefined();
    expect(pythonInt(null)).toBeUndefined();
  });
});
