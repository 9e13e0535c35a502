/**
 * Binomial likelihood with a fixed number of trials, Beta prior (notes' conjugate table: Bernoulli / p /
 * Beta, for counts of successes).
 */
import { assertInteger, assertPositive, betaln, factorialln, readNumber, sampleBeta, sampleBinomial } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { readParam, readSupported, readTheta } from '../internal/checks.js';
import { logBeta } from '../internal/logpdf.js';
import { betaMode } from '../internal/modes.js';
import type { ConjugateJSON, ConjugateModel, DiscreteDistribution } from './types.js';

/** Hyperparameters of {@link betaBinomial}. */
export interface BetaBinomialParams {
  alpha: number;
  beta: number;
  /** Trials N per observation (integer ≥ 1). */
  trials: number;
}

const WHERE = 'betaBinomial';

const logChoose = (n: number, k: number) => factorialln(n) - factorialln(k) - factorialln(n - k);

/**
 * Beta–binomial predictive: $p(k) = \binom Nk\frac{B(k+\alpha, N-k+\beta)}{B(\alpha,\beta)}$, mean $N\alpha/(\alpha+\beta)$,
 * variance $N\alpha\beta(\alpha+\beta+N)/((\alpha+\beta)^2(\alpha+\beta+1))$.
 * @throws DomainError if α or β ≤ 0 or trials is not an integer ≥ 1
 */
export function betaBinomialDistribution(alpha: number, beta: number, trials: number): DiscreteDistribution<number> {
  assertPositive('betaBinomialDistribution', 'alpha', readNumber('betaBinomialDistribution', 'alpha', alpha));
  assertPositive('betaBinomialDistribution', 'beta', readNumber('betaBinomialDistribution', 'beta', beta));
  assertInteger('betaBinomialDistribution', 'trials', readNumber('betaBinomialDistribution', 'trials', trials), 1);
  const s = alpha + beta;
  return Object.freeze({
    kind: 'beta-binomial',
    logPmf: (k: number) =>
      Number.isInteger(k) && k >= 0 && k <= trials
        ? logChoose(trials, k) + betaln(k + alpha, trials - k + beta) - betaln(alpha, beta)
        : Number.NEGATIVE_INFINITY,
    mean: () => (trials * alpha) / s,
    variance: () => (trials * alpha * beta * (s + trials)) / (s * s * (s + 1)),
    sample: (r: RngInput) => {
      const rng = rngOf('betaBinomialDistribution.sample', r);
      return sampleBinomial(rng, trials, sampleBeta(rng, alpha, beta));
    },
  });
}

/**
 * $k_i\sim\mathrm{Binomial}(N, p)$, $p\sim\mathrm{Beta}(\alpha,\beta)$. Posterior $\mathrm{Beta}(\alpha+\sum k_i,\ \beta+\sum(N-k_i))$;
 * predictive beta-binomial; the log evidence includes the binomial coefficients:
 * $$\log p(k_{1:n}) = \textstyle\sum_i\log\binom N{k_i} + \log B(\alpha+K,\beta+nN-K) - \log B(\alpha,\beta),\quad K=\sum_ik_i.$$
 * With N = 1 this is {@link betaBernoulli} (whose evidence has no coefficients, all equal to 1 then).
 * @throws DomainError if α, β ≤ 0, trials is not an integer ≥ 1, or a count is outside 0..N
 */
export function betaBinomial(params: BetaBinomialParams): BetaBinomial {
  assertPositive(WHERE, 'alpha', readNumber(WHERE, 'alpha', params.alpha));
  assertPositive(WHERE, 'beta', readNumber(WHERE, 'beta', params.beta));
  assertInteger(WHERE, 'trials', readNumber(WHERE, 'trials', params.trials), 1);
  return new BetaBinomial(params.alpha, params.beta, params.trials);
}

/** Prior/posterior of {@link betaBinomial}; immutable. */
export class BetaBinomial implements ConjugateModel<ArrayLike<number>, number, BetaBinomialParams, DiscreteDistribution<number>> {
  readonly kind = 'beta-binomial';
  /** @internal use {@link betaBinomial} */
  constructor(
    private readonly a: number,
    private readonly b: number,
    private readonly N: number,
  ) {
    Object.freeze(this);
  }
  get params(): BetaBinomialParams {
    return { alpha: this.a, beta: this.b, trials: this.N };
  }
  private read(where: string, data: ArrayLike<number>): Float64Array {
    const N = this.N;
    return readSupported(`${WHERE}.${where}`, 'data', data, (v) => Number.isInteger(v) && v >= 0 && v <= N, `integer counts in 0..${N}`);
  }
  update(data: ArrayLike<number>): BetaBinomial {
    const k = this.read('update', data);
    let s = 0;
    for (const v of k) s += v;
    return new BetaBinomial(this.a + s, this.b + k.length * this.N - s, this.N);
  }
  predictive(): DiscreteDistribution<number> {
    return betaBinomialDistribution(this.a, this.b, this.N);
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const k = this.read('logMarginalLikelihood', data);
    const post = this.update(k);
    let c = 0;
    for (const v of k) c += logChoose(this.N, v);
    return c + betaln(post.a, post.b) - betaln(this.a, this.b);
  }
  logDensity(p: number): number {
    return logBeta(readTheta(`${WHERE}.logDensity`, 'p', p), this.a, this.b);
  }
  logLikelihood(data: ArrayLike<number>, p: number): number {
    const k = this.read('logLikelihood', data);
    if (!(readParam(`${WHERE}.logLikelihood`, 'p', p) >= 0 && p <= 1)) return Number.NEGATIVE_INFINITY;
    let s = 0;
    // 0·log 0 = 0 at the ends p = 0 and p = 1
    for (const v of k) s += logChoose(this.N, v) + (v > 0 ? v * Math.log(p) : 0) + (this.N - v > 0 ? (this.N - v) * Math.log1p(-p) : 0);
    return s;
  }
  mean(): number {
    return this.a / (this.a + this.b);
  }
  /** As {@link BetaBernoulli.mode}. @throws DomainError when α, β ≤ 1 */
  mode(): number {
    return betaMode(WHERE, this.a, this.b);
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): number {
    const rng = rngOf('BetaBinomial.sample', r);
    return sampleBeta(rng, this.a, this.b);
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { ...this.params } };
  }
}
