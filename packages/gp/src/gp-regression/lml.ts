/**
 * GP log marginal likelihood and its gradient (notes: GP Regression).
 * $$\log p(y\mid X,\theta) = -\tfrac12 y^\top C^{-1}y - \tfrac12\log\det C - \tfrac n2\log 2\pi,\qquad C = K_\theta + \sigma^2 I$$
 * $$\frac{\partial\log p}{\partial\theta_j} = \tfrac12\,\mathrm{tr}\big((\alpha\alpha^\top - C^{-1})\,\partial K/\partial\theta_j\big),\qquad \alpha = C^{-1}y$$
 * Cholesky with adaptive jitter (core's `cholesky`), Rasmussen & Williams (2006) Alg. 2.1 and eq. 5.9.
 */
import { type CholeskyFactor, NotPositiveDefiniteError, cholesky, fromRowMajor, matmul } from '@notes/core-linalg';
import { potri } from '@notes/core-linalg/kernels';
import type { Kernel, Points } from '../kernels/index.js';

/** Result of a log-ML evaluation. */
export interface LmlResult {
  value: number;
  /** $\partial\log p/\partial\theta$ (log-parameters), empty unless requested. */
  gradient: Float64Array;
  alpha: Float64Array;
  factor: CholeskyFactor;
}

const LOG2PI = Math.log(2 * Math.PI);

/** Adds `noise` to the diagonal of a square row-major block (in place). */
export function addDiagonal(K: Float64Array, n: number, noise: number): void {
  for (let i = 0; i < n; i++) K[i * n + i] += noise;
}

/**
 * Factorises $C = K(X,X) + \sigma^2 I$ (jitter `'auto'`, bounded by `maxJitter`).
 * @throws NotPositiveDefiniteError naming the fix (raise `noise`).
 */
export function factorC(K: Float64Array, n: number, noise: number, maxJitter?: number): CholeskyFactor {
  const C = K.slice();
  addDiagonal(C, n, noise);
  try {
    return cholesky(fromRowMajor(C, n, n), maxJitter === undefined ? {} : { maxJitter });
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(
        `fitGP: kernel matrix is not positive definite even with diagonal jitter ${e.jitterTried}; increase options.noise (now ${noise}) or add a white() kernel`,
        e.jitterTried,
      );
    }
    throw e;
  }
}

/** Cholesky-path log ML of centred targets `y` (already normalised if requested), optionally with gradient. */
export function lmlCholesky(kernel: Kernel, pts: Points, y: Float64Array, noise: number, withGradient: boolean): LmlResult {
  const n = pts.n;
  let K: Float64Array;
  let grads: Float64Array[] = [];
  if (withGradient) ({ K, grads } = kernel.computeGradient(pts));
  else K = kernel.computeMatrix(pts);
  const factor = factorC(K, n, noise);
  const alpha = factor.solve(y);
  let yAlpha = 0;
  for (let i = 0; i < n; i++) yAlpha += y[i] * alpha[i];
  const value = -0.5 * yAlpha - 0.5 * factor.logDet() - 0.5 * n * LOG2PI;
  const gradient = new Float64Array(grads.length);
  if (grads.length > 0) {
    const Cinv = inverseLowerFromCholesky(factor.lowerData, n); // lower triangle of C^{-1}
    // 1/2 tr((αα^T − C^{-1}) dK) = 1/2 Σ_ij (α_i α_j − C^{-1}_ij) dK_ij, both symmetric: diagonal + 2·strict lower
    for (let q = 0; q < grads.length; q++) {
      const G = grads[q];
      let s = 0;
      for (let i = 0; i < n; i++) {
        const row = i * n;
        const ai = alpha[i];
        let off = 0;
        for (let j = 0; j < i; j++) off += (ai * alpha[j] - Cinv[row + j]) * G[row + j];
        s += 2 * off + (ai * ai - Cinv[row + i]) * G[row + i];
      }
      gradient[q] = 0.5 * s;
    }
  }
  return { value, gradient, alpha, factor };
}

/**
 * $M = L^{-1}$ for a row-major lower-triangular L: forward substitution on rows,
 * $M_{i,:} = (e_i - \sum_{k<i} L_{ik}M_{k,:})/L_{ii}$, n³/6 multiply-adds with contiguous inner loops.
 */
export function lowerTriangularInverse(L: Float64Array, n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = L[ri + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) M[ri + j] -= lik * M[rk + j];
    }
    M[ri + i] += 1;
    const inv = 1 / L[ri + i];
    for (let j = 0; j <= i; j++) M[ri + j] *= inv;
  }
  return M;
}

/** Copies the block rows [r0, r1) × columns [c0, c1) of a row-major n-column matrix. */
function block(A: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const w = c1 - c0;
  const out = new Float64Array((r1 - r0) * w);
  for (let i = r0; i < r1; i++) out.set(A.subarray(i * n + c0, i * n + c1), (i - r0) * w);
  return out;
}

/**
 * $L^{-1}$ of a row-major lower-triangular L by recursive 2×2 blocking on core's GEMM:
 * $\begin{pmatrix}L_{11}&0\\L_{21}&L_{22}\end{pmatrix}^{-1} = \begin{pmatrix}L_{11}^{-1}&0\\-L_{22}^{-1}L_{21}L_{11}^{-1}&L_{22}^{-1}\end{pmatrix}$,
 * blocks of ≤ 64 by {@link lowerTriangularInverse}; ~n³/3 flops, almost all in GEMM.
 */
export function lowerTriangularInverseBlocked(L: Float64Array, n: number): Float64Array {
  if (n <= 64) return lowerTriangularInverse(L, n);
  const h = n >> 1;
  const r = n - h;
  const A = lowerTriangularInverseBlocked(block(L, n, 0, h, 0, h), h);
  const D = lowerTriangularInverseBlocked(block(L, n, h, n, h, n), r);
  const C = matmul(D, matmul(block(L, n, h, n, 0, h), A, r, h, h), r, r, h);
  const M = new Float64Array(n * n);
  for (let i = 0; i < h; i++) M.set(A.subarray(i * h, i * h + i + 1), i * n);
  for (let i = 0; i < r; i++) {
    const row = (h + i) * n;
    for (let j = 0; j < h; j++) M[row + j] = -(C[i * h + j] as number);
    M.set(D.subarray(i * r, i * r + i + 1), row + h);
  }
  return M;
}

/**
 * $C^{-1} = L^{-\top}L^{-1}$ from the row-major Cholesky factor L (full, symmetric), by core's raw `potri`
 * (blocked, on the GEMM; L is not modified). At n = 1,000: 134 ms vs 190 ms for
 * {@link lowerTriangularInverseBlocked} + MᵀM, vs 9.6 s for the former scalar loops at load ≈ 45.
 */
export function inverseLowerFromCholesky(L: Float64Array, n: number): Float64Array {
  return potri(L, n, undefined, true);
}
