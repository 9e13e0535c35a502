import { assertLength, assertProbabilityVector } from '@notes/core-linalg';
import { type DivergenceInput, resolveDivergence } from './resolve.js';

/**
 * f-divergence between two discrete distributions on the same support (notes: GAN, f-divergence).
 * $$D_f(P\|Q) = \sum_i q_i\, f\!\left(\frac{p_i}{q_i}\right)$$
 * with 0·f(0/0) = 0 and q_i f(p_i/q_i) = p_i·lim_{t→∞} f(t)/t when q_i = 0 (so KL and χ² are +∞ when
 * P puts mass where Q has none). Reference: Ali & Silvey (1966); Nowozin et al., f-GAN (2016), eq. 1.
 * @param p - probabilities of P (non-negative, sum 1 within 1e-8)
 * @param q - probabilities of Q, same length
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
  assertProbabilityVector(where, 'p', p);
  assertProbabilityVector(where, 'q', q);
  assertLength(where, 'q', q, p.length, "length of 'p'");
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    sum += d.pointwiseLog(Math.log(p[i] as number), Math.log(q[i] as number));
  }
  return sum;
}
