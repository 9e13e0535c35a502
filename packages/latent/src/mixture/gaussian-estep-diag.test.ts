import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { readData } from '../util/data.js';
import { fitGaussianMixture } from './gaussian-mixture.js';
import { diagKernelBytes } from './diag-kernel.js';
import { LOG_2PI, precisionFromCovariance, precisionFromPrecision } from './gaussian-density.js';
import { eStepStatistics } from './gaussian-estep.js';
import { createDiagWork } from './gaussian-estep-diag.js';

describe('Categorical latent variables: the WebAssembly diag/spherical E-step equals the scalar E-step', () => {
  test('the kernel module validates', () => {
    expect(WebAssembly.validate(diagKernelBytes())).toBe(true);
  });

  // d = 1, 3, 4, 7 cover the zero padding to a multiple of 4; n = 300 spans three row blocks (128 rows each)
  test.each([
    ['diag', 1],
    ['diag', 3],
    ['diag', 4],
    ['diag', 7],
    ['spherical', 3],
    ['spherical', 7],
  ] as const)('%s, d = %i', (type, d) => {
    const rng = createRng(11 + d);
    const n = 300;
    const K = 3;
    const X = readData('t', 'X', Array.from({ length: n }, (_, i) => Array.from({ length: d }, () => rng.normal() * (1 + (i % 3)) + (i % 3) * 2)));
    const weights = Float64Array.of(0.2, 0.5, 0.3);
    const means = Float64Array.from({ length: K * d }, () => rng.normal() * 2);
    const per = type === 'diag' ? d : 1;
    const cov = Float64Array.from({ length: K * per }, () => 0.5 + rng.uniform() * 3);
    const prec = Float64Array.from({ length: K * per }, () => 0.2 + rng.uniform());
    const work = createDiagWork(X, K);
    expect(work).not.toBeNull();
    for (const P of [precisionFromCovariance('t', type, cov, K, d), precisionFromPrecision('t', type, prec, K, d)]) {
      const ll1 = new Float64Array(n);
      const ll2 = new Float64Array(n);
      const a = eStepStatistics(X, weights, means, P, ll1, true, undefined, work);
      const b = eStepStatistics(X, weights, means, P, ll2, false);
      expect(Math.abs(a.bound - b.bound)).toBeLessThan(1e-12 * Math.abs(b.bound));
      for (let i = 0; i < n; i++) expect(Math.abs((ll1[i] as number) - (ll2[i] as number))).toBeLessThan(1e-12 * (1 + Math.abs(ll2[i] as number)));
      for (const key of ['nk', 's1', 's2'] as const) {
        const u = a.stats[key];
        const v = b.stats[key];
        expect(u.length).toBe(v.length);
        for (let t = 0; t < u.length; t++) expect(Math.abs((u[t] as number) - (v[t] as number))).toBeLessThan(1e-11 * (1 + Math.abs(v[t] as number)));
      }
    }
  });

  // d = 2, 5, 8, 9 (two-column rows, odd tails, exact and one-past multiples of 4), n = 1 and 129 (one row past a
  // block), K = 1, a component with variance 1e-12, and data at 1e8 with spread 1e-2 (difference form keeps digits)
  test.each([
    ['diag', 2, 129, 1, 0],
    ['diag', 5, 1, 2, 0],
    ['diag', 8, 129, 2, 1e8],
    ['diag', 9, 129, 3, 0],
    ['spherical', 2, 129, 1, 1e8],
    ['spherical', 9, 129, 3, 0],
  ] as const)('%s, d = %i, n = %i, K = %i, offset %d', (type, d, n, K, offset) => {
    const rng = createRng(100 + d * n + K);
    const spread = offset === 0 ? 1 : 1e-2;
    const X = readData('t', 'X', Array.from({ length: n }, (_, i) => Array.from({ length: d }, () => offset + spread * (rng.normal() + (i % K)))));
    const weights = new Float64Array(K).fill(1 / K);
    const means = Float64Array.from({ length: K * d }, (_, t) => offset + spread * (0.5 * rng.normal() + Math.floor(t / d)));
    const cov = Float64Array.from({ length: K * (type === 'diag' ? d : 1) }, () => spread * spread * (0.5 + rng.uniform()));
    if (K > 1) cov[0] = 1e-12 * spread * spread;
    const P = precisionFromCovariance('t', type, cov, K, d);
    const ll1 = new Float64Array(n);
    const ll2 = new Float64Array(n);
    const a = eStepStatistics(X, weights, means, P, ll1, true, undefined, createDiagWork(X, K));
    const b = eStepStatistics(X, weights, means, P, ll2, false);
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(ll1[i])).toBe(true);
      expect(Math.abs((ll1[i] as number) - (ll2[i] as number))).toBeLessThan(1e-12 * (1 + Math.abs(ll2[i] as number)));
    }
    for (const key of ['nk', 's1', 's2'] as const) {
      const u = a.stats[key];
      const v = b.stats[key];
      for (let t = 0; t < u.length; t++) expect(Math.abs((u[t] as number) - (v[t] as number))).toBeLessThan(1e-11 * (1 + Math.abs(v[t] as number)));
    }
  });

  test('data that does not fit in a WebAssembly memory: no kernel (the scalar E-step runs), not a RangeError', () => {
    // 2^27 rows × 9 columns pad to 12 columns: 12.9 GB > the 4 GiB of a 32-bit WebAssembly memory (nothing is
    // allocated: the size is checked before the instance is created); the E-step then takes the scalar path
    expect(createDiagWork({ n: 2 ** 27, d: 9, data: new Float64Array(9) }, 3)).toBeNull();
    const X = readData('t', 'X', [[1, 2], [3, 5], [-1, 0]]);
    const P = precisionFromCovariance('t', 'diag', Float64Array.of(1, 2, 0.5, 4), 2, 2);
    const w = Float64Array.of(0.4, 0.6);
    const mu = Float64Array.of(0, 1, 2, 3);
    const a = eStepStatistics(X, w, mu, P, new Float64Array(3), true, undefined, null);
    const b = eStepStatistics(X, w, mu, P, new Float64Array(3), false);
    expect(a.bound).toBe(b.bound);
    expect(Array.from(a.stats.s2)).toEqual(Array.from(b.stats.s2));
  });

  test('one sample, one component: the closed-form log-density', () => {
    // log N(x | μ, diag σ²) = −½ Σ_j [log 2π + log σ²_j + (x_j − μ_j)²/σ²_j]
    const x = [1.5, -2, 0.25, 3, -1];
    const mu = Float64Array.of(1, 0, 0.5, 2, -3);
    const s2 = Float64Array.of(0.5, 2, 1, 4, 0.25);
    let want = 0;
    for (let j = 0; j < 5; j++) want += -0.5 * (LOG_2PI + Math.log(s2[j] as number) + ((x[j] as number) - (mu[j] as number)) ** 2 / (s2[j] as number));
    const X = readData('t', 'X', [x]);
    const ll = new Float64Array(1);
    const r = eStepStatistics(X, Float64Array.of(1), mu, precisionFromCovariance('t', 'diag', s2, 1, 5), ll, true, undefined, createDiagWork(X, 1));
    expect(Math.abs((ll[0] as number) - want)).toBeLessThan(1e-14 * Math.abs(want));
    expect(r.stats.nk[0]).toBe(1);
    // moments about the current mean: s1 = x − μ, s2 = (x − μ)²
    const dev = x.map((v, j) => v - (mu[j] as number));
    expect(Array.from(r.stats.s1)).toEqual(dev);
    expect(Array.from(r.stats.s2)).toEqual(dev.map((v) => v * v));
  });

  test.each(['diag', 'spherical'] as const)('%s fit: a common offset of 1e6 (|x| ≫ σ) changes nothing but the means', (type) => {
    // the likelihood is translation-invariant, so the fit from the shifted init must match to rounding of x + 1e6
    const rng = createRng(5);
    const X = Array.from({ length: 400 }, (_, i) => Array.from({ length: 6 }, (_, j) => rng.normal() * (0.5 + (i % 2)) + (i % 2) * 4 - j));
    const init = {
      weights: [0.5, 0.5],
      means: [X[0] as number[], X[1] as number[]],
      precisions: type === 'diag' ? [new Array(6).fill(1), new Array(6).fill(1)] : [1, 1],
    };
    const shift = (r: number[]) => r.map((v) => v + 1e6);
    const a = fitGaussianMixture(X, { components: 2, covariance: type, tol: 0, maxIterations: 15, init });
    const b = fitGaussianMixture(X.map(shift), { components: 2, covariance: type, tol: 0, maxIterations: 15, init: { ...init, means: init.means.map(shift) } });
    // inputs x + 1e6 are rounded to 1.2e-10 (half an ulp at 1e6), so agreement is to ~1e-11, not 1e-15
    expect(Math.abs(a.lowerBound - b.lowerBound)).toBeLessThan(1e-10 * Math.abs(a.lowerBound));
    expect(Math.max(...a.weights.map((w, k) => Math.abs(w - (b.weights[k] as number))))).toBeLessThan(1e-9);
    const am = a.means.to1DArray();
    const bm = b.means.to1DArray();
    for (let t = 0; t < am.length; t++) expect(Math.abs((am[t] as number) + 1e6 - (bm[t] as number))).toBeLessThan(1e-7);
    for (let t = 0; t < a.covarianceData.length; t++) {
      expect(Math.abs((a.covarianceData[t] as number) - (b.covarianceData[t] as number))).toBeLessThan(1e-9 * (a.covarianceData[t] as number));
    }
  });
});
