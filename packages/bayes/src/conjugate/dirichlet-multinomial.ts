/**
 * Multinomial likelihood (count vectors with a fixed total N), Dirichlet prior (notes' conjugate table:
 * Multinomial / (p₁…p_m) / Dirichlet).
 */
import { assertFinite, assertInteger, assertNonEmpty, DomainError, factorialln, gammaln, readNumber, readVector, sampleBinomial, sampleDirichlet } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { readSimplex } from '../internal/checks.js';
import { type MatrixInput, readBatch } from '../internal/input.js';
import { logDirichlet } from '../internal/logpdf.js';
import { countsDotLog, dirichletMean, dirichletMode } from '../internal/modes.js';
import type { ConjugateJSON, ConjugateModel, DiscreteDistribution } from './types.js';

/** Hyperparameters of {@link dirichletMultinomial}. */
export interface DirichletMultinomialParams {
  alpha: Float64Array;
  /** Total count N of every observation (integer ≥ 1). */
  trials: number;
}

const WHERE = 'dirichletMultinomial';

/**
 * Dirichlet-multinomial predictive over count vectors x with Σx_k = N:
 * $$\log p(x) = \log N! - \textstyle\sum_k\log x_k! + \log\Gamma(A) - \log\Gamma(N+A) + \sum_k[\log\Gamma(x_k+\alpha_k)-\log\Gamma(\alpha_k)];$$
 * mean $N\alpha_k/A$, variance $N\,p_k(1-p_k)(N+A)/(1+A)$.
 * @throws DomainError if some α_k ≤ 0 or trials is not an integer ≥ 1; ShapeError if α is empty
 */
export function dirichletMultinomialDistribution(alpha: Float64Array, trials: number): DiscreteDistribution<Float64Array, Float64Array> {
  const W = 'dirichletMultinomialDistribution';
  const a = readVector(W, 'alpha', alpha);
  a.forEach((v, i) => {
    if (!(v > 0)) throw new DomainError(`${W}: argument 'alpha' must be > 0, got ${v} at [${i}]`);
  });
  assertInteger(W, 'trials', readNumber(W, 'trials', trials), 1);
  let A = 0;
  for (const v of a) A += v;
  const c = factorialln(trials) + gammaln(A) - gammaln(trials + A);
  return Object.freeze({
    kind: 'dirichlet-multinomial',
    logPmf: (xs: Float64Array) => {
      const x = readVector(`${W}.logPmf`, 'x', xs, { minLength: 0 });
      if (x.length !== a.length) return Number.NEGATIVE_INFINITY;
      let s = c;
      let tot = 0;
      for (let k = 0; k < a.length; k++) {
        const xk = x[k] as number;
        if (!Number.isInteger(xk) || xk < 0) return Number.NEGATIVE_INFINITY;
        tot += xk;
        s += gammaln(xk + (a[k] as number)) - gammaln(a[k] as number) - factorialln(xk);
      }
      return tot === trials ? s : Number.NEGATIVE_INFINITY;
    },
    mean: () => a.map((v) => (trials * v) / A),
    variance: () => a.map((v) => (trials * (v / A) * (1 - v / A) * (trials + A)) / (1 + A)),
    sample: (r: RngInput) => {
      const rng = rngOf('dirichletMultinomialDistribution.sample', r);
      const p = sampleDirichlet(rng, a);
      const x = new Float64Array(a.length);
      let left = trials;
      let mass = 1;
      for (let k = 0; k < a.length - 1 && left > 0; k++) {
        const q = Math.min(1, Math.max(0, (p[k] as number) / mass));
        const xk = sampleBinomial(rng, left, q);
        x[k] = xk;
        left -= xk;
        mass -= p[k] as number;
      }
      x[a.length - 1] = (x[a.length - 1] as number) + left;
      return x;
    },
  });
}

/**
 * Rows $x_i$ of counts with $\sum_k x_{ik}=N$, $x_i\sim\mathrm{Mult}(N,p)$, $p\sim\mathrm{Dir}(\alpha)$. Posterior
 * $\mathrm{Dir}(\alpha+\sum_i x_i)$; predictive Dirichlet-multinomial; the log evidence includes the multinomial coefficients:
 * $$\log p(X) = \textstyle\sum_i\big[\log N! - \sum_k\log x_{ik}!\big] + \log\Gamma(A) - \log\Gamma(A+nN) + \sum_k[\log\Gamma(\alpha_k+S_k)-\log\Gamma(\alpha_k)].$$
 * @throws DomainError if some α_k ≤ 0, trials is not an integer ≥ 1, or a row is not non-negative integers summing to N
 */
