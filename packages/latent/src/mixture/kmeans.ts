/**
 * k-means (Lloyd's algorithm) and k-means++ seeding, used to initialise the Gaussian mixture
 * (notes: "Categorical latent variables"; k-means is the hard-assignment, equal-spherical-covariance
 * limit of EM for the mixture, Bishop PRML §9.1 and §9.3.2).
 * Objective: $J = \sum_i \min_k \|x_i-\mu_k\|^2$ (the inertia). k-means++ (Arthur & Vassilvitskii 2007)
 * picks each new centre with probability $D(x)^2/\sum D^2$, with scikit-learn's greedy variant
 * ($2+\lfloor\ln k\rfloor$ candidate draws, keep the one that lowers the potential most).
 */
import { createRng, type Rng, ShapeError, sampleCategorical, throwIfAborted } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { assertIntOption, assertNumberOption, assertScatterRepresentable, columnStats, type Dense, type MatrixInput, toDense, denseToMatrix } from '../util/data.js';


/** Options of {@link kmeans}. */
export interface KMeansOptions {
  /** Number of clusters. */
  k: number;
  /** Seeding: k-means++, k distinct random rows, or explicit k×d centres. @defaultValue 'kmeans++' */
  init?: 'kmeans++' | 'random' | MatrixInput;
  /** Lloyd iteration cap. @defaultValue 300 */
  maxIterations?: number;
  /** Stop when the squared centre shift is below `tol` × mean column variance (scikit-learn's rule). @defaultValue 1e-4 */
  tol?: number;
  /** Independent seedings; the lowest inertia wins. @defaultValue 1 */
  restarts?: number;
  /** Seed of the generator (ignored when `rng` is given). @defaultValue 0 */
  seed?: number;
  /** Explicit generator. */
  rng?: Rng;
  signal?: AbortSignal;
}

/** Defaults of {@link KMeansOptions}. */
export const KMEANS_DEFAULTS = { init: 'kmeans++', maxIterations: 300, tol: 1e-4, restarts: 1, seed: 0 } as const;

/** Result of {@link kmeans}. */
export interface KMeansResult {
  centers: Matrix;
  labels: Int32Array;
  /** $\sum_i \|x_i-\mu_{z_i}\|^2$ */
  inertia: number;
  iterations: number;
  converged: boolean;
  reason: 'tolerance' | 'max-iterations';
  /** Clusters that became empty during Lloyd steps and were re-seeded with the farthest point. */
  emptyClustersReseeded: number;
}

function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = (a[ao + j] as number) - (b[bo + j] as number);
    s += t * t;
  }
  return s;
}

/**
 * Assigns every row to its nearest centre: writes `labels` and the squared distance `dist`,
 * returns the inertia $\sum_i\min_c\lVert x_i-\mu_c\rVert^2$.
 */
function assignNearest(X: Dense, centers: Float64Array, k: number, labels: Int32Array, dist: Float64Array): number {
  const { n, d, data } = X;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let bj = 0;
    let bd = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const s = sqDist(data, i * d, centers, c * d, d);
      if (s < bd) {
        bd = s;
        bj = c;
      }
    }
    labels[i] = bj;
    dist[i] = bd;
    inertia += bd;
  }
  return inertia;
}

/**
 * k-means++ seeding: returns the row indices of the k chosen centres.
 * @param localTrials candidates per step (1 = the original algorithm). @defaultValue 2 + ⌊ln k⌋
 */
export function kmeansPlusPlusIndices(X: Dense, k: number, rng: Rng, localTrials = 2 + Math.floor(Math.log(k))): Int32Array {
  const { n, d, data } = X;
  const idx = new Int32Array(k);
  idx[0] = Math.min(n - 1, Math.floor(rng.uniform() * n));
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sqDist(data, i * d, data, (idx[0] as number) * d, d);
  const cand = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let best = -1;
    let bestPot = Number.POSITIVE_INFINITY;
    let bestD: Float64Array | null = null;
    for (let t = 0; t < localTrials; t++) {
      let total = 0;
      for (let i = 0; i < n; i++) total += closest[i] as number;
      // all points coincide with centres: fall back to a uniform pick
      const j = total > 0 ? sampleCategorical(rng, closest) : Math.min(n - 1, Math.floor(rng.uniform() * n));
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i] as number, sqDist(data, i * d, data, j * d, d));
        cand[i] = v;
        pot += v;
      }
      if (pot < bestPot) {
        bestPot = pot;
        best = j;
        bestD = Float64Array.from(cand);
      }
    }
    idx[c] = best;
    closest.set(bestD as Float64Array);
  }
  return idx;
}

