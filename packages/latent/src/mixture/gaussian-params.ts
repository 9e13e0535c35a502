/**
 * M-step of the Gaussian mixture (notes: "Categorical latent variables"):
 * $\theta_* = \arg\max_\theta \sum_i\sum_k q(z_i=k)\log p(x_i, z_i=k\mid\theta)$, i.e.
 * $N_k = \sum_i r_{ik}$, $\pi_k = N_k/\sum_l N_l$, $\mu_k = \tfrac1{N_k}\sum_i r_{ik}x_i$,
 * $\Sigma_k = \tfrac1{N_k}\sum_i r_{ik}(x_i-\mu_k)(x_i-\mu_k)^\top + \epsilon I$ (Bishop PRML eq. 9.24–9.26).
 * The arithmetic follows scikit-learn's `_estimate_gaussian_parameters` (including $N_k + 10\,\mathrm{eps}$ and
 * `reg_covar` on the diagonal) so fits agree with it to rounding.
 */
import type { Dense } from '../util/data.js';

/** Covariance structure of a Gaussian mixture. */
export type CovarianceType = 'full' | 'diag' | 'spherical' | 'tied';

/** Number of covariance numbers stored per type: full K·d², diag K·d, spherical K, tied d². */
export function covarianceSize(type: CovarianceType, K: number, d: number): number {
  return { full: K * d * d, diag: K * d, spherical: K, tied: d * d }[type];
}

/** Mixture parameters in compact row-major storage. */
export interface GaussianParams {
  weights: Float64Array;
  /** K×d */
  means: Float64Array;
  /** Compact covariances (see {@link covarianceSize}). */
  covariances: Float64Array;
}

const EPS10 = 10 * Number.EPSILON;

/** M-step from responsibilities `resp` (n×K, rows sum to 1). Returns the effective counts too. */
export function estimateGaussianParameters(
  X: Dense,
  resp: Float64Array,
  K: number,
  regCovar: number,
  type: CovarianceType,
): GaussianParams & { nk: Float64Array } {
  const { n, d, data } = X;
  const nk = new Float64Array(K);
  const sums = new Float64Array(K * d); // respᵀ X
  for (let i = 0; i < n; i++) {
    const ri = i * K;
    const xi = i * d;
    for (let k = 0; k < K; k++) {
      const r = resp[ri + k] as number;
      nk[k] += r;
      const sk = k * d;
      for (let j = 0; j < d; j++) sums[sk + j] += r * (data[xi + j] as number);
    }
  }
  let total = 0;
  for (let k = 0; k < K; k++) {
    nk[k] = (nk[k] as number) + EPS10;
    total += nk[k] as number;
  }
  const means = new Float64Array(K * d);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) means[k * d + j] = (sums[k * d + j] as number) / (nk[k] as number);
  const covariances = ESTIMATORS[type](X, resp, K, nk, means, sums, regCovar);
  const weights = new Float64Array(K);
  for (let k = 0; k < K; k++) weights[k] = (nk[k] as number) / total;
  return { weights, means, covariances, nk };
}

type Estimator = (
  X: Dense,
  resp: Float64Array,
  K: number,
  nk: Float64Array,
  means: Float64Array,
  sums: Float64Array,
  reg: number,
) => Float64Array;

// Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k + reg·I
const full: Estimator = (X, resp, K, nk, means, _sums, reg) => {
  const { n, d, data } = X;
  const cov = new Float64Array(K * d * d);
  const diff = new Float64Array(d);
  for (let k = 0; k < K; k++) {
    const off = k * d * d;
    for (let i = 0; i < n; i++) {
      const r = resp[i * K + k] as number;
      if (r === 0) continue;
      for (let j = 0; j < d; j++) diff[j] = (data[i * d + j] as number) - (means[k * d + j] as number);
      for (let a = 0; a < d; a++) {
        const ra = r * (diff[a] as number);
        const row = off + a * d;
        for (let b = 0; b <= a; b++) cov[row + b] += ra * (diff[b] as number);
      }
    }
    const inv = 1 / (nk[k] as number);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        const v = (cov[off + a * d + b] as number) * inv;
        cov[off + a * d + b] = v;
        cov[off + b * d + a] = v;
      }
      cov[off + a * d + a] += reg;
    }
  }
  return cov;
};

// σ²_kj = E_r[x_j²] − 2 μ_kj E_r[x_j] + μ_kj² + reg (scikit-learn's expansion)
const diag: Estimator = (X, resp, K, nk, means, sums, reg) => {
  const { n, d, data } = X;
  const x2 = new Float64Array(K * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const r = resp[i * K + k] as number;
      if (r === 0) continue;
      const o = k * d;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j] as number;
        x2[o + j] += r * v * v;
      }
    }
  }
  const cov = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    const inv = 1 / (nk[k] as number);
    for (let j = 0; j < d; j++) {
      const m = means[k * d + j] as number;
      cov[k * d + j] = (x2[k * d + j] as number) * inv - 2 * (m * (sums[k * d + j] as number) * inv) + m * m + reg;
    }
  }
  return cov;
};

const spherical: Estimator = (X, resp, K, nk, means, sums, reg) => {
  const d = X.d;
  const dg = diag(X, resp, K, nk, means, sums, reg);
  const cov = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += dg[k * d + j] as number;
    cov[k] = s / d;
  }
  return cov;
};

// Σ = (XᵀX − Σ_k N_k μ_k μ_kᵀ) / Σ_k N_k + reg·I
const tied: Estimator = (X, _resp, K, nk, means, _sums, reg) => {
  const { n, d, data } = X;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = data[i * d + a] as number;
      for (let b = 0; b <= a; b++) cov[a * d + b] += va * (data[i * d + b] as number);
    }
  }
  let total = 0;
  for (let k = 0; k < K; k++) {
    total += nk[k] as number;
    for (let a = 0; a < d; a++) {
      const ma = (nk[k] as number) * (means[k * d + a] as number);
      for (let b = 0; b <= a; b++) cov[a * d + b] -= ma * (means[k * d + b] as number);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = (cov[a * d + b] as number) / total;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
    cov[a * d + a] += reg;
  }
  return cov;
};

const ESTIMATORS: Record<CovarianceType, Estimator> = { full, diag, spherical, tied };

/** Free parameters: covariance numbers + K·d means + K−1 weights (as scikit-learn's `_n_parameters`). */
export function countParameters(type: CovarianceType, K: number, d: number): number {
  const cov = { full: (K * d * (d + 1)) / 2, diag: K * d, spherical: K, tied: (d * (d + 1)) / 2 }[type];
  return cov + K * d + K - 1;
}
