import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WeightedRecord } from '../traffic/route53-records.js';
import { capacityRefusals } from './rollout-capacity.js';
import {
  decodeRolloutRecord,
  encodeRolloutRecord,
  HISTORY_MAX,
  parseTxtStrings,
  recordStepWeights,
  rolloutRecordName,
  TXT_STRING_MAX,
  VALUE_MAX,
  withHistory,
} from './rollout-record.js';
import { invertChanges, manuallyChangedDomains, rolloutBatches, weightChangesTo } from './rollout-store.js';
import { sampleRecord } from './test-record.js';

/** Every TXT character string of the values. */
const strings = (values: string[]) => values.flatMap(parseTxtStrings);

describe('the rollout record', () => {
  it('is named beside the main domain', () => {
    expect(rolloutRecordName('App.Zo.Ne')).toBe('_senza-rollout.app.zo.ne.');
  });

  it('round-trips through TXT values in any order, every string ≤ 255 and every value ≤ 4,000 characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer(),
        (gates, historyLength, shuffleSeed) => {
          let record = sampleRecord(gates);
          for (let i = 0; i < historyLength; i++) {
            record = withHistory(record, { step: i % 3, at: '2026-12-07T03:00:00.000Z', verdict: 'pass', gates });
          }
          const values = encodeRolloutRecord(record);
          for (const s of strings(values)) expect(s.length).toBeLessThanOrEqual(TXT_STRING_MAX);
          for (const v of values) expect(v.length).toBeLessThanOrEqual(VALUE_MAX);
          const shuffled = [...values].sort(
            (a, b) => ((a.length * 31 + shuffleSeed) % 7) - ((b.length * 31 + shuffleSeed) % 7),
          );
          expect(decodeRolloutRecord(shuffled)).toEqual(record);
          expect(record.history.length).toBeLessThanOrEqual(HISTORY_MAX);
        },
      ),
      { seed: 18, numRuns: 60 },
    );
  });

  it('refuses incomplete or foreign values', () => {
    const values = encodeRolloutRecord(sampleRecord(['x'.repeat(5000)]));
    expect(values.length).toBeGreaterThan(1);
    expect(() => decodeRolloutRecord(values.slice(1))).toThrow('incomplete');
    expect(() => decodeRolloutRecord(['"v=spf1 -all"'])).toThrow('not a rollout record');
  });

  it('knows the weights of each step', () => {
    expect(recordStepWeights(sampleRecord(), 1)).toEqual([
      {
        domain: 'app.zo.ne.',
        weights: [
          { identifier: 'app-v1', weight: 10 },
          { identifier: 'app-v2', weight: 90 },
          { identifier: 'app-v3', weight: 100 },
        ],
      },
    ]);
  });
});

const live = (weights: Record<string, number>, zoneId = 'Z1'): Map<string, WeightedRecord[]> =>
  new Map([
    [
      'app.zo.ne.',
      Object.entries(weights).map(([id, weight]) => ({
        zoneId,
        zoneName: 'zo.ne.',
        name: 'app.zo.ne.',
        type: 'A',
        setIdentifier: id,
        weight,
        record: {
          Name: 'app.zo.ne.',
          Type: 'A',
          SetIdentifier: id,
          Weight: weight,
          TTL: 20,
          ResourceRecords: [{ Value: '10.0.0.1' }],
        },
      })),
    ],
  ]);

describe('rollout batches', () => {
  it('put the TXT compare-and-set and the weight compare-and-sets in one batch per zone', () => {
    const record = sampleRecord();
    const changes = weightChangesTo(recordStepWeights(record, 0), live({ 'app-v1': 60, 'app-v2': 140, 'app-v3': 0 }));
    const old = {
      Name: '_senza-rollout.app.zo.ne.',
      Type: 'TXT' as const,
      TTL: 60,
      ResourceRecords: [{ Value: '"0/1" "{}"' }],
    };
    const batches = rolloutBatches(
      [{ zoneId: 'Z1', zoneName: 'zo.ne.', domain: 'app.zo.ne.', old, next: record }],
      changes,
    );
    expect(batches).toHaveLength(1);
    expect(
      batches[0].changes.map(
        (c) =>
          `${c.Action} ${c.ResourceRecordSet?.Type} ${c.ResourceRecordSet?.SetIdentifier ?? ''} ${c.ResourceRecordSet?.Weight ?? ''}`,
      ),
    ).toEqual([
      'DELETE TXT  ',
      'CREATE TXT  ',
      'DELETE A app-v1 60',
      'CREATE A app-v1 50',
      'DELETE A app-v2 140',
      'CREATE A app-v2 130',
      'DELETE A app-v3 0',
      'CREATE A app-v3 20',
    ]);
    const inverse = invertChanges(batches[0].changes);
    expect(inverse.map((c) => c.Action).slice(0, 2)).toEqual(['DELETE', 'CREATE']);
    expect(inverse[0].ResourceRecordSet?.Weight).toBe(20);
  });

  it('detect weights changed by hand', () => {
    const expected = recordStepWeights(sampleRecord(), 0);
    expect(manuallyChangedDomains(expected, live({ 'app-v1': 50, 'app-v2': 130, 'app-v3': 20 }))).toEqual([]);
    expect(manuallyChangedDomains(expected, live({ 'app-v1': 50, 'app-v2': 110, 'app-v3': 40 }))).toHaveLength(1);
    // A record of a version that appeared meanwhile with traffic is a change too.
    expect(
      manuallyChangedDomains(expected, live({ 'app-v1': 50, 'app-v2': 130, 'app-v3': 20, 'app-v4': 1 })),
    ).toHaveLength(1);
  });
});

describe('revert capacity', () => {
  it('refuses when every auto scaling group of a version losing traffic is at desired 0', () => {
    const groups = [
      { identifier: 'app-v1', group: 'app-v1-asg', desired: 0 },
      { identifier: 'app-v2', group: 'app-v2-a', desired: 0 },
      { identifier: 'app-v2', group: 'app-v2-b', desired: 2 },
    ];
    expect(capacityRefusals(groups, ['app-v1', 'app-v2', 'app-v9'])).toEqual([
      'app-v1 (auto scaling group app-v1-asg at desired capacity 0)',
    ]);
    expect(capacityRefusals(groups, ['app-v2'])).toEqual([]);
  });
});
