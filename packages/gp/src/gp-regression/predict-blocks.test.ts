/**
 * Predictions of many points (m ≥ n) on the Cholesky path go through `#predictInBlocks` (core's
 * LowerInverseRows and the SIMD RBF cross-covariance): they equal the unblocked path (`covariance: true`
 * still solves with the recursive triangular solve, but takes its RBF cross-covariances from the same
 * `rbfCross`) and a dense reference with C⁻¹ whose kernels use `Math.exp` (the independent check of the SIMD
 * exponential), on random problems, on data scaled by 1e-150, and on a near-singular kernel matrix.
 */
import { cholesky, createRng, fromRowMajor } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { type Kernel, constant, matern, product, rbf, scale, sum, white } from '../kernels/index.js';
import { fitGP } from './fit.js';

function problem(n: number, m: number, d: number, seed: number, xScale = 1) {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 6 * rng.uniform() * xScale));
  const y = X.map((r) => Math.sin((r[0] as number) / xScale) + 0.1 * rng.normal());
  const Xs = Array.from({ length: m }, () => Array.from({ length: d }, () => (8 * rng.uniform() - 1) * xScale));
  return { X, y, Xs };
}

/** Mean and variance from C⁻¹ (core's checked Cholesky inverse), O(n³ + m·n²) in plain loops. */
function dense(kernel: Kernel, X: number[][], y: number[], Xs: number[][], noise: number) {
  const n = X.length;
  const d = (X[0] as number[]).length;
  const a = { data: Float64Array.from(X.flat()), n, d };
  const b = { data: Float64Array.from(Xs.flat()), n: Xs.length, d };
  const K = kernel.computeMatrix(a);
  for (let i = 0; i < n; i++) K[i * n + i] = (K[i * n + i] as number) + noise;
  const f = cholesky(fromRowMajor(K, n, n));
  const Cinv = f.inverse().to1DArray();
  const alpha = f.solve(Float64Array.from(y));
  const Ks = kernel.computeMatrix(b, a);
  const kss = kernel.computeDiag(b);
  const mean = new Float64Array(b.n);
  const variance = new Float64Array(b.n);
  for (let i = 0; i < b.n; i++) {
    let mu = 0;
    let q = 0;
    for (let j = 0; j < n; j++) {
      mu += (Ks[i * n + j] as number) * (alpha[j] as number);
      let t = 0;
      for (let k = 0; k < n; k++) t += (Cinv[j * n + k] as number) * (Ks[i * n + k] as number);
      q += (Ks[i * n + j] as number) * t;
    }
    mean[i] = mu;
    variance[i] = Math.max(0, (kss[i] as number) - q);
  }
  return { mean, variance };
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs((a[i] as number) - (b[i] as number)));
  return e;
}

const KERNELS: [string, () => Kernel, number][] = [
  ['rbf + white (SIMD RBF path)', () => sum(rbf({ lengthScale: 0.9 }), white(0.04)), 1],
  ['const·rbf-ARD + white (SIMD RBF path)', () => sum(scale(rbf({ lengthScale: [0.7, 1.6] }), 2.5), white(0.01)), 2],
  ['matern + const (generic cross-covariance)', () => sum(matern({ nu: 1.5, lengthScale: 1.2 }), constant(0.3)), 2],
];

