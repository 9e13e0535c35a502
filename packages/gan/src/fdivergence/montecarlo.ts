import { defineOptions, DomainError, describeValue, type MonteCarloEstimate, monteCarlo, type Rng } from '@notes/core-linalg';
import { type DivergenceInput, resolveDivergence } from './resolve.js';

/** Two samplable densities, given by log densities and samplers. */
export interface MonteCarloFDivergenceInput<T> {
  /** log p(x). */
  logP: (x: T) => number;
  /** log q(x). */
  logQ: (x: T) => number;
  /** Draws x ~ Q (needed when `from` is 'q'). */
  sampleQ?: (rng: Rng) => T;
  /** Draws x ~ P (needed when `from` is 'p'). */
  sampleP?: (rng: Rng) => T;
}

/** Options of {@link monteCarloFDivergence}. */
export interface MonteCarloFDivergenceOptions {
  /** Number of samples, 2 … 1e9. @defaultValue 10000 */
  n?: number;
  /** Sample from Q (E_Q[f(r)]) or from P (E_P[f(r)/r]), r = p/q. @defaultValue 'q' */
  from?: 'p' | 'q';
}
const OPTIONS = defineOptions<MonteCarloFDivergenceOptions>()('monteCarloFDivergence', {
  n: { type: 'integer', min: 2, max: 1e9, default: 10000, doc: 'number of samples (2 … 1e9)' },
  from: { type: 'enum', values: ['p', 'q'], default: 'q', doc: 'sample from P or from Q' },
});

export type { MonteCarloEstimate };

/**
 * Monte-Carlo estimate of D_f(P‖Q) between densities that can be evaluated and sampled:
 * $$D_f(P\|Q) = \mathbb{E}_{x\sim Q}\big[f(r(x))\big] = \mathbb{E}_{x\sim P}\big[f(r(x))/r(x)\big],\quad r = p/q$$
 * Terms are computed from log p − log q (via `pointwiseLog`), so large ratios do not overflow.
 * Sampling from P is the better choice for KL (the terms are log r). Uses core's `monteCarlo`.
 * @throws DomainError if `n` is not an integer ≥ 2 or the sampler for `from` is missing;
 *   NonFiniteError if a term is infinite (P puts mass where q = 0, for KL or χ²).
 * @example monteCarloFDivergence('kl', { logP, logQ, sampleP }, rng, { from: 'p' })
 */
export function monteCarloFDivergence<T>(
  divergence: DivergenceInput,
  input: MonteCarloFDivergenceInput<T>,
  rng: Rng,
  options?: MonteCarloFDivergenceOptions,
): MonteCarloEstimate {
  const where = 'monteCarloFDivergence';
  const d = resolveDivergence(where, divergence);
  const { n, from } = OPTIONS.parse(options);
  if (typeof input !== 'object' || input === null || typeof input.logP !== 'function' || typeof input.logQ !== 'function') {
    throw new DomainError(`${where}: argument 'input' must be an object with functions logP and logQ, got ${describeValue(input)}`);
  }
  if (typeof rng !== 'object' || rng === null || typeof rng.uniform !== 'function') {
    throw new DomainError(`${where}: argument 'rng' must be a generator from createRng, got ${describeValue(rng)}`);
  }
  const sample = from === 'p' ? input.sampleP : input.sampleQ;
  if (typeof sample !== 'function') {
    throw new DomainError(`${where}: input.sample${from === 'p' ? 'P' : 'Q'} is required when options.from is '${from}'`);
  }
  // q·f(p/q) is 1-homogeneous: f(r) = pointwise(log r, 0); f(r)/r = pointwise(0, −log r)
  const term =
    from === 'p'
      ? (x: T) => d.pointwiseLog(0, input.logQ(x) - input.logP(x))
      : (x: T) => d.pointwiseLog(input.logP(x) - input.logQ(x), 0);
  return monteCarlo(term, sample, n, rng); // core's plain estimator: mean and s/√n
}
