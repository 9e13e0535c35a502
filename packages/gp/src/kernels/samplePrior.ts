/**
 * Draws functions from the GP prior $f \sim \mathcal N(0, K(X,X))$ (notes: Gaussian Process,
 * $p(f\mid X) = \mathcal N(\mu, K)$): $f = Lz$ with $K + \epsilon I = LL^\top$ (core's `cholesky`,
 * adaptive jitter ε reported) and $z \sim \mathcal N(0, I)$ from a seeded rng.
 */
import { DomainError, type Rng, checkMemory, cholesky, defineOptions, describeValue, fromRowMajor, resolveRng, sampleNormalArray } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { Kernel } from './kernel.js';
import { type PointsInput, readPoints } from './points.js';

/** Options of {@link samplePrior}. */
export interface SamplePriorOptions {
  /** Seed of a fresh rng (give `seed` or `rng`, not both). @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng` (advanced by the call). */
  rng?: Rng;
  /** Number of functions drawn. @defaultValue 1 */
  n?: number;
  /** Memory budget of the m×m covariance. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const OPTIONS = defineOptions<SamplePriorOptions>()('samplePrior', {
  seed: { type: 'integer', min: 0, doc: 'seed of a fresh rng' },
  rng: { type: 'rng', doc: 'generator from createRng' },
  n: { type: 'integer', min: 1, default: 1, doc: 'number of functions drawn' },
  maxMemoryBytes: { type: 'number', greaterThan: 0, doc: 'memory budget' },
});

/**
 * Samples `n` prior functions at the rows of `X`.
 * @returns `samples` (n × rows of X; row s is one function) and the Cholesky `jitter` used.
 * @throws ShapeError / DomainError / NonFiniteError for bad X or options; NotPositiveDefiniteError if K stays
 *   non-PD after max jitter; ResourceError when the m×m covariance exceeds `maxMemoryBytes`.
 * @example samplePrior(rbf(), [[0], [0.5], [1]], { seed: 1, n: 3 }).samples.rows // 3
 */
export function samplePrior(kernel: Kernel, X: PointsInput, options: SamplePriorOptions = {}): { samples: Matrix; jitter: number } {
  if (!(kernel instanceof Kernel)) throw new DomainError(`samplePrior: argument 'kernel' must be a Kernel, got ${describeValue(kernel)}`);
  const o = OPTIONS.parse(options);
  const pts = readPoints(X, 'samplePrior', 'X');
  kernel.checkDim('samplePrior', pts);
  const m = pts.n;
  checkMemory('samplePrior', `the ${m}×${m} prior covariance`, 3 * 8 * m * m + 8 * o.n * m, {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'fewer points',
  });
  const rng = resolveRng('samplePrior', o, 0);
  const K = kernel.computeMatrix(pts);
  const factor = cholesky(fromRowMajor(K, m, m));
  const L = factor.lowerData;
  const out = new Float64Array(o.n * m);
  for (let s = 0; s < o.n; s++) {
    const z = sampleNormalArray(rng, m);
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let j = 0; j <= i; j++) v += L[i * m + j] * z[j];
      out[s * m + i] = v;
    }
  }
  return { samples: fromRowMajor(out, o.n, m), jitter: factor.jitter };
}