export function dirichletMultinomial(params: { alpha: ArrayLike<number>; trials: number }): DirichletMultinomial {
  assertNonEmpty(WHERE, 'alpha', params.alpha);
  assertFinite(WHERE, 'alpha', params.alpha);
  const alpha = Float64Array.from(params.alpha);
  alpha.forEach((a, i) => {
    if (!(a > 0)) throw new DomainError(`${WHERE}: argument 'alpha' must be > 0, got ${a} at [${i}]`);
  });
  assertInteger(WHERE, 'trials', readNumber(WHERE, 'trials', params.trials), 1);
  return new DirichletMultinomial(alpha, params.trials);
}

/** Prior/posterior of {@link dirichletMultinomial}; immutable. */
export class DirichletMultinomial
  implements ConjugateModel<MatrixInput, Float64Array, DirichletMultinomialParams, DiscreteDistribution<Float64Array, Float64Array>>
{
  readonly kind = 'dirichlet-multinomial';
  /** @internal use {@link dirichletMultinomial} */
  constructor(
    private readonly alpha: Float64Array,
    private readonly N: number,
  ) {
    Object.freeze(this);
  }
  get params(): DirichletMultinomialParams {
    return { alpha: Float64Array.from(this.alpha), trials: this.N };
  }
  /** Column sums S_k, Σ_i log-coefficients, and n. */
  private read(where: string, data: MatrixInput): { S: Float64Array; logCoef: number; n: number } {
    const K = this.alpha.length;
    const x = readBatch(`${WHERE}.${where}`, 'data', data);
    const S = new Float64Array(K);
    if (x.rows === 0) return { S, logCoef: 0, n: 0 };
    if (x.columns !== K) throw new DomainError(`${WHERE}.${where}: argument 'data' must have ${K} columns, got ${x.columns}`);
    let logCoef = 0;
    for (let i = 0; i < x.rows; i++) {
      let tot = 0;
      logCoef += factorialln(this.N);
      for (let k = 0; k < K; k++) {
        const v = x.data[i * K + k] as number;
        if (!Number.isInteger(v) || v < 0) {
          throw new DomainError(`${WHERE}.${where}: argument 'data' must hold non-negative integer counts, got ${v} at [${i}, ${k}]`);
        }
        tot += v;
        S[k] = (S[k] as number) + v;
        logCoef -= factorialln(v);
      }
      if (tot !== this.N) throw new DomainError(`${WHERE}.${where}: argument 'data' row ${i} must sum to trials = ${this.N}, got ${tot}`);
    }
    return { S, logCoef, n: x.rows };
  }
  update(data: MatrixInput): DirichletMultinomial {
    const { S } = this.read('update', data);
    return new DirichletMultinomial(this.alpha.map((a, k) => a + (S[k] as number)), this.N);
  }
  predictive(): DiscreteDistribution<Float64Array, Float64Array> {
    return dirichletMultinomialDistribution(this.alpha, this.N);
  }
  logMarginalLikelihood(data: MatrixInput): number {
    const { S, logCoef, n } = this.read('logMarginalLikelihood', data);
    let A = 0;
    let s = 0;
    this.alpha.forEach((a, k) => {
      A += a;
      s += gammaln(a + (S[k] as number)) - gammaln(a);
    });
    return logCoef + gammaln(A) - gammaln(A + n * this.N) + s;
  }
  logDensity(p: Float64Array): number {
    return logDirichlet(readVector(`${WHERE}.logDensity`, 'p', p, { length: this.alpha.length }), this.alpha);
  }
  logLikelihood(data: MatrixInput, p: Float64Array): number {
    const { S, logCoef } = this.read('logLikelihood', data);
    const q = readSimplex(`${WHERE}.logLikelihood`, 'p', p, this.alpha.length);
    if (q === null) return Number.NEGATIVE_INFINITY;
    return logCoef + countsDotLog(S, q);
  }
  mean(): Float64Array {
    return dirichletMean(this.alpha);
  }
  /** (α_k − 1)/(A − K) when every α_k > 1. @throws DomainError otherwise */
  mode(): Float64Array {
    return dirichletMode(WHERE, this.alpha);
  }
  /** One draw; `r` is a generator from createRng, `{ seed }` or `{ rng }`. */
  sample(r: RngInput): Float64Array {
    const rng = rngOf('DirichletMultinomial.sample', r);
    return sampleDirichlet(rng, this.alpha);
  }
  toJSON(): ConjugateJSON {
    return { kind: this.kind, version: 1, params: { alpha: Array.from(this.alpha), trials: this.N } };
  }
}
