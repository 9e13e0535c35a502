/**
 * Log densities used by several modules, written with the variance / rate parameterisations the
 * notes use. Special functions come from core.
 * @internal
 */
import { betaln, gammaln } from '@notes/core-linalg';

const LOG_2PI = Math.log(2 * Math.PI);

/** log N(x | μ, v) with variance v. */
export function logNormal(x: number, mu: number, v: number): number {
  const r = x - mu;
  return -0.5 * (LOG_2PI + Math.log(v) + (r * r) / v);
}

/** log Gamma(x | a, b) with shape a and rate b; −∞ for x ≤ 0. */
export function logGamma(x: number, a: number, b: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  return a * Math.log(b) - gammaln(a) + (a - 1) * Math.log(x) - b * x;
}

/** log Beta(x | a, b); −∞ outside (0, 1). */
export function logBeta(x: number, a: number, b: number): number {
  if (!(x > 0 && x < 1)) return Number.NEGATIVE_INFINITY;
  return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - betaln(a, b);
}

/** log Dirichlet(p | α); −∞ off the open simplex (sum checked to 1e-9). */
export function logDirichlet(p: ArrayLike<number>, alpha: ArrayLike<number>): number {
  let a0 = 0;
  let sp = 0;
  let s = 0;
  for (let k = 0; k < alpha.length; k++) {
    const pk = p[k] as number;
    const ak = alpha[k] as number;
    if (!(pk > 0)) return Number.NEGATIVE_INFINITY;
    a0 += ak;
    sp += pk;
    s += (ak - 1) * Math.log(pk) - gammaln(ak);
  }
  if (Math.abs(sp - 1) > 1e-9) return Number.NEGATIVE_INFINITY;
  return s + gammaln(a0);
}
