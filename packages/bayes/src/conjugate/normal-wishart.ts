/**
 * Multivariate Gaussian likelihood with unknown mean and precision, Normal–Wishart prior (notes'
 * conjugate table: Multivariate Gaussian / Σ⁻¹ / Wishart, with the mean unknown too).
 */
import { assertFinite, assertPositive, DomainError, multigammaln, readNumber, readVector, sampleNormal, sampleWishart, ShapeError } from '@notes/core-linalg';
import { readMeanPrecision } from '../internal/checks.js';
import { type RngInput, rngOf } from '../internal/fit.js';
import type { Matrix } from 'ml-matrix';
import { backSolveLT, cholLower, logDetChol } from '../internal/dense.js';
import { type MatrixInput, readBatch } from '../internal/input.js';
import { invertPD, logNormalPrecision, logWishart, readScale, toMatrixRM, toNested } from '../internal/wishart.js';
import { type MultivariateDistribution, multivariateStudentT } from './predictive-multivariate.js';
import type { ConjugateJSON, ConjugateModel } from './types.js';

/** Hyperparameters: μ | Λ ~ N(mean, (κΛ)⁻¹), Λ ~ Wishart(df, scale) with E[Λ] = df·scale. */
export interface NormalWishartParams {
  mean: Float64Array;
  /** κ > 0. */
  kappa: number;
  /** ν > d − 1. */
  df: number;
  /** W, symmetric positive definite d×d. */
  scale: Matrix;
}

/** A value of (μ, Λ). */
export interface MeanPrecisionMatrix {
  mu: Float64Array;
  Lambda: Matrix;
}

const WHERE = 'normalWishart';
const LOG_PI = Math.log(Math.PI);

/**
 * $x_i\sim\mathcal N(\mu,\Lambda^{-1})$, $\mu\mid\Lambda\sim\mathcal N(m_0,(\kappa_0\Lambda)^{-1})$, $\Lambda\sim\mathcal W(\nu_0,W_0)$.
 * $$\kappa_n=\kappa_0+n,\ m_n=\frac{\kappa_0m_0+n\bar x}{\kappa_n},\ \nu_n=\nu_0+n,\
 *  W_n^{-1}=W_0^{-1}+S+\frac{\kappa_0n}{\kappa_n}(\bar x-m_0)(\bar x-m_0)^\top;$$
 * predictive $t_{\nu_n-d+1}\big(m_n,\ \tfrac{\kappa_n+1}{\kappa_n(\nu_n-d+1)}W_n^{-1}\big)$;
 * $\log p(X) = -\tfrac{nd}2\log\pi + \log\Gamma_d(\tfrac{\nu_n}2) - \log\Gamma_d(\tfrac{\nu_0}2) + \tfrac{\nu_0}2\log|W_0^{-1}|
 *  - \tfrac{\nu_n}2\log|W_n^{-1}| + \tfrac d2\log\tfrac{\kappa_0}{\kappa_n}$. Reference: Murphy (2007), §8.
 * @throws DomainError if κ ≤ 0, ν ≤ d − 1 or the scale is not symmetric positive definite; ShapeError on shape mismatch
 */
export function normalWishart(params: { mean: ArrayLike<number>; kappa: number; df: number; scale: MatrixInput }): NormalWishart {
  const m = readVector(WHERE, 'mean', params.mean);
  assertPositive(WHERE, 'kappa', readNumber(WHERE, 'kappa', params.kappa));
  const s = readScale(WHERE, 'scale', params.scale, m.length);
  assertFinite(WHERE, 'df', readNumber(WHERE, 'df', params.df));
  if (!(params.df > s.d - 1)) throw new DomainError(`${WHERE}: argument 'df' must be > d − 1 = ${s.d - 1}, got ${params.df}`);
  return new NormalWishart(m, params.kappa, params.df, s.scaleInv);
}

