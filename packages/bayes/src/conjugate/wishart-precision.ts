/**
 * Multivariate Gaussian likelihood with known mean, Wishart prior on the precision matrix Λ = Σ⁻¹
 * (notes' conjugate table: Multivariate Gaussian / Σ⁻¹ / Wishart).
 */
import { assertFinite, DomainError, multigammaln, readNumber, readVector, sampleWishart, ShapeError } from '@notes/core-linalg';
import { readSquare } from '../internal/checks.js';
import { type RngInput, rngOf } from '../internal/fit.js';
import type { Matrix } from 'ml-matrix';
import { cholLower, logDetChol } from '../internal/dense.js';
import { type MatrixInput, readBatch } from '../internal/input.js';
import { invertPD, logNormalPrecision, logWishart, readScale, toMatrixRM, toNested } from '../internal/wishart.js';
import { type MultivariateDistribution, multivariateStudentT } from './predictive-multivariate.js';
import type { ConjugateJSON, ConjugateModel } from './types.js';

/** Hyperparameters: known mean; Λ ~ Wishart(df, scale), E[Λ] = df·scale. */
export interface WishartPrecisionParams {
  mean: Float64Array;
  /** ν > d − 1. */
  df: number;
  /** W, symmetric positive definite. */
  scale: Matrix;
}

const WHERE = 'wishartPrecision';
const LOG_PI = Math.log(Math.PI);

/**
 * $x_i\sim\mathcal N(\mu,\Lambda^{-1})$ with μ known, $\Lambda\sim\mathcal W(\nu_0,W_0)$. Posterior $\nu_n=\nu_0+n$,
 * $W_n^{-1}=W_0^{-1}+\sum_i(x_i-\mu)(x_i-\mu)^\top$; predictive $t_{\nu_n-d+1}(\mu, W_n^{-1}/(\nu_n-d+1))$;
 * $\log p(X) = -\tfrac{nd}2\log\pi + \log\Gamma_d(\tfrac{\nu_n}2)-\log\Gamma_d(\tfrac{\nu_0}2)+\tfrac{\nu_0}2\log|W_0^{-1}|-\tfrac{\nu_n}2\log|W_n^{-1}|$.
 * For d = 1 this is the Gamma-precision model with a = ν/2, b = 1/(2W). Reference: Bishop (2006), §2.3.6.
 * @throws DomainError if ν ≤ d − 1 or the scale is not symmetric positive definite
 */
export function wishartPrecision(params: { mean: ArrayLike<number>; df: number; scale: MatrixInput }): WishartPrecision {
  const m = readVector(WHERE, 'mean', params.mean);
  const s = readScale(WHERE, 'scale', params.scale, m.length);
  assertFinite(WHERE, 'df', readNumber(WHERE, 'df', params.df));
  if (!(params.df > s.d - 1)) throw new DomainError(`${WHERE}: argument 'df' must be > d − 1 = ${s.d - 1}, got ${params.df}`);
  return new WishartPrecision(m, params.df, s.scaleInv);
}

/** Prior/posterior of {@link wishartPrecision}; immutable. */
export class WishartPrecision implements ConjugateModel<MatrixInput, Matrix, WishartPrecisionParams, MultivariateDistribution> {
  readonly kind = 'wishart-precision';
  readonly dimension: number;
  private readonly logDetScaleInv: number;
  /** @internal use {@link wishartPrecision} */
  constructor(
    private readonly mu: Float64Array,
    private readonly nu: number,
    private readonly scaleInv: Float64Array,
  ) {
    this.dimension = mu.length;
    const l = cholLower(scaleInv, mu.length);
    if (!l) throw new DomainError(`${WHERE}: scale is not positive definite`);
    this.logDetScaleInv = logDetChol(l, mu.length);
    Object.freeze(this);
  }
  get params(): WishartPrecisionParams {
    const d = this.dimension;
    return { mean: Float64Array.from(this.mu), df: this.nu, scale: toMatrixRM(invertPD(this.scaleInv, d, WHERE, 'scale'), d) };
  }
  update(data: MatrixInput): WishartPrecision {
    const d = this.dimension;
    const x = readBatch(`${WHERE}.update`, 'data', data);
    if (x.rows === 0) return this;
    if (x.columns !== d) throw new DomainError(`${WHERE}.update: argument 'data' must have ${d} columns, got ${x.columns}`);
    const w = Float64Array.from(this.scaleInv);
    for (let i = 0; i < x.rows; i++) {
      for (let a = 0; a < d; a++) {
        const ra = (x.data[i * d + a] as number) - (this.mu[a] as number);
        for (let b = 0; b < d; b++) w[a * d + b] = (w[a * d + b] as number) + ra * ((x.data[i * d + b] as number) - (this.mu[b] as number));
      }
    }
    return new WishartPrecision(this.mu, this.nu + x.rows, w);
  }
  predictive(): MultivariateDistribution {
    const df = this.nu - this.dimension + 1;
    return multivariateStudentT(df, this.mu, this.scaleInv.map((v) => v / df));
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
      (post.nu / 2) * post.logDetScaleInv
    );
  }
  logDensity(Lambda: Matrix): number {
    return logWishart(readSquare(`${WHERE}.logDensity`, 'Lambda', Lambda, this.dimension).data, this.dimension, this.nu, this.scaleInv, this.logDetScaleInv);
  }
  logLikelihood(data: MatrixInput, Lambda: Matrix): number {
    const x = readBatch(`${WHERE}.logLikelihood`, 'data', data);
    const lam = readSquare(`${WHERE}.logLikelihood`, 'Lambda', Lambda, this.dimension).data;
    if (x.rows === 0) return 0;
    if (x.columns !== this.dimension) throw new ShapeError(`${WHERE}.logLikelihood: argument 'data' must have ${this.dimension} columns, got ${x.columns}`);
    return logNormalPrecision(x.data, x.rows, this.dimension, this.mu, lam);
  }
  /** E[Λ] = νW. */
  mean(): Matrix {
    const d = this.dimension;
    return toMatrixRM(invertPD(this.scaleInv, d, WHERE, 'scale').map((v) => v * this.nu), d);
  }
  /** (ν − d − 1)W (needs ν ≥ d + 1). */
  mode(): Matrix {
    const d = this.dimension;
    if (!(this.nu >= d + 1)) throw new DomainError(`${WHERE}.mode: needs df ≥ d + 1 = ${d + 1}, got ${this.nu}`);
    return toMatrixRM(invertPD(this.scaleInv, d, WHERE, 'scale').map((v) => v * (this.nu - d - 1)), d);
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): Matrix {
    const rng = rngOf('WishartPrecision.sample', r);
    const d = this.dimension;
    return sampleWishart(rng, this.nu, toMatrixRM(invertPD(this.scaleInv, d, WHERE, 'scale'), d));
  }
  toJSON(): ConjugateJSON {
    return {
      kind: this.kind,
      version: 1,
      params: { mean: Array.from(this.mu), df: this.nu, scaleInverse: toNested(this.scaleInv, this.dimension) },
    };
  }
}
