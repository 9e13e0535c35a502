import { readFileSync } from 'node:fs';
import { createRng, DomainError, normalLogPdf, sampleNormal, ShapeError } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { discreteFDivergence } from './discrete.js';
import { gaussianFDivergence, gaussianFDivergenceQuadrature } from './gaussian.js';
import { F_DIVERGENCES, type FDivergenceName } from './generators.js';
import { monteCarloFDivergence } from './montecarlo.js';

interface ScipyFixtures {
  cases: { p: number[]; q: number[]; kl: number; reverseKl: number; js: number }[];
}
const scipy = JSON.parse(readFileSync(new URL('../../fixtures/scipy.json', import.meta.url), 'utf8')) as ScipyFixtures;

const names = Object.keys(F_DIVERGENCES) as FDivergenceName[];

/** Independent textbook formulas for discrete distributions. */
const direct: Record<FDivergenceName, (p: number[], q: number[]) => number> = {
  kl: (p, q) => p.reduce((s, pi, i) => s + (pi > 0 ? pi * Math.log(pi / q[i]!) : 0), 0),
  'reverse-kl': (p, q) => q.reduce((s, qi, i) => s + (qi > 0 ? qi * Math.log(qi / p[i]!) : 0), 0),
  'jensen-shannon': (p, q) => {
    const m = p.map((pi, i) => (pi + q[i]!) / 2);
    return 0.5 * direct.kl(p, m) + 0.5 * direct.kl(q, m);
  },
  'total-variation': (p, q) => 0.5 * p.reduce((s, pi, i) => s + Math.abs(pi - q[i]!), 0),
  pearson: (p, q) => p.reduce((s, pi, i) => s + (pi - q[i]!) ** 2 / q[i]!, 0),
  hellinger: (p, q) => p.reduce((s, pi, i) => s + (Math.sqrt(pi) - Math.sqrt(q[i]!)) ** 2, 0),
};

describe('GAN: f-divergence between discrete distributions', () => {
  test.each(scipy.cases.map((c, k) => [k, c.p.length, c] as const))('SciPy case %i (n = %i): KL, reverse KL, JS', (_k, _n, c) => {
    expect(discreteFDivergence('kl', c.p, c.q)).toBeCloseTo(c.kl, 14);
    expect(discreteFDivergence('reverse-kl', c.p, c.q)).toBeCloseTo(c.reverseKl, 14);
    expect(discreteFDivergence('jensen-shannon', c.p, c.q)).toBeCloseTo(c.js, 14);
  });

  test.each(names)('%s: equals the textbook formula and Σ q f(p/q); D(P‖P) = 0', (name) => {
    for (const c of scipy.cases) {
      const got = discreteFDivergence(name, c.p, c.q);
      expect(got).toBeCloseTo(direct[name](c.p, c.q), 14);
      const gen = c.q.reduce((s, qi, i) => s + qi * F_DIVERGENCES[name].f(c.p[i]! / qi), 0);
      expect(got).toBeCloseTo(gen, 13);
      expect(got).toBeGreaterThan(0);
      expect(Math.abs(discreteFDivergence(name, c.p, c.p))).toBeLessThan(1e-15);
    }
  });

  test('disjoint supports: JS = log 2, TV = 1, Hellinger = 2, KL = ∞ (the notes\' argument for OT)', () => {
    const p = [0.5, 0.5, 0, 0];
    const q = [0, 0, 0.25, 0.75];
    expect(discreteFDivergence('jensen-shannon', p, q)).toBeCloseTo(Math.LN2, 15);
    expect(discreteFDivergence('total-variation', p, q)).toBeCloseTo(1, 15);
    expect(discreteFDivergence('hellinger', p, q)).toBeCloseTo(2, 15);
    expect(discreteFDivergence('kl', p, q)).toBe(Number.POSITIVE_INFINITY);
    expect(discreteFDivergence('pearson', p, q)).toBe(Number.POSITIVE_INFINITY);
  });

  test('bad input', () => {
    expect(() => discreteFDivergence('kl', [0.5, 0.5], [1])).toThrow(ShapeError);
    expect(() => discreteFDivergence('kl', [0.5, 0.6], [0.5, 0.5])).toThrow(DomainError);
    expect(() => discreteFDivergence('kl', [1.5, -0.5], [0.5, 0.5])).toThrow(DomainError);
    expect(() => discreteFDivergence('kl', [Number.NaN, 1], [0.5, 0.5])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => discreteFDivergence('chi' as FDivergenceName, [1], [1])).toThrow(DomainError);
  });
});

