/**
 * The per-point work of the exact GP's blocked predict (Cholesky path, mean and variance only), written once
 * and run both by `GPModel`'s single-thread predict and by the worker pool's threads (`./pool.ts`,
 * `./worker.ts`), so a pooled prediction is the same computation on the same numbers: for each block of rows of
 * the test points, $K_*$ (RBF terms by `rbfCross`, other kernels by their `computeMatrix`), the mean
 * $K_*\alpha$ and $q_i = \lVert L^{-1}k_i\rVert^2$ by core's `LowerInverseRows`. Every row's mean and $q$
 * depend on that row alone (the sums run over the training points in a fixed order, the exponential is
 * elementwise), so any split of the test points at any row gives the same bits. Browser-safe (no Node
 * imports): it is part of the main entry.
 * @internal
 */
import type { LowerInverseRows } from '@notes/core-linalg/kernels';
import { type Kernel, SumKernel, WhiteKernel } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';
import { rbfCross } from '../gp-regression/fast-rbf.js';

/** What the per-row work reads of a fitted model (the same values on every thread). @internal */
export interface RowsModel {
  readonly kernel: Kernel;
  readonly X: Points;
  readonly alpha: Float64Array;
  readonly yStd: number;
  readonly yMean: number;
  readonly inverse: LowerInverseRows;
}

/** Entries of $K_*$ per block of rows (2²⁰ doubles = 8 MiB), rounded down to a multiple of 96 rows but never below 96 rows. */
const PREDICT_BLOCK = 1 << 20;

/** Rows of $K_*$ computed at once for n training points: ⌊2²⁰/n/96⌋·96, at least 96. @internal */
export function blockRows(n: number): number {
  return Math.max(96, Math.floor(PREDICT_BLOCK / n / 96) * 96);
}

/**
 * For rows `r0 … r1 − 1` of `pts`: `mean[i]` = $k_i^\top\alpha$·yStd + yMean and `q[i]` = $\lVert L^{-1}k_i\rVert^2$,
 * in blocks of at most `blockRows(n)` rows. `buffer` holds at least `blockRows(n)·n` doubles (scratch).
 * @internal
 */
export function predictRows(model: RowsModel, pts: Points, r0: number, r1: number, mean: Float64Array, q: Float64Array, buffer: Float64Array): void {
  const n = model.X.n;
  const d = pts.d;
  const rows = blockRows(n);
  for (let b0 = r0; b0 < r1; b0 += rows) {
    const mr = Math.min(rows, r1 - b0);
    const chunk = { data: pts.data.subarray(b0 * d, (b0 + mr) * d), n: mr, d };
    // RBF kernels: K_* and the raw means K_*α in one pass (the same sums as rowDots), then scaled back here
    const dots = mean.subarray(b0, b0 + mr);
    let Ks = rbfCross(model.kernel, chunk, model.X, buffer, model.alpha, dots);
    if (Ks !== null) for (let i = 0; i < mr; i++) dots[i] = (dots[i] as number) * model.yStd + model.yMean;
    else {
      Ks = crossMatrix(model.kernel, chunk, model.X);
      rowDots(Ks, mr, n, model.alpha, model.yStd, model.yMean, mean, b0);
    }
    model.inverse.sumSquares(Ks, mr, q, b0);
  }
}

/**
 * $K(A, B)$ for distinct point sets: a white-noise term of a sum is 0 there (scikit-learn's convention, see
 * `white`), so it is skipped instead of allocating and adding an all-zero m×n block. RBF and constant·RBF
 * terms take the fast path `rbfCross` (SIMD exponential).
 * @internal
 */
export function crossMatrix(kernel: Kernel, a: Points, b: Points): Float64Array {
  if (!(kernel instanceof SumKernel)) return rbfCross(kernel, a, b) ?? kernel.computeMatrix(a, b);
  const parts = kernel.kernels.filter((k) => !(k instanceof WhiteKernel));
  if (parts.length === 0) return new Float64Array(a.n * b.n);
  const K = crossMatrix(parts[0] as Kernel, a, b);
  for (let q = 1; q < parts.length; q++) {
    const Kq = crossMatrix(parts[q] as Kernel, a, b);
    for (let i = 0; i < K.length; i++) K[i] = (K[i] as number) + (Kq[i] as number);
  }
  return K;
}

/**
 * out[o + i] = (row i of the rows×n block K)·α · scale + shift: the predictive mean, with four partial sums
 * (j mod 4) so the additions do not wait on each other.
 */
function rowDots(K: Float64Array, rows: number, n: number, alpha: Float64Array, scale: number, shift: number, out: Float64Array, o: number): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < rows; i++) {
    let v0 = 0;
    let v1 = 0;
    let v2 = 0;
    let v3 = 0;
    const row = i * n;
    for (let j = 0; j < n4; j += 4) {
      v0 += (K[row + j] as number) * (alpha[j] as number);
      v1 += (K[row + j + 1] as number) * (alpha[j + 1] as number);
      v2 += (K[row + j + 2] as number) * (alpha[j + 2] as number);
      v3 += (K[row + j + 3] as number) * (alpha[j + 3] as number);
    }
    for (let j = n4; j < n; j++) v0 += (K[row + j] as number) * (alpha[j] as number);
    out[o + i] = (v0 + v1 + (v2 + v3)) * scale + shift;
  }
}
