/**
 * The one shape shared by every conjugate model of the notes' table (Conjugate distribution).
 */
import type { RngInput } from '../internal/fit.js';

/** A continuous distribution over values of type `X` (the posterior predictive of a continuous likelihood). */
export interface ContinuousDistribution<X, V = X> {
  /** Distribution family, e.g. `'student-t'`. */
  readonly kind: string;
  /** Log density at `x`; `-Infinity` outside the support (and at ±Infinity); NonFiniteError for NaN. */
  logPdf(x: X): number;
  /** Mean (throws DomainError where it does not exist, e.g. Student-t with df ≤ 1). */
  mean(): X;
  /** Variance (marginal variances for vectors); `Infinity` where the second moment diverges. */
  variance(): V;
  /** One draw (`rng`: a generator from createRng, or `{ seed }` / `{ rng }`). */
  sample(rng: RngInput): X;
}

/** A discrete distribution over values of type `X` (the posterior predictive of a discrete likelihood). */
export interface DiscreteDistribution<X, V = number> {
  readonly kind: string;
  /** Log probability mass at `x`; `-Infinity` outside the support. */
  logPmf(x: X): number;
  mean(): V;
  variance(): V;
  sample(rng: RngInput): X;
}

/** Serialised form of a conjugate model: its kind and parameters (plain arrays). */
export interface ConjugateJSON {
  readonly kind: string;
  readonly version: 1;
  readonly params: Record<string, number | number[] | number[][]>;
}

/**
 * A prior (or posterior) of a conjugate pair. Bayes' rule in closed form:
 * $$p(\theta\mid X) = \frac{p(X\mid\theta)\,p(\theta)}{\int p(X\mid\theta)\,p(\theta)\,d\theta}$$
 * with the posterior in the prior's family, so updates can be chained:
 * `prior.update(a).update(b)` equals `prior.update([...a, ...b])` (notes: 贝叶斯 基础).
 *
 * @typeParam Data   - one batch of observations
 * @typeParam Theta  - a parameter value
 * @typeParam Params - the hyperparameters
 * @typeParam Pred   - the posterior predictive distribution
 */
export interface ConjugateModel<Data, Theta, Params, Pred> {
  /** Model name, e.g. `'beta-bernoulli'`. */
  readonly kind: string;
  /** Hyperparameters of this prior/posterior (frozen). */
  readonly params: Readonly<Params>;
  /** Posterior after observing `data` (a new object; `this` is unchanged). */
  update(data: Data): ConjugateModel<Data, Theta, Params, Pred>;
  /** Posterior predictive $p(x^\ast\mid X) = \int p(x^\ast\mid\theta)\,p(\theta\mid X)\,d\theta$. */
  predictive(): Pred;
  /** Log evidence $\log p(X) = \log\int p(X\mid\theta)\,p(\theta)\,d\theta$ of the data sequence under this prior. */
  logMarginalLikelihood(data: Data): number;
  /** Log density of the prior/posterior at `theta`. */
  logDensity(theta: Theta): number;
  /**
   * Log likelihood $\log p(X\mid\theta)$ of the data (the model's likelihood, for MAP and checks);
   * `-Infinity` for θ outside the parameter space (e.g. p ∉ [0, 1], a negative rate or precision, p off the
   * simplex), with $0\log 0 = 0$ at its boundary.
   * @throws NonFiniteError if θ is NaN or ±Infinity; ShapeError if a probability vector has the wrong length
   */
  logLikelihood(data: Data, theta: Theta): number;
  /** Mean of θ. */
  mean(): Theta;
  /** Mode of θ (the MAP estimate). */
  mode(): Theta;
  /** One draw of θ. */
  sample(rng: RngInput): Theta;
  /** Plain-object form; `conjugateFromJSON` rebuilds an identical model. */
  toJSON(): ConjugateJSON;
}
