/**
 * The exact path's fast paths (issue 20): the log-ML gradient with white-noise terms as c·I (no n×n
 * matrix) equals the generic trace over `kernel.computeGradient` and central differences; the in-place
 * raw Cholesky with core's jitter policy equals core's checked `cholesky`; predictions through the
 * recursive triangular solve equal the direct formulas with C⁻¹.
 */
import { cholesky, createRng, fromRowMajor } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { type Kernel, constant, matern, product, rbf, scale, sum, white } from '../kernels/index.js';
import { fitGP } from './fit.js';
import { factorC, inverseLowerFromCholesky, lmlCholesky } from './lml.js';

function points(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const data = Float64Array.from({ length: n * d }, () => 4 * rng.uniform());
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(data[i * d] as number) + 0.1 * rng.normal());
  return { pts: { data, n, d }, y };
}

/** ½ tr((ααᵀ − C⁻¹) ∂K_q) from the dense gradients of `kernel.computeGradient` and a full C⁻¹. */
function genericGradient(kernel: Kernel, pts: { data: Float64Array; n: number; d: number }, y: Float64Array, noise: number): Float64Array {
  const n = pts.n;
  const { K, grads } = kernel.computeGradient(pts);
  for (let i = 0; i < n; i++) K[i * n + i] = (K[i * n + i] as number) + noise;
  const f = cholesky(fromRowMajor(K, n, n));
  const alpha = f.solve(y);
  const Cinv = inverseLowerFromCholesky(f.lowerData, n);
  return Float64Array.from(grads, (G) => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += ((alpha[i] as number) * (alpha[j] as number) - (Cinv[i * n + j] as number)) * (G[i * n + j] as number);
    return 0.5 * s;
  });
}

const KERNELS: [string, () => Kernel][] = [
  ['rbf + white', () => sum(rbf({ lengthScale: 0.8 }), white(0.05))],
  ['white + const·matern + white(fixed)', () => sum(white(0.02), product(constant(1.3), matern({ nu: 2.5, lengthScale: [0.7, 1.4] })), white(0.01, 'fixed'))],
  ['nested sums with white', () => sum(sum(scale(rbf(), 0.9), white(0.03)), sum(white(0.04), scale(rbf({ lengthScale: 3 }), 0.2)))],
  ['white only', () => white(0.5)],
  ['const·RBF-ARD + white (RBF fast path)', () => sum(scale(rbf({ lengthScale: [0.6, 1.5] }), 1.2), white(0.02))],
  ['RBF with fixed length + const·RBF (fixed const)', () => sum(rbf({ lengthScale: 0.5, lengthScaleBounds: 'fixed' }), product(constant(0.3, 'fixed'), rbf({ lengthScale: 2 })))],
];