describe('predict of many points (blocked path)', () => {
  test.each(KERNELS)('%s: equals the unblocked path to 1e-12 and the dense C⁻¹ reference to 1e-10', (_, make, d) => {
    const kernel = make();
    const { X, y, Xs } = problem(260, 700, d, 3);
    const model = fitGP(X, y, { kernel, optimize: false, noise: 1e-3 });
    const p = model.predict(Xs);
    const old = model.predict(Xs, { covariance: true });
    const ref = dense(kernel, X, y, Xs, 1e-3);
    const kss = kernel.computeDiag({ data: Float64Array.from(Xs.flat()), n: Xs.length, d });
    const vScale = Math.max(...Array.from(kss));
    expect(maxDiff(p.mean, old.mean)).toBeLessThan(1e-12 * Math.max(1, ...Array.from(old.mean, Math.abs)));
    expect(maxDiff(p.variance, old.variance)).toBeLessThan(1e-12 * vScale);
    expect(maxDiff(p.mean, ref.mean)).toBeLessThan(1e-10);
    expect(maxDiff(p.variance, ref.variance)).toBeLessThan(1e-10 * vScale);
    for (let i = 0; i < Xs.length; i++) {
      expect(p.variance[i]).toBeGreaterThanOrEqual(0);
      expect(p.std[i]).toBe(Math.sqrt(p.variance[i] as number));
    }
  });

  test('normalizeY: mean and variance mapped back as on the unblocked path (1e-12)', () => {
    const { X, y, Xs } = problem(150, 400, 1, 8);
    const model = fitGP(X, y.map((v) => 50 + 20 * v), { kernel: sum(rbf(), white(0.1)), optimize: false, normalizeY: true });
    const p = model.predict(Xs);
    const old = model.predict(Xs, { covariance: true });
    expect(maxDiff(p.mean, old.mean)).toBeLessThan(1e-12 * 100);
    expect(maxDiff(p.variance, old.variance)).toBeLessThan(1e-12 * 400);
  });

  test('inputs scaled by 1e-150 (length scale too) and targets/variances by 1e-150/1e-300: same predictions rescaled (1e-12)', () => {
    const { X, y, Xs } = problem(200, 500, 1, 5);
    const base = fitGP(X, y, { kernel: sum(rbf({ lengthScale: 0.8 }), white(0.02)), optimize: false });
    const s = 1e-150;
    const tiny = fitGP(
      X.map((r) => r.map((v) => v * s)),
      y.map((v) => v * s),
      { kernel: sum(product(constant(1e-300, 'fixed'), rbf({ lengthScale: 0.8 * s })), white(0.02e-300)), optimize: false },
    );
    const a = base.predict(Xs);
    const b = tiny.predict(Xs.map((r) => r.map((v) => v * s)));
    for (let i = 0; i < Xs.length; i++) {
      expect(Math.abs((b.mean[i] as number) / s - (a.mean[i] as number))).toBeLessThan(1e-12 * Math.max(1, Math.abs(a.mean[i] as number)));
      expect(Math.abs((b.variance[i] as number) / 1e-300 - (a.variance[i] as number))).toBeLessThan(1e-12);
    }
    expect(b.variance.some((v) => v > 0)).toBe(true);
  });

  test('near-singular K (duplicated inputs, noise 1e-10, jitter): blocked and unblocked paths agree to 1e-7·k**, variances ≥ 0', () => {
    const X = Array.from({ length: 240 }, (_, i) => [Math.floor(i / 2) / 20]);
    const y = X.map((r) => Math.cos(r[0] as number));
    const model = fitGP(X, y, { kernel: rbf({ lengthScale: 1.5 }), optimize: false, noise: 1e-10 });
    const Xs = Array.from({ length: 600 }, (_, i) => [i / 100 - 0.5]);
    const p = model.predict(Xs);
    const old = model.predict(Xs, { covariance: true });
    expect(maxDiff(p.mean, old.mean)).toBeLessThan(1e-7);
    expect(maxDiff(p.variance, old.variance)).toBeLessThan(1e-7);
    expect(p.variance.every((v) => v >= 0)).toBe(true);
  });

  test('each point depends on itself only: a large batch equals its sub-batches bit for bit', () => {
    const { X, y, Xs } = problem(120, 2000, 1, 9);
    const model = fitGP(X, y, { kernel: sum(rbf(), white(0.05)), optimize: false });
    const all = model.predict(Xs);
    const part = model.predict(Xs.slice(700, 700 + 130));
    expect(Array.from(part.mean)).toEqual(Array.from(all.mean.subarray(700, 830)));
    expect(Array.from(part.variance)).toEqual(Array.from(all.variance.subarray(700, 830)));
  });

  test('the memory check sizes the blocks, not m×n: 200,000 points at n = 50 pass a 64 MiB budget', () => {
    const { X, y } = problem(50, 1, 1, 2);
    const model = fitGP(X, y, { kernel: sum(rbf(), white(0.05)), optimize: false });
    const Xs = Array.from({ length: 200_000 }, (_, i) => [i / 20_000]);
    const p = model.predict(Xs, { maxMemoryBytes: 64 * 2 ** 20 });
    expect(p.mean.length).toBe(200_000);
    expect(() => model.predict(Xs.slice(0, 40), { covariance: true, maxMemoryBytes: 1000 })).toThrow(/maxMemoryBytes|memory/i);
  });
});
