/**
 * Multivariate Student-t, the posterior predictive of the Wishart and Normal–Wishart models.
 */
import { assertPositive, DomainError, gammaln, readNumber, readVector, sampleGamma, sampleNormal, ShapeError } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import { cholLower, logDetChol, lowerTimes, mahalanobisChol } from '../internal/dense.js';
import type { ContinuousDistribution } from './types.js';

/** A multivariate continuous distribution that also reports its covariance. */
export interface MultivariateDistribution extends ContinuousDistribution<Float64Array> {
  /** Dimension d. */
  readonly dimension: number;
  /** Covariance matrix (row-major d×d); `Infinity` entries where it diverges. */
  covariance(): Float64Array;
}

/**
 * Multivariate Student-t $t_\nu(m, \Sigma)$:
 * $$\log p(x) = \log\Gamma\!\left(\tfrac{\nu+d}2\right) - \log\Gamma\!\left(\tfrac\nu2\right) - \tfrac d2\log(\nu\pi)
 *  - \tfrac12\log|\Sigma| - \tfrac{\nu+d}2\log\!\left(1 + \tfrac1\nu (x-m)^\top\Sigma^{-1}(x-m)\right);$$
 * covariance $\nu\Sigma/(\nu-2)$ for ν > 2 (Murphy 2007, "Conjugate Bayesian analysis of the Gaussian distribution", §8).
 * @param scale - Σ, row-major d×d symmetric positive definite
 * @throws DomainError if df ≤ 0 or Σ is not positive definite; ShapeError if Σ is not d×d (also `logPdf` for x of
 *   the wrong length); NonFiniteError for non-finite arguments
 */
export function multivariateStudentT(df: number, loc: Float64Array, scale: Float64Array): MultivariateDistribution {
  const W = 'multivariateStudentT';
  assertPositive(W, 'df', readNumber(W, 'df', df));
  const d = readVector(W, 'loc', loc).length;
  const sc = readVector(W, 'scale', scale);
  if (sc.length !== d * d) throw new ShapeError(`${W}: argument 'scale' must have ${d * d} entries (d×d, d = ${d}), got ${sc.length}`);
  const l = cholLower(scale, d);
  if (!l) throw new DomainError('multivariateStudentT: argument \'scale\' must be positive definite');
  const c = gammaln((df + d) / 2) - gammaln(df / 2) - (d / 2) * Math.log(df * Math.PI) - 0.5 * logDetChol(l, d);
  const m = Float64Array.from(loc);
  const s = Float64Array.from(scale);
  const work = new Float64Array(d);
  const diff = new Float64Array(d);
  return Object.freeze({
    kind: 'multivariate-student-t',
    dimension: d,
    logPdf: (x: Float64Array) => {
      const xv = readVector(`${W}.logPdf`, 'x', x, { length: d });
      for (let i = 0; i < d; i++) diff[i] = (xv[i] as number) - (m[i] as number);
      const q = mahalanobisChol(l, diff, d, work);
      return c - ((df + d) / 2) * Math.log1p(q / df);
    },
    mean: () => {
      if (!(df > 1)) throw new DomainError(`multivariateStudentT.mean: the mean does not exist for df = ${df} ≤ 1`);
      return Float64Array.from(m);
    },
    variance: () => {
      const v = new Float64Array(d);
      for (let i = 0; i < d; i++) v[i] = df > 2 ? ((s[i * d + i] as number) * df) / (df - 2) : Number.POSITIVE_INFINITY;
      return v;
    },
    covariance: () => s.map((x) => (df > 2 ? (x * df) / (df - 2) : Number.POSITIVE_INFINITY)),
    sample: (r: RngInput) => {
      const rng = rngOf('multivariateStudentT.sample', r);
      const z = new Float64Array(d);
      for (let i = 0; i < d; i++) z[i] = sampleNormal(rng);
      const g = Math.sqrt(sampleGamma(rng, df / 2, df / 2));
      const x = lowerTimes(l, z, d);
      for (let i = 0; i < d; i++) x[i] = (m[i] as number) + (x[i] as number) / g;
      return x;
    },
  });
}
