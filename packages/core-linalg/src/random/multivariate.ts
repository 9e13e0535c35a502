import { Matrix } from 'ml-matrix';
import { assertFinite, assertLength, DomainError, readNumber } from '../errors/index.js';
import { type CholeskyFactor, cholesky, isCholeskyFactor, type MatrixInput } from '../linalg/index.js';
import { type Rng, assertRng } from './rng.js';
import { gammaOf } from './stdlib-streams.js';

/**
 * Multivariate normal draw $x = \mu + Lz$, $z \sim \mathcal N(0, I)$, $\Sigma = LL^\top$, so that
 * $\mathrm{Cov}[x] = L\,\mathbb E[zz^\top]L^\top = \Sigma$.
 *
 * Pass a {@link CholeskyFactor} (from `cholesky(Σ)`) when drawing many times: a matrix is factored on
 * every call, with `cholesky`'s default `'auto'` jitter (a singular Σ gets the smallest diagonal
 * jitter ≤ 1e-2·mean diagonal that makes it factor; factor it yourself to control or inspect that).
 * @param mean - μ (length p, not modified). @param cov - Σ (p×p SPD) or its Cholesky factor.
 * @throws ShapeError if the lengths disagree; NonFiniteError for NaN/±Infinity; DomainError if Σ is
 * not symmetric; NotPositiveDefiniteError if Σ is not PD even with the allowed jitter.
 * @example sampleMultivariateNormal(createRng(1), [0, 0], [[1, 0.9], [0.9, 1]]) // Float64Array(2)
 */
export function sampleMultivariateNormal(
  rng: Rng,
  mean: ArrayLike<number>,
  cov: MatrixInput | CholeskyFactor,
): Float64Array {
  assertRng('sampleMultivariateNormal', rng);
  const factor = isCholeskyFactor(cov) ? cov : cholesky(cov);
  const p = factor.n;
  assertLength('sampleMultivariateNormal', 'mean', mean, p, 'order of the covariance');
  assertFinite('sampleMultivariateNormal', 'mean', mean);
  const L = factor.lowerData;
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) z[i] = rng.normal();
  const x = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = mean[i] as number;
    const row = i * p;
    for (let j = 0; j <= i; j++) s += (L[row + j] as number) * (z[j] as number);
    x[i] = s;
  }
  return x;
}

/**
 * Wishart draw $W \sim \mathcal W_p(\nu, S)$ (mean $\nu S$, $\mathrm{Var}[W_{ij}] = \nu(S_{ij}^2 + S_{ii}S_{jj})$)
 * by the Bartlett decomposition (Bartlett 1933; Smith & Hocking 1972, Alg. AS 53): with $S = LL^\top$
 * and lower-triangular A, $A_{ii} = \sqrt{c_i}$, $c_i \sim \chi^2_{\nu - i}$ (i = 0…p−1),
 * $A_{ij} \sim \mathcal N(0,1)$ for $i > j$: $W = (LA)(LA)^\top$. Any real $\nu > p - 1$.
 * @param df - degrees of freedom ν > p − 1. @param scale - S (p×p SPD, not modified) or its Cholesky
 * factor (pass the factor when drawing many times).
 * @throws DomainError unless ν > p − 1 and S is symmetric; ShapeError / NonFiniteError /
 * NotPositiveDefiniteError for a bad S.
 * @example sampleWishart(createRng(1), 5, [[1, 0], [0, 2]]) // 2×2 SPD Matrix, mean [[5, 0], [0, 10]]
 */
export function sampleWishart(rng: Rng, df: number, scale: MatrixInput | CholeskyFactor): Matrix {
  assertRng('sampleWishart', rng);
  readNumber('sampleWishart', 'df', df);
  const factor = isCholeskyFactor(scale) ? scale : cholesky(scale);
  const p = factor.n;
  if (!(df > p - 1)) {
    throw new DomainError(`sampleWishart: argument 'df' must be > p - 1 = ${p - 1} (p = order of 'scale'), got ${df}`);
  }
  const gamma = gammaOf(rng);
  const A = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    A[i * p + i] = Math.sqrt(gamma((df - i) / 2, 0.5)); // χ²_k = Gamma(k/2, rate 1/2)
    for (let j = 0; j < i; j++) A[i * p + j] = rng.normal();
  }
  // B = L A (both lower triangular)
  const L = factor.lowerData;
  const B = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = j; k <= i; k++) s += (L[i * p + k] as number) * (A[k * p + j] as number);
      B[i * p + j] = s;
    }
  }
  const W = new Matrix(p, p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += (B[i * p + k] as number) * (B[j * p + k] as number);
      W.set(i, j, s);
      W.set(j, i, s);
    }
  }
  return W;
}
