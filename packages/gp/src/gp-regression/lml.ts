/**
 * GP log marginal likelihood and its gradient (notes: GP Regression).
 * $$\log p(y\mid X,\theta) = -\tfrac12 y^\top C^{-1}y - \tfrac12\log\det C - \tfrac n2\log 2\pi,\qquad C = K_\theta + \sigma^2 I$$
 * $$\frac{\partial\log p}{\partial\theta_j} = \tfrac12\,\mathrm{tr}\big((\alpha\alpha^\top - C^{-1})\,\partial K/\partial\theta_j\big),\qquad \alpha = C^{-1}y$$
 * Cholesky with adaptive jitter (core's `cholesky`), Rasmussen & Williams (2006) Alg. 2.1 and eq. 5.9.
 */
import { type CholeskyFactor, NotPositiveDefiniteError, cholesky, fromRowMajor, toRowMajor } from '@notes/core-linalg';
import type { Kernel } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';

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
    const Cinv = toRowMajor(factor.inverse(), 'lml', 'Cinv').data;
    // 1/2 tr((αα^T − C^{-1}) dK) = 1/2 Σ_ij (α_i α_j − C^{-1}_ij) dK_ij  (both symmetric)
    const W = Cinv;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[i * n + j] = alpha[i] * alpha[j] - W[i * n + j];
    for (let q = 0; q < grads.length; q++) {
      const G = grads[q];
      let s = 0;
      for (let t = 0; t < n * n; t++) s += W[t] * G[t];
      gradient[q] = 0.5 * s;
    }
  }
  return { value, gradient, alpha, factor };
}
