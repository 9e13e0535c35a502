/**
 * Monte-Carlo summary of a stochastic gradient estimator: mean, per-coordinate variance of a single
 * estimate, and the standard error of the mean, so unbiasedness can be tested against an exact gradient
 * (|mean − exact| within a few standard errors) and estimators can be ranked by total variance $\sum_j\mathrm{Var}(g_j)$.
 */
import { DomainError, describeValue, NonFiniteError, readVector, ShapeError } from '@notes/core-linalg';
import { assertFiniteResult, readCount } from './validate.js';

/** Summary of {@link gradientStatistics}. */
export interface GradientStatistics {
  mean: Float64Array;
  /** Per-coordinate variance of one estimate (divisor n − 1). */
  variance: Float64Array;
  /** $\sum_j\mathrm{Var}(g_j)$. */
  totalVariance: number;
  /** Standard error of each coordinate of the mean. */
  standardError: Float64Array;
  /** $\max_j |\bar g_j - g^*_j|/\mathrm{SE}_j$ when `exact` is given (0 without `exact`). */
  maxZ: number;
  n: number;
}

/**
 * Draws `n` estimates with `draw()` and summarises them (Welford's algorithm).
 * @throws DomainError for n < 2; ShapeError if draws differ in length or `exact` has another length;
 *   NonFiniteError for a NaN/±Infinity draw or `exact` entry (so a broken estimator cannot pass a maxZ test).
 */
export function gradientStatistics(draw: () => Float64Array, n: number, exact?: ArrayLike<number>): GradientStatistics {
  const where = 'gradientStatistics';
  if (typeof draw !== 'function') throw new DomainError(`${where}: argument 'draw' must be a function, got ${describeValue(draw)}`);
  readCount(where, 'n', n, 2, 1e9);
  if (exact !== undefined) exact = readVector(where, 'exact', exact, { minLength: 0 });
  let mean = new Float64Array(0);
  let m2 = new Float64Array(0);
  for (let t = 1; t <= n; t++) {
    const g = draw();
    if (!ArrayBuffer.isView(g) && !Array.isArray(g)) throw new DomainError(`${where}: draw() must return an array of numbers, got ${describeValue(g)}`);
    if (t === 1) {
      if (exact && exact.length !== g.length) {
        throw new ShapeError(`${where}: argument 'exact' must have length ${g.length} (length of a draw), got ${exact.length}`);
      }
      mean = new Float64Array(g.length);
      m2 = new Float64Array(g.length);
    } else if (g.length !== mean.length) {
      throw new ShapeError(`${where}: draw ${t} has length ${g.length}, the first had ${mean.length}`);
    }
    for (let j = 0; j < g.length; j++) {
      if (!Number.isFinite(g[j])) throw new NonFiniteError(`${where}: draw ${t} is not finite, got ${g[j]} at [${j}]`);
    }
    for (let j = 0; j < g.length; j++) {
      const delta = (g[j] as number) - (mean[j] as number);
      mean[j] = (mean[j] as number) + delta / t;
      m2[j] = (m2[j] as number) + delta * ((g[j] as number) - (mean[j] as number));
    }
  }
  const variance = m2.map((v) => v / (n - 1));
  const standardError = variance.map((v) => Math.sqrt(v / n));
  let maxZ = 0;
  if (exact) {
    for (let j = 0; j < mean.length; j++) {
      const se = standardError[j] as number;
      const diff = Math.abs((mean[j] as number) - (exact[j] as number));
      maxZ = Math.max(maxZ, se > 0 ? diff / se : diff > 1e-12 ? Number.POSITIVE_INFINITY : 0);
    }
  }
  assertFiniteResult(where, 'the variance', variance);
  return { mean, variance, totalVariance: variance.reduce((s, v) => s + v, 0), standardError, maxZ, n };
}
