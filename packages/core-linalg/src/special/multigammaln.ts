import stdGammaln from '@stdlib/math-base-special-gammaln';
import { assertFinite, assertInteger, DomainError } from '../errors/index.js';

const LOG_PI = Math.log(Math.PI);

/**
 * Log of the multivariate gamma function (the Wishart normaliser):
 * $$\ln\Gamma_p(a) = \frac{p(p-1)}{4}\ln\pi + \sum_{j=1}^{p}\ln\Gamma\Big(a + \frac{1-j}{2}\Big),\quad a > \frac{p-1}{2}$$
 * (Muirhead 1982, Def. 2.1.10; SciPy `multigammaln`).
 * @throws DomainError unless `p` is an integer ≥ 1 and `a > (p − 1)/2`; NonFiniteError for NaN `a`.
 * @example multigammaln(3, 1) // ln Γ(3) = ln 2
 */
export function multigammaln(a: number, p: number): number {
  assertFinite('multigammaln', 'a', a);
  assertInteger('multigammaln', 'p', p, 1);
  if (!(a > (p - 1) / 2)) {
    throw new DomainError(`multigammaln: argument 'a' must be > (p - 1)/2 = ${(p - 1) / 2}, got ${a}`);
  }
  let s = (p * (p - 1) * LOG_PI) / 4;
  for (let j = 1; j <= p; j++) s += stdGammaln(a + (1 - j) / 2);
  return s;
}
