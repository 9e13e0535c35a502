/**
 * Closed-form KL divergences between Gaussians (notes: Variational inference → KL-divergence,
 * $KL(q\|p)=\int q\log(q/p)$).
 */
import { assertFinite, assertPositive, cholesky, DomainError, NonFiniteError, readNumber, readVector, ShapeError } from '@notes/core-linalg';
import { type MatrixInput, readSymmetric } from '../internal/input.js';
import { toMatrixRM } from '../internal/wishart.js';

/**
 * $$KL(\mathcal N(\mu_1,\sigma_1^2)\,\|\,\mathcal N(\mu_2,\sigma_2^2)) = \tfrac12\Big[\log\tfrac{\sigma_2^2}{\sigma_1^2}
 *   + \tfrac{\sigma_1^2+(\mu_1-\mu_2)^2}{\sigma_2^2} - 1\Big].$$
 * Arguments are means and **variances**.
 * @throws DomainError if a variance ≤ 0 or a value is not finite
 * @example klNormal(0, 1, 1, 1) // 0.5
 */
export function klNormal(mu1: number, var1: number, mu2: number, var2: number): number {
  assertFinite('klNormal', 'mu1', readNumber('klNormal', 'mu1', mu1));
  assertFinite('klNormal', 'mu2', readNumber('klNormal', 'mu2', mu2));
  assertPositive('klNormal', 'var1', readNumber('klNormal', 'var1', var1));
  assertPositive('klNormal', 'var2', readNumber('klNormal', 'var2', var2));
  // log σ₂² − log σ₁² rather than log(σ₂²/σ₁²): the ratio overflows for variances far apart
  return finiteKL('klNormal', 0.5 * (Math.log(var2) - Math.log(var1) + (var1 + (mu1 - mu2) ** 2) / var2 - 1));
}

/**
 * KL between diagonal Gaussians: the sum of {@link klNormal} over coordinates.
 * @throws ShapeError if lengths differ; DomainError if a variance ≤ 0
 */
export function klDiagonalNormal(
  mu1: ArrayLike<number>,
  var1: ArrayLike<number>,
  mu2: ArrayLike<number>,
  var2: ArrayLike<number>,
): number {
  const W = 'klDiagonalNormal';
  const [a, va, b, vb] = [readVector(W, 'mu1', mu1), readVector(W, 'var1', var1), readVector(W, 'mu2', mu2), readVector(W, 'var2', var2)];
  const d = a.length;
  for (const [name, v] of [['var1', va], ['mu2', b], ['var2', vb]] as const) {
    if (v.length !== d) throw new ShapeError(`${W}: argument '${name}' must have length ${d} (length of mu1), got ${v.length}`);
  }
  let s = 0;
  for (let i = 0; i < d; i++) {
    const v1 = va[i] as number;
    const v2 = vb[i] as number;
    if (!(v1 > 0)) throw new DomainError(`${W}: argument 'var1' must be > 0, got ${v1} at [${i}]`);
    if (!(v2 > 0)) throw new DomainError(`${W}: argument 'var2' must be > 0, got ${v2} at [${i}]`);
    s += 0.5 * (Math.log(v2) - Math.log(v1) + (v1 + ((a[i] as number) - (b[i] as number)) ** 2) / v2 - 1);
  }
  return finiteKL('klDiagonalNormal', s);
}

/**
 * $$KL(\mathcal N(\mu_1,\Sigma_1)\|\mathcal N(\mu_2,\Sigma_2)) = \tfrac12\Big[\mathrm{tr}(\Sigma_2^{-1}\Sigma_1)
 *  + (\mu_2-\mu_1)^\top\Sigma_2^{-1}(\mu_2-\mu_1) - d + \log\tfrac{|\Sigma_2|}{|\Sigma_1|}\Big],$$
 * via Cholesky factors (no jitter: a covariance that is not PD is a DomainError).
 * @throws ShapeError on mismatched sizes; DomainError if a covariance is not symmetric positive definite
 */
export function klMultivariateNormal(
  mu1: ArrayLike<number>,
  cov1: MatrixInput,
  mu2: ArrayLike<number>,
  cov2: MatrixInput,
): number {
  const W = 'klMultivariateNormal';
  const a = readVector(W, 'mu1', mu1);
  const d = a.length;
  const b = readVector(W, 'mu2', mu2);
  if (b.length !== d) throw new ShapeError(`${W}: argument 'mu2' must have length ${d} (length of mu1), got ${b.length}`);
  const s1 = readSymmetric(W, 'cov1', cov1, d);
  const s2 = readSymmetric(W, 'cov2', cov2, d);
  const f = (name: string, m: Float64Array) => {
    try {
      return cholesky(toMatrixRM(m, d), { jitter: 0 });
    } catch {
      throw new DomainError(`${W}: argument '${name}' must be positive definite`);
    }
  };
  const l1 = f('cov1', s1.data);
  const l2 = f('cov2', s2.data);
  const x = l2.solveMatrix(toMatrixRM(s1.data, d));
  let tr = 0;
  for (let i = 0; i < d; i++) tr += x.get(i, i);
  const diff = b.map((v, i) => v - (a[i] as number));
  const sol = l2.solve(diff);
  let q = 0;
  for (let i = 0; i < d; i++) q += (diff[i] as number) * (sol[i] as number);
  return finiteKL('klMultivariateNormal', 0.5 * (tr + q - d + l2.logDet() - l1.logDet()));
}

/** KL between Gaussians is finite; an infinite value is an overflow (means or variances too far apart for float64). */
function finiteKL(where: string, v: number): number {
  if (!Number.isFinite(v)) throw new NonFiniteError(`${where}: the divergence overflows (${v}); the distributions are too far apart for float64 — rescale`);
  return v;
}
