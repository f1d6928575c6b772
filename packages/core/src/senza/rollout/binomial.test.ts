import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialSf, logGamma } from './binomial.js';

/** P(X ≤ k) by summing the probability mass, for small n. */
function cdfBySum(k: number, n: number, p: number): number {
  let s = 0;
  for (let i = 0; i <= k; i++) {
    s += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  return Math.min(1, s);
}

describe('binomial tails', () => {
  it('logGamma matches factorials', () => {
    let f = 1;
    for (let n = 1; n <= 20; n++) {
      f *= n;
      expect(logGamma(n + 1)).toBeCloseTo(Math.log(f), 10);
    }
  });

  it('agree with summing the mass (n ≤ 80)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (n, kk, p) => {
          const k = kk % (n + 1);
          expect(binomialCdf(k, n, p)).toBeCloseTo(cdfBySum(k, n, p), 9);
          expect(binomialSf(k, n, p)).toBeCloseTo(1 - cdfBySum(k - 1, n, p), 9);
        },
      ),
      { seed: 18, numRuns: 300 },
    );
  });

  it('are exact at the edges', () => {
    expect(binomialCdf(0, 458, 0.01)).toBeCloseTo(0.99 ** 458, 12);
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialCdf(10, 10, 0.5)).toBe(1);
    expect(binomialSf(0, 10, 0.5)).toBe(1);
    expect(binomialSf(11, 10, 0.5)).toBe(0);
    expect(binomialSf(10, 10, 0.5)).toBeCloseTo(0.5 ** 10, 14);
  });

  it('stay right for a million requests (normal approximation within 0.002)', () => {
    // Binomial(1e6, 0.01): mean 10,000, sd 99.5; P(X ≤ 9,900) ≈ Φ((9900.5 − 10000)/99.499) = Φ(−1.0000).
    expect(binomialCdf(9900, 1_000_000, 0.01)).toBeCloseTo(0.1587, 2);
    expect(binomialSf(10_300, 1_000_000, 0.01)).toBeCloseTo(0.00135, 3);
  });
});
