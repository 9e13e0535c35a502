import { describe, expect, test } from 'vitest';
import { draw, moments } from './moments.testutil.js';
import {
  createRng,
  sampleBeta,
  sampleBinomial,
  sampleExponential,
  sampleGamma,
  sampleGumbel,
  sampleNormal,
  sampleNormalArray,
  samplePoisson,
  sampleUniform,
} from './index.js';

const N = 50_000;
const EULER = 0.5772156649015329;

interface Case {
  name: string;
  f: (rng: ReturnType<typeof createRng>) => number;
  mean: number;
  variance: number;
}

// Closed-form means and variances of each distribution.
const cases: Case[] = [
  { name: 'uniform(-2, 3)', f: (r) => sampleUniform(r, -2, 3), mean: 0.5, variance: 25 / 12 },
  { name: 'uniform()', f: (r) => sampleUniform(r), mean: 0.5, variance: 1 / 12 },
  { name: 'normal(1.5, 2)', f: (r) => sampleNormal(r, 1.5, 2), mean: 1.5, variance: 4 },
  { name: 'rng.normal()', f: (r) => r.normal(), mean: 0, variance: 1 },
  { name: 'gamma(2.5, rate 4)', f: (r) => sampleGamma(r, 2.5, 4), mean: 2.5 / 4, variance: 2.5 / 16 },
  { name: 'gamma(0.3, rate 1)', f: (r) => sampleGamma(r, 0.3), mean: 0.3, variance: 0.3 },
  { name: 'beta(2, 5)', f: (r) => sampleBeta(r, 2, 5), mean: 2 / 7, variance: 10 / (49 * 8) },
  { name: 'beta(0.5, 0.5)', f: (r) => sampleBeta(r, 0.5, 0.5), mean: 0.5, variance: 0.25 / 2 },
  { name: 'gumbel(1, 2)', f: (r) => sampleGumbel(r, 1, 2), mean: 1 + 2 * EULER, variance: (Math.PI ** 2 * 4) / 6 },
  { name: 'exponential(rate 3)', f: (r) => sampleExponential(r, 3), mean: 1 / 3, variance: 1 / 9 },
  { name: 'poisson(3.5)', f: (r) => samplePoisson(r, 3.5), mean: 3.5, variance: 3.5 },
  { name: 'poisson(40)', f: (r) => samplePoisson(r, 40), mean: 40, variance: 40 },
  { name: 'binomial(20, 0.3)', f: (r) => sampleBinomial(r, 20, 0.3), mean: 6, variance: 4.2 },
  { name: 'binomial(1000, 0.05)', f: (r) => sampleBinomial(r, 1000, 0.05), mean: 50, variance: 47.5 },
  { name: 'binomial(100, 0.5)', f: (r) => sampleBinomial(r, 100, 0.5), mean: 50, variance: 25 },
  { name: 'binomial(5000, 0.9)', f: (r) => sampleBinomial(r, 5000, 0.9), mean: 4500, variance: 450 },
];

describe('random: samplers (mean and variance within 4 standard errors, seed 20240611)', () => {
  test.each(cases)('$name', ({ f, mean, variance }) => {
    const rng = createRng(20240611);
    const m = moments(draw(N, () => f(rng)));
    expect(Math.abs(m.mean - mean)).toBeLessThan(4 * m.seMean);
    expect(Math.abs(m.variance - variance)).toBeLessThan(4 * m.seVariance);
  });

  test('sampleNormalArray matches repeated sampleNormal and has the right moments', () => {
    const a = sampleNormalArray(createRng(7), 50_000, -1, 0.5);
    const r = createRng(7);
    const b = draw(50_000, () => sampleNormal(r, -1, 0.5));
    expect(a).toEqual(b);
    const m = moments(a);
    expect(Math.abs(m.mean + 1)).toBeLessThan(4 * m.seMean);
    expect(Math.abs(m.variance - 0.25)).toBeLessThan(4 * m.seVariance);
    expect(sampleNormalArray(createRng(1), 0)).toHaveLength(0);
  });

  test('integer samplers return integers in their support; binomial edge probabilities', () => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const k = samplePoisson(rng, 2);
      expect(Number.isInteger(k) && k >= 0).toBe(true);
      const b = sampleBinomial(rng, 7, 0.4);
      expect(Number.isInteger(b) && b >= 0 && b <= 7).toBe(true);
    }
    expect(sampleBinomial(rng, 9, 0)).toBe(0);
    expect(sampleBinomial(rng, 9, 1)).toBe(9);
    expect(sampleBinomial(rng, 0, 0.5)).toBe(0);
  });
});

describe('random: bad input gives typed errors', () => {
  const rng = createRng(1);
  test.each([
    ['sampleGamma negative rate', () => sampleGamma(rng, 2, -1), 'domain'],
    ['sampleGamma zero shape', () => sampleGamma(rng, 0), 'domain'],
    ['sampleGamma NaN shape', () => sampleGamma(rng, Number.NaN), 'non-finite'],
    ['sampleNormal sd 0', () => sampleNormal(rng, 0, 0), 'domain'],
    ['sampleNormal NaN mean', () => sampleNormal(rng, Number.NaN), 'non-finite'],
    ['sampleNormalArray negative n', () => sampleNormalArray(rng, -1), 'domain'],
    ['sampleNormalArray fractional n', () => sampleNormalArray(rng, 2.5), 'domain'],
    ['sampleUniform a = b', () => sampleUniform(rng, 1, 1), 'domain'],
    ['sampleUniform Infinity', () => sampleUniform(rng, 0, Number.POSITIVE_INFINITY), 'non-finite'],
    ['sampleBeta negative', () => sampleBeta(rng, -1, 1), 'domain'],
    ['sampleGumbel beta 0', () => sampleGumbel(rng, 0, 0), 'domain'],
    ['sampleExponential negative rate', () => sampleExponential(rng, -2), 'domain'],
    ['samplePoisson 0', () => samplePoisson(rng, 0), 'domain'],
    ['sampleBinomial p > 1', () => sampleBinomial(rng, 3, 1.5), 'domain'],
    ['sampleBinomial n fractional', () => sampleBinomial(rng, 2.5, 0.5), 'domain'],
  ])('%s', (_name, fn, code) => {
    expect(fn).toThrow(expect.objectContaining({ code }));
  });

  test('a rejected call draws nothing', () => {
    const a = createRng(5);
    const b = createRng(5);
    expect(() => sampleGamma(a, 1, -1)).toThrow();
    expect(sampleGamma(a, 2)).toBe(sampleGamma(b, 2));
  });
});
