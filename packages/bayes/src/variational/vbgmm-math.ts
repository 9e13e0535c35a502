/**
 * Variational updates and ELBO of the Bayesian Gaussian mixture (Bishop 2006, §10.2): q(Z) q(π) Π_k q(μ_k, Λ_k)
 * with a Dirichlet weight prior and Normal–Wishart component priors.
 * @internal
 */
import { digamma, gammaln, multigammaln, NotPositiveDefiniteError } from '@notes/core-linalg';
import { cholLower, inverseFromChol, logDetChol, mahalanobisChol, traceProduct } from '../internal/dense.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Prior hyperparameters (W0⁻¹ stored). */
export interface VBPrior {
  alpha0: number;
  beta0: number;
  m0: Float64Array;
  nu0: number;
  W0inv: Float64Array;
  regCovar: number;
}

/** Variational parameters of the K components. */
export interface VBParams {
  alpha: Float64Array;
  beta: Float64Array;
  m: Float64Array; // K×d
  nu: Float64Array;
  Winv: Float64Array; // K×d×d
}

/** Sufficient statistics of the responsibilities. */
interface Stats {
  N: Float64Array;
  xbar: Float64Array;
  NS: Float64Array;
}

function stats(X: Float64Array, n: number, d: number, K: number, r: Float64Array, reg: number): Stats {
  const N = new Float64Array(K);
  const xbar = new Float64Array(K * d);
  const NS = new Float64Array(K * d * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const w = r[i * K + k] as number;
      N[k] = (N[k] as number) + w;
      for (let a = 0; a < d; a++) xbar[k * d + a] = (xbar[k * d + a] as number) + w * (X[i * d + a] as number);
    }
  }
  for (let k = 0; k < K; k++) {
    N[k] = (N[k] as number) + 10 * Number.EPSILON; // as scikit-learn, avoids 0/0 for empty components
    for (let a = 0; a < d; a++) xbar[k * d + a] = (xbar[k * d + a] as number) / (N[k] as number);
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const w = r[i * K + k] as number;
      if (w === 0) continue;
      for (let a = 0; a < d; a++) {
        const ra = (X[i * d + a] as number) - (xbar[k * d + a] as number);
        for (let b = 0; b <= a; b++) {
          NS[k * d * d + a * d + b] = (NS[k * d * d + a * d + b] as number) + w * ra * ((X[i * d + b] as number) - (xbar[k * d + b] as number));
        }
      }
    }
  }
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < d; a++) {
      NS[k * d * d + a * d + a] = (NS[k * d * d + a * d + a] as number) + reg * (N[k] as number);
      for (let b = 0; b < a; b++) NS[k * d * d + b * d + a] = NS[k * d * d + a * d + b] as number;
    }
  }
  return { N, xbar, NS };
}

/**
 * M-step (Bishop 10.58–10.63): α_k = α0 + N_k, β_k = β0 + N_k, m_k = (β0 m0 + N_k x̄_k)/β_k, ν_k = ν0 + N_k,
 * W_k⁻¹ = W0⁻¹ + N_k S_k + β0N_k/(β0+N_k)(x̄_k − m0)(x̄_k − m0)ᵀ.
 */
export function mStep(X: Float64Array, n: number, d: number, K: number, r: Float64Array, p: VBPrior): VBParams {
  const s = stats(X, n, d, K, r, p.regCovar);
  const q: VBParams = {
    alpha: new Float64Array(K),
    beta: new Float64Array(K),
    m: new Float64Array(K * d),
    nu: new Float64Array(K),
    Winv: new Float64Array(K * d * d),
  };
  for (let k = 0; k < K; k++) {
    const Nk = s.N[k] as number;
    q.alpha[k] = p.alpha0 + Nk;
    const bk = p.beta0 + Nk;
    q.beta[k] = bk;
    q.nu[k] = p.nu0 + Nk;
    for (let a = 0; a < d; a++) q.m[k * d + a] = (p.beta0 * (p.m0[a] as number) + Nk * (s.xbar[k * d + a] as number)) / bk;
    const c = (p.beta0 * Nk) / bk;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        q.Winv[k * d * d + a * d + b] =
          (p.W0inv[a * d + b] as number) +
          (s.NS[k * d * d + a * d + b] as number) +
          c * ((s.xbar[k * d + a] as number) - (p.m0[a] as number)) * ((s.xbar[k * d + b] as number) - (p.m0[b] as number));
      }
    }
  }
  return q;
}

/** Per-component expectations: E ln π_k, E ln|Λ_k|, chol(W_k⁻¹), W_k. */
export function expectations(q: VBParams, d: number, K: number) {
  let a0 = 0;
  for (const a of q.alpha) a0 += a;
  const psi0 = digamma(a0);
  const lnPi = new Float64Array(K);
  const lnLam = new Float64Array(K);
  const chol: Float64Array[] = [];
  const W: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    lnPi[k] = digamma(q.alpha[k] as number) - psi0;
    const l = cholLower(q.Winv.subarray(k * d * d, (k + 1) * d * d), d);
    if (!l) throw new NotPositiveDefiniteError('fitVariationalGMM: a component scale lost positive definiteness; increase options.regCovar');
    chol.push(l);
    W.push(inverseFromChol(l, d));
    let s = d * Math.LN2 - logDetChol(l, d);
    for (let i = 1; i <= d; i++) s += digamma(((q.nu[k] as number) + 1 - i) / 2);
    lnLam[k] = s;
  }
  return { lnPi, lnLam, chol, W };
}

