/**
 * Closed-form KL divergences for Beta, Gamma and Dirichlet distributions (notes: KL-divergence), the
 * factors of the mean-field posteriors in this package.
 */
import { assertPositive, betaln, digamma, DomainError, gammaln, readVector, ShapeError } from '@notes/core-linalg';

/**
 * $$KL(\mathrm{Beta}(a_1,b_1)\|\mathrm{Beta}(a_2,b_2)) = \log\tfrac{B(a_2,b_2)}{B(a_1,b_1)} + (a_1-a_2)\psi(a_1)
 *   + (b_1-b_2)\psi(b_1) + (a_2-a_1+b_2-b_1)\psi(a_1+b_1).$$
 * @throws DomainError if a parameter ≤ 0
 */
export function klBeta(a1: number, b1: number, a2: number, b2: number): number {
  for (const [n, v] of [['a1', a1], ['b1', b1], ['a2', a2], ['b2', b2]] as const) assertPositive('klBeta', n, v);
  return (
    betaln(a2, b2) -
    betaln(a1, b1) +
    (a1 - a2) * digamma(a1) +
    (b1 - b2) * digamma(b1) +
    (a2 - a1 + b2 - b1) * digamma(a1 + b1)
  );
}

/**
 * Gamma with shape a and **rate** b:
 * $$KL = (a_1-a_2)\psi(a_1) - \log\Gamma(a_1) + \log\Gamma(a_2) + a_2(\log b_1-\log b_2) + a_1\tfrac{b_2-b_1}{b_1}.$$
 * @throws DomainError if a parameter ≤ 0
 */
export function klGamma(a1: number, b1: number, a2: number, b2: number): number {
  for (const [n, v] of [['a1', a1], ['b1', b1], ['a2', a2], ['b2', b2]] as const) assertPositive('klGamma', n, v);
  return (
    (a1 - a2) * digamma(a1) - gammaln(a1) + gammaln(a2) + a2 * (Math.log(b1) - Math.log(b2)) + (a1 * (b2 - b1)) / b1
  );
}

/**
 * $$KL(\mathrm{Dir}(\alpha)\|\mathrm{Dir}(\beta)) = \log\Gamma(\alpha_0) - \textstyle\sum_k\log\Gamma(\alpha_k) - \log\Gamma(\beta_0)
 *   + \sum_k\log\Gamma(\beta_k) + \sum_k(\alpha_k-\beta_k)(\psi(\alpha_k)-\psi(\alpha_0)).$$
 * @throws DomainError if a concentration ≤ 0; ShapeError on length mismatch
 */
export function klDirichlet(alpha: ArrayLike<number>, beta: ArrayLike<number>): number {
  const a = readVector('klDirichlet', 'alpha', alpha);
  const b = readVector('klDirichlet', 'beta', beta);
  if (a.length !== b.length) {
    throw new ShapeError(`klDirichlet: argument 'beta' must have length ${a.length} (length of alpha), got ${b.length}`);
  }
  let a0 = 0;
  let b0 = 0;
  for (let k = 0; k < a.length; k++) {
    if (!((a[k] as number) > 0)) throw new DomainError(`klDirichlet: argument 'alpha' must be > 0, got ${a[k]} at [${k}]`);
    if (!((b[k] as number) > 0)) throw new DomainError(`klDirichlet: argument 'beta' must be > 0, got ${b[k]} at [${k}]`);
    a0 += a[k] as number;
    b0 += b[k] as number;
  }
  const psi0 = digamma(a0);
  let s = gammaln(a0) - gammaln(b0);
  for (let k = 0; k < a.length; k++) {
    const ak = a[k] as number;
    const bk = b[k] as number;
    s += gammaln(bk) - gammaln(ak) + (ak - bk) * (digamma(ak) - psi0);
  }
  return s;
}
