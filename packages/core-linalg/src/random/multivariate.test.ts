import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { cholesky } from '../linalg/index.js';
import { createRng, sampleMultivariateNormal, sampleWishart } from './index.js';

const SIGMA = [
  [2, 0.6, -0.4],
  [0.6, 1, 0.3],
  [-0.4, 0.3, 0.5],
];
const MU = [1, -2, 0.5];

describe('random: multivariate normal via Cholesky', () => {
  test('sample mean and covariance within 4 SE (Gaussian SE of a covariance: √((Σᵢᵢ Σⱼⱼ + Σᵢⱼ²)/n))', () => {
    const rng = createRng(12);
    const n = 40_000;
    const L = cholesky(SIGMA);
    const xs: Float64Array[] = [];
    for (let t = 0; t < n; t++) xs.push(sampleMultivariateNormal(rng, MU, L));
    for (let i = 0; i < 3; i++) {
      const m = xs.reduce((s, x) => s + (x[i] as number), 0) / n;
      expect(Math.abs(m - (MU[i] as number))).toBeLessThan(4 * Math.sqrt((SIGMA[i]![i] as number) / n));
      for (let j = 0; j <= i; j++) {
        let c = 0;
        for (const x of xs) c += ((x[i] as number) - (MU[i] as number)) * ((x[j] as number) - (MU[j] as number));
        c /= n;
        const sij = SIGMA[i]![j] as number;
        const se = Math.sqrt(((SIGMA[i]![i] as number) * (SIGMA[j]![j] as number) + sij * sij) / n);
        expect(Math.abs(c - sij)).toBeLessThan(4 * se);
      }
    }
  });

  test('a matrix and its Cholesky factor give the same draws; inputs untouched', () => {
    const cov = SIGMA.map((r) => [...r]);
    const mean = [...MU];
    const a = sampleMultivariateNormal(createRng(3), mean, cov);
    const b = sampleMultivariateNormal(createRng(3), mean, cholesky(new Matrix(cov)));
    expect(a).toEqual(b);
    expect(cov).toEqual(SIGMA);
    expect(mean).toEqual(MU);
  });

  test('bad input → typed errors', () => {
    const rng = createRng(1);
    expect(() => sampleMultivariateNormal(rng, [0, 0], SIGMA)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => sampleMultivariateNormal(rng, [0, Number.NaN, 0], SIGMA)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() =>
      sampleMultivariateNormal(rng, [0, 0], [
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(expect.objectContaining({ code: 'not-positive-definite' }));
  });
});

describe('random: Wishart (Bartlett decomposition)', () => {
  test('E[W] = νS and Var[Wᵢⱼ] = ν(Sᵢⱼ² + SᵢᵢSⱼⱼ) within 4 SE', () => {
    const rng = createRng(21);
    const df = 5.5;
    const n = 20_000;
    const draws: Matrix[] = [];
    for (let t = 0; t < n; t++) draws.push(sampleWishart(rng, df, SIGMA));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j <= i; j++) {
        const v = draws.map((W) => W.get(i, j));
        const mean = v.reduce((s, x) => s + x, 0) / n;
        const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
        const sij = SIGMA[i]![j] as number;
        const trueVar = df * (sij * sij + (SIGMA[i]![i] as number) * (SIGMA[j]![j] as number));
        expect(Math.abs(mean - df * sij)).toBeLessThan(4 * Math.sqrt(trueVar / n));
        // SE of a sample variance, from the sample fourth moment
        const m4 = v.reduce((s, x) => s + (x - mean) ** 4, 0) / n;
        expect(Math.abs(variance - trueVar)).toBeLessThan(4 * Math.sqrt((m4 - variance * variance) / n));
      }
    }
    expect(draws[0]!.get(0, 1)).toBe(draws[0]!.get(1, 0));
  });

  test('bad input → typed errors', () => {
    const rng = createRng(1);
    expect(() => sampleWishart(rng, 1.9, SIGMA)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => sampleWishart(rng, Number.NaN, SIGMA)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => sampleWishart(rng, 5, [[1, 2]])).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});
