import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { F_DIVERGENCES, type FDivergence } from './generators.js';

const all = Object.values(F_DIVERGENCES);

/** sup_t s·t − f(t) by a log-spaced grid then golden-section refinement (independent of fStar). */
function numericConjugate(d: FDivergence, s: number): number {
  const g = (u: number) => s * Math.exp(u) - d.f(Math.exp(u));
  let best = -40;
  for (let u = -40; u <= 12; u += 0.01) if (g(u) > g(best)) best = u;
  let lo = best - 0.01;
  let hi = best + 0.01;
  const r = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 200; k++) {
    const a = hi - r * (hi - lo);
    const b = lo + r * (hi - lo);
    if (g(a) > g(b)) hi = b;
    else lo = a;
  }
  return Math.max(g((lo + hi) / 2), -d.f(0)); // t → 0 limit
}

describe('GAN: f-divergence generators', () => {
  test.each(all.map((d) => [d.name, d] as const))('%s: f(1) = 0', (_n, d) => {
    expect(d.f(1) === 0).toBe(true);
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: f is convex (midpoint inequality, property test)', (_n, d) => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 50, noNaN: true }), fc.double({ min: 1e-6, max: 50, noNaN: true }), (a, b) => {
        const mid = d.f((a + b) / 2);
        const chord = (d.f(a) + d.f(b)) / 2;
        return mid <= chord + 1e-12 * (1 + Math.abs(chord));
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: f* equals the numerical sup_t s·t − f(t)', (_n, d) => {
    const ss = d.name === 'total-variation' ? [-0.5, -0.3, 0, 0.2, 0.5] : d.name === 'reverse-kl' ? [-3, -1, -0.2] : [-2, -0.5, 0, 0.2, 0.3];
    for (const s of ss) {
      expect(Math.abs(d.fStar(s) - numericConjugate(d, s))).toBeLessThan(1e-7);
    }
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: Fenchel–Young f(t) + f*(s) ≥ st, equality at s = f\'(t)', (_n, d) => {
    for (const t of [0.1, 0.5, 0.9, 1.7, 4]) {
      const s = d.fPrime(t);
      expect(d.f(t) + d.fStar(s) - s * t).toBeLessThan(1e-12);
      for (const ds of [-0.3, -0.1, 0.05]) {
        const s2 = s + ds;
        expect(d.f(t) + d.fStar(s2)).toBeGreaterThanOrEqual(s2 * t - 1e-12);
      }
    }
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: f\' matches a central finite difference', (_n, d) => {
    for (const t of [0.2, 0.7, 1.5, 3]) {
      const h = 1e-6;
      expect(d.fPrime(t)).toBeCloseTo((d.f(t + h) - d.f(t - h)) / (2 * h), 6);
    }
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: activation maps ℝ into dom f*', (_n, d) => {
    for (const v of [-30, -3, -0.1, 0, 0.1, 3, 30]) expect(Number.isFinite(d.fStar(d.activation(v)))).toBe(true);
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: pointwiseLog(log p, log q) = q·f(p/q)', (_n, d) => {
    for (const [p, q] of [[0.2, 0.5], [0.5, 0.2], [0.3, 0.3], [1e-3, 0.7]] as const) {
      expect(d.pointwiseLog(Math.log(p), Math.log(q))).toBeCloseTo(q * d.f(p / q), 14);
    }
    expect(d.pointwiseLog(Number.NEGATIVE_INFINITY, Math.log(0.4))).toBeCloseTo(0.4 * d.f(0), 14);
    expect(d.pointwiseLog(Math.log(0.4), Number.NEGATIVE_INFINITY)).toBe(0.4 * d.slopeAtInfinity);
    expect(d.pointwiseLog(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(0);
  });
});
