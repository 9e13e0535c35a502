/**
 * Closed-form KL divergences between discrete distributions (notes: KL-divergence). Terms with
 * $q_k = 0$ contribute 0 ($0\log0 = 0$); $p_k = 0 < q_k$ gives `Infinity` (support mismatch, notes' remark 3).
 */
import { assertInRange, assertProbabilityVector, readNumber, readVector, ShapeError } from '@notes/core-linalg';

/**
 * $$KL(\mathrm{Bern}(p)\|\mathrm{Bern}(q)) = p\log\tfrac pq + (1-p)\log\tfrac{1-p}{1-q}.$$
 * @throws DomainError if p or q is outside [0, 1]
 */
export function klBernoulli(p: number, q: number): number {
  assertInRange('klBernoulli', 'p', readNumber('klBernoulli', 'p', p), 0, 1);
  assertInRange('klBernoulli', 'q', readNumber('klBernoulli', 'q', q), 0, 1);
  return term(p, q) + term(1 - p, 1 - q);
}

function term(a: number, b: number): number {
  if (a === 0) return 0;
  if (b === 0) return Number.POSITIVE_INFINITY;
  return a * Math.log(a / b);
}

/**
 * $$KL(p\|q) = \textstyle\sum_k p_k\log(p_k/q_k).$$
 * @throws DomainError if p or q is not a probability vector (tolerance 1e-8); ShapeError on length mismatch
 */
export function klCategorical(p: ArrayLike<number>, q: ArrayLike<number>): number {
  assertProbabilityVector('klCategorical', 'p', readVector('klCategorical', 'p', p));
  assertProbabilityVector('klCategorical', 'q', readVector('klCategorical', 'q', q));
  if (p.length !== q.length) {
    throw new ShapeError(`klCategorical: argument 'q' must have length ${p.length} (length of p), got ${q.length}`);
  }
  let s = 0;
  for (let k = 0; k < p.length; k++) s += term(p[k] as number, q[k] as number);
  return s;
}
