/**
 * Categorical (multinomial) likelihood, Dirichlet prior (notes' conjugate table: Multinomial / (p₁…p_m) / Dirichlet).
 */
import { assertFinite, assertNonEmpty, DomainError, gammaln, readVector, sampleDirichlet } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { readSimplex, readSupported } from '../internal/checks.js';
import { logDirichlet } from '../internal/logpdf.js';
import { countsDotLog, dirichletMean, dirichletMode } from '../internal/modes.js';
import { categoricalDistribution } from './predictive-univariate.js';
import type { ConjugateJSON, ConjugateModel, DiscreteDistribution } from './types.js';

/** Hyperparameters of {@link dirichletCategorical}. */
export interface DirichletCategoricalParams {
  /** Concentrations α_k > 0, one per category. */
  alpha: Float64Array;
}

const WHERE = 'dirichletCategorical';

/**
 * Observations are category indices $x_i\in\{0,\dots,K-1\}$ with $p\sim\mathrm{Dir}(\alpha)$. Posterior
 * $\mathrm{Dir}(\alpha+n)$ with counts $n_k$; predictive Categorical$(\alpha_n/\sum\alpha_n)$;
 * $$\log p(X) = \log\Gamma(A) - \log\Gamma(A+n) + \textstyle\sum_k[\log\Gamma(\alpha_k+n_k)-\log\Gamma(\alpha_k)]$$
 * for the ordered sequence (no multinomial coefficient), $A=\sum_k\alpha_k$. Reference: Murphy (2012), §3.4.
 * @throws DomainError if some α_k ≤ 0 or an observation is not an integer in 0..K−1
 */
export function dirichletCategorical(params: { alpha: ArrayLike<number> }): DirichletCategorical {
  assertNonEmpty(WHERE, 'alpha', params.alpha);
  assertFinite(WHERE, 'alpha', params.alpha);
  const alpha = Float64Array.from(params.alpha);
  alpha.forEach((a, i) => {
    if (!(a > 0)) throw new DomainError(`${WHERE}: argument 'alpha' must be > 0, got ${a} at [${i}]`);
  });
  return new DirichletCategorical(alpha);
}

/** Prior/posterior of {@link dirichletCategorical}; immutable. */
export class DirichletCategorical
  implements
    ConjugateModel<ArrayLike<number>, Float64Array, DirichletCategoricalParams, DiscreteDistribution<number, Float64Array>>
{
  readonly kind = 'dirichlet-categorical';
  /** @internal use {@link dirichletCategorical} */
  constructor(private readonly alpha: Float64Array) {
    Object.freeze(this);
  }
  get params(): DirichletCategoricalParams {
    return { alpha: Float64Array.from(this.alpha) };
  }
  private counts(where: string, data: ArrayLike<number>): Float64Array {
    const K = this.alpha.length;
    const x = readSupported(
      `${WHERE}.${where}`,
      'data',
      data,
      (v) => Number.isInteger(v) && v >= 0 && v < K,
      `category indices in 0..${K - 1}`,
    );
    const c = new Float64Array(K);
    for (const xi of x) c[xi] = (c[xi] as number) + 1;
    return c;
  }
  update(data: ArrayLike<number>): DirichletCategorical {
    const c = this.counts('update', data);
    return new DirichletCategorical(this.alpha.map((a, k) => a + (c[k] as number)));
  }
  predictive(): DiscreteDistribution<number, Float64Array> {
    return categoricalDistribution(this.mean());
  }
  logMarginalLikelihood(data: ArrayLike<number>): number {
    const c = this.counts('logMarginalLikelihood', data);
    let A = 0;
    let n = 0;
    let s = 0;
    this.alpha.forEach((a, k) => {
      const ck = c[k] as number;
      A += a;
      n += ck;
      s += gammaln(a + ck) - gammaln(a);
    });
    return gammaln(A) - gammaln(A + n) + s;
  }
  logDensity(p: Float64Array): number {
    return logDirichlet(readVector(`${WHERE}.logDensity`, 'p', p, { length: this.alpha.length }), this.alpha);
  }
  logLikelihood(data: ArrayLike<number>, p: Float64Array): number {
    const c = this.counts('logLikelihood', data);
    const q = readSimplex(`${WHERE}.logLikelihood`, 'p', p, this.alpha.length);
    if (q === null) return Number.NEGATIVE_INFINITY;
    return countsDotLog(c, q);
  }
  mean(): Float64Array {
    return dirichletMean(this.alpha);
  }
  /**
   * (α_k − 1)/(A − K) when every α_k > 1.
   * @throws DomainError otherwise (the mode is on the boundary of the simplex)
   */
  mode(): Float64Array {
    return dirichletMode(WHERE, this.alpha);
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): Float64Array {
    const rng = rngOf('DirichletCategorical.sample', r);
    return sampleDirichlet(rng, this.alpha);
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { alpha: Array.from(this.alpha) } };
  }
}
