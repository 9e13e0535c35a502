/**
 * Chinese restaurant process and the Pólya urn (notes: DP for mixture model, the Pólya-urn predictive rule).
 */
import { assertInteger, assertPositive, checkMemory, describeValue, digamma, DomainError, readNumber, type Rng, sampleUniform } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';

/** A random partition of n items. */
export interface CrpDraw {
  /** Table (cluster) of each customer, numbered 0.. in order of appearance. */
  assignments: Int32Array;
  /** Customers per table. */
  counts: number[];
  numClusters: number;
}

/**
 * Customer i (1-based) sits at a new table with probability α/(α+i−1), else at table h with
 * probability $n_h/(\alpha+i-1)$.
 * `r`: a generator from createRng, or `{ seed }` / `{ rng }` (core's resolveRng).
 * @throws DomainError if α ≤ 0, n is not an integer ≥ 0, or `r` is not a generator / randomness options; ResourceError above 2 GiB of assignments
 */
export function sampleCRP(n: number, alpha: number, r: RngInput): CrpDraw {
  assertInteger('sampleCRP', 'n', readNumber('sampleCRP', 'n', n), 0);
  assertPositive('sampleCRP', 'alpha', readNumber('sampleCRP', 'alpha', alpha));
  const rng = rngOf('sampleCRP', r);
  checkMemory('sampleCRP', `the assignments of ${n} customers`, 12 * n);
  const z = new Int32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = sampleUniform(rng) * (alpha + i);
    if (u < alpha) {
      z[i] = counts.length;
      counts.push(1);
      continue;
    }
    let acc = alpha;
    let h = 0;
    for (; h < counts.length - 1; h++) {
      acc += counts[h] as number;
      if (u < acc) break;
    }
    z[i] = h;
    counts[h] = (counts[h] as number) + 1;
  }
  return { assignments: z, counts, numClusters: counts.length };
}

/**
 * Blackwell–MacQueen Pólya urn: $\theta_1\sim H$ and
 * $$p(\theta_i\mid\theta_{1:i-1}) = \frac{\alpha}{\alpha+i-1}H(\theta_i) + \sum_{j<i}\frac{1}{\alpha+i-1}\delta_{\theta_j}(\theta_i).$$
 * The notes write the second term without the factor 1/(α+i−1); it is needed for the weights to sum to 1.
 * Returns the sequence θ_1..θ_n (ties share the same object/value). `r`: a generator, or `{ seed }` / `{ rng }`.
 * @throws DomainError if α ≤ 0, n is not an integer ≥ 0, `base` is not a function or `r` is not a generator / randomness options; ResourceError above 2 GiB
 */
export function samplePolyaUrn<T>(n: number, alpha: number, base: (rng: Rng) => T, r: RngInput): T[] {
  assertInteger('samplePolyaUrn', 'n', readNumber('samplePolyaUrn', 'n', n), 0);
  assertPositive('samplePolyaUrn', 'alpha', readNumber('samplePolyaUrn', 'alpha', alpha));
  if (typeof base !== 'function') throw new DomainError(`samplePolyaUrn: argument 'base' must be a function rng => θ, got ${describeValue(base)}`);
  const rng = rngOf('samplePolyaUrn', r);
  checkMemory('samplePolyaUrn', `a sequence of ${n} draws`, 8 * n);
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const u = sampleUniform(rng) * (alpha + i);
    if (u < alpha) out.push(base(rng));
    else out.push(out[Math.min(i - 1, Math.floor(u - alpha))] as T);
  }
  return out;
}

/**
 * Expected number of clusters of a CRP with n customers: $\mathbb E[K_n]=\sum_{i=1}^n \frac{\alpha}{\alpha+i-1} = \alpha(\psi(\alpha+n)-\psi(\alpha))\approx\alpha\log(1+n/\alpha)$
 * (summed for n ≤ 1e5, the digamma form above).
 * @throws DomainError if α ≤ 0 or n is not an integer ≥ 0
 */
export function expectedClusters(n: number, alpha: number): number {
  assertInteger('expectedClusters', 'n', readNumber('expectedClusters', 'n', n), 0);
  assertPositive('expectedClusters', 'alpha', readNumber('expectedClusters', 'alpha', alpha));
  // beyond 1e5 terms the closed form α(ψ(α + n) − ψ(α)) (the sum telescopes in the digamma recurrence)
  if (n > 1e5) return alpha * (digamma(alpha + n) - digamma(alpha));
  let s = 0;
  // α + (i − 1), not (α + i) − 1: for tiny α the latter rounds to 0 at i = 1 (1/0 = ∞)
  for (let i = 1; i <= n; i++) s += alpha / (alpha + (i - 1));
  return s;
}
