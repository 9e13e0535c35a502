/**
 * Gaussian likelihood with known variance σ², Gaussian prior on the mean (first row of the notes'
 * conjugate table).
 */
import { assertFinite, assertPositive, readNumber, readVector, sampleNormal } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { readParam, readTheta } from '../internal/checks.js';
import { logNormal } from '../internal/logpdf.js';
import { normalDistribution } from './predictive-univariate.js';
import type { ConjugateJSON, ContinuousDistribution, ConjugateModel } from './types.js';

/** Hyperparameters of {@link normalKnownVariance}. */
export interface NormalKnownVarianceParams {
  /** Prior mean μ₀ of the unknown mean. */
  mean: number;
  /** Prior variance σ₀² of the unknown mean (> 0). */
  variance: number;
  /** Known observation variance σ² (> 0). */
  noiseVariance: number;
}

const WHERE = 'normalKnownVariance';

/**
 * $x_i\sim\mathcal N(\mu,\sigma^2)$, $\mu\sim\mathcal N(\mu_0,\sigma_0^2)$. Posterior
 * $$\sigma_n^{-2} = \sigma_0^{-2} + n\sigma^{-2},\qquad \mu_n = \sigma_n^2\left(\mu_0/\sigma_0^2 + \textstyle\sum_i x_i/\sigma^2\right);$$
 * predictive $\mathcal N(\mu_n, \sigma_n^2+\sigma^2)$. Log evidence by the candidate identity
 * $\log p(X) = \log p(\theta) + \log p(X\mid\theta) - \log p(\theta\mid X)$ at θ = μₙ (exact for conjugate pairs;
 * Chib 1995). Reference: Murphy (2007), "Conjugate Bayesian analysis of the Gaussian distribution", §2.
 * @throws DomainError if a variance is not > 0 or a value is not finite
 * @example normalKnownVariance({ mean: 0, variance: 1, noiseVariance: 1 }).update([1, 2]).params.mean // 1
 */
export function normalKnownVariance(params: NormalKnownVarianceParams): NormalKnownVariance {
  assertFinite(WHERE, 'mean', readNumber(WHERE, 'mean', params.mean));
  assertPositive(WHERE, 'variance', readNumber(WHERE, 'variance', params.variance));
  assertPositive(WHERE, 'noiseVariance', readNumber(WHERE, 'noiseVariance', params.noiseVariance));
  return new NormalKnownVariance(params.mean, params.variance, params.noiseVariance);
}

/** Prior/posterior of {@link normalKnownVariance}; immutable. */
export class NormalKnownVariance
  implements ConjugateModel<ArrayLike<number>, number, NormalKnownVarianceParams, ContinuousDistribution<number>>
{
  readonly kind = 'normal-known-variance';
  /** @internal use {@link normalKnownVariance} */
  constructor(
    private readonly m: number,
    private readonly v: number,
    private readonly s2: number,
  ) {
    Object.freeze(this);
  }
  get params(): NormalKnownVarianceParams {
    return { mean: this.m, variance: this.v, noiseVariance: this.s2 };
  }
  update(data: ArrayLike<number>): NormalKnownVariance {
    const x = readVector(`${WHERE}.update`, 'data', data, { minLength: 0 });
    let sum = 0;
    for (const xi of x) sum += xi;
    const prec = 1 / this.v + x.length / this.s2;
    return new NormalKnownVariance((this.m / this.v + sum / this.s2) / prec, 1 / prec, this.s2);
  }
  predictive(): ContinuousDistribution<number> {
    return normalDistribution(this.m, this.v + this.s2);
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const post = this.update(data);
    const theta = post.m;
    return this.logDensity(theta) + this.logLikelihood(data, theta) - post.logDensity(theta);
  }
  logDensity(theta: number): number {
    return logNormal(readTheta(`${WHERE}.logDensity`, 'theta', theta), this.m, this.v);
  }
  logLikelihood(data: ArrayLike<number>, theta: number): number {
    const x = readVector(`${WHERE}.logLikelihood`, 'data', data, { minLength: 0 });
    readParam(`${WHERE}.logLikelihood`, 'theta', theta);
    let s = 0;
    for (const xi of x) s += logNormal(xi, theta, this.s2);
    return s;
  }
  mean(): number {
    return this.m;
  }
  mode(): number {
    return this.m;
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): number {
    const rng = rngOf('NormalKnownVariance.sample', r);
    return sampleNormal(rng, this.m, Math.sqrt(this.v));
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { ...this.params } };
  }
}