describe('GAN: f-divergence between Gaussians', () => {
  const pairs = [
    [{ mean: 0, sd: 1 }, { mean: 1, sd: 1 }],
    [{ mean: 0.5, sd: 0.7 }, { mean: -1, sd: 1.3 }],
    [{ mean: 2, sd: 1.5 }, { mean: 1.2, sd: 1.2 }],
  ] as const;
  test.each(names)('%s: closed form = quadrature', (name) => {
    for (const [p, q] of pairs) {
      const closed = gaussianFDivergence(name, p, q);
      const quad = gaussianFDivergenceQuadrature(name, p, q);
      expect(Math.abs(closed - quad)).toBeLessThan(name === 'total-variation' ? 1e-6 : 1e-9);
    }
  });

  test.each([1e3, 1e6])(
    'sd ratio %s: closed form = quadrature, JS ≤ log 2 (one grid over both windows aliased the narrow density: KL off by 13, JS 0.35)',
    (r) => {
      const P = { mean: 0.3, sd: 1 / r };
      const Q = { mean: 0, sd: 1 };
      for (const name of ['kl', 'reverse-kl', 'pearson', 'hellinger'] as const) {
        for (const [a, b] of [
          [P, Q],
          [Q, P],
        ] as const) {
          const closed = gaussianFDivergence(name, a, b);
          if (Number.isFinite(closed)) expect(Math.abs(gaussianFDivergenceQuadrature(name, a, b) - closed)).toBeLessThan(1e-9 * Math.max(1, closed));
        }
      }
      const tv = gaussianFDivergenceQuadrature('total-variation', P, Q);
      expect(Math.abs(tv - gaussianFDivergence('total-variation', P, Q))).toBeLessThan(1e-6);
      const js = gaussianFDivergence('jensen-shannon', P, Q);
      expect(js).toBeLessThanOrEqual(Math.LN2);
      expect(js).toBeGreaterThan(gaussianFDivergence('jensen-shannon', { mean: 0.3, sd: 0.1 }, Q));
      expect(Math.abs(js - gaussianFDivergence('jensen-shannon', Q, P))).toBeLessThan(1e-12); // JS is symmetric
    },
  );

  test('sd ratio 1e400 (beyond double range): KL(narrow‖wide) = 400 ln 10 − ½, KL(wide‖narrow) = +∞, TV = 1; never NaN (reverse KL and TV were NaN)', () => {
    const P = { mean: 0, sd: 1e-200 };
    const Q = { mean: 0, sd: 1e200 };
    const finite = 400 * Math.LN10 - 0.5; // log(σ2/σ1) + ½(σ1/σ2)² − ½ with (σ1/σ2)² = 1e-800 → 0
    expect(gaussianFDivergence('kl', P, Q)).toBeCloseTo(finite, 12);
    expect(gaussianFDivergence('reverse-kl', Q, P)).toBeCloseTo(finite, 12);
    expect(gaussianFDivergence('kl', Q, P)).toBe(Number.POSITIVE_INFINITY);
    expect(gaussianFDivergence('reverse-kl', P, Q)).toBe(Number.POSITIVE_INFINITY);
    for (const [a, b] of [
      [P, Q],
      [Q, P],
    ] as const) {
      expect(gaussianFDivergence('total-variation', a, b)).toBe(1);
      expect(gaussianFDivergence('hellinger', a, b)).toBe(2);
    }
    // finite but extreme: KL(N(0, 1e-160)‖N(0, 1)) = 160 ln 10 − ½ (+ ½·1e-320)
    expect(gaussianFDivergence('kl', { mean: 0, sd: 1e-160 }, { mean: 0, sd: 1 })).toBeCloseTo(160 * Math.LN10 - 0.5, 12);
  });

  test('equal variances: KL = Δμ²/2σ², χ² = e^{Δμ²/σ²} − 1, TV = 2Φ(|Δμ|/2σ) − 1', () => {
    const p = { mean: 0, sd: 2 };
    const q = { mean: 3, sd: 2 };
    expect(gaussianFDivergence('kl', p, q)).toBeCloseTo(9 / 8, 14);
    expect(gaussianFDivergence('pearson', p, q)).toBeCloseTo(Math.exp(9 / 4) - 1, 12);
    // 2Φ(0.75) − 1 = erf(0.75/√2)
    expect(gaussianFDivergence('total-variation', p, q)).toBeCloseTo(0.5467452952462635, 12);
    expect(gaussianFDivergence('pearson', { mean: 0, sd: 3 }, { mean: 0, sd: 2 })).toBe(Number.POSITIVE_INFINITY);
  });

  test.each(names)('%s: Monte Carlo from Q (and from P) within 4 standard errors', (name) => {
    const P = { mean: 0.3, sd: 1 };
    const Q = { mean: -0.2, sd: 1.2 };
    const exact = gaussianFDivergence(name, P, Q);
    const input = {
      logP: (x: number) => normalLogPdf(x, P.mean, P.sd),
      logQ: (x: number) => normalLogPdf(x, Q.mean, Q.sd),
      sampleP: (r: ReturnType<typeof createRng>) => sampleNormal(r, P.mean, P.sd),
      sampleQ: (r: ReturnType<typeof createRng>) => sampleNormal(r, Q.mean, Q.sd),
    };
    for (const from of ['q', 'p'] as const) {
      const est = monteCarloFDivergence(name, input, createRng(17), { n: 20000, from });
      expect(est.standardError).toBeGreaterThan(0);
      expect(Math.abs(est.estimate - exact)).toBeLessThan(4 * est.standardError);
    }
  });

  test('Monte Carlo input checks', () => {
    const input = { logP: (x: number) => x, logQ: (x: number) => x };
    expect(() => monteCarloFDivergence('kl', input, createRng(1))).toThrow(DomainError);
    expect(() => monteCarloFDivergence('kl', { ...input, sampleQ: () => 0 }, createRng(1), { n: 1 })).toThrow(DomainError);
  });
});
