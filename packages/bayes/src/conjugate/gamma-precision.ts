/**
 * Gaussian likelihood with known mean, Gamma prior on the precision τ = σ⁻² (second row of the notes'
 * conjugate table).
 */
import { assertFinite, assertPositive, gammaln, NonFiniteError, readNumber, readVector, sampleGamma } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { readParam, readTheta } from '../internal/checks.js';
import { logGamma, logNormal } from '../internal/logpdf.js';
import { studentTDistribution } from './predictive-univariate.js';
import type { ConjugateJSON, ConjugateModel, ContinuousDistribution } from './types.js';

/** Hyperparameters of {@link gammaPrecision}. */
export interface GammaPrecisionParams {
  /** Known mean μ of the observations. */
  mean: number;
  /** Gamma shape a (> 0). */
  shape: number;
  /** Gamma rate b (> 0); prior mean of τ is a/b. */
  rate: number;
}

const WHERE = 'gammaPrecision';
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * $x_i\sim\mathcal N(\mu,\tau^{-1})$ with μ known, $\tau\sim\mathrm{Gamma}(a, b)$ (rate). Posterior
 * $a_n = a + n/2$, $b_n = b + \tfrac12\sum_i (x_i-\mu)^2$; predictive Student-t $t_{2a_n}(\mu, b_n/a_n)$;
 * $$\log p(X) = \log\Gamma(a_n) - \log\Gamma(a) + a\log b - a_n\log b_n - \tfrac n2\log 2\pi.$$
 * Reference: Murphy (2007), §4.
 * @throws DomainError if shape/rate are not > 0
 */
export function gammaPrecision(params: GammaPrecisionParams): GammaPrecision {
  assertFinite(WHERE, 'mean', readNumber(WHERE, 'mean', params.mean));
  assertPositive(WHERE, 'shape', readNumber(WHERE, 'shape', params.shape));
  assertPositive(WHERE, 'rate', readNumber(WHERE, 'rate', params.rate));
  return new GammaPrecision(params.mean, params.shape, params.rate);
}

/** Prior/posterior of {@link gammaPrecision}; immutable. */
export class GammaPrecision
  implements ConjugateModel<ArrayLike<number>, number, GammaPrecisionParams, ContinuousDistribution<number>>
{
  readonly kind = 'gamma-precision';
  /** @internal use {@link gammaPrecision} */
  constructor(
    private readonly mu: number,
    private readonly a: number,
    private readonly b: number,
  ) {
    Object.freeze(this);
  }
  get params(): GammaPrecisionParams {
    return { mean: this.mu, shape: this.a, rate: this.b };
  }
  update(data: ArrayLike<number>): GammaPrecision {
    const x = readVector(`${WHERE}.update`, 'data', data, { minLength: 0 });
    let ss = 0;
    for (const xi of x) ss += (xi - this.mu) ** 2;
    if (!Number.isFinite(this.b + ss / 2)) {
      throw new NonFiniteError(`${WHERE}.update: argument 'data' overflows (sum of squared deviations is ${ss}); rescale the data`);
    }
    return new GammaPrecision(this.mu, this.a + x.length / 2, this.b + ss / 2);
  }
  predictive(): ContinuousDistribution<number> {
    return studentTDistribution(2 * this.a, this.mu, this.b / this.a);
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const post = this.update(data);
    const n = data.length;
    return (
      gammaln(post.a) - gammaln(this.a) + this.a * Math.log(this.b) - post.a * Math.log(post.b) - (n / 2) * LOG_2PI
    );
  }
  logDensity(tau: number): number {
    return logGamma(readTheta(`${WHERE}.logDensity`, 'tau', tau), this.a, this.b);
  }
  logLikelihood(data: ArrayLike<number>, tau: number): number {
    const x = readVector(`${WHERE}.logLikelihood`, 'data', data, { minLength: 0 });
    if (!(readParam(`${WHERE}.logLikelihood`, 'tau', tau) > 0)) return x.length > 0 ? Number.NEGATIVE_INFINITY : 0;
    let s = 0;
    for (const xi of x) s += logNormal(xi, this.mu, 1 / tau);
    return s;
  }
  mean(): number {
    return this.a / this.b;
  }
  /** (a − 1)/b, or 0 when a < 1 (the density is then maximal at the boundary). */
  mode(): number {
    return Math.max(0, (this.a - 1) / this.b);
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): number {
    const rng = rngOf('GammaPrecision.sample', r);
    return sampleGamma(rng, this.a, this.b);
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { ...this.params } };
  }
}
