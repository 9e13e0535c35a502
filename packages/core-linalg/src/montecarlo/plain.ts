import { assertInteger, checkMemory, DEFAULT_MAX_MEMORY_BYTES } from '../errors/index.js';
import { assertRng } from '../random/rng.js';
import type { Rng } from '../random/index.js';
import { type MonteCarloEstimate, meanAndStandardError } from './estimate.js';

/**
 * Plain Monte-Carlo estimate of an expectation (notes: Monte-Carlo estimation):
 * $$I = \mathbb E_{p}[f(x)] \approx \hat I_N = \frac1N\sum_{i=1}^N f(x_i),\quad x_i \sim p,$$
 * unbiased, $\mathbb E[\hat I_N] = I$, with $\mathrm{Var}(\hat I_N) = \frac1N(\mathbb E[f^2] - I^2)$; the
 * reported standard error is $s/\sqrt N$ with $s$ the sample standard deviation of the $f(x_i)$.
 * @param f - the integrand. @param sample - draws one $x \sim p$ from `rng`. @param n - N ≥ 2.
 * @throws DomainError unless `n` is an integer ≥ 2; NonFiniteError if `f` returns NaN/±Infinity.
 * @example monteCarlo((x) => x * x, (r) => r.normal(), 10_000, createRng(1)) // ≈ { estimate: 1, standardError: 0.014 }
 */
export function monteCarlo<T>(f: (x: T) => number, sample: (rng: Rng) => T, n: number, rng: Rng): MonteCarloEstimate {
  assertInteger('monteCarlo', 'n', n, 2);
  assertRng('monteCarlo', rng);
  if (8 * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory('monteCarlo', `${n} terms`, 8 * n);
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = f(sample(rng));
  return meanAndStandardError('monteCarlo', terms);
}
