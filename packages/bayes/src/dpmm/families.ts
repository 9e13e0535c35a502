/**
 * Conjugate cluster families of the DPMM: sufficient statistics, the posterior predictive used by
 * the collapsed sampler, the log evidence of a cluster, and posterior draws of θ with the kernel
 * K(y | θ) used by the notes' two-step sampler.
 * @internal
 */
import { DomainError, describeValue, gammaln, multigammaln, readVector, type Rng, sampleNormal } from '@notes/core-linalg';
import { cholLower, inverseFromChol, logDetChol, lowerTimes, mahalanobisChol } from '../internal/dense.js';
import type { MatrixInput } from '../internal/input.js';
import { sampleWishartChol } from '../internal/sample-wishart.js';
import { readScale } from '../internal/wishart.js';

const LOG_2PI = Math.log(2 * Math.PI);
const LOG_PI = Math.log(Math.PI);

/**
 * Base measure P₀ of the DPMM with a Gaussian kernel $\mathcal K(y\mid\theta)$.
 * - `'normal'`: known kernel covariance Σ (`noiseCovariance`), cluster means θ ~ N(mean, covariance).
 * - `'normal-wishart'`: unknown mean and precision, (μ, Λ) ~ NW(mean, kappa, df, scale) with E[Λ] = df·scale.
 */
export type DPMMBase =
  | { type: 'normal'; mean: ArrayLike<number>; covariance: MatrixInput; noiseCovariance: MatrixInput }
  | { type: 'normal-wishart'; mean: ArrayLike<number>; kappa: number; df: number; scale: MatrixInput };

/** One cluster's statistics and caches. */
export class Cluster {
  n = 0;
  readonly sum: Float64Array;
  readonly sq: Float64Array;
  /** Predictive: location, Cholesky of scale, constant, degrees of freedom (Infinity = Gaussian). */
  readonly loc: Float64Array;
  readonly chol: Float64Array;
  c = 0;
  df = Number.POSITIVE_INFINITY;
  /** Kernel parameters θ for the two-step sampler: mean, Cholesky factor, constant. */
  readonly kmu: Float64Array;
  readonly kchol: Float64Array;
  kc = 0;
  constructor(d: number) {
    this.sum = new Float64Array(d);
    this.sq = new Float64Array(d * d);
    this.loc = new Float64Array(d);
    this.chol = new Float64Array(d * d);
    this.kmu = new Float64Array(d);
    this.kchol = new Float64Array(d * d);
  }
  add(y: ArrayLike<number>, off: number, d: number, sign: 1 | -1): void {
    this.n += sign;
    for (let a = 0; a < d; a++) {
      const ya = y[off + a] as number;
      this.sum[a] = (this.sum[a] as number) + sign * ya;
      for (let b = 0; b < d; b++) this.sq[a * d + b] = (this.sq[a * d + b] as number) + sign * ya * (y[off + b] as number);
    }
    if (this.n === 0) {
      // drop round-off residue so a reused cluster starts from exact zeros
      this.sum.fill(0);
      this.sq.fill(0);
    }
  }
}

/** Operations of a conjugate cluster family. */
export interface Family {
  readonly d: number;
  /** Recompute the predictive cache of a cluster from its statistics. */
  refresh(cl: Cluster): void;
  /** log p(y | cluster members) (posterior predictive); `work` has length ≥ 2d. */
  logPred(cl: Cluster, y: ArrayLike<number>, off: number, work: Float64Array): number;
  /** log p(Y_c) of the cluster's members under P₀. */
  logEvidence(cl: Cluster): number;
  /** Draw θ ~ p(θ | Y_c) into the cluster's kernel cache. */
  samplePosterior(cl: Cluster, rng: Rng): void;
  /** log K(y | θ_c). */
  logKernel(cl: Cluster, y: ArrayLike<number>, off: number, work: Float64Array): number;
  /** Normalised base, for JSON. */
  readonly base: DPMMBase;
}

