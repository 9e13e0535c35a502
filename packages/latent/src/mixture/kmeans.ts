/**
 * k-means (Lloyd's algorithm) and k-means++ seeding, used to initialise the Gaussian mixture
 * (notes: "Categorical latent variables"; k-means is the hard-assignment, equal-spherical-covariance
 * limit of EM for the mixture, Bishop PRML §9.1 and §9.3.2).
 * Objective: $J = \sum_i \min_k \|x_i-\mu_k\|^2$ (the inertia). k-means++ (Arthur & Vassilvitskii 2007)
 * picks each new centre with probability $D(x)^2/\sum D^2$, with scikit-learn's greedy variant
 * ($2+\lfloor\ln k\rfloor$ candidate draws, keep the one that lowers the potential most).
 */
import {
  type Checkpoint,
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  type FitReport,
  makeFitReport,
  type Rng,
  readLabels,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  sampleCategorical,
  stopwatch,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { assertColumns, assertScatterRepresentable, columnStats, type Dense, denseToMatrix, type MatrixInput, readData } from '../util/data.js';
import { readArray, readEnvelope, readFinite, readInt, readReport } from '../util/json.js';


/** Options of {@link kmeans}. */
export interface KMeansOptions {
  /** Number of clusters. */
  components: number;
  /** Seeding: k-means++, `components` distinct random rows, or explicit centres (components×d). @defaultValue 'kmeans++' */
  init?: 'kmeans++' | 'random' | MatrixInput;
  /** Lloyd iteration cap per start. @defaultValue 300 */
  maxIterations?: number;
  /** Stop when the squared centre shift is below `tol` × mean column variance (scikit-learn's rule; criterion 'tol'). @defaultValue 1e-4 */
  tol?: number;
  /** Extra seedings after the first (total starts = restarts + 1); the lowest inertia wins. Ignored for explicit centres. @defaultValue 0 */
  restarts?: number;
  /** Seed of the generator. Give `seed` or `rng`, not both. @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng` (advanced by the call). */
  rng?: Rng;
  /** Called after every Lloyd iteration; `objective` is the inertia before the update (minimised). */
  onProgress?: (info: FitProgress & { restart: number }) => void;
  /** Stops between iterations with `AbortError` (partial: the current centres as a model, reason 'aborted'). */
  signal?: AbortSignal;
}

const isMatrixish = (v: unknown) => typeof v === 'object' && v !== null;

/** Option table of {@link kmeans}. */
export const KMEANS_OPTIONS = defineOptions<KMeansOptions>()('kmeans', {
  components: { type: 'integer', min: 1, doc: 'number of clusters (required)' },
  init: {
    type: 'custom',
    expected: "'kmeans++', 'random' or a components×d matrix of centres",
    check: (v) => v === 'kmeans++' || v === 'random' || isMatrixish(v),
    default: 'kmeans++',
  },
  maxIterations: { type: 'integer', min: 1, max: 1e9, default: 300 },
  tol: { type: 'number', min: 0, default: 1e-4 },
  restarts: { type: 'integer', min: 0, max: 10_000, default: 0 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
});

/** Defaults of {@link KMeansOptions}. */
export const KMEANS_DEFAULTS = KMEANS_OPTIONS.defaults;

/** Serialised {@link KMeansModel}. */
export interface KMeansJSON {
  kind: 'kmeans';
  version: 1;
  components: number;
  dimension: number;
  /** components×d row-major */
  centers: number[];
  labels: number[];
  inertia: number;
  emptyClustersReseeded: number;
  report: FitReport;
}

/** A fitted k-means clustering. Immutable: getters return copies. */
export class KMeansModel {
  /** Number of clusters. */
  readonly components: number;
  /** Data dimension d. */
  readonly dimension: number;
  /** $\sum_i \|x_i-\mu_{z_i}\|^2$ on the training data. */
  readonly inertia: number;
  /** Clusters that became empty during Lloyd steps and were re-seeded with the farthest point. */
  readonly emptyClustersReseeded: number;
  /** `'converged'` (criterion `'tol'`) or `'max-iterations'`; `trace` = inertia per iteration of the winning start. */
  readonly report: FitReport;
  readonly #centers: Float64Array;
  readonly #labels: Int32Array;

  /** @internal use `kmeans` or `fromJSON`. */
  constructor(s: { components: number; dimension: number; centers: Float64Array; labels: Int32Array; inertia: number; emptyClustersReseeded: number; report: FitReport }) {
    this.components = s.components;
    this.dimension = s.dimension;
    this.inertia = s.inertia;
    this.emptyClustersReseeded = s.emptyClustersReseeded;
    this.report = s.report;
    this.#centers = Float64Array.from(s.centers);
    this.#labels = Int32Array.from(s.labels);
    Object.freeze(this);
  }

  /** Cluster centres, components×d (copy). */
  get centers(): Matrix {
    return denseToMatrix(this.#centers, this.components, this.dimension);
  }

  /** Training labels (copy). */
  get labels(): Int32Array {
    return Int32Array.from(this.#labels);
  }

  /** Index of the nearest centre of each row. */
  predict(X: MatrixInput): Int32Array {
    const D = readData('KMeansModel.predict', 'X', X);
    assertColumns('KMeansModel.predict', 'X', D, this.dimension);
    const labels = new Int32Array(D.n);
    assignNearest(D, this.#centers, this.components, labels, new Float64Array(D.n));
    return labels;
  }

  /** Plain JSON. */
  toJSON(): KMeansJSON {
    return {
      kind: 'kmeans',
      version: 1,
      components: this.components,
      dimension: this.dimension,
      centers: Array.from(this.#centers),
      labels: Array.from(this.#labels),
      inertia: this.inertia,
      emptyClustersReseeded: this.emptyClustersReseeded,
      report: this.report,
    };
  }

  /** Rebuilds a model, validating every field. @throws DomainError/ShapeError naming the field. */
  static fromJSON(json: KMeansJSON): KMeansModel {
    const where = 'KMeansModel.fromJSON';
    const o = readEnvelope(where, json, 'kmeans', 1);
    const components = readInt(where, o, 'components', 1);
    const dimension = readInt(where, o, 'dimension', 1);
    const centers = readArray(where, o, 'centers', components * dimension);
    const lab = o.labels;
    if (!Array.isArray(lab)) throw new ShapeError(`${where}: field 'labels' must be an array`);
    const labels = readLabels(where, 'json.labels', lab, { classes: components, minLength: 0 });
    return new KMeansModel({
      components,
      dimension,
      centers,
      labels,
      inertia: readFinite(where, o, 'inertia', { min: 0 }),
      emptyClustersReseeded: readInt(where, o, 'emptyClustersReseeded', 0),
      report: readReport(where, o),
    });
  }
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

/** Internal options of {@link kmeansDense} (validated data). */
export interface KMeansDenseOptions {
  components: number;
  rng: Rng;
  maxIterations: number;
  tol: number;
  restarts: number;
  init?: 'kmeans++' | 'random';
  onProgress?: ((info: FitProgress & { restart: number }) => void) | undefined;
  clock?: () => number;
}

interface LloydState {
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
  reseeded: number;
  centers: Float64Array;
  trace: number[];
}

function* lloyd(
  X: Dense,
  centers: Float64Array,
  k: number,
  maxIterations: number,
  tolAbs: number,
  restart: number,
  o: KMeansDenseOptions,
  partial: (s: LloydState) => unknown,
): Generator<Checkpoint, LloydState, void> {
  const { n, d, data } = X;
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  let converged = false;
  let iterations = 0;
  let reseeded = 0;
  const trace: number[] = [];
  const clock = o.clock ?? stopwatch();
  for (let it = 1; it <= maxIterations; it++) {
    iterations = it;
    const inertia = assignNearest(X, centers, k, labels, dist);
    trace.push(inertia);
    o.onProgress?.({ restart, iteration: it, objective: inertia, elapsedMs: clock() });
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
    if (it < maxIterations) {
      const snap: LloydState = { labels: Int32Array.from(labels), inertia, iterations: it, converged: false, reseeded, centers: Float64Array.from(centers), trace: trace.slice() };
      yield () => partial(snap);
    }
  }
  // final assignment to the final centres
  const inertia = assignNearest(X, centers, k, labels, dist);
  return { labels, inertia, iterations, converged, reseeded, centers, trace };
}

/** The k-means loop on already validated data (also the mixture initialisation). @internal */
export function* kmeansLoop(
  X: Dense,
  o: KMeansDenseOptions,
  initCenters?: Float64Array,
  partial: (s: LloydState) => unknown = () => undefined,
): Generator<Checkpoint, LloydState, void> {
  const k = o.components;
  const restarts = initCenters ? 0 : o.restarts;
  const { variance } = columnStats(X);
  let meanVar = 0;
  for (let j = 0; j < X.d; j++) meanVar += (variance[j] as number) / X.d;
  let best: LloydState | null = null;
  for (let r = 0; r <= restarts; r++) {
    let centers: Float64Array;
    if (initCenters) centers = Float64Array.from(initCenters);
    else {
      const idx = o.init === 'random' ? randomDistinct(X.n, k, o.rng) : kmeansPlusPlusIndices(X, k, o.rng);
      centers = new Float64Array(k * X.d);
      for (let c = 0; c < k; c++) centers.set(X.data.subarray((idx[c] as number) * X.d, ((idx[c] as number) + 1) * X.d), c * X.d);
    }
    const b0 = best;
    const res: LloydState = yield* lloyd(X, centers, k, o.maxIterations, o.tol * meanVar, r, o, (s) => partial(b0 && b0.inertia <= s.inertia ? b0 : s));
    if (!best || res.inertia < best.inertia) best = res;
    if (r < restarts) {
      const b = best;
      yield () => partial(b);
    }
  }
  return best as LloydState;
}

/** k-means on validated data, run synchronously (mixture initialisation). @internal */
export function kmeansDense(X: Dense, o: KMeansDenseOptions, initCenters?: Float64Array): LloydState {
  return runFit('kmeans', kmeansLoop(X, o, initCenters));
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

function prepare(where: string, X: unknown, options: KMeansOptions): FitLoop<KMeansModel> {
  const o = KMEANS_OPTIONS.parse(options);
  if (o.components === undefined) throw new DomainError(`${where}: option 'components' is required`);
  const k = o.components;
  const D = readData(where, 'X', X);
  if (D.n < k) throw new ShapeError(`${where}: argument 'X' must have at least components = ${k} rows, got ${D.n}`);
  assertScatterRepresentable(where, 'X', D);
  const rng = resolveRng(where, o, 0);
  let centers: Float64Array | undefined;
  if (typeof o.init !== 'string') {
    const C = readData(where, 'init', o.init);
    if (C.n !== k || C.d !== D.d) throw new ShapeError(`${where}: argument 'init' must be ${k}×${D.d}, got ${C.n}×${C.d}`);
    centers = C.data;
  }
  const clock = stopwatch();
  const toModel = (s: LloydState, reason: 'converged' | 'max-iterations' | 'aborted') =>
    new KMeansModel({
      components: k,
      dimension: D.d,
      centers: s.centers,
      labels: s.labels,
      inertia: s.inertia,
      emptyClustersReseeded: s.reseeded,
      report: makeFitReport({ reason, ...(reason === 'converged' ? { criterion: 'tol' } : {}), iterations: s.iterations, elapsedMs: clock(), trace: s.trace }),
    });
  const init = typeof o.init === 'string' ? o.init : undefined;
  const dense: KMeansDenseOptions = { components: k, rng, maxIterations: o.maxIterations, tol: o.tol, restarts: o.restarts, onProgress: o.onProgress, clock, ...(init ? { init } : {}) };
  return (function* () {
    const best = yield* kmeansLoop(D, dense, centers, (s) => toModel(s, 'aborted'));
    return toModel(best, best.converged ? 'converged' : 'max-iterations');
  })();
}

/**
 * k-means clustering by Lloyd's algorithm with k-means++ (default), random or explicit seeding.
 * Returns the fitted {@link KMeansModel} (centres, training labels, inertia, report).
 * @example kmeans([[0,0],[0,1],[9,9],[9,8]], { components: 2, seed: 1 }).labels // Int32Array [0,0,1,1] (up to relabelling)
 * @throws ShapeError when X has fewer rows than `components` or explicit centres have the wrong shape;
 *   NonFiniteError for NaN/±Infinity; DomainError for bad or unknown options; AbortError (partial: the current model).
 */
export function kmeans(X: MatrixInput, options: KMeansOptions): KMeansModel {
  return runFit('kmeans', prepare('kmeans', X, options), { signal: options?.signal });
}

/** {@link kmeans} on the asynchronous driver (same loop). @throws (rejects with) the errors of {@link kmeans}. */
export async function kmeansAsync(X: MatrixInput, options: KMeansOptions): Promise<KMeansModel> {
  return runFitAsync('kmeansAsync', prepare('kmeansAsync', X, options), { signal: options?.signal });
}
