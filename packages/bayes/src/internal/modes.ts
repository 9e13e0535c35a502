/**
 * Means and modes shared by the Beta and Dirichlet conjugate models (Bernoulli/Binomial, categorical/multinomial).
 * @internal
 */
import { DomainError } from '@notes/core-linalg';

/**
 * Mode of Beta(a, b): (a − 1)/(a + b − 2) when a, b > 1; 0 when a ≤ 1 < b; 1 when b ≤ 1 < a.
 * @throws DomainError when a, b ≤ 1 (no unique mode)
 */
export function betaMode(where: string, a: number, b: number): number {
  if (a > 1 && b > 1) return (a - 1) / (a + b - 2);
  if (b > 1) return 0;
  if (a > 1) return 1;
  throw new DomainError(`${where}.mode: no unique mode for alpha = ${a}, beta = ${b} (both ≤ 1)`);
}

/** Mean α_k / A of Dir(α), A = Σ_k α_k. */
export function dirichletMean(alpha: Float64Array): Float64Array {
  let A = 0;
  for (const a of alpha) A += a;
  return alpha.map((a) => a / A);
}

/**
 * Mode (α_k − 1)/(A − K) of Dir(α).
 * @throws DomainError unless every α_k > 1 (otherwise the mode is on the boundary of the simplex)
 */
export function dirichletMode(where: string, alpha: Float64Array): Float64Array {
  let A = 0;
  for (const a of alpha) {
    if (!(a > 1)) throw new DomainError(`${where}.mode: needs every alpha_k > 1, got ${a}`);
    A += a;
  }
  const K = alpha.length;
  return alpha.map((a) => (a - 1) / (A - K));
}

/** $\sum_k c_k\log q_k$ with $0\log 0 = 0$ (the multinomial kernel of counts c at probabilities q). */
export function countsDotLog(c: Float64Array, q: Float64Array): number {
  let s = 0;
  c.forEach((ck, k) => {
    if (ck > 0) s += ck * Math.log(q[k] as number);
  });
  return s;
}
