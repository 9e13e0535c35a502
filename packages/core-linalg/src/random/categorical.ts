import { assertNonEmpty, DomainError, NonFiniteError } from '../errors/index.js';
import { type Rng, assertRng } from './rng.js';
import { prngOf } from './stdlib-streams.js';

/** Inverse-CDF draw from non-negative weights `w` with total `sum`. */
function drawIndex(prng: () => number, w: ArrayLike<number>, sum: number): number {
  const target = prng() * sum;
  let acc = 0;
  let last = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number;
    if (wi > 0) {
      acc += wi;
      last = i;
      if (target < acc) return i;
    }
  }
  return last; // rounding left target ≥ acc: the last index with positive weight
}

/**
 * Categorical draw: returns $i$ with probability $p_i / \sum_j p_j$ (inverse CDF, O(k)).
 * `p` may be unnormalised non-negative weights; it is normalised internally (not mutated).
 * @throws ShapeError if `p` is empty; NonFiniteError for NaN/±Infinity; DomainError for a negative
 * weight or an all-zero `p`.
 * @example sampleCategorical(createRng(1), [0.2, 0.5, 0.3]) // 0, 1 or 2
 */
export function sampleCategorical(rng: Rng, p: ArrayLike<number>): number {
  assertRng('sampleCategorical', rng);
  assertNonEmpty('sampleCategorical', 'p', p);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(`sampleCategorical: argument 'p' must be finite, got ${v} at [${i}]`);
    }
    if (v < 0) throw new DomainError(`sampleCategorical: argument 'p' must be non-negative, got ${v} at [${i}]`);
    sum += v;
  }
  if (!(sum > 0) || !Number.isFinite(sum)) {
    throw new DomainError(`sampleCategorical: argument 'p' must have a positive finite sum, got ${sum}`);
  }
  return drawIndex(prngOf(rng), p, sum);
}

/**
 * Categorical draw from logits: returns $i$ with probability $\mathrm{softmax}(\ell)_i =
 * e^{\ell_i - m} / \sum_j e^{\ell_j - m}$, $m = \max_j \ell_j$ (computed in a shifted log space, so huge
 * logits never overflow). Same distribution as the Gumbel-max trick $\arg\max_i (\ell_i + g_i)$,
 * $g_i \sim \mathrm{Gumbel}(0,1)$, with one uniform instead of k Gumbel draws.
 * `-Infinity` logits mean probability 0.
 * @throws ShapeError if empty; NonFiniteError for NaN or +Infinity; DomainError if every logit is -Infinity.
 */
export function sampleCategoricalLog(rng: Rng, logits: ArrayLike<number>): number {
  assertRng('sampleCategoricalLog', rng);
  assertNonEmpty('sampleCategoricalLog', 'logits', logits);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i] as number;
    if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY) {
      throw new NonFiniteError(`sampleCategoricalLog: argument 'logits' must not be NaN or +Infinity, got ${v} at [${i}]`);
    }
    if (v > max) max = v;
  }
  if (max === Number.NEGATIVE_INFINITY) {
    throw new DomainError("sampleCategoricalLog: argument 'logits' must have at least one finite entry, got all -Infinity");
  }
  const w = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const e = Math.exp((logits[i] as number) - max);
    w[i] = e;
    sum += e;
  }
  return drawIndex(prngOf(rng), w, sum);
}
