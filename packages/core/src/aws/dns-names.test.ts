import { describe, expect, it } from 'vitest';
import { isInZone, longestZones, normalizeDnsName, withDot, withoutDot } from './dns-names.js';

describe('DNS names', () => {
  it('adds and strips the trailing dot once', () => {
    expect([withDot('zo.ne'), withDot('zo.ne.'), withoutDot('zo.ne.'), withoutDot('zo.ne')]).toEqual([
      'zo.ne.',
      'zo.ne.',
      'zo.ne',
      'zo.ne',
    ]);
    expect(normalizeDnsName(' MyApp.Zo.Ne ')).toBe('myapp.zo.ne.');
  });

  it('matches zones at label boundaries only, without case, never the root', () => {
    expect(isInZone('api.ZO.ne', 'zo.ne.')).toBe(true);
    expect(isInZone('zo.ne.', 'zo.ne')).toBe(true);
    expect(isInZone('apizo.ne', 'zo.ne')).toBe(false);
    expect(isInZone('zo.ne', '')).toBe(false);
  });

  it('picks the longest zones, keeping the order and both of a public/private pair', () => {
    const zones = [{ n: 'zo.ne.' }, { n: 'app.zo.ne.' }, { n: 'other.' }, { n: 'APP.zo.ne' }];
    expect(longestZones(zones, 'great.app.zo.ne', (z) => z.n)).toEqual([{ n: 'app.zo.ne.' }, { n: 'APP.zo.ne' }]);
    expect(longestZones(zones, 'x.zo.ne', (z) => z.n)).toEqual([{ n: 'zo.ne.' }]);
    expect(longestZones(zones, 'nowhere.test', (z) => z.n)).toEqual([]);
  });
});