/** Prior/posterior of {@link normalWishart}; immutable. Stores W⁻¹ so that updates are exact sums. */
export class NormalWishart
  implements ConjugateModel<MatrixInput, MeanPrecisionMatrix, NormalWishartParams, MultivariateDistribution>
{
  readonly kind = 'normal-wishart';
  readonly dimension: number;
  private readonly logDetScaleInv: number;
  /** @internal use {@link normalWishart} */
  constructor(
    private readonly m: Float64Array,
    private readonly k: number,
    private readonly nu: number,
    private readonly scaleInv: Float64Array,
  ) {
    this.dimension = m.length;
    const l = cholLower(scaleInv, m.length);
    if (!l) throw new DomainError(`${WHERE}: scale is not positive definite`);
    this.logDetScaleInv = logDetChol(l, m.length);
    Object.freeze(this);
  }
  get params(): NormalWishartParams {
    const d = this.dimension;
    return { mean: Float64Array.from(this.m), kappa: this.k, df: this.nu, scale: toMatrixRM(invertPD(this.scaleInv, d, WHERE, 'scale'), d) };
  }
  update(data: MatrixInput): NormalWishart {
    const d = this.dimension;
    const x = readBatch(`${WHERE}.update`, 'data', data);
    if (x.rows === 0) return this;
    if (x.columns !== d) throw new DomainError(`${WHERE}.update: argument 'data' must have ${d} columns, got ${x.columns}`);
    const n = x.rows;
    const xbar = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) xbar[a] = (xbar[a] as number) + (x.data[i * d + a] as number) / n;
    const kn = this.k + n;
    const w = Float64Array.from(this.scaleInv);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        const ra = (x.data[i * d + a] as number) - (xbar[a] as number);
        for (let b = 0; b < d; b++) w[a * d + b] = (w[a * d + b] as number) + ra * ((x.data[i * d + b] as number) - (xbar[b] as number));
      }
    }
    const c = (this.k * n) / kn;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        w[a * d + b] = (w[a * d + b] as number) + c * ((xbar[a] as number) - (this.m[a] as number)) * ((xbar[b] as number) - (this.m[b] as number));
      }
    }
    const mn = this.m.map((ma, a) => (this.k * ma + n * (xbar[a] as number)) / kn);
    return new NormalWishart(mn, kn, this.nu + n, w);
  }
  predictive(): MultivariateDistribution {
    const d = this.dimension;
    const df = this.nu - d + 1;
    const f = (this.k + 1) / (this.k * df);
    return multivariateStudentT(df, this.m, this.scaleInv.map((v) => v * f));
  }
  logMarginalLikelihood(data: MatrixInput): number {
    const d = this.dimension;
    const post = this.update(data);
    const n = post.nu - this.nu;
    return (
      -((n * d) / 2) * LOG_PI +
      multigammaln(post.nu / 2, d) -
      multigammaln(this.nu / 2, d) +
      (this.nu / 2) * this.logDetScaleInv -
      (post.nu / 2) * post.logDetScaleInv +
      (d / 2) * Math.log(this.k / post.k)
    );
  }
  logDensity(theta: MeanPrecisionMatrix): number {
    const d = this.dimension;
    const { mu, lam } = readMeanPrecision(`${WHERE}.logDensity`, theta, d);
    const lw = logWishart(lam, d, this.nu, this.scaleInv, this.logDetScaleInv);
    if (lw === Number.NEGATIVE_INFINITY) return lw;
    const scaled = lam.map((v) => v * this.k);
    return lw + logNormalPrecision(mu, 1, d, this.m, scaled);
  }
  logLikelihood(data: MatrixInput, theta: MeanPrecisionMatrix): number {
    const x = readBatch(`${WHERE}.logLikelihood`, 'data', data);
    const { mu, lam } = readMeanPrecision(`${WHERE}.logLikelihood`, theta, this.dimension);
    if (x.rows === 0) return 0;
    if (x.columns !== this.dimension) throw new ShapeError(`${WHERE}.logLikelihood: argument 'data' must have ${this.dimension} columns, got ${x.columns}`);
    return logNormalPrecision(x.data, x.rows, this.dimension, mu, lam);
  }
  /** E[μ] = m, E[Λ] = νW. */
  mean(): MeanPrecisionMatrix {
    const d = this.dimension;
    const W = invertPD(this.scaleInv, d, WHERE, 'scale');
    return { mu: Float64Array.from(this.m), Lambda: toMatrixRM(W.map((v) => v * this.nu), d) };
  }
  /** Joint mode: μ = m, Λ = (ν − d)W (needs ν > d). */
  mode(): MeanPrecisionMatrix {
    const d = this.dimension;
    if (!(this.nu > d)) throw new DomainError(`${WHERE}.mode: needs df > d = ${d}, got ${this.nu}`);
    const W = invertPD(this.scaleInv, d, WHERE, 'scale');
    return { mu: Float64Array.from(this.m), Lambda: toMatrixRM(W.map((v) => v * (this.nu - d)), d) };
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): MeanPrecisionMatrix {
    const rng = rngOf('NormalWishart.sample', r);
    const d = this.dimension;
    const Lambda = sampleWishart(rng, this.nu, toMatrixRM(invertPD(this.scaleInv, d, WHERE, 'scale'), d));
    const lam = Float64Array.from(Lambda.to1DArray());
    const l = cholLower(lam, d);
    if (!l) throw new DomainError(`${WHERE}.sample: sampled precision is not positive definite`);
    const z = new Float64Array(d);
    for (let a = 0; a < d; a++) z[a] = sampleNormal(rng) / Math.sqrt(this.k);
    const e = backSolveLT(l, z, d); // μ − m ~ N(0, (κΛ)⁻¹)
    return { mu: this.m.map((ma, a) => ma + (e[a] as number)), Lambda };
  }
  toJSON(): ConjugateJSON {
    const d = this.dimension;
    return {
      kind: this.kind,
      version: 1,
      params: { mean: Array.from(this.m), kappa: this.k, df: this.nu, scaleInverse: toNested(this.scaleInv, d) },
    };
  }
}
