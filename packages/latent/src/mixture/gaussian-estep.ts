/**
 * The fused E-step of the Gaussian mixture (notes: "Categorical latent variables", "EM Algorithm"):
 * log-space responsibilities reduced, in the same pass over the data, to the expected sufficient
 * statistics the M-step needs (Bishop PRML §9.2; the log-density form is scikit-learn's).
 */
import type { Dense } from '../util/data.js';
import { expShiftInPlace, LOG_2PI, type PrecisionCholesky } from './gaussian-density.js';
import { createEStepWork, type EStepWork, eStepStatistics2d } from './gaussian-estep-2d.js';
import { type DiagWork, eStepStatisticsDiag } from './gaussian-estep-diag.js';
import { accumulate, type SufficientStats, secondMomentSize } from './gaussian-params.js';

/**
 * Fused E-step: one pass over the samples computes $\log\pi_k+\log\mathcal N(x_i\mid\mu_k,\Sigma_k)$ for every k,
 * the per-sample log-likelihood (max-shifted log-sum-exp, written to `ll`), the responsibilities, and
 * accumulates the expected sufficient statistics about the current means (see `SufficientStats`). 2-D full/tied
 * data take the unrolled `eStepStatistics2d` unless `fastPath` is false; it uses `work` (scratch from `createEStepWork`,
 * allocated when absent) so that a fit can reuse one buffer across iterations. Diagonal/spherical types take the
 * WebAssembly SIMD path of `gaussian-estep-diag.ts` when `fastPath` is set and `diagWork` (X copied into the
 * kernel's memory by `createDiagWork`) is given.
 * Returns the mean log-likelihood (the bound) and the statistics.
 */
export function eStepStatistics(
  X: Dense,
  weights: Float64Array,
  means: Float64Array,
  P: PrecisionCholesky,
  ll: Float64Array,
  fastPath = true,
  work?: EStepWork,
  diagWork?: DiagWork | null,
): { bound: number; stats: SufficientStats } {
  const { n, d, data } = X;
  const K = weights.length;
  if (fastPath && d === 2 && (P.type === 'full' || P.type === 'tied')) {
    return eStepStatistics2d(data, n, weights, means, P, ll, work ?? createEStepWork(n, K));
  }
  const type = P.type;
  if (fastPath && diagWork && (type === 'diag' || type === 'spherical') && diagWork.n === n && diagWork.d === d && diagWork.K === K) {
    return eStepStatisticsDiag(diagWork, weights, means, P, ll);
  }
  const f = P.factors;
  const nk = new Float64Array(K);
  const s1 = new Float64Array(K * d);
  const s2 = new Float64Array(secondMomentSize(type, K, d));
  const c = new Float64Array(K);
  for (let k = 0; k < K; k++) c[k] = -0.5 * d * LOG_2PI + (P.logDet[k] as number) + Math.log(weights[k] as number);
  // diag/spherical: squared precisions per (k, j)
  const p2 = new Float64Array(K * d);
  if (type === 'diag' || type === 'spherical') {
    for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) p2[k * d + j] = (type === 'diag' ? (f[k * d + j] as number) : (f[k] as number)) ** 2;
  }
  const lp = new Float64Array(K);
  const diff = new Float64Array(d);
  // x_i − μ_k for every k (the moments are accumulated about the current means)
  const diffs = new Float64Array(K * d);
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
        for (let j = 0; j < d; j++) {
          const t = (data[o + j] as number) - (means[mo + j] as number);
          diff[j] = t;
          diffs[mo + j] = t;
        }
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
          diffs[mo + j] = t;
          q += t * t * (p2[mo + j] as number);
        }
        const v = (c[k] as number) - 0.5 * q;
        lp[k] = v;
        if (v > m) m = v;
      }
    }
    // log-sum-exp and responsibilities r_k = exp(ℓ_k − m) / Σ exp(ℓ_l − m)
    const s = expShiftInPlace(lp, K, m);
    const l = m + Math.log(s);
    ll[i] = l;
    total += l;
    const inv = 1 / s;
    // expected sufficient statistics
    for (let k = 0; k < K; k++) {
      const r = (lp[k] as number) * inv;
      if (r !== 0) accumulate(type, diffs.subarray(k * d, (k + 1) * d), d, k, r, nk, s1, s2);
    }
  }
  return { bound: total / n, stats: { nk, s1, s2, shift: means } };
}
