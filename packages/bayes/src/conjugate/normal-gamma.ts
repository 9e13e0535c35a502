/**
 * Gaussian likelihood with unknown mean and precision, Normal–Gamma prior (third row of the notes'
 * conjugate table).
 */
import { assertFinite, assertPositive, DomainError, gammaln, NonFiniteError, readNumber, readVector, sampleGamma, sampleNormal } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { readParam, readTheta } from '../internal/checks.js';
import { logGamma, logNormal } from '../internal/logpdf.js';
import { studentTDistribution } from './predictive-univariate.js';
import type { ConjugateJSON, ConjugateModel, ContinuousDistribution } from './types.js';

/** Hyperparameters of {@link normalGamma}: μ | τ ~ N(mean, 1/(κτ)), τ ~ Gamma(shape, rate). */
export interface NormalGammaParams {
  mean: number;
  /** Pseudo-count κ of the mean (> 0). */
  kappa: number;
  /** Gamma shape a (> 0). */
  shape: number;
  /** Gamma rate b (> 0). */
  rate: number;
}

/** A value of (μ, τ). */
export interface MeanPrecision {
  mu: number;
  tau: number;
}

const WHERE = 'normalGamma';
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * $x_i\sim\mathcal N(\mu,\tau^{-1})$, $\mu\mid\tau\sim\mathcal N(\mu_0,(\kappa_0\tau)^{-1})$, $\tau\sim\mathrm{Gamma}(a_0,b_0)$.
 * $$\kappa_n=\kappa_0+n,\ \mu_n=\frac{\kappa_0\mu_0+n\bar x}{\kappa_n},\ a_n=a_0+\tfrac n2,\
 *   b_n=b_0+\tfrac12\sum_i(x_i-\bar x)^2+\frac{\kappa_0 n(\bar x-\mu_0)^2}{2\kappa_n};$$
 * predictive $t_{2a_n}\!\big(\mu_n,\ b_n(\kappa_n+1)/(a_n\kappa_n)\big)$;
 * $\log p(X)=\log\Gamma(a_n)-\log\Gamma(a_0)+a_0\log b_0-a_n\log b_n+\tfrac12\log(\kappa_0/\kappa_n)-\tfrac n2\log2\pi$.
 * Reference: Murphy (2007), §3.
 * @throws DomainError if kappa/shape/rate are not > 0
 */
export function normalGamma(params: NormalGammaParams): NormalGamma {
  assertFinite(WHERE, 'mean', readNumber(WHERE, 'mean', params.mean));
  assertPositive(WHERE, 'kappa', readNumber(WHERE, 'kappa', params.kappa));
  assertPositive(WHERE, 'shape', readNumber(WHERE, 'shape', params.shape));
  assertPositive(WHERE, 'rate', readNumber(WHERE, 'rate', params.rate));
  return new NormalGamma(params.mean, params.kappa, params.shape, params.rate);
}

/** Prior/posterior of {@link normalGamma}; immutable. */
export class NormalGamma
  implements ConjugateModel<ArrayLike<number>, MeanPrecision, NormalGammaParams, ContinuousDistribution<number>>
{
  readonly kind = 'normal-gamma';
  /** @internal use {@link normalGamma} */
  constructor(
    private readonly m: number,
    private readonly k: number,
    private readonly a: number,
    private readonly b: number,
  ) {
    Object.freeze(this);
  }
  get params(): NormalGammaParams {
    return { mean: this.m, kappa: this.k, shape: this.a, rate: this.b };
  }
  update(data: ArrayLike<number>): NormalGamma {
    const x = readVector(`${WHERE}.update`, 'data', data, { minLength: 0 });
    const n = x.length;
    if (n === 0) return this;
    let sum = 0;
    for (const xi of x) sum += xi;
    const xbar = sum / n;
    let ss = 0;
    for (const xi of x) ss += (xi - xbar) ** 2;
    const kn = this.k + n;
    const mn = (this.k * this.m + sum) / kn;
    const bn = this.b + ss / 2 + (this.k * n * (xbar - this.m) ** 2) / (2 * kn);
    if (!Number.isFinite(bn) || !Number.isFinite(mn)) {
      throw new NonFiniteError(`${WHERE}.update: argument 'data' overflows (posterior rate ${bn}); rescale the data`);
    }
    return new NormalGamma(mn, kn, this.a + n / 2, bn);
  }
  predictive(): ContinuousDistribution<number> {
    return studentTDistribution(2 * this.a, this.m, (this.b * (this.k + 1)) / (this.a * this.k));
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const post = this.update(data);
    const n = data.length;
    return (
      gammaln(post.a) -
      gammaln(this.a) +
      this.a * Math.log(this.b) -
      post.a * Math.log(post.b) +
      0.5 * Math.log(this.k / post.k) -
      (n / 2) * LOG_2PI
    );
  }
  logDensity(theta: MeanPrecision): number {
    if (typeof theta !== 'object' || theta === null) throw new DomainError(`${WHERE}.logDensity: argument 'theta' must be { mu, tau }`);
    const mu = readTheta(`${WHERE}.logDensity`, 'theta.mu', theta.mu);
    const tau = readTheta(`${WHERE}.logDensity`, 'theta.tau', theta.tau);
    if (!(tau > 0) || tau === Number.POSITIVE_INFINITY || !Number.isFinite(mu)) return Number.NEGATIVE_INFINITY;
    return logNormal(mu, this.m, 1 / (this.k * tau)) + logGamma(tau, this.a, this.b);
  }
  logLikelihood(data: ArrayLike<number>, theta: MeanPrecision): number {
    if (typeof theta !== 'object' || theta === null) throw new DomainError(`${WHERE}.logLikelihood: argument 'theta' must be { mu, tau }`);
    const x = readVector(`${WHERE}.logLikelihood`, 'data', data, { minLength: 0 });
    readParam(`${WHERE}.logLikelihood`, 'theta.mu', theta.mu);
    if (!(readParam(`${WHERE}.logLikelihood`, 'theta.tau', theta.tau) > 0)) return x.length > 0 ? Number.NEGATIVE_INFINITY : 0;
    let s = 0;
    for (const xi of x) s += logNormal(xi, theta.mu, 1 / theta.tau);
    return s;
  }
  /** E[μ] = μ₀, E[τ] = a/b. */
  mean(): MeanPrecision {
    return { mu: this.m, tau: this.a / this.b };
  }
  /** Joint mode: μ = μ₀, τ = (a − ½)/b (0 when a < ½). */
  mode(): MeanPrecision {
    return { mu: this.m, tau: Math.max(0, (this.a - 0.5) / this.b) };
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): MeanPrecision {
    const rng = rngOf('NormalGamma.sample', r);
    const tau = sampleGamma(rng, this.a, this.b);
    return { mu: sampleNormal(rng, this.m, 1 / Math.sqrt(this.k * tau)), tau };
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { ...this.params } };
  }
}
