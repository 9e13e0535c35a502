/**
 * `fitDPMM` / `fitDPMMAsync`: Dirichlet-process mixture of Gaussians by Gibbs sampling (notes: Dirichlet
 * process mixture model; DPMM with Gibbs sampling).
 */
import {
  checkMemory,
  DEFAULT_MAX_MEMORY_BYTES,
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  makeFitReport,
  type Rng,
  readMatrix,
  resolveRng,
  runFit,
  runFitAsync,
  stopwatch,
} from '@notes/core-linalg';
import type { MatrixInput } from '../internal/input.js';
import { createFamily, type DPMMBase, type Family } from './families.js';
import { collapsedSweep, type GibbsState, initState, labels, logJoint, sampleAllTheta, twoStepSweep } from './gibbs.js';
import { DPMMModel } from './model.js';

/** What `onProgress` of {@link fitDPMM} receives: `objective` is the collapsed log joint log p(Y, S). */
export interface DPMMProgress extends FitProgress {
  /** Clusters after this sweep. */
  readonly numClusters: number;
}

/** The `partial` of the `AbortError` of an aborted {@link fitDPMM}: the chain so far. */
export interface DPMMPartial {
  /** Sweeps completed. */
  readonly iterations: number;
  /** Collapsed log joint after every sweep. */
  readonly logJointTrace: number[];
  /** Clusters after every sweep. */
  readonly numClustersTrace: number[];
  /** Partitions kept so far (after burn-in, thinned). */
  readonly samples: Int32Array[];
}

