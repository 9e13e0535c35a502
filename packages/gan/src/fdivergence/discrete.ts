import { DomainError, describeValue, readVector, ShapeError } from '@notes/core-linalg';
import { type DivergenceInput, resolveDivergence } from './resolve.js';

/**
 * f-divergence between two discrete distributions on the same support (notes: GAN, f-divergence).
 * $$D_f(P\|Q) = \sum_i q_i\, f\!\left(\frac{p_i}{q_i}\right)$$
 * with 0·f(0/0) = 0 and q_i f(p_i/q_i) = p_i·lim_{t→∞} f(t)/t when q_i = 0 (so KL and χ² are +∞ when
 * P puts mass where Q has none). Reference: Ali & Silvey (1966); Nowozin et al., f-GAN (2016), eq. 1.
 * @param p - probabilities of P (non-negative, sum 1 within 1e-8)
 * @param q - probabilities of Q, same length
 * Divergences that are infinite (KL, χ² when P puts mass where Q has none) are +∞.
 * @throws ShapeError for empty or unequal lengths; DomainError for negative entries or sums ≠ 1;
 *   NonFiniteError for NaN/±∞; DomainError for an unknown divergence name.
 * @example discreteFDivergence('kl', [0.5, 0.5], [0.9, 0.1]) // ≈ 0.5108
 */
export function discreteFDivergence(
  divergence: DivergenceInput,
  p: ArrayLike<number>,
  q: ArrayLike<number>,
): number {
  const where = 'discreteFDivergence';
  const d = resolveDivergence(where, divergence);
  const P = probabilities(where, 'p', p);
  const Q = probabilities(where, 'q', q);
  if (Q.length !== P.length) throw new ShapeError(`${where}: argument 'q' must have length ${P.length} (length of 'p'), got ${Q.length}`);
  let sum = 0;
  for (let i = 0; i < P.length; i++) {
    sum += d.pointwiseLog(Math.log(P[i]!), Math.log(Q[i]!));
  }
  return sum;
}

/** A probability vector (core's readVector, then entries ≥ 0 summing to 1 within 1e-8). */
function probabilities(where: string, name: string, x: unknown): Float64Array {
  const v = readVector(where, name, x);
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0) throw new DomainError(`${where}: argument '${name}' must be non-negative, got ${describeValue(v[i])} at [${i}]`);
    s += v[i]!;
  }
  if (!(Math.abs(s - 1) <= 1e-8)) throw new DomainError(`${where}: argument '${name}' must sum to 1 (within 1e-8), got ${s}`);
  return v;
}
