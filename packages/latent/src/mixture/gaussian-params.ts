/**
 * M-step of the Gaussian mixture (notes: "Categorical latent variables"):
 * $\theta_* = \arg\max_\theta \sum_i\sum_k q(z_i=k)\log p(x_i, z_i=k\mid\theta)$, computed from the expected
 * sufficient statistics $N_k=\sum_i r_{ik}$, $S^{(1)}_k=\sum_i r_{ik}x_i$, $S^{(2)}_k=\sum_i r_{ik}x_ix_i^\top$:
 * $\pi_k = N_k/\sum_l N_l$, $\mu_k = S^{(1)}_k/N_k$, $\Sigma_k = S^{(2)}_k/N_k - \mu_k\mu_k^\top + \epsilon I$
 * (Bishop PRML eq. 9.24–9.27). As in scikit-learn, $N_k$ gets $+10\,\mathrm{eps}$ and `regCovar` ε goes on the
 * diagonal; diag/spherical/tied use scikit-learn's same expansions. The fit centres X first, so the
 * uncentred second moments lose no precision to a large common offset.
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
  /** Effective counts $N_k$ (with the +10 eps). */
  nk: Float64Array;
}

/**
 * Expected sufficient statistics. `s2` holds, per component, the lower triangle of $\sum_i r_{ik}x_ix_i^\top$
 * (full, K·d²), or $\sum_i r_{ik}x_{ij}^2$ (diag/spherical, K·d); for tied it is $X^\top X$ (d², lower triangle).
 */
export interface SufficientStats {
  nk: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
}

/** Second-moment layout used by a covariance type. */
export function secondMomentSize(type: CovarianceType, K: number, d: number): number {
  return type === 'full' ? K * d * d : type === 'tied' ? d * d : K * d;
}

/** $X^\top X$ (lower triangle), the tied second moment. */
export function gram(X: Dense): Float64Array {
  const { n, d, data } = X;
  const G = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const va = data[o + a] as number;
      for (let b = 0; b <= a; b++) G[a * d + b] += va * (data[o + b] as number);
    }
  }
  return G;
}

/** Sufficient statistics from explicit responsibilities `resp` (n×K), used by initialisation and re-seeding. */
export function statsFromResponsibilities(X: Dense, resp: Float64Array, K: number, type: CovarianceType): SufficientStats {
  const { n, d, data } = X;
  const nk = new Float64Array(K);
  const s1 = new Float64Array(K * d);
  const s2 = type === 'tied' ? gram(X) : new Float64Array(secondMomentSize(type, K, d));
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let k = 0; k < K; k++) {
      const r = resp[i * K + k] as number;
      if (r === 0) continue;
      accumulate(type, data, o, d, k, r, nk, s1, s2);
    }
  }
  return { nk, s1, s2 };
}

/** Adds one sample's weighted contribution to the statistics. @internal */
export function accumulate(
  type: CovarianceType,
  data: Float64Array,
  o: number,
  d: number,
  k: number,
  r: number,
  nk: Float64Array,
  s1: Float64Array,
  s2: Float64Array,
): void {
  nk[k] += r;
  const so = k * d;
  if (type === 'full') {
    const fo = k * d * d;
    for (let a = 0; a < d; a++) {
      const ra = r * (data[o + a] as number);
      s1[so + a] += ra;
      const row = fo + a * d;
      for (let b = 0; b <= a; b++) s2[row + b] += ra * (data[o + b] as number);
    }
  } else if (type === 'tied') {
    for (let a = 0; a < d; a++) s1[so + a] += r * (data[o + a] as number);
  } else {
    for (let a = 0; a < d; a++) {
      const ra = r * (data[o + a] as number);
      s1[so + a] += ra;
      s2[so + a] += ra * (data[o + a] as number);
    }
  }
}

const EPS10 = 10 * Number.EPSILON;

/** M-step from sufficient statistics. */
export function paramsFromStats(st: SufficientStats, K: number, d: number, reg: number, type: CovarianceType): GaussianParams {
  const nk = new Float64Array(K);
  let total = 0;
  for (let k = 0; k < K; k++) {
    nk[k] = (st.nk[k] as number) + EPS10;
    total += nk[k] as number;
  }
  const means = new Float64Array(K * d);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) means[k * d + j] = (st.s1[k * d + j] as number) / (nk[k] as number);
  const covariances = new Float64Array(covarianceSize(type, K, d));
  if (type === 'full') {
    // Σ_k = S2_k/N_k − μ_k μ_kᵀ + reg·I
    for (let k = 0; k < K; k++) {
      const off = k * d * d;
      const inv = 1 / (nk[k] as number);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = (st.s2[off + a * d + b] as number) * inv - (means[k * d + a] as number) * (means[k * d + b] as number);
          covariances[off + a * d + b] = v;
          covariances[off + b * d + a] = v;
        }
        covariances[off + a * d + a] += reg;
      }
    }
  } else if (type === 'tied') {
    // Σ = (XᵀX − Σ_k N_k μ_k μ_kᵀ) / Σ_k N_k + reg·I
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        let v = st.s2[a * d + b] as number;
        for (let k = 0; k < K; k++) v -= (nk[k] as number) * (means[k * d + a] as number) * (means[k * d + b] as number);
        v /= total;
        covariances[a * d + b] = v;
        covariances[b * d + a] = v;
      }
      covariances[a * d + a] += reg;
    }
  } else {
    // σ²_kj = E_r[x_j²] − 2 μ_kj E_r[x_j] + μ_kj² + reg; spherical averages over j
    for (let k = 0; k < K; k++) {
      const inv = 1 / (nk[k] as number);
      let avg = 0;
      for (let j = 0; j < d; j++) {
        const m = means[k * d + j] as number;
        const v = (st.s2[k * d + j] as number) * inv - 2 * (m * (st.s1[k * d + j] as number) * inv) + m * m + reg;
        if (type === 'diag') covariances[k * d + j] = v;
        avg += v / d;
      }
      if (type === 'spherical') covariances[k] = avg;
    }
  }
  const weights = new Float64Array(K);
  for (let k = 0; k < K; k++) weights[k] = (nk[k] as number) / total;
  return { weights, means, covariances, nk };
}

/** Free parameters: covariance numbers + K·d means + K−1 weights (as scikit-learn's `_n_parameters`). */
export function countParameters(type: CovarianceType, K: number, d: number): number {
  const cov = { full: (K * d * (d + 1)) / 2, diag: K * d, spherical: K, tied: (d * (d + 1)) / 2 }[type];
  return cov + K * d + K - 1;
}