function mustChol(a: Float64Array, d: number, what: string, W = 'fitDPMM'): Float64Array {
  const l = cholLower(a, d);
  if (!l) {
    // a base-measure argument, or a numerical breakdown during sampling (data on a scale the base cannot hold)
    const hint = what.startsWith('base.') ? `argument '${what}'` : `${what} (rescale argument 'X' or widen the base measure)`;
    throw new DomainError(`${W}: ${hint} is not positive definite`);
  }
  return l;
}

/** Builds the family for a base measure, validating it (names the offending field). */
export function createFamily(base: DPMMBase, d: number, W = 'fitDPMM'): Family {
  if (base === null || typeof base !== 'object') throw new DomainError(`${W}: argument 'base' must be an object, got ${describeValue(base)}`);
  const m0 = readVector(W, 'base.mean', base.mean);
  if (m0.length !== d) throw new DomainError(`${W}: argument 'base.mean' must have length ${d} (columns of X), got ${m0.length}`);
  if (base.type === 'normal') return normalFamily(m0, base, d, W);
  if (base.type === 'normal-wishart') return normalWishartFamily(m0, base, d, W);
  throw new DomainError(`${W}: argument 'base.type' must be 'normal' or 'normal-wishart', got ${describeValue((base as { type?: unknown }).type)}`);
}

