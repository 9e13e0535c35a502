/**
 * `fitDPMM`: Dirichlet-process mixture of Gaussians by Gibbs sampling (notes: Dirichlet process
 * mixture model; DPMM with Gibbs sampling).
 */
import { assertInteger, assertPositive, createRng, DomainError, readMatrix, type Rng, throwIfAborted, withDefaults } from '@notes/core-linalg';
import { type MatrixInput } from '../internal/input.js';
import { createFamily, type DPMMBase } from './families.js';
import { collapsedSweep, initState, labels, logJoint, sampleAllTheta, twoStepSweep } from './gibbs.js';
import { DPMMModel } from './model.js';

/** Options of {@link fitDPMM}. */
export interface DPMMOptions {
  /** Concentration α > 0 (larger → more clusters). @defaultValue 1 */
  alpha?: number;
  /** Base measure P₀ (required): known-covariance Normal or Normal–Wishart. */
  base: DPMMBase;
  /** `'collapsed'` (θ integrated out) or `'two-step'` (the notes' sampler: assignments, then θ*). @defaultValue 'collapsed' */
  sampler?: 'collapsed' | 'two-step';
  /** Total sweeps. @defaultValue 200 */
  iterations?: number;
  /** Sweeps discarded before samples are kept. @defaultValue 50 */
  burnIn?: number;
  /** Keep every `thin`-th sweep after burn-in. @defaultValue 1 */
  thin?: number;
  /** Number of clusters of the random initial partition. @defaultValue 1 */
  initialClusters?: number;
  /** Seed of the sampler's rng (ignored when `rng` is given). @defaultValue 0 */
  seed?: number;
  rng?: Rng;
  onProgress?: (info: { iteration: number; numClusters: number; logJoint: number; elapsed: number }) => void;
  signal?: AbortSignal;
}

const DEFAULTS = {
  alpha: 1,
  sampler: 'collapsed',
  iterations: 200,
  burnIn: 50,
  thin: 1,
  initialClusters: 1,
  seed: 0,
} satisfies Omit<Required<DPMMOptions>, 'base' | 'rng' | 'onProgress' | 'signal'>;

/**
 * Samples the posterior of a DP mixture $y_i\sim\mathcal K(\theta_i)$, $\theta_i\sim P$, $P\sim DP(\alpha,P_0)$
 * (notes: DPMM) with Gaussian kernels and a conjugate base measure. Both samplers target the same
 * posterior; traces record the number of clusters and the collapsed log joint $\log p(Y,S)$ after every sweep.
 * The returned {@link DPMMModel} holds the kept partitions (MAP partition, co-clustering matrix) and
 * cluster statistics (posterior predictive density).
 * @throws ShapeError / NonFiniteError for bad data; DomainError naming the option for α ≤ 0, a non-PSD
 *   base covariance/scale, burnIn ≥ iterations, …; AbortError when `signal` fires
 * @example fitDPMM(X, { alpha: 1, base: { type: 'normal-wishart', mean: [0, 0], kappa: 0.1, df: 4, scale: [[1, 0], [0, 1]] } })
 */
export function fitDPMM(X: MatrixInput, options: DPMMOptions): DPMMModel {
  const W = 'fitDPMM';
  const r = readMatrix(W, 'X', X);
  const x = { n: r.rows, d: r.columns, data: r.data };
  if (options === null || typeof options !== 'object' || !options.base) {
    throw new DomainError(`${W}: argument 'options.base' is required (the base measure P₀)`);
  }
  const o = withDefaults(DEFAULTS, options);
  assertPositive(W, 'alpha', o.alpha);
  assertInteger(W, 'iterations', o.iterations, 1);
  assertInteger(W, 'burnIn', o.burnIn, 0, o.iterations - 1);
  assertInteger(W, 'thin', o.thin, 1);
  assertInteger(W, 'initialClusters', o.initialClusters, 1);
  if (o.sampler !== 'collapsed' && o.sampler !== 'two-step') {
    throw new DomainError(`${W}: argument 'sampler' must be 'collapsed' or 'two-step', got ${String(o.sampler)}`);
  }
  const family = createFamily(o.base, x.d);
  const rng = o.rng ?? createRng(o.seed);
  const st = initState(family, x.data, x.n, o.alpha, o.initialClusters, rng);
  if (o.sampler === 'two-step') sampleAllTheta(st, rng);
  const numClusters: number[] = [];
  const trace: number[] = [];
  const samples: Int32Array[] = [];
  const stats: Float64Array[] = [];
  let best: { logJoint: number; z: Int32Array } = { logJoint: Number.NEGATIVE_INFINITY, z: new Int32Array(x.n) };
  const start = Date.now();
  const d = x.d;
  for (let it = 1; it <= o.iterations; it++) {
    throwIfAborted(W, o.signal);
    if (o.sampler === 'collapsed') collapsedSweep(st, rng);
    else twoStepSweep(st, rng);
    const lj = logJoint(st);
    numClusters.push(st.active.length);
    trace.push(lj);
    o.onProgress?.({ iteration: it, numClusters: st.active.length, logJoint: lj, elapsed: Date.now() - start });
    if (it > o.burnIn && (it - o.burnIn) % o.thin === 0) {
      const { z, clusters } = labels(st);
      samples.push(z);
      const s = new Float64Array(clusters.length * (1 + d + d * d));
      clusters.forEach((cl, k) => {
        const off = k * (1 + d + d * d);
        s[off] = cl.n;
        s.set(cl.sum, off + 1);
        s.set(cl.sq, off + 1 + d);
      });
      stats.push(s);
      if (lj > best.logJoint) best = { logJoint: lj, z };
    }
  }
  return new DPMMModel({
    alpha: o.alpha,
    base: family.base,
    sampler: o.sampler,
    dimension: d,
    n: x.n,
    burnIn: o.burnIn,
    numClustersTrace: numClusters,
    logJointTrace: trace,
    samples,
    stats,
    mapAssignments: best.z,
    mapLogJoint: best.logJoint,
  });
}
