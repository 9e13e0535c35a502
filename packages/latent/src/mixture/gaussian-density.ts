/**
 * Gaussian log-densities and the E-step of the mixture (notes: "Categorical latent variables"):
 * $q(z_i=k) = \dfrac{\pi_k\,\mathcal N(x_i\mid\mu_k,\Sigma_k)}{\sum_l \pi_l\,\mathcal N(x_i\mid\mu_l,\Sigma_l)}$,
 * computed in log space with log-sum-exp. Densities use the Cholesky factor $P_k$ of the precision
 * ($P_kP_k^\top = \Sigma_k^{-1}$): $\log\mathcal N = -\tfrac12\big(d\log 2\pi + \|(x-\mu_k)^\top P_k\|^2\big) + \sum_j\log (P_k)_{jj}$,
 * the form scikit-learn uses (`_estimate_log_gaussian_prob`).
 */
import { cholesky, DomainError, NotPositiveDefiniteError } from '@notes/core-linalg';
import { expNonPositive } from './exp-table.js';
import type { Dense } from '../util/data.js';
import { denseToMatrix } from '../util/data.js';
import type { CovarianceType } from './gaussian-params.js';

/** Compact precision Cholesky factors (same layout as the covariances) and their log-determinants. */
export interface PrecisionCholesky {
  type: CovarianceType;
  /** full: K·d² (row-major d×d each), diag: K·d, spherical: K, tied: d². */
  factors: Float64Array;
  /** $\sum_j \log (P_k)_{jj}$ per component (length K). */
  logDet: Float64Array;
}

/** $\log 2\pi$ */
export const LOG_2PI = Math.log(2 * Math.PI);

/** $P = L^{-\top}$ for $\Sigma = LL^\top$ of one d×d block. Throws {@link NotPositiveDefiniteError}. */
function blockFromCovariance(where: string, cov: Float64Array, off: number, d: number, out: Float64Array): number {
  const S = denseToMatrix(cov.subarray(off, off + d * d), d, d);
  let f: ReturnType<typeof cholesky>;
  try {
    f = cholesky(S, { jitter: 0 });
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(
        `${where}: a fitted covariance is not positive definite (a component collapsed or the data are degenerate); increase options.regCovar`,
      );
    }
    throw e;
  }
  const e = new Float64Array(d);
  let logDet = 0;
  for (let i = 0; i < d; i++) {
    e.fill(0);
    e[i] = 1;
    const c = f.solveTriangular(e); // column i of L⁻¹ = row i of L⁻ᵀ
    for (let j = 0; j < d; j++) out[off + i * d + j] = c[j] as number;
    logDet += Math.log(c[i] as number);
  }
  return logDet;
}

/** Precision Cholesky factors from compact covariances (scikit-learn's `_compute_precision_cholesky`). */
export function precisionFromCovariance(where: string, type: CovarianceType, cov: Float64Array, K: number, d: number): PrecisionCholesky {
  const factors = new Float64Array(cov.length);
  const logDet = new Float64Array(K);
  if (type === 'full') {
    for (let k = 0; k < K; k++) logDet[k] = blockFromCovariance(where, cov, k * d * d, d, factors);
  } else if (type === 'tied') {
    logDet.fill(blockFromCovariance(where, cov, 0, d, factors));
  } else {
    const per = type === 'diag' ? d : 1;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < per; j++) {
        const v = cov[k * per + j] as number;
        if (!(v > 0)) {
          throw new NotPositiveDefiniteError(`${where}: a fitted variance is not positive (${v}); increase options.regCovar`);
        }
        const p = 1 / Math.sqrt(v);
        factors[k * per + j] = p;
        s += Math.log(p);
      }
      logDet[k] = type === 'spherical' ? d * s : s;
    }
  }
  return { type, factors, logDet };
}

/** Precision Cholesky factors from explicit precisions (lower Cholesky factor of each precision matrix). */
export function precisionFromPrecision(where: string, type: CovarianceType, prec: Float64Array, K: number, d: number): PrecisionCholesky {
  const factors = new Float64Array(prec.length);
  const logDet = new Float64Array(K);
  const blocks = type === 'full' ? K : type === 'tied' ? 1 : 0;
  for (let k = 0; k < blocks; k++) {
    const P = denseToMatrix(prec.subarray(k * d * d, (k + 1) * d * d), d, d);
    let f: ReturnType<typeof cholesky>;
    try {
      f = cholesky(P, { jitter: 0 });
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) {
        throw new NotPositiveDefiniteError(`${where}: argument 'init.precisions' block ${k} is not positive definite`);
      }
      throw e;
    }
    let s = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) factors[k * d * d + i * d + j] = f.L.get(i, j);
      s += Math.log(f.L.get(i, i));
    }
    logDet[k] = s;
  }
  if (type === 'tied') logDet.fill(logDet[0] as number);
  if (blocks === 0) {
    const per = type === 'diag' ? d : 1;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < per; j++) {
        const v = prec[k * per + j] as number;
        if (!(v > 0)) throw new NotPositiveDefiniteError(`${where}: argument 'init.precisions' must be positive, got ${v}`);
        factors[k * per + j] = Math.sqrt(v);
        s += 0.5 * Math.log(v);
      }
      logDet[k] = type === 'spherical' ? d * s : s;
    }
  }
  return { type, factors, logDet };
}