function normalFamily(m0: Float64Array, base: Extract<DPMMBase, { type: 'normal' }>, d: number, W: string): Family {
  const s0 = readScale(W, 'base.covariance', base.covariance, d);
  const sn = readScale(W, 'base.noiseCovariance', base.noiseCovariance, d);
  const S0inv = s0.scaleInv;
  const Sinv = sn.scaleInv;
  const noise = sn.scale;
  const noiseChol = mustChol(noise, d, 'base.noiseCovariance', W);
  const logDetNoise = logDetChol(noiseChol, d);
  const h0 = new Float64Array(d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) h0[a] = (h0[a] as number) + (S0inv[a * d + b] as number) * (m0[b] as number);
  const P = new Float64Array(d * d);
  const h = new Float64Array(d);
  const C = new Float64Array(d * d);
  const work = new Float64Array(2 * d);
  const byN: { Pinv: Float64Array; chol: Float64Array; c: number }[] = [];
  /** posterior precision P = S0⁻¹ + nΣ⁻¹, mean m = P⁻¹(S0⁻¹m0 + Σ⁻¹Σy); returns chol(P) and P⁻¹. */
  const post = (cl: Cluster) => {
    for (let i = 0; i < d * d; i++) P[i] = (S0inv[i] as number) + cl.n * (Sinv[i] as number);
    for (let a = 0; a < d; a++) {
      let s = h0[a] as number;
      for (let b = 0; b < d; b++) s += (Sinv[a * d + b] as number) * (cl.sum[b] as number);
      h[a] = s;
    }
    const lp = mustChol(P, d, 'cluster posterior precision');
    const Pinv = inverseFromChol(lp, d);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += (Pinv[a * d + b] as number) * (h[b] as number);
      cl.loc[a] = s;
    }
    return { lp, Pinv };
  };
  return {
    d,
    base: { type: 'normal', mean: Array.from(m0), covariance: nested(s0.scale, d), noiseCovariance: nested(noise, d) } as DPMMBase,
    refresh(cl) {
      // P⁻¹, chol(P⁻¹ + Σ) and the constant depend on n only: memoised per cluster size
      let e = byN[cl.n];
      if (!e) {
        for (let i = 0; i < d * d; i++) P[i] = (S0inv[i] as number) + cl.n * (Sinv[i] as number);
        const Pinv = inverseFromChol(mustChol(P, d, 'cluster posterior precision'), d);
        for (let i = 0; i < d * d; i++) C[i] = (Pinv[i] as number) + (noise[i] as number);
        const l = mustChol(C, d, 'predictive covariance');
        e = { Pinv, chol: Float64Array.from(l), c: -0.5 * (d * LOG_2PI + logDetChol(l, d)) };
        byN[cl.n] = e;
      }
      for (let a = 0; a < d; a++) {
        let t = h0[a] as number;
        for (let b = 0; b < d; b++) t += (Sinv[a * d + b] as number) * (cl.sum[b] as number);
        h[a] = t;
      }
      for (let a = 0; a < d; a++) {
        let t = 0;
        for (let b = 0; b < d; b++) t += (e.Pinv[a * d + b] as number) * (h[b] as number);
        cl.loc[a] = t;
      }
      cl.chol.set(e.chol);
      cl.c = e.c;
      cl.df = Number.POSITIVE_INFINITY;
    },
    logPred(cl, y, off, wk) {
      for (let a = 0; a < d; a++) wk[d + a] = (y[off + a] as number) - (cl.loc[a] as number);
      return cl.c - 0.5 * mahalanobisChol(cl.chol, wk.subarray(d), d, wk);
    },
    logEvidence(cl) {
      if (cl.n === 0) return 0;
      const { lp } = post(cl);
      const m = cl.loc;
      // candidate identity at θ = m: log N(m|m0,S0) + Σ log N(y|m,Σ) − log N(m|m,P⁻¹)
      let q0 = 0;
      let qs = 0;
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          const sab = Sinv[a * d + b] as number;
          q0 += ((m[a] as number) - (m0[a] as number)) * (S0inv[a * d + b] as number) * ((m[b] as number) - (m0[b] as number));
          qs += sab * ((cl.sq[a * d + b] as number) - 2 * (m[a] as number) * (cl.sum[b] as number) + cl.n * (m[a] as number) * (m[b] as number));
        }
      }
      const lPrior = -0.5 * (d * LOG_2PI - s0.logDetScaleInv + q0);
      const lLik = -0.5 * (cl.n * d * LOG_2PI + cl.n * logDetNoise + qs);
      const lPost = -0.5 * d * LOG_2PI + 0.5 * logDetChol(lp, d);
      return lPrior + lLik - lPost;
    },
    samplePosterior(cl, rng) {
      const { Pinv } = post(cl);
      const l = mustChol(Pinv, d, 'cluster posterior covariance');
      for (let a = 0; a < d; a++) work[a] = sampleNormal(rng);
      lowerTimes(l, work, d, cl.kmu);
      for (let a = 0; a < d; a++) cl.kmu[a] = (cl.kmu[a] as number) + (cl.loc[a] as number);
      cl.kchol.set(noiseChol);
      cl.kc = -0.5 * (d * LOG_2PI + logDetNoise);
    },
    logKernel(cl, y, off, wk) {
      for (let a = 0; a < d; a++) wk[d + a] = (y[off + a] as number) - (cl.kmu[a] as number);
      return cl.kc - 0.5 * mahalanobisChol(cl.kchol, wk.subarray(d), d, wk);
    },
  };
}