describe('exact path fast paths', () => {
  test.each(KERNELS)('%s: gradient equals the generic dense trace (1e-10) and central differences (1e-6)', (_, make) => {
    const kernel = make();
    const { pts, y } = points(70, 2, 3);
    const noise = 1e-6;
    const r = lmlCholesky(kernel, pts, y, noise, true);
    const g = genericGradient(kernel, pts, y, noise);
    const scaleG = Math.max(1, ...Array.from(g, Math.abs));
    for (let q = 0; q < g.length; q++) expect(Math.abs((r.gradient[q] as number) - (g[q] as number))).toBeLessThan(1e-10 * scaleG);
    const theta = kernel.theta;
    for (let q = 0; q < theta.length; q++) {
      const h = 1e-5;
      const tp = theta.slice();
      const tm = theta.slice();
      tp[q] = (tp[q] as number) + h;
      tm[q] = (tm[q] as number) - h;
      const fd = (lmlCholesky(kernel.withTheta(tp), pts, y, noise, false).value - lmlCholesky(kernel.withTheta(tm), pts, y, noise, false).value) / (2 * h);
      expect(Math.abs(fd - (r.gradient[q] as number))).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
    expect(r.value).toBeCloseTo(lmlCholesky(kernel, pts, y, noise, false).value, 10);
  });

  test.each([203, 64])('n = %i (core ResidentCholesky path: padded order, several recursion levels): value and gradient equal the generic dense trace and core cholesky (1e-10 relative)', (n) => {
    const kernel = sum(scale(rbf({ lengthScale: 0.6 }), 1.1), white(0.03));
    const { pts, y } = points(n, 1, 11);
    const noise = 1e-8;
    const r = lmlCholesky(kernel, pts, y, noise, true);
    const g = genericGradient(kernel, pts, y, noise);
    const scaleG = Math.max(1, ...Array.from(g, Math.abs));
    for (let q = 0; q < g.length; q++) expect(Math.abs((r.gradient[q] as number) - (g[q] as number))).toBeLessThan(1e-10 * scaleG);
    const K = kernel.computeMatrix(pts);
    for (let i = 0; i < n; i++) K[i * n + i] = (K[i * n + i] as number) + noise;
    const f = cholesky(fromRowMajor(K, n, n));
    const alpha = f.solve(y);
    let ya = 0;
    for (let i = 0; i < n; i++) ya += (y[i] as number) * (alpha[i] as number);
    const want = -0.5 * ya - 0.5 * f.logDet() - 0.5 * n * Math.log(2 * Math.PI);
    expect(Math.abs(r.value - want)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want)));
    for (let i = 0; i < n; i++) expect(Math.abs((r.alpha[i] as number) - (alpha[i] as number))).toBeLessThan(1e-10 * Math.max(1, Math.abs(alpha[i] as number)));
  });

  // K + 1e-10·I is nearly singular here (rank(K) ≤ 30: 60 of its 90 eigenvalues are the jitter 1e-10), so two
  // factorisations' log ML differ in the 8th digit (the packed path is
  // 1.3e-8 relative from core's cholesky, the previous potrf/Math.exp path 1.8e-8), so the bound is 5e-8 relative.
  test('packed rbf path on a singular K (duplicated points, no noise): same jitter as core cholesky, log ML from that factor (5e-8 relative)', () => {
    const n = 90;
    const data = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 3) / 4);
    const pts = { data, n, d: 1 };
    const y = Float64Array.from({ length: n }, (_, i) => Math.cos(data[i] as number));
    const kernel = rbf({ lengthScale: 1.5 });
    const r = lmlCholesky(kernel, pts, y, 0, false);
    const K = kernel.computeMatrix(pts);
    const f = cholesky(fromRowMajor(K, n, n));
    expect(f.jitter).toBeGreaterThan(0);
    expect(r.factor?.jitter).toBe(f.jitter);
    const alpha = f.solve(y);
    let ya = 0;
    for (let i = 0; i < n; i++) ya += (y[i] as number) * (alpha[i] as number);
    const want = -0.5 * ya - 0.5 * f.logDet() - 0.5 * n * Math.log(2 * Math.PI);
    expect(Math.abs(r.value - want)).toBeLessThan(5e-8 * Math.abs(want));
    // with the gradient: the same factorisation
    expect(lmlCholesky(kernel, pts, y, 0, true).value).toBe(r.value);
  });

  test('fitGP frees core ResidentCholesky memory after n > 1,024 and keeps it for smaller n', async () => {
    const { ResidentCholesky } = await import('@notes/core-linalg/kernels');
    const fitAt = (n: number) => {
      const X = Array.from({ length: n }, (_, i) => [(7 * i) % n / 100]);
      fitGP(X, X.map(([x]) => Math.sin(x as number)), { kernel: sum(rbf({ lengthScale: 1 }), white(0.1)), optimize: false });
      return ResidentCholesky.create(1)?.data.buffer.byteLength ?? 0;
    };
    expect(fitAt(600)).toBeGreaterThanOrEqual(600 * 600 * 8);
    expect(fitAt(1030)).toBeLessThan(600 * 600 * 8);
  });

  test.each([
    ['rbf', () => rbf({ lengthScale: 0.7 })],
    ['rbf-ARD', () => rbf({ lengthScale: [0.7, 2] })],
    ['const·rbf-ARD', () => scale(rbf({ lengthScale: [0.7, 2] }), 1.7)],
  ] as [string, () => Kernel][])('%s fast path: lower triangles of K and ∂K equal computeGradient (1e-15)', async (_, make) => {
    const { rbfLowerWithGradients } = await import('./fast-rbf.js');
    const kernel = make();
    const { pts } = points(40, 2, 9);
    const fast = rbfLowerWithGradients(kernel, pts);
    const ref = kernel.computeGradient(pts);
    expect(fast?.grads.length).toBe(ref.grads.length);
    const n = 40;
    for (const [a, b] of [[fast?.K, ref.K], ...ref.grads.map((g, q) => [fast?.grads[q], g])] as [Float64Array, Float64Array][]) {
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(Math.abs((a[i * n + j] as number) - (b[i * n + j] as number))).toBeLessThan(1e-15);
    }
  });

  test('in-place raw Cholesky with jitter equals core cholesky on a singular kernel matrix (same jitter, L Lᵀ = K + εI to 1e-12)', () => {
    const n = 120;
    const data = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 2)); // duplicated points: K singular
    const kernel = rbf({ lengthScale: 5 });
    const K = kernel.computeMatrix({ data, n, d: 1 });
    const want = cholesky(fromRowMajor(K, n, n));
    expect(want.jitter).toBeGreaterThan(0);
    const f = factorC(K.slice(), n, 0, undefined, () => kernel.computeMatrix({ data, n, d: 1 }));
    expect(f.jitter).toBe(want.jitter);
    // near-singular: compare the reconstructions L Lᵀ = K + εI (both factors are exact to rounding)
    for (const L of [f.lowerData, want.lowerData]) {
      let err = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k <= j; k++) s += (L[i * n + k] as number) * (L[j * n + k] as number);
          err = Math.max(err, Math.abs(s - (K[i * n + j] as number) - (i === j ? want.jitter : 0)));
        }
      }
      expect(err).toBeLessThan(1e-12);
    }
    const g = factorC(K.slice(), n, 0); // without `recompute`: a pristine copy is kept
    expect(g.jitter).toBe(want.jitter);
  });

  test('predict (recursive triangular solve) equals the direct formulas with C⁻¹; covariance diagonal = variance', () => {
    const { pts, y } = points(150, 1, 5);
    const X = Array.from({ length: 150 }, (_, i) => [pts.data[i] as number]);
    const model = fitGP(X, Array.from(y), { kernel: sum(scale(rbf(), 1), white(0.01)), optimize: false });
    const Xs = Array.from({ length: 40 }, (_, i) => [i / 8 - 0.5]);
    const p = model.predict(Xs, { covariance: true });
    const n = 150;
    const K = model.kernel.computeMatrix(pts);
    const C = cholesky(fromRowMajor(K, n, n));
    const Cinv = C.inverse().to1DArray();
    const Ks = model.kernel.computeMatrix({ data: Float64Array.from(Xs.flat()), n: 40, d: 1 }, pts);
    const kss = model.kernel.computeMatrix({ data: Float64Array.from(Xs.flat()), n: 40, d: 1 });
    const alpha = C.solve(y);
    for (let i = 0; i < 40; i++) {
      let mu = 0;
      for (let j = 0; j < n; j++) mu += (Ks[i * n + j] as number) * (alpha[j] as number);
      expect(Math.abs((p.mean[i] as number) - mu)).toBeLessThan(1e-9);
      for (let k = 0; k < 40; k++) {
        let q = 0;
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) q += (Ks[i * n + a] as number) * (Cinv[a * n + b] as number) * (Ks[k * n + b] as number);
        expect(Math.abs((p.covariance?.get(i, k) as number) - ((kss[i * 40 + k] as number) - q))).toBeLessThan(1e-8);
      }
      expect(p.covariance?.get(i, i)).toBe(p.variance[i]);
    }
  });
});
