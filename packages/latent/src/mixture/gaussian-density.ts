/**
 * Gaussian log-densities and the E-step of the mixture (notes: "Categorical latent variables"):
 * $q(z_i=k) = \dfrac{\pi_k\,\mathcal N(x_i\mid\mu_k,\Sigma_k)}{\sum_l \pi_l\,\mathcal N(x_i\mid\mu_l,\Sigma_l)}$,
 * computed in log space with log-sum-exp. Densities use the Cholesky factor $P_k$ of the precision
 * ($P_kP_k^\top = \Sigma_k^{-1}$): $\log\mathcal N = -\tfrac12\big(d\log 2\pi + \|(x-\mu_k)^\top P_k\|^2\big) + \sum_j\log (P_k)_{jj}$,
 * the form scikit-learn uses (`_estimate_log_gaussian_prob`).
 */
import { cholesky, NotPositiveDefiniteError } from '@notes/core-linalg';
import type { Dense } from '../util/data.js';
import { denseToMatrix } from '../util/data.js';
import { eStepStatistics2d } from './gaussian-estep-2d.js';
import { type CovarianceType, type SufficientStats, secondMomentSize } from './gaussian-params.js';

/** Compact precision Cholesky factors (same layout as the covariances) and their log-determinants. */
export interface PrecisionCholesky {
  type: CovarianceType;
  /** full: K·d² (row-major d×d each), diag: K·d, spherical: K, tied: d². */
  factors: Float64Array;
  /** $\sum_j \log (P_k)_{jj}$ per component (length K). */
  logDet: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

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
 * E-step normalisation: for each row of `logProb` (n×K) computes
 * $\log p(x_i) = \operatorname{logsumexp}_k(\cdot)$ (max-shifted) into `ll` and overwrites the row with the
 * log-responsibilities, or with the responsibilities themselves when `exponentiate` is set.
 */
export function normalizeLogResponsibilities(logProb: Float64Array, n: number, K: number, exponentiate = false, ll = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) if ((logProb[o + k] as number) > m) m = logProb[o + k] as number;
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

/**
 * Fused E-step: one pass over the samples computes $\log\pi_k+\log\mathcal N(x_i\mid\mu_k,\Sigma_k)$ for every k,
 * the per-sample log-likelihood (max-shifted log-sum-exp, written to `ll`), the responsibilities, and
 * accumulates the expected sufficient statistics. `tiedGram` is $X^\top X$ for the tied type. 2-D full/tied
 * data take the unrolled `eStepStatistics2d` unless `fastPath` is false.
 * Returns the mean log-likelihood (the bound) and the statistics.
 */
export function eStepStatistics(
  X: Dense,
  weights: Float64Array,
  means: Float64Array,
  P: PrecisionCholesky,
  ll: Float64Array,
  tiedGram: Float64Array | null,
  fastPath = true,
): { bound: number; stats: SufficientStats } {
  const { n, d, data } = X;
  if (fastPath && d === 2 && (P.type === 'full' || P.type === 'tied')) return eStepStatistics2d(data, n, weights, means, P, ll, tiedGram);
  const K = weights.length;
  const type = P.type;
  const f = P.factors;
  const nk = new Float64Array(K);
  const s1 = new Float64Array(K * d);
  const s2 = type === 'tied' ? (tiedGram as Float64Array) : new Float64Array(secondMomentSize(type, K, d));
  const c = new Float64Array(K);
  for (let k = 0; k < K; k++) c[k] = -0.5 * d * LOG_2PI + (P.logDet[k] as number) + Math.log(weights[k] as number);
  // diag/spherical: squared precisions per (k, j)
  const p2 = new Float64Array(K * d);
  if (type === 'diag' || type === 'spherical') {
    for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) p2[k * d + j] = (type === 'diag' ? (f[k * d + j] as number) : (f[k] as number)) ** 2;
  }
  const lp = new Float64Array(K);
  const diff = new Float64Array(d);
  const full = type === 'full';
  const tied = type === 'tied';
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let m = Number.NEGATIVE_INFINITY;
    // log π_k + log N(x_i | μ_k, Σ_k) for every k
    if (full || tied) {
      for (let k = 0; k < K; k++) {
        const mo = k * d;
        const fo = full ? k * d * d : 0;
        for (let j = 0; j < d; j++) diff[j] = (data[o + j] as number) - (means[mo + j] as number);
        let q = 0;
        for (let j = 0; j < d; j++) {
          let y = 0;
          for (let r = 0; r < d; r++) y += (diff[r] as number) * (f[fo + r * d + j] as number);
          q += y * y;
        }
        const v = (c[k] as number) - 0.5 * q;
        lp[k] = v;
        if (v > m) m = v;
      }
    } else {
      for (let k = 0; k < K; k++) {
        const mo = k * d;
        let q = 0;
        for (let j = 0; j < d; j++) {
          const t = (data[o + j] as number) - (means[mo + j] as number);
          q += t * t * (p2[mo + j] as number);
        }
        const v = (c[k] as number) - 0.5 * q;
        lp[k] = v;
        if (v > m) m = v;
      }
    }
    // log-sum-exp and responsibilities r_k = exp(ℓ_k − m) / Σ exp(ℓ_l − m)
    let s = 0;
    for (let k = 0; k < K; k++) {
      const v = lp[k] as number;
      const e = v === m ? 1 : Math.exp(v - m); // exp(0) = 1: one exp fewer per row
      lp[k] = e;
      s += e;
    }
    const l = m + Math.log(s);
    ll[i] = l;
    total += l;
    const inv = 1 / s;
    // expected sufficient statistics
    for (let k = 0; k < K; k++) {
      const r = (lp[k] as number) * inv;
      if (r === 0) continue;
      nk[k] += r;
      const so = k * d;
      if (full) {
        const fo = k * d * d;
        for (let a = 0; a < d; a++) {
          const ra = r * (data[o + a] as number);
          s1[so + a] += ra;
          const row = fo + a * d;
          for (let b = 0; b <= a; b++) s2[row + b] += ra * (data[o + b] as number);
        }
      } else if (tied) {
        for (let a = 0; a < d; a++) s1[so + a] += r * (data[o + a] as number);
      } else {
        for (let a = 0; a < d; a++) {
          const xa = data[o + a] as number;
          const ra = r * xa;
          s1[so + a] += ra;
          s2[so + a] += ra * xa;
        }
      }
    }
  }
  return { bound: total / n, stats: { nk, s1, s2 } };
}
