// SGPR proofs: the collapsed bound equals the exact log marginal likelihood when Z = X, stays below it for
// other Z, and its analytic gradient matches central differences.
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { lmlCholesky } from '../gp-regression/lml.js';
import { type Kernel, constant, linear, matern, product, rationalQuadratic, rbf, sum } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';
import { sgprBound } from './sgpr.js';

const rng = createRng(11);
const n = 30;
const X: Points = { data: Float64Array.from({ length: 2 * n }, () => 4 * rng.uniform()), n, d: 2 };
const noiseV = sampleNormalArray(rng, n, 0, 0.1);
const y = Float64Array.from({ length: n }, (_, i) => Math.sin(X.data[2 * i] as number) + 0.5 * Math.cos(2 * (X.data[2 * i + 1] as number)) + (noiseV[i] as number));
const Z: Points = { data: Float64Array.from({ length: 2 * 8 }, () => 4 * rng.uniform()), n: 8, d: 2 };

const kernels: [string, Kernel][] = [
  ['const·RBF-ARD', product(constant(1.3), rbf({ lengthScale: [0.7, 1.1] }))],
  ['const·Matérn-5/2 + const·RQ', sum(product(constant(0.8), matern({ nu: 2.5, lengthScale: 0.9 })), product(constant(0.2), rationalQuadratic({ lengthScale: 0.5, alpha: 2 })))],
];

describe('SGPR collapsed bound (Titsias 2009)', () => {
  test.each(kernels)('%s: Z = X gives the exact log marginal likelihood (1e-8 relative)', (_n, k) => {
    const noise = 0.05;
    const exact = lmlCholesky(k, X, y, noise, false).value;
    const b = sgprBound(k, X, y, X, noise, 1e-13, 7, false).value;
    expect(Math.abs(b - exact) / Math.abs(exact)).toBeLessThan(1e-8);
  });

  test.each(kernels)('%s: bound ≤ exact log ML for 8 random inducing points', (_n, k) => {
    const noise = 0.05;
    expect(sgprBound(k, X, y, Z, noise, 1e-10, 11, false).value).toBeLessThanOrEqual(lmlCholesky(k, X, y, noise, false).value);
  });

  test.each(kernels)('%s: analytic gradient = central differences (θ and log σ², chunks of 7 rows)', (_n, k) => {
    const noise = 0.07;
    const g = sgprBound(k, X, y, Z, noise, 1e-10, 7, true).gradient;
    const theta = k.theta;
    const h = 1e-5;
    for (let q = 0; q <= theta.length; q++) {
      const at = (delta: number) => {
        if (q < theta.length) {
          const t = theta.slice();
          t[q] = (t[q] as number) + delta;
          return sgprBound(k.withTheta(t), X, y, Z, noise, 1e-10, 7, false).value;
        }
        return sgprBound(k, X, y, Z, noise * Math.exp(delta), 1e-10, 7, false).value;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs((g[q] as number) - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  const inducingKernels: [string, Kernel][] = [
    ...kernels,
    ['const·Matérn-3/2-ARD + linear', sum(product(constant(0.9), matern({ nu: 1.5, lengthScale: [0.6, 1.2] })), linear({ sigma0: 0.3 }))],
  ];
  test.each(inducingKernels)('%s: gradient in the inducing inputs Z = central differences (every z_{a,t}, chunks of 7 rows)', (_n, k) => {
    const noise = 0.07;
    const r = sgprBound(k, X, y, Z, noise, 1e-10, 7, true, true);
    const nT = k.nTheta;
    expect(r.gradient.length).toBe(nT + 1 + Z.n * Z.d);
    // the θ and σ² entries are those of the plain gradient
    const plain = sgprBound(k, X, y, Z, noise, 1e-10, 7, true).gradient;
    for (let q = 0; q <= nT; q++) expect(r.gradient[q]).toBe(plain[q]);
    const h = 1e-5;
    for (let i = 0; i < Z.n * Z.d; i++) {
      const at = (delta: number) => {
        const data = Z.data.slice();
        data[i] = (data[i] as number) + delta;
        return sgprBound(k, X, y, { ...Z, data }, noise, 1e-10, 7, false).value;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs((r.gradient[nT + 1 + i] as number) - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });
});

describe('fitSGPR', () => {
  const Xr = Array.from({ length: n }, (_, i) => [X.data[2 * i] as number, X.data[2 * i + 1] as number]);
  test('with Z = X and the same hyperparameters it predicts like the exact GP (1e-6)', async () => {
    const { fitGP } = await import('../gp-regression/index.js');
    const { fitSGPR } = await import('./index.js');
    const k = product(constant(1.3), rbf({ lengthScale: [0.7, 1.1] }));
    const exact = fitGP(Xr, y, { kernel: k, noise: 0.05, optimize: false });
    const sparse = fitSGPR(Xr, y, { kernel: k, noise: 0.05, optimize: false, inducing: Xr, jitter: 1e-13 });
    const Xs = [[0.5, 0.5], [2, 3], [3.9, 0.1]];
    const a = exact.predict(Xs);
    const b = sparse.predict(Xs);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs((a.mean[i] as number) - (b.mean[i] as number))).toBeLessThan(1e-6);
      expect(Math.abs((a.variance[i] as number) - (b.variance[i] as number))).toBeLessThan(1e-6);
    }
    expect(Math.abs(sparse.elbo - exact.logMarginalLikelihood)).toBeLessThan(1e-6 * Math.abs(exact.logMarginalLikelihood));
  });

  test('fitted bound rises, stays below the fitted exact log ML, and seeded runs are identical', async () => {
    const { fitGP } = await import('../gp-regression/index.js');
    const { fitSGPR } = await import('./index.js');
    const k = product(constant(1), rbf({ lengthScale: [1, 1] }));
    const s1 = fitSGPR(Xr, y, { kernel: k, inducing: 10, seed: 4 });
    const s2 = fitSGPR(Xr, y, { kernel: k, inducing: 10, seed: 4 });
    expect(s2.elbo).toBe(s1.elbo);
    const trace = s1.report.trace as readonly number[];
    expect(trace[trace.length - 1]).toBeGreaterThan(trace[0] as number);
    const { white, sum } = await import('../kernels/index.js');
    const exact = fitGP(Xr, y, { kernel: sum(k, white(0.1)) });
    expect(s1.elbo).toBeLessThanOrEqual(exact.logMarginalLikelihood + 1e-9);
  });

  test('optimizeInducing: the fitted bound is at least that with fixed k-means Z, Z moves, seeded runs are identical; periodic is refused', async () => {
    const { fitSGPR } = await import('./index.js');
    const { periodic } = await import('../kernels/index.js');
    const k = product(constant(1), rbf({ lengthScale: [1, 1] }));
    const fixed = fitSGPR(Xr, y, { kernel: k, inducing: 5, seed: 2 });
    const moved = fitSGPR(Xr, y, { kernel: k, inducing: 5, seed: 2, optimizeInducing: true });
    const again = fitSGPR(Xr, y, { kernel: k, inducing: 5, seed: 2, optimizeInducing: true });
    expect(moved.elbo).toBeGreaterThanOrEqual(fixed.elbo - 1e-9);
    expect(moved.elbo).toBe(again.elbo);
    expect(Array.from(moved.inducing)).toEqual(Array.from(again.inducing));
    expect(Array.from(moved.inducing)).not.toEqual(Array.from(fixed.inducing));
    expect(() => fitSGPR(Xr, y, { kernel: periodic(), inducing: 5, optimizeInducing: true })).toThrow(/optimizeInducing.*periodic/);
  });
});
