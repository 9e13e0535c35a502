import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { readData } from '../util/data.js';
import { precisionFromCovariance, precisionFromPrecision } from './gaussian-density.js';
import { eStepStatistics } from './gaussian-estep.js';

describe('Categorical latent variables: the 2-D E-step fast path equals the generic E-step', () => {
  test.each(['full', 'tied'] as const)('%s', (type) => {
    const rng = createRng(4);
    const X = readData('t', 'X', Array.from({ length: 500 }, (_, i) => [rng.normal() + (i % 3) * 3, rng.normal() * 2 - (i % 3)]));
    const K = 3;
    const weights = Float64Array.of(0.2, 0.5, 0.3);
    const means = Float64Array.of(0, 0, 3, -1, 6, -2);
    const cov = type === 'full' ? Float64Array.of(1, 0.3, 0.3, 2, 0.5, 0, 0, 0.5, 2, -0.4, -0.4, 1) : Float64Array.of(1.5, 0.2, 0.2, 0.8);
    const fromCov = precisionFromCovariance('t', type, cov, K, 2);
    // a lower-triangular factor (explicit precision init) exercises the other triangle
    const prec = type === 'full' ? Float64Array.of(2, 0.5, 0.5, 1, 1, 0, 0, 1, 1, 0.2, 0.2, 3) : Float64Array.of(1, -0.3, -0.3, 2);
    for (const P of [fromCov, precisionFromPrecision('t', type, prec, K, 2)]) {
      const ll1 = new Float64Array(500);
      const ll2 = new Float64Array(500);
      const a = eStepStatistics(X, weights, means, P, ll1, true);
      const b = eStepStatistics(X, weights, means, P, ll2, false);
      expect(Math.abs(a.bound - b.bound)).toBeLessThan(1e-12);
      for (let i = 0; i < 500; i++) expect(Math.abs((ll1[i] as number) - (ll2[i] as number))).toBeLessThan(1e-12);
      for (const key of ['nk', 's1', 's2'] as const) {
        const u = a.stats[key];
        const v = b.stats[key];
        for (let t = 0; t < u.length; t++) expect(Math.abs((u[t] as number) - (v[t] as number))).toBeLessThan(1e-9 * (1 + Math.abs(v[t] as number)));
      }
    }
  });
});
