import { assertFinite, assertInteger, assertLength, assertNonEmpty, checkMemory, DomainError, DEFAULT_MAX_MEMORY_BYTES } from '../errors/index.js';
import { assertRng } from '../random/rng.js';
import type { Rng } from '../random/index.js';
import { type MonteCarloEstimate, meanAndStandardError } from './estimate.js';

function checkBox(where: string, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  assertNonEmpty(where, 'lower', lower);
  assertLength(where, 'upper', upper, lower.length, "length of 'lower'");
  assertFinite(where, 'lower', lower);
  assertFinite(where, 'upper', upper);
  let volume = 1;
  for (let i = 0; i < lower.length; i++) {
    const w = (upper[i] as number) - (lower[i] as number);
    if (!(w > 0)) {
      throw new DomainError(`${where}: 'upper' must exceed 'lower' in every coordinate, got width ${w} at [${i}]`);
    }
    volume *= w;
  }
  return volume;
}

function uniformPoint(prng: () => number, lower: ArrayLike<number>, upper: ArrayLike<number>): Float64Array {
  const x = new Float64Array(lower.length);
  for (let i = 0; i < x.length; i++) {
    const lo = lower[i] as number;
    x[i] = lo + ((upper[i] as number) - lo) * prng();
  }
  return x;
}

/**
 * Uniform-volume estimator of $\int_D f(x)\,dx$ over the box $D = [\text{lower}, \text{upper}]$
 * (notes: Monte-Carlo estimation, uniform case $p = 1/V$):
 * $$\hat I_N = \frac VN\sum_{i=1}^N f(x_i),\quad x_i \sim U(D),$$ standard error $V s/\sqrt N$.
 * @param f - integrand, called with a fresh `Float64Array` point. @param n - N ≥ 2.
 * @throws ShapeError / NonFiniteError / DomainError for a bad box, `n` < 2, or a non-finite f.
 * @example uniformVolume((x) => Math.sin(x[0]), [0], [Math.PI], 10_000, createRng(1)) // ≈ 2
 */
export function uniformVolume(
  f: (x: Float64Array) => number,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  n: number,
  rng: Rng,
): MonteCarloEstimate {
  const volume = checkBox('uniformVolume', lower, upper);
  assertInteger('uniformVolume', 'n', n, 2);
  assertRng('uniformVolume', rng);
  if (8 * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory('uniformVolume', `${n} terms`, 8 * n);
  const prng = () => rng.uniform();
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = volume * f(uniformPoint(prng, lower, upper));
  return meanAndStandardError('uniformVolume', terms);
}

/**
 * Hit-or-miss estimate of the volume of a region $A \subseteq D$ inside the box D:
 * $$\hat V_A = V\,\hat p,\quad \hat p = \frac{\#\{i : x_i \in A\}}{N},\ x_i \sim U(D),$$
 * binomial standard error $V\sqrt{\hat p(1-\hat p)/(N-1)}$. The area under a curve $0 \le g \le c$ on
 * [a, b] is `hitOrMiss(([x, y]) => y < g(x), [a, 0], [b, c], n, rng)`.
 * @param inside - membership test of A, called with a fresh `Float64Array` point.
 * @throws ShapeError / NonFiniteError / DomainError for a bad box or `n` < 2.
 * @example hitOrMiss((p) => p[0] ** 2 + p[1] ** 2 < 1, [-1, -1], [1, 1], 100_000, createRng(1)) // ≈ π
 */
export function hitOrMiss(
  inside: (x: Float64Array) => boolean,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  n: number,
  rng: Rng,
): MonteCarloEstimate {
  const volume = checkBox('hitOrMiss', lower, upper);
  assertInteger('hitOrMiss', 'n', n, 2);
  assertRng('hitOrMiss', rng);
  if (8 * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory('hitOrMiss', `${n} terms`, 8 * n);
  const prng = () => rng.uniform();
  let hits = 0;
  for (let i = 0; i < n; i++) if (inside(uniformPoint(prng, lower, upper))) hits++;
  const p = hits / n;
  // sample variance of the 0/1 hit indicators is n p (1 − p)/(n − 1)
  return { estimate: volume * p, standardError: volume * Math.sqrt((p * (1 - p)) / (n - 1)), n };
}
