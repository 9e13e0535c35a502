/**
 * Uniform(0, θ) likelihood, Pareto prior on θ (last row of the notes' conjugate table).
 */
import { assertPositive, readNumber, sampleUniform } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { isPositive, readParam, readSupported, readTheta } from '../internal/checks.js';
import { paretoUniformPredictive } from './predictive-univariate.js';
import type { ConjugateJSON, ConjugateModel, ContinuousDistribution } from './types.js';

/** Hyperparameters of {@link paretoUniform}: θ ~ Pareto(scale m, shape k), density k mᵏ/θᵏ⁺¹ on θ ≥ m. */
export interface ParetoUniformParams {
  scale: number;
  shape: number;
}

const WHERE = 'paretoUniform';

/**
 * $x_i\sim\mathrm U(0,\theta)$, $\theta\sim\mathrm{Pareto}(m,k)$. Posterior $\mathrm{Pareto}(\max(m,\max_i x_i),\ k+n)$;
 * $$\log p(X) = \log k + k\log m - \log(k+n) - (k+n)\log M_n,\quad M_n=\max(m,\max_i x_i).$$
 * Reference: DeGroot (1970), §9.7.
 * @throws DomainError if scale/shape ≤ 0 or an observation is not > 0
 */
export function paretoUniform(params: ParetoUniformParams): ParetoUniform {
  assertPositive(WHERE, 'scale', readNumber(WHERE, 'scale', params.scale));
  assertPositive(WHERE, 'shape', readNumber(WHERE, 'shape', params.shape));
  return new ParetoUniform(params.scale, params.shape);
}

/** Prior/posterior of {@link paretoUniform}; immutable. */
export class ParetoUniform
  implements ConjugateModel<ArrayLike<number>, number, ParetoUniformParams, ContinuousDistribution<number>>
{
  readonly kind = 'pareto-uniform';
  /** @internal use {@link paretoUniform} */
  constructor(
    private readonly m: number,
    private readonly k: number,
  ) {
    Object.freeze(this);
  }
  get params(): ParetoUniformParams {
    return { scale: this.m, shape: this.k };
  }
  private read(where: string, data: ArrayLike<number>): Float64Array {
    return readSupported(`${WHERE}.${where}`, 'data', data, isPositive, 'values > 0 (support of Uniform(0, θ))');
  }
  update(data: ArrayLike<number>): ParetoUniform {
    const x = this.read('update', data);
    let m = this.m;
    for (const xi of x) m = Math.max(m, xi);
    return new ParetoUniform(m, this.k + x.length);
  }
  predictive(): ContinuousDistribution<number> {
    return paretoUniformPredictive(this.m, this.k);
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const post = this.update(data);
    return Math.log(this.k) + this.k * Math.log(this.m) - Math.log(post.k) - post.k * Math.log(post.m);
  }
  logDensity(theta: number): number {
    if (!(readTheta(`${WHERE}.logDensity`, 'theta', theta) >= this.m) || theta === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
    return Math.log(this.k) + this.k * Math.log(this.m) - (this.k + 1) * Math.log(theta);
  }
  logLikelihood(data: ArrayLike<number>, theta: number): number {
    const x = this.read('logLikelihood', data);
    readParam(`${WHERE}.logLikelihood`, 'theta', theta);
    for (const xi of x) if (xi > theta) return Number.NEGATIVE_INFINITY;
    return -x.length * Math.log(theta);
  }
  /** k m/(k − 1); Infinity for k ≤ 1. */
  mean(): number {
    return this.k > 1 ? (this.k * this.m) / (this.k - 1) : Number.POSITIVE_INFINITY;
  }
  mode(): number {
    return this.m;
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): number {
    const rng = rngOf('ParetoUniform.sample', r);
    return this.m * (1 - sampleUniform(rng)) ** (-1 / this.k);
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { ...this.params } };
  }
}
