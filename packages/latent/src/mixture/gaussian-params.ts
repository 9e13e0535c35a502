/**
 * M-step of the Gaussian mixture (notes: "Categorical latent variables"):
 * $\theta_* = \arg\max_\theta \sum_i\sum_k q(z_i=k)\log p(x_i, z_i=k\mid\theta)$, computed from the expected
 * sufficient statistics $N_k=\sum_i r_{ik}$, $S^{(1)}_k=\sum_i r_{ik}x_i$, $S^{(2)}_k=\sum_i r_{ik}x_ix_i^\top$:
 * $\pi_k = N_k/\sum_l N_l$, $\mu_k = S^{(1)}_k/N_k$, $\Sigma_k = S^{(2)}_k/N_k - \mu_k\mu_k^\top + \epsilon I$
 * (Bishop PRML eq. 9.24–9.27). As in scikit-learn, $N_k$ gets $+10\,\mathrm{eps}$ and ε goes on the
 * diagonal. The moments are accumulated about each component's previous mean (see {@link SufficientStats}),
 * so the subtraction $S^{(2)}/N-\mu\mu^\top$ of the notes never cancels catastrophically.
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
 * Expected sufficient statistics about a per-component shift $c_k$ (the component's previous mean):
 * $N_k=\sum_i r_{ik}$, $S^{(1)}_k=\sum_i r_{ik}(x_i-c_k)$ and $S^{(2)}_k=\sum_i r_{ik}(x_i-c_k)(x_i-c_k)^\top$
 * (lower triangle, K·d², for full; the diagonal, K·d, for diag/spherical; for tied the lower triangle of
 * $\sum_k S^{(2)}_k$, d²). Moments about $c_k\approx\mu_k$ avoid the cancellation of
 * $\mathbb E[x^2]-\mu^2$ when clusters are far apart relative to their spread.
 */
export interface SufficientStats {
  nk: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
  /** $c_k$, K×d */
  shift: Float64Array;
}

/** Second-moment layout used by a covariance type. */
export function secondMomentSize(type: CovarianceType, K: number, d: number): number {
  return type === 'full' ? K * d * d : type === 'tied' ? d * d : K * d;
}

/**
 * Sufficient statistics from explicit responsibilities `resp` (n×K), used by initialisation and re-seeding.
 * Two passes: the weighted means first, then the moments about them.
 */
export function statsFromResponsibilities(X: Dense, resp: Float64Array, K: number, type: CovarianceType): SufficientStats {
  const { n, d, data } = X;
  const nk = new Float64Array(K);
  const shift = new Float64Array(K * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const r = resp[i * K + k] as number;
      if (r === 0) continue;
      nk[k] += r;
      for (let j = 0; j < d; j++) shift[k * d + j] += r * (data[i * d + j] as number);
    }
  }
  for (let k = 0; k < K; k++) {
    const inv = (nk[k] as number) > 0 ? 1 / (nk[k] as number) : 0;
    for (let j = 0; j < d; j++) shift[k * d + j] = (shift[k * d + j] as number) * inv;
  }
  nk.fill(0);
  const s1 = new Float64Array(K * d);
  const s2 = new Float64Array(secondMomentSize(type, K, d));
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let k = 0; k < K; k++) {
      const r = resp[i * K + k] as number;
      if (r === 0) continue;
      for (let j = 0; j < d; j++) diff[j] = (data[o + j] as number) - (shift[k * d + j] as number);
      accumulate(type, diff, d, k, r, nk, s1, s2);
    }
  }
  return { nk, s1, s2, shift };
}

/** Adds one sample's weighted contribution, `diff` = $x_i - c_k$, to the statistics. @internal */
export function accumulate(
  type: CovarianceType,
  diff: Float64Array,
  d: number,
  k: number,
  r: number,
  nk: Float64Array,
  s1: Float64Array,
  s2: Float64Array,
): void {
  nk[k] += r;
  const so = k * d;
  if (type === 'full' || type === 'tied') {
    const fo = type === 'full' ? k * d * d : 0;
    for (let a = 0; a < d; a++) {
      const ra = r * (diff[a] as number);
      s1[so + a] += ra;
      const row = fo + a * d;
      for (let b = 0; b <= a; b++) s2[row + b] += ra * (diff[b] as number);
    }
  } else {
    for (let a = 0; a < d; a++) {
      const ra = r * (diff[a] as number);
      s1[so + a] += ra;
      s2[so + a] += ra * (diff[a] as number);
    }
  }
}