/**
 * Fills `out` (n×K) with $\log\pi_k + \log\mathcal N(x_i\mid\mu_k,\Sigma_k)$.
 */
export function weightedLogProb(X: Dense, weights: Float64Array, means: Float64Array, P: PrecisionCholesky, out: Float64Array): void {
  const { n, d, data } = X;
  const K = weights.length;
  const diff = new Float64Array(d);
  const f = P.factors;
  const dense = P.type === 'full' || P.type === 'tied';
  const perDim = P.type === 'diag';
  for (let k = 0; k < K; k++) {
    const c = -0.5 * d * LOG_2PI + (P.logDet[k] as number) + Math.log(weights[k] as number);
    const mo = k * d;
    if (dense) {
      const fo = P.type === 'full' ? k * d * d : 0;
      for (let i = 0; i < n; i++) {
        const xo = i * d;
        for (let j = 0; j < d; j++) diff[j] = (data[xo + j] as number) - (means[mo + j] as number);
        // ‖(x − μ)ᵀP‖²
        let q = 0;
        for (let j = 0; j < d; j++) {
          let y = 0;
          for (let r = 0; r < d; r++) y += (diff[r] as number) * (f[fo + r * d + j] as number);
          q += y * y;
        }
        out[i * K + k] = c - 0.5 * q;
      }
    } else {
      const sp = f[k] as number;
      for (let i = 0; i < n; i++) {
        const xo = i * d;
        let q = 0;
        for (let j = 0; j < d; j++) {
          const t = ((data[xo + j] as number) - (means[mo + j] as number)) * (perDim ? (f[mo + j] as number) : sp);
          q += t * t;
        }
        out[i * K + k] = c - 0.5 * q;
      }
    }
  }
}

/**
 * Overwrites the K entries ℓ_k of `lp` starting at offset `o` with $e_k = \exp(\ell_k - m)$ and returns
 * $\sum_k e_k$, so that $\operatorname{logsumexp}_k\ell_k = m + \log\sum_k e_k$ and $r_k = e_k/\sum_l e_l$
 * (m = max ℓ, finite).
 * @internal
 */
export function expShiftInPlace(lp: Float64Array, K: number, m: number, o = 0): number {
  let s = 0;
  for (let k = o; k < o + K; k++) {
    const v = lp[k] as number;
    const e = v === m ? 1 : expNonPositive(v - m); // exp(0) = 1: one exp fewer per row
    lp[k] = e;
    s += e;
  }
  return s;
}

/**
 * E-step normalisation: for each row of `logProb` (n×K) computes
 * $\log p(x_i) = \operatorname{logsumexp}_k(\cdot)$ (max-shifted) into `ll` and overwrites the row with the
 * log-responsibilities, or with the responsibilities themselves when `exponentiate` is set.
 * Throws {@link DomainError} (naming `where`) for a row whose density underflows to 0 under every
 * component (its squared Mahalanobis distances overflow float64), where the responsibilities would be NaN.
 */
export function normalizeLogResponsibilities(
  where: string,
  logProb: Float64Array,
  n: number,
  K: number,
  exponentiate = false,
  ll = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) if ((logProb[o + k] as number) > m) m = logProb[o + k] as number;
    if (m === Number.NEGATIVE_INFINITY) {
      throw new DomainError(
        `${where}: row ${i} of argument 'X' is too far from every component for float64 (its squared Mahalanobis distances overflow); rescale the data`,
      );
    }
    if (exponentiate) {
      // one exp per entry: e_k = exp(ℓ_k − m), r_k = e_k / Σ e
      let s = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp((logProb[o + k] as number) - m);
        logProb[o + k] = e;
        s += e;
      }
      ll[i] = m + Math.log(s);
      const inv = 1 / s;
      for (let k = 0; k < K; k++) logProb[o + k] = (logProb[o + k] as number) * inv;
    } else {
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp((logProb[o + k] as number) - m);
      const lse = m + Math.log(s);
      ll[i] = lse;
      for (let k = 0; k < K; k++) logProb[o + k] = (logProb[o + k] as number) - lse;
    }
  }
  return ll;
}