/** Options of {@link fitDPMM}. */
export interface DPMMOptions {
  /** Concentration α > 0 (larger → more clusters). @defaultValue 1 */
  alpha?: number;
  /** Base measure P₀ (required): known-covariance Normal or Normal–Wishart, in data units. */
  base: DPMMBase;
  /** `'collapsed'` (θ integrated out) or `'two-step'` (the notes' sampler: assignments, then θ*). @defaultValue 'collapsed' */
  sampler?: 'collapsed' | 'two-step';
  /** Total sweeps (a fixed-length run: `report.reason` is `'completed'`). @defaultValue 200 */
  iterations?: number;
  /** Sweeps discarded before samples are kept (< iterations). @defaultValue 50 */
  burnIn?: number;
  /** Keep every `thin`-th sweep after burn-in; at most iterations − burnIn (at least one sample is kept). @defaultValue 1 */
  thin?: number;
  /** Number of clusters of the random initial partition. @defaultValue 1 */
  initialClusters?: number;
  /** Seed of the sampler's generator (or give `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator of the sampler (instead of `seed`). */
  rng?: Rng;
  /** Called after every sweep with `{ iteration, objective: log p(Y, S), elapsedMs, numClusters }`. */
  onProgress?: (info: DPMMProgress) => void;
  /** Stops the sampler at the next sweep with an `AbortError` (partial: {@link DPMMPartial}). */
  signal?: AbortSignal;
  /** Budget of the kept samples and traces, in bytes (a ResourceError above it). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const OPTIONS = defineOptions<DPMMOptions>()('fitDPMM', {
  alpha: { type: 'number', greaterThan: 0, default: 1, doc: 'concentration α' },
  base: { type: 'custom', expected: 'a base measure object', check: (v) => typeof v === 'object' && v !== null, doc: 'base measure P₀' },
  sampler: { type: 'enum', values: ['collapsed', 'two-step'], default: 'collapsed', doc: 'Gibbs sampler' },
  iterations: { type: 'integer', min: 1, default: 200, doc: 'total sweeps' },
  burnIn: { type: 'integer', min: 0, default: 50, doc: 'sweeps discarded' },
  thin: { type: 'integer', min: 1, default: 1, doc: 'keep every thin-th sweep' },
  initialClusters: { type: 'integer', min: 1, default: 1, doc: 'clusters of the initial partition' },
  seed: { type: 'integer', min: 0, doc: 'seed (default 0)' },
  rng: { type: 'rng', doc: 'generator instead of seed' },
  onProgress: { type: 'function', doc: 'progress callback' },
  signal: { type: 'signal', doc: 'AbortSignal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0, default: DEFAULT_MAX_MEMORY_BYTES, doc: 'memory budget in bytes' },
});

interface Prepared {
  family: Family;
  data: Float64Array;
  n: number;
  d: number;
  alpha: number;
  sampler: 'collapsed' | 'two-step';
  iterations: number;
  burnIn: number;
  thin: number;
  initialClusters: number;
  rng: Rng;
  onProgress: ((info: DPMMProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

function prepare(W: string, X: MatrixInput, options: DPMMOptions): Prepared {
  const o = OPTIONS.parse(options);
  const x = readMatrix(W, 'X', X);
  if (o.base === undefined) throw new DomainError(`${W}: option 'base' is required (the base measure P₀)`);
  if (o.burnIn >= o.iterations) {
    throw new DomainError(`${W}: option 'burnIn' must be < iterations = ${o.iterations}, got ${o.burnIn}`);
  }
  if (o.thin > o.iterations - o.burnIn) {
    throw new DomainError(
      `${W}: option 'thin' must be at most iterations − burnIn = ${o.iterations - o.burnIn} (else no sample is kept), got ${o.thin}`,
    );
  }
  // kept partitions (n labels each, plus the statistics of at least one cluster) and two traces
  const kept = Math.floor((o.iterations - o.burnIn) / o.thin);
  const d = x.columns;
  checkMemory(W, `${kept} kept samples of ${x.rows} labels and ${o.iterations} sweeps of traces`, kept * (4 * x.rows + 8 * (1 + d + d * d) + 64) + 24 * o.iterations, {
    maxMemoryBytes: o.maxMemoryBytes,
    alternative: "fewer 'iterations' or a larger 'thin'",
  });
  const family = createFamily(o.base, x.columns);
  const rng = resolveRng(W, o, 0);
  return {
    family,
    data: x.data,
    n: x.rows,
    d: x.columns,
    alpha: o.alpha,
    sampler: o.sampler,
    iterations: o.iterations,
    burnIn: o.burnIn,
    thin: o.thin,
    initialClusters: o.initialClusters,
    rng,
    onProgress: o.onProgress,
    signal: o.signal,
  };
}

function clusterStats(st: GibbsState, d: number): { z: Int32Array; stats: Float64Array } {
  const { z, clusters } = labels(st);
  const s = new Float64Array(clusters.length * (1 + d + d * d));
  clusters.forEach((cl, k) => {
    const off = k * (1 + d + d * d);
    s[off] = cl.n;
    s.set(cl.sum, off + 1);
    s.set(cl.sq, off + 1 + d);
  });
  return { z, stats: s };
}

/** The one sampler loop behind both drivers (a checkpoint after every sweep). */
function* dpmmLoop(p: Prepared): FitLoop<DPMMModel> {
  const { family, rng, d } = p;
  const clock = stopwatch();
  const st = initState(family, p.data, p.n, p.alpha, p.initialClusters, rng);
  if (p.sampler === 'two-step') sampleAllTheta(st, rng);
  const numClusters: number[] = [];
  const trace: number[] = [];
  const samples: Int32Array[] = [];
  const stats: Float64Array[] = [];
  let best: { logJoint: number; z: Int32Array } = { logJoint: Number.NEGATIVE_INFINITY, z: new Int32Array(p.n) };
  for (let it = 1; it <= p.iterations; it++) {
    if (p.sampler === 'collapsed') collapsedSweep(st, rng);
    else twoStepSweep(st, rng);
    const lj = logJoint(st);
    numClusters.push(st.active.length);
    trace.push(lj);
    p.onProgress?.({ iteration: it, objective: lj, elapsedMs: clock(), numClusters: st.active.length });
    if (it > p.burnIn && (it - p.burnIn) % p.thin === 0) {
      const { z, stats: s } = clusterStats(st, d);
      samples.push(z);
      stats.push(s);
      if (lj > best.logJoint) best = { logJoint: lj, z };
    }
    if (it < p.iterations) {
      const kept = samples.length;
      yield (): DPMMPartial => ({
        iterations: it,
        logJointTrace: trace.slice(0, it),
        numClustersTrace: numClusters.slice(0, it),
        samples: samples.slice(0, kept).map((z) => Int32Array.from(z)),
      });
    }
  }
  return new DPMMModel({
    alpha: p.alpha,
    base: family.base,
    sampler: p.sampler,
    dimension: d,
    n: p.n,
    burnIn: p.burnIn,
    numClustersTrace: numClusters,
    samples,
    stats,
    mapAssignments: best.z,
    mapLogJoint: best.logJoint,
    report: makeFitReport({ reason: 'completed', iterations: p.iterations, elapsedMs: clock(), trace }),
  });
}

/**
 * Samples the posterior of a DP mixture $y_i\sim\mathcal K(\theta_i)$, $\theta_i\sim P$, $P\sim DP(\alpha,P_0)$
 * (notes: DPMM) with Gaussian kernels and a conjugate base measure. Both samplers target the same
 * posterior; `report.trace` records the collapsed log joint $\log p(Y,S)$ after every sweep and the model's
 * `numClustersTrace` the number of clusters. A fixed number of sweeps: `report.reason` is `'completed'`;
 * `model.stationary` is the convergence diagnostic of the kept trace.
 * The returned {@link DPMMModel} holds the kept partitions (MAP partition, co-clustering matrix) and
 * cluster statistics (posterior predictive density).
 * @throws ShapeError / NonFiniteError for bad data; DomainError naming the option for α ≤ 0, a non-PSD
 *   base covariance/scale, burnIn ≥ iterations, thin > iterations − burnIn, an unknown option …; ResourceError when the
 *   kept samples would exceed `maxMemoryBytes`;
 *   AbortError when `signal` fires (partial: {@link DPMMPartial})
 * @example fitDPMM(X, { alpha: 1, base: { type: 'normal-wishart', mean: [0, 0], kappa: 0.1, df: 4, scale: [[1, 0], [0, 1]] } })
 */
export function fitDPMM(X: MatrixInput, options: DPMMOptions): DPMMModel {
  const p = prepare('fitDPMM', X, options);
  return runFit('fitDPMM', dpmmLoop(p), { signal: p.signal });
}

/**
 * {@link fitDPMM} that yields to the event loop at least every 50 ms, so an `AbortSignal` fired from a timer
 * stops it within one sweep (rejecting with `AbortError` whose `partial` is the chain so far, {@link DPMMPartial}).
 * Same options, same model.
 */
export function fitDPMMAsync(X: MatrixInput, options: DPMMOptions): Promise<DPMMModel> {
  try {
    const p = prepare('fitDPMMAsync', X, options);
    return runFitAsync('fitDPMMAsync', dpmmLoop(p), { signal: p.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}
