/**
 * Truncated stick-breaking construction of $G\sim DP(\alpha, H)$ (notes: Dirichlet process).
 */
import { assertInteger, assertPositive, describeValue, DomainError, readNumber, type Rng, sampleBeta } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';

/** Options of {@link sampleStickBreaking}. */
export interface StickBreakingOptions<T> {
  /** Draws one atom θ_k from the base measure H. */
  base: (rng: Rng) => T;
  /** Maximum number of sticks K; the last stick takes the remainder (V_K = 1). @defaultValue 1000 */
  truncation?: number;
  /** Stop early once the unbroken stick is shorter than this; the last weight takes it. @defaultValue 1e-10 */
  tol?: number;
}

const DEFAULTS = { truncation: 1000, tol: 1e-10 } satisfies Required<Omit<StickBreakingOptions<unknown>, 'base'>>;

/** A draw of G = Σ_k π_k δ_{θ_k}, truncated. */
export interface StickBreakingDraw<T> {
  /** π_k, summing to 1. */
  weights: Float64Array;
  /** θ_k ~ H. */
  atoms: T[];
  /** Stick length left when the construction stopped (assigned to the last weight). */
  remainder: number;
}

/**
 * $$V_k\sim\mathrm{Beta}(1,\alpha),\quad \pi_k = V_k\prod_{j<k}(1-V_j),\quad \theta_k\sim H,\quad G=\sum_k\pi_k\delta_{\theta_k}.$$
 * Truncated after `truncation` sticks or once the remaining length is below `tol`; the last weight
 * absorbs the remainder so the weights sum to 1 exactly (Ishwaran & James 2001).
 * `r`: a generator from createRng, or `{ seed }` / `{ rng }` (core's resolveRng).
 * @throws DomainError if α ≤ 0, truncation is not an integer ≥ 1, tol ≤ 0, `base` is not a function, an unknown option
 */
export function sampleStickBreaking<T>(alpha: number, r: RngInput, options: StickBreakingOptions<T>): StickBreakingDraw<T> {
  const W = 'sampleStickBreaking';
  assertPositive(W, 'alpha', readNumber(W, 'alpha', alpha));
  const rng = rngOf(W, r);
  if (options === null || typeof options !== 'object' || typeof options.base !== 'function') {
    throw new DomainError(`${W}: option 'base' must be a function rng => θ, got ${describeValue(options?.base)}`);
  }
  for (const k of Object.keys(options)) {
    if (k !== 'base' && k !== 'truncation' && k !== 'tol') throw new DomainError(`${W}: unknown option '${k}'; valid options: base, truncation, tol`);
  }
  const K = options.truncation ?? DEFAULTS.truncation;
  const tol = options.tol ?? DEFAULTS.tol;
  assertInteger(W, 'truncation', readNumber(W, 'truncation', K), 1);
  assertPositive(W, 'tol', readNumber(W, 'tol', tol));
  const weights: number[] = [];
  const atoms: T[] = [];
  let rest = 1;
  for (let k = 0; k < K; k++) {
    const last = k === K - 1;
    const v = last ? 1 : sampleBeta(rng, 1, alpha);
    let w = rest * v;
    rest -= w;
    if (rest < tol || last) {
      w += rest;
      weights.push(w);
      atoms.push(options.base(rng));
      const remainder = rest;
      return { weights: Float64Array.from(weights), atoms, remainder };
    }
    weights.push(w);
    atoms.push(options.base(rng));
  }
  /* c8 ignore next */
  return { weights: Float64Array.from(weights), atoms, remainder: rest };
}