function lloyd(X: Dense, centers: Float64Array, k: number, maxIterations: number, tolAbs: number, signal?: AbortSignal) {
  const { n, d, data } = X;
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  let converged = false;
  let iterations = 0;
  let reseeded = 0;
  for (let it = 1; it <= maxIterations; it++) {
    throwIfAborted('kmeans', signal);
    iterations = it;
    assignNearest(X, centers, k, labels, dist);
    const next = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = labels[i] as number;
      counts[c] += 1;
      for (let j = 0; j < d; j++) next[c * d + j] += data[i * d + j] as number;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // empty cluster: move it to the point farthest from its centre
        let far = 0;
        for (let i = 1; i < n; i++) if ((dist[i] as number) > (dist[far] as number)) far = i;
        dist[far] = -1;
        for (let j = 0; j < d; j++) next[c * d + j] = data[far * d + j] as number;
        reseeded += 1;
      } else {
        for (let j = 0; j < d; j++) next[c * d + j] = (next[c * d + j] as number) / (counts[c] as number);
      }
    }
    let shift = 0;
    for (let t = 0; t < k * d; t++) shift += ((next[t] as number) - (centers[t] as number)) ** 2;
    centers.set(next);
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  // final assignment to the final centres
  const inertia = assignNearest(X, centers, k, labels, dist);
  return { labels, inertia, iterations, converged, reseeded };
}

/** k-means on already validated data (internal entry used by the mixture initialisation). */
export function kmeansDense(X: Dense, options: KMeansOptions, initCenters?: Float64Array): KMeansResult {
  const k = options.k;
  const maxIterations = options.maxIterations ?? KMEANS_DEFAULTS.maxIterations;
  const tol = options.tol ?? KMEANS_DEFAULTS.tol;
  const restarts = initCenters ? 1 : (options.restarts ?? KMEANS_DEFAULTS.restarts);
  const rng = options.rng ?? createRng(options.seed ?? KMEANS_DEFAULTS.seed);
  const { variance } = columnStats(X);
  let meanVar = 0;
  for (let j = 0; j < X.d; j++) meanVar += (variance[j] as number) / X.d;
  let best: (ReturnType<typeof lloyd> & { centers: Float64Array }) | null = null;
  for (let r = 0; r < restarts; r++) {
    let centers: Float64Array;
    if (initCenters) centers = Float64Array.from(initCenters);
    else {
      const idx =
        options.init === 'random' ? randomDistinct(X.n, k, rng) : kmeansPlusPlusIndices(X, k, rng);
      centers = new Float64Array(k * X.d);
      for (let c = 0; c < k; c++) centers.set(X.data.subarray((idx[c] as number) * X.d, ((idx[c] as number) + 1) * X.d), c * X.d);
    }
    const res = lloyd(X, centers, k, maxIterations, tol * meanVar, options.signal);
    if (!best || res.inertia < best.inertia) best = { ...res, centers };
  }
  const b = best as ReturnType<typeof lloyd> & { centers: Float64Array };
  return {
    centers: denseToMatrix(b.centers, k, X.d),
    labels: b.labels,
    inertia: b.inertia,
    iterations: b.iterations,
    converged: b.converged,
    reason: b.converged ? 'tolerance' : 'max-iterations',
    emptyClustersReseeded: b.reseeded,
  };
}

function randomDistinct(n: number, k: number, rng: Rng): Int32Array {
  // partial Fisher–Yates
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.min(n - i - 1, Math.floor(rng.uniform() * (n - i)));
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p.slice(0, k);
}

/**
 * k-means clustering by Lloyd's algorithm with k-means++ (default), random or explicit seeding.
 * @example kmeans([[0,0],[0,1],[9,9],[9,8]], { k: 2, seed: 1 }).labels // Int32Array [0,0,1,1] (up to relabelling)
 * @throws ShapeError when X has fewer rows than k or explicit centres have the wrong shape;
 *   NonFiniteError for NaN/±Infinity; DomainError for bad options.
 */
export function kmeans(X: MatrixInput, options: KMeansOptions): KMeansResult {
  const where = 'kmeans';
  const D = toDense(where, 'X', X);
  assertIntOption(where, 'k', options.k, 1);
  if (D.n < options.k) throw new ShapeError(`${where}: argument 'X' must have at least k = ${options.k} rows, got ${D.n}`);
  assertIntOption(where, 'maxIterations', options.maxIterations ?? KMEANS_DEFAULTS.maxIterations, 1);
  assertIntOption(where, 'restarts', options.restarts ?? KMEANS_DEFAULTS.restarts, 1);
  assertNumberOption(where, 'tol', options.tol ?? KMEANS_DEFAULTS.tol, 0, true);
  assertScatterRepresentable(where, 'X', D);
  const init = options.init ?? KMEANS_DEFAULTS.init;
  let centers: Float64Array | undefined;
  if (typeof init !== 'string') {
    const C = toDense(where, 'init', init);
    if (C.n !== options.k || C.d !== D.d) {
      throw new ShapeError(`${where}: argument 'init' must be ${options.k}×${D.d}, got ${C.n}×${C.d}`);
    }
    centers = C.data;
  }
  return kmeansDense(D, options, centers);
}
