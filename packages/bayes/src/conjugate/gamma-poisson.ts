/**
 * Poisson likelihood, Gamma prior on the rate (notes' conjugate table: Poisson / λ / Gamma).
 */
import { assertPositive, factorialln, gammaln, readNumber, sampleGamma } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { isCount, readParam, readSupported, readTheta } from '../internal/checks.js';
import { logGamma } from '../internal/logpdf.js';
import { negativeBinomialDistribution } from './predictive-univariate.js';
import type { ConjugateJSON, ConjugateModel, DiscreteDistribution } from './types.js';

/** Hyperparameters of {@link gammaPoisson}: λ ~ Gamma(shape, rate). */
export interface GammaPoissonParams {
  shape: number;
  rate: number;
}

const WHERE = 'gammaPoisson';

/**
 * $x_i\sim\mathrm{Poisson}(\lambda)$, $\lambda\sim\mathrm{Gamma}(a,b)$. Posterior $\mathrm{Gamma}(a+\sum x_i,\ b+n)$;
 * predictive negative binomial; the log evidence includes the $-\sum\log x_i!$ terms:
 * $$\log p(X) = a\log b - \log\Gamma(a) + \log\Gamma(a+S) - (a+S)\log(b+n) - \textstyle\sum_i\log x_i!.$$
 * Reference: Gelman et al., BDA3 §2.6.
 * @throws DomainError if shape/rate ≤ 0 or data contains negative or non-integer counts
 */
export function gammaPoisson(params: GammaPoissonParams): GammaPoisson {
  assertPositive(WHERE, 'shape', readNumber(WHERE, 'shape', params.shape));
  assertPositive(WHERE, 'rate', readNumber(WHERE, 'rate', params.rate));
  return new GammaPoisson(params.shape, params.rate);
}

/** Prior/posterior of {@link gammaPoisson}; immutable. */
export class GammaPoisson
  implements ConjugateModel<ArrayLike<number>, number, GammaPoissonParams, DiscreteDistribution<number>>
{
  readonly kind = 'gamma-poisson';
  /** @internal use {@link gammaPoisson} */
  constructor(
    private readonly a: number,
    private readonly b: number,
  ) {
    Object.freeze(this);
  }
  get params(): GammaPoissonParams {
    return { shape: this.a, rate: this.b };
  }
  private read(where: string, data: ArrayLike<number>): Float64Array {
    return readSupported(`${WHERE}.${where}`, 'data', data, isCount, 'non-negative integer counts');
  }
  update(data: ArrayLike<number>): GammaPoisson {
    const x = this.read('update', data);
    let s = 0;
    for (const xi of x) s += xi;
    return new GammaPoisson(this.a + s, this.b + x.length);
  }
  predictive(): DiscreteDistribution<number> {
    return negativeBinomialDistribution(this.a, this.b);
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const x = this.read('logMarginalLikelihood', data);
    const post = this.update(x);
    let lf = 0;
    for (const xi of x) lf += factorialln(xi);
    return this.a * Math.log(this.b) - gammaln(this.a) + gammaln(post.a) - post.a * Math.log(post.b) - lf;
  }
  logDensity(lambda: number): number {
    return logGamma(readTheta(`${WHERE}.logDensity`, 'lambda', lambda), this.a, this.b);
  }
  logLikelihood(data: ArrayLike<number>, lambda: number): number {
    const x = this.read('logLikelihood', data);
    if (!(readParam(`${WHERE}.logLikelihood`, 'lambda', lambda) >= 0)) return Number.NEGATIVE_INFINITY;
    let s = 0;
    // 0·log 0 = 0: Poisson(0 | λ = 0) = 1
    for (const xi of x) s += (xi > 0 ? xi * Math.log(lambda) : 0) - lambda - factorialln(xi);
    return s;
  }
  mean(): number {
    return this.a / this.b;
  }
  /** (a − 1)/b, or 0 when a < 1. */
  mode(): number {
    return Math.max(0, (this.a - 1) / this.b);
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): number {
    const rng = rngOf('GammaPoisson.sample', r);
    return sampleGamma(rng, this.a, this.b);
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { ...this.params } };
  }
}