/** E-step (Bishop 10.46–10.49): r_nk ∝ π̃_k Λ̃_k^{1/2} exp(−d/(2β_k) − ν_k/2 (x_n−m_k)ᵀW_k(x_n−m_k)). Returns log-normalisers too. */
export function eStep(X: Float64Array, n: number, d: number, K: number, q: VBParams): Float64Array {
  const e = expectations(q, d, K);
  const r = new Float64Array(n * K);
  const work = new Float64Array(2 * d);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      for (let a = 0; a < d; a++) diff[a] = (X[i * d + a] as number) - (q.m[k * d + a] as number);
      const maha = mahalanobisChol(e.chol[k] as Float64Array, diff, d, work);
      const v =
        (e.lnPi[k] as number) + 0.5 * (e.lnLam[k] as number) - 0.5 * d * LOG_2PI - 0.5 * (d / (q.beta[k] as number) + (q.nu[k] as number) * maha);
      r[i * K + k] = v;
      if (v > max) max = v;
    }
    let s = 0;
    for (let k = 0; k < K; k++) {
      const w = Math.exp((r[i * K + k] as number) - max);
      r[i * K + k] = w;
      s += w;
    }
    for (let k = 0; k < K; k++) r[i * K + k] = (r[i * K + k] as number) / s;
  }
  return r;
}

function lnB(lnDetW: number, nu: number, d: number): number {
  return -0.5 * nu * lnDetW - 0.5 * nu * d * Math.LN2 - multigammaln(nu / 2, d);
}

/** The evidence lower bound (Bishop 10.70–10.77), all constants included. */
export function elbo(X: Float64Array, n: number, d: number, K: number, r: Float64Array, q: VBParams, p: VBPrior): number {
  const s = stats(X, n, d, K, r, 0);
  const e = expectations(q, d, K);
  const W0chol = cholLower(p.W0inv, d) as Float64Array;
  const lnDetW0 = -logDetChol(W0chol, d);
  const work = new Float64Array(2 * d);
  const diff = new Float64Array(d);
  let t1 = 0;
  let t2 = 0;
  let sumLnPi = 0;
  let t4 = K * lnB(lnDetW0, p.nu0, d);
  let t6 = 0;
  let t7 = 0;
  let a0 = 0;
  let lgA = 0;
  for (let k = 0; k < K; k++) {
    const Nk = (s.N[k] as number) - 10 * Number.EPSILON;
    const nu = q.nu[k] as number;
    const beta = q.beta[k] as number;
    const lnLam = e.lnLam[k] as number;
    const lnPi = e.lnPi[k] as number;
    const Wk = e.W[k] as Float64Array;
    const chol = e.chol[k] as Float64Array;
    for (let a = 0; a < d; a++) diff[a] = (s.xbar[k * d + a] as number) - (q.m[k * d + a] as number);
    const mx = mahalanobisChol(chol, diff, d, work);
    t1 += 0.5 * (Nk * (lnLam - d / beta - d * LOG_2PI) - nu * traceProduct(s.NS.subarray(k * d * d, (k + 1) * d * d), Wk, d) - nu * Nk * mx);
    t2 += Nk * lnPi;
    sumLnPi += lnPi;
    for (let a = 0; a < d; a++) diff[a] = (q.m[k * d + a] as number) - (p.m0[a] as number);
    const m0 = mahalanobisChol(chol, diff, d, work);
    t4 += 0.5 * (d * Math.log(p.beta0 / (2 * Math.PI)) + lnLam - (d * p.beta0) / beta - p.beta0 * nu * m0);
    t4 += 0.5 * (p.nu0 - d - 1) * lnLam - 0.5 * nu * traceProduct(p.W0inv, Wk, d);
    t6 += ((q.alpha[k] as number) - 1) * lnPi;
    a0 += q.alpha[k] as number;
    lgA += gammaln(q.alpha[k] as number);
    const lnDetW = -logDetChol(chol, d);
    const H = -lnB(lnDetW, nu, d) - 0.5 * (nu - d - 1) * lnLam + 0.5 * nu * d;
    t7 += 0.5 * lnLam + 0.5 * d * Math.log(beta / (2 * Math.PI)) - 0.5 * d - H;
  }
  const t3 = gammaln(K * p.alpha0) - K * gammaln(p.alpha0) + (p.alpha0 - 1) * sumLnPi;
  t6 += gammaln(a0) - lgA;
  let t5 = 0;
  for (const v of r) if (v > 0) t5 += v * Math.log(v);
  return t1 + t2 + t3 + t4 - t5 - t6 - t7;
}