const EPS10 = 10 * Number.EPSILON;

/**
 * M-step from sufficient statistics: with $\delta_k = S^{(1)}_k/N_k$, $\mu_k = c_k+\delta_k$ and
 * $\Sigma_k = S^{(2)}_k/N_k - \delta_k\delta_k^\top + \epsilon I$ (tied: $(\sum_k S^{(2)}_k - N_k\delta_k\delta_k^\top)/\sum_k N_k$).
 */
export function paramsFromStats(st: SufficientStats, K: number, d: number, reg: number, type: CovarianceType): GaussianParams {
  const nk = new Float64Array(K);
  let total = 0;
  for (let k = 0; k < K; k++) {
    nk[k] = (st.nk[k] as number) + EPS10;
    total += nk[k] as number;
  }
  const delta = new Float64Array(K * d);
  const means = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) {
      const t = (st.s1[k * d + j] as number) / (nk[k] as number);
      delta[k * d + j] = t;
      means[k * d + j] = (st.shift[k * d + j] as number) + t;
    }
  }
  const covariances = new Float64Array(covarianceSize(type, K, d));
  if (type === 'full') {
    for (let k = 0; k < K; k++) {
      const off = k * d * d;
      const inv = 1 / (nk[k] as number);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = (st.s2[off + a * d + b] as number) * inv - (delta[k * d + a] as number) * (delta[k * d + b] as number);
          covariances[off + a * d + b] = v;
          covariances[off + b * d + a] = v;
        }
        covariances[off + a * d + a] += reg;
      }
    }
  } else if (type === 'tied') {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        let v = st.s2[a * d + b] as number;
        for (let k = 0; k < K; k++) v -= (nk[k] as number) * (delta[k * d + a] as number) * (delta[k * d + b] as number);
        v /= total;
        covariances[a * d + b] = v;
        covariances[b * d + a] = v;
      }
      covariances[a * d + a] += reg;
    }
  } else {
    for (let k = 0; k < K; k++) {
      const inv = 1 / (nk[k] as number);
      let avg = 0;
      for (let j = 0; j < d; j++) {
        const t = delta[k * d + j] as number;
        const v = (st.s2[k * d + j] as number) * inv - t * t + reg;
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

/**
 * Mean within-component variance per coordinate, $\sum_k \operatorname{tr}(S^{(2)}_k - N_k\delta_k\delta_k^\top) / (n\,d)$:
 * the scale `regCovar` is relative to by default.
 */
export function withinVariance(st: SufficientStats, K: number, d: number, type: CovarianceType): number {
  let t = 0;
  let n = 0;
  for (let k = 0; k < K; k++) {
    const nk = st.nk[k] as number;
    n += nk;
    for (let j = 0; j < d; j++) {
      const s2 = type === 'full' ? (st.s2[k * d * d + j * d + j] as number) : type === 'tied' ? 0 : (st.s2[k * d + j] as number);
      const s1 = st.s1[k * d + j] as number;
      t += s2 - (nk > 0 ? (s1 * s1) / nk : 0);
    }
  }
  if (type === 'tied') for (let j = 0; j < d; j++) t += st.s2[j * d + j] as number;
  return t / (n * d);
}

/** Free parameters: covariance numbers + K·d means + K−1 weights (as scikit-learn's `_n_parameters`). */
export function countParameters(type: CovarianceType, K: number, d: number): number {
  const cov = { full: (K * d * (d + 1)) / 2, diag: K * d, spherical: K, tied: (d * (d + 1)) / 2 }[type];
  return cov + K * d + K - 1;
}