function normalWishartFamily(m0: Float64Array, base: Extract<DPMMBase, { type: 'normal-wishart' }>, d: number, W: string): Family {
  const k0 = base.kappa;
  const nu0 = base.df;
  if (!(k0 > 0) || !Number.isFinite(k0)) throw new DomainError(`${W}: argument 'base.kappa' must be a finite number > 0, got ${describeValue(k0)}`);
  if (!(nu0 > d - 1) || !Number.isFinite(nu0)) throw new DomainError(`${W}: argument 'base.df' must be a finite number > d − 1 = ${d - 1}, got ${describeValue(nu0)}`);
  const s = readScale(W, 'base.scale', base.scale, d);
  const W0inv = s.scaleInv;
  const Wn = new Float64Array(d * d);
  const mn = new Float64Array(d);
  const work = new Float64Array(2 * d);
  const lgd0 = multigammaln(nu0 / 2, d);
  const lgByN: number[] = [];
  /** Fills mn and Wn⁻¹ (in Wn) from the statistics; returns (κn, νn). */
  const post = (cl: Cluster) => {
    const kn = k0 + cl.n;
    for (let a = 0; a < d; a++) mn[a] = (k0 * (m0[a] as number) + (cl.sum[a] as number)) / kn;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        Wn[a * d + b] =
          (W0inv[a * d + b] as number) +
          (cl.sq[a * d + b] as number) +
          k0 * (m0[a] as number) * (m0[b] as number) -
          kn * (mn[a] as number) * (mn[b] as number);
      }
    }
    return { kn, nun: nu0 + cl.n };
  };
  return {
    d,
    base: { type: 'normal-wishart', mean: Array.from(m0), kappa: k0, df: nu0, scale: nested(s.scale, d) } as DPMMBase,
    refresh(cl) {
      const { kn, nun } = post(cl);
      const df = nun - d + 1;
      const f = (kn + 1) / (kn * df);
      for (let i = 0; i < d * d; i++) Wn[i] = (Wn[i] as number) * f;
      const l = mustChol(Wn, d, 'predictive scale');
      cl.loc.set(mn);
      cl.chol.set(l);
      cl.df = df;
      let g = lgByN[cl.n];
      if (g === undefined) {
        g = gammaln((df + d) / 2) - gammaln(df / 2) - (d / 2) * Math.log(df * Math.PI);
        lgByN[cl.n] = g;
      }
      cl.c = g - 0.5 * logDetChol(l, d);
    },
    logPred(cl, y, off, wk) {
      for (let a = 0; a < d; a++) wk[d + a] = (y[off + a] as number) - (cl.loc[a] as number);
      const q = mahalanobisChol(cl.chol, wk.subarray(d), d, wk);
      return cl.c - ((cl.df + d) / 2) * Math.log1p(q / cl.df);
    },
    logEvidence(cl) {
      if (cl.n === 0) return 0;
      const { kn, nun } = post(cl);
      const l = mustChol(Wn, d, 'cluster scale');
      return (
        -((cl.n * d) / 2) * LOG_PI +
        multigammaln(nun / 2, d) -
        lgd0 +
        (nu0 / 2) * s.logDetScaleInv -
        (nun / 2) * logDetChol(l, d) +
        (d / 2) * Math.log(k0 / kn)
      );
    },
    samplePosterior(cl, rng) {
      const { kn, nun } = post(cl);
      const lw = mustChol(inverseFromChol(mustChol(Wn, d, 'cluster scale'), d), d, 'cluster scale');
      const lam = sampleWishartChol(rng, nun, lw, d);
      const ll = mustChol(lam, d, 'sampled precision');
      // μ = mn + L⁻ᵀ z / √κn
      for (let a = 0; a < d; a++) work[a] = sampleNormal(rng) / Math.sqrt(kn);
      for (let i = d - 1; i >= 0; i--) {
        let t = work[i] as number;
        for (let k = i + 1; k < d; k++) t -= (ll[k * d + i] as number) * (work[d + k] as number);
        work[d + i] = t / (ll[i * d + i] as number);
      }
      for (let a = 0; a < d; a++) cl.kmu[a] = (mn[a] as number) + (work[d + a] as number);
      cl.kchol.set(ll); // kernel uses Λ = L Lᵀ directly
      cl.kc = -0.5 * d * LOG_2PI + 0.5 * logDetChol(ll, d);
    },
    logKernel(cl, y, off) {
      // (y−μ)ᵀΛ(y−μ) = ‖Lᵀ(y−μ)‖²
      let q = 0;
      for (let j = 0; j < d; j++) {
        let t = 0;
        for (let i = j; i < d; i++) t += (cl.kchol[i * d + j] as number) * ((y[off + i] as number) - (cl.kmu[i] as number));
        q += t * t;
      }
      return cl.kc - 0.5 * q;
    },
  };
}

function nested(a: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(a.subarray(i * d, i * d + d)));
}
