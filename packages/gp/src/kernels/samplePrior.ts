/**
 * Draws functions from the GP prior $f \sim \mathcal N(0, K(X,X))$ (notes: Gaussian Process,
 * $p(f\mid X) = \mathcal N(\mu, K)$): $f = Lz$ with $K + \epsilon I = LL^\top$ (core's `cholesky`,
 * adaptive jitter ε reported) and $z \sim \mathcal N(0, I)$ from a seeded rng.
 */
import { assertInteger, cholesky, createRng, fromRowMajor, sampleNormalArray, withDefaults } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import type { Kernel } from './kernel.js';
import { type PointsInput, toPoints } from './points.js';

/** Options of {@link samplePrior}. */
export interface SamplePriorOptions {
  /** Seed of the rng. @defaultValue 0 */
  seed?: number;
  /** Number of functions drawn. @defaultValue 1 */
  n?: number;
}

const DEFAULTS = { seed: 0, n: 1 } satisfies Required<SamplePriorOptions>;

/**
 * Samples `n` prior functions at the rows of `X`.
 * @returns `samples` (n × rows of X; row s is one function) and the Cholesky `jitter` used.
 * @throws ShapeError / NonFiniteError for bad X; NotPositiveDefiniteError if K stays non-PD after max jitter.
 * @example samplePrior(rbf(), [[0], [0.5], [1]], { seed: 1, n: 3 }).samples.rows // 3
 */
export function samplePrior(kernel: Kernel, X: PointsInput, options: SamplePriorOptions = {}): { samples: Matrix; jitter: number } {
  const o = withDefaults(DEFAULTS, options);
  assertInteger('samplePrior', 'options.n', o.n, 1);
  const pts = toPoints(X, 'samplePrior', 'X');
  const m = pts.n;
  const K = kernel.computeMatrix(pts);
  const factor = cholesky(fromRowMajor(K, m, m));
  const L = factor.lowerData;
  const rng = createRng(o.seed);
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
