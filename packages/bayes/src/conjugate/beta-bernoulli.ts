/**
 * Bernoulli likelihood, Beta prior (notes' conjugate table: Bernoulli / p / Beta).
 */
import { assertPositive, betaln, readNumber, sampleBeta } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { isBinary, readParam, readSupported, readTheta } from '../internal/checks.js';
import { logBeta } from '../internal/logpdf.js';
import { betaMode } from '../internal/modes.js';
import { bernoulliDistribution } from './predictive-univariate.js';
import type { ConjugateJSON, ConjugateModel, DiscreteDistribution } from './types.js';

/** Hyperparameters of {@link betaBernoulli}. */
export interface BetaBernoulliParams {
  /** Beta α (> 0), pseudo-count of ones. */
  alpha: number;
  /** Beta β (> 0), pseudo-count of zeros. */
  beta: number;
}

const WHERE = 'betaBernoulli';

/**
 * $x_i\sim\mathrm{Bernoulli}(p)$, $p\sim\mathrm{Beta}(\alpha,\beta)$. Posterior $\mathrm{Beta}(\alpha+k,\beta+n-k)$ with
 * k ones; predictive Bernoulli$(\alpha_n/(\alpha_n+\beta_n))$;
 * $$\log p(X) = \log B(\alpha+k,\beta+n-k) - \log B(\alpha,\beta)$$
 * for the ordered sequence (no binomial coefficient). Reference: Bishop (2006), §2.1.1.
 * @throws DomainError if α or β ≤ 0, or data contains values other than 0 and 1
 * @example betaBernoulli({ alpha: 1, beta: 1 }).update([1, 1, 0]).params // { alpha: 3, beta: 2 }
 */
export function betaBernoulli(params: BetaBernoulliParams): BetaBernoulli {
  assertPositive(WHERE, 'alpha', readNumber(WHERE, 'alpha', params.alpha));
  assertPositive(WHERE, 'beta', readNumber(WHERE, 'beta', params.beta));
  return new BetaBernoulli(params.alpha, params.beta);
}

/** Prior/posterior of {@link betaBernoulli}; immutable. */
export class BetaBernoulli
  implements ConjugateModel<ArrayLike<number>, number, BetaBernoulliParams, DiscreteDistribution<number>>
{
  readonly kind = 'beta-bernoulli';
  /** @internal use {@link betaBernoulli} */
  constructor(
    private readonly a: number,
    private readonly b: number,
  ) {
    Object.freeze(this);
  }
  get params(): BetaBernoulliParams {
    return { alpha: this.a, beta: this.b };
  }
  update(data: ArrayLike<number>): BetaBernoulli {
    const x = readSupported(`${WHERE}.update`, 'data', data, isBinary, 'only 0 and 1');
    let k = 0;
    for (const xi of x) k += xi;
    return new BetaBernoulli(this.a + k, this.b + x.length - k);
  }
  predictive(): DiscreteDistribution<number> {
    return bernoulliDistribution(this.a / (this.a + this.b));
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const post = this.update(data);
    return betaln(post.a, post.b) - betaln(this.a, this.b);
  }
  logDensity(p: number): number {
    return logBeta(readTheta(`${WHERE}.logDensity`, 'p', p), this.a, this.b);
  }
  logLikelihood(data: ArrayLike<number>, p: number): number {
    const x = readSupported(`${WHERE}.logLikelihood`, 'data', data, isBinary, 'only 0 and 1');
    if (!(readParam(`${WHERE}.logLikelihood`, 'p', p) >= 0 && p <= 1)) return Number.NEGATIVE_INFINITY;
    let s = 0;
    for (const xi of x) s += xi === 1 ? Math.log(p) : Math.log1p(-p);
    return s;
  }
  mean(): number {
    return this.a / (this.a + this.b);
  }
  /**
   * (α − 1)/(α + β − 2) when α, β > 1; 0 when α ≤ 1 < β; 1 when β ≤ 1 < α.
   * @throws DomainError when α, β ≤ 1 (no unique mode)
   */
  mode(): number {
    return betaMode(WHERE, this.a, this.b);
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): number {
    const rng = rngOf('BetaBernoulli.sample', r);
    return sampleBeta(rng, this.a, this.b);
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { ...this.params } };
  }
}
