/**
 * The fitted GP regression model (notes: GP Regression): immutable, serialisable.
 * $$\mu_* = K_*^\top\alpha,\quad \Sigma_* = K_{**} - K_*^\top C^{-1}K_*,\qquad \alpha = C^{-1}y,\ C = K + \sigma^2 I$$
 * Rasmussen & Williams (2006), Alg. 2.1. With `normalizeY`, targets are standardised before fitting and
 * predictions are mapped back (mean·std + mean, variance·std²), as scikit-learn does.
 */
import {
  type CholeskyFactor,
  DomainError,
  type FitReport,
  NonFiniteError,
  type Rng,
  ShapeError,
  checkMemory,
  cholesky,
  defineOptions,
  describeValue,
  fromRowMajor,
  matmulTransB,
  readFitReport,
  resolveRng,
  sampleNormalArray,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { type Kernel, type KernelJSON, kernelFromJSON } from '../kernels/index.js';
import { type Points, type PointsInput, readPoints } from '../kernels/points.js';
import { LowerInverseRows, trsmLowerRightTrans, wasmFmaActive } from '@notes/core-linalg/kernels';
import { type RowsModel, blockRows, crossMatrix, predictRows } from '../parallel/predict-rows.js';
import { type GPWorkerPool, type PoolDriver, type PredictTask, type SharedModel, poolDriver, poolTestHooks } from '../parallel/protocol.js';
import { buildState, readTargets } from './state.js';

/**
 * Report of the hyperparameter fit: core's {@link FitReport} (`reason`/`criterion`/`trace` of the best start,
 * `iterations`/`evaluations` summed over all starts; `'completed'` with 0 iterations when nothing was
 * optimised) plus the GP diagnostics.
 */
export interface GPFitReport extends FitReport {
  /** Log ML reached by each start (initial θ first, then the seeded restarts); NaN if a start failed. */
  readonly restarts: readonly number[];
  /** Log-ML evaluations of each start (same order as `restarts`). */
  readonly startEvaluations: readonly number[];
  /** Free log-parameters that ended within 1e-6 of a bound, e.g. `'k2.noiseLevel (lower)'`. */
  readonly boundHits: readonly string[];
  /** Diagonal jitter added by the Cholesky factorisation of the final C (0 if none). */
  readonly jitter: number;
  /** Linear-solve path used. */
  readonly method: 'cholesky' | 'cg';
  /**
   * Data-scale factors (powers of 1000) that multiplied the relative default bounds: `length` for length-like
   * hyperparameters, `variance` for variances (and the default noise).
   */
  readonly scales: { readonly length: number; readonly variance: number };
  /** Standard error of the CG-path log-ML estimate (SLQ probe spread; only when `method` is `'cg'`). */
  readonly logMarginalLikelihoodStdErr?: number;
  /** Settings of the CG path (only when `method` is `'cg'`). */
  readonly cg?: CGSettings;
}

/** JSON form of a {@link GPModel}. */
export interface GPModelJSON {
  kind: 'gp';
  version: 2;
  kernel: KernelJSON;
  noise: number;
  normalizeY: boolean;
  X: number[][];
  y: number[];
  report: GPFitReport;
}

/** Settings of the matrix-free path (see `fitGP`'s `cg` option). */
export interface CGSettings {
  tol: number;
  maxIterations: number;
  rank: number;
  probes: number;
  lanczosSteps: number;
  seed: number;
}

/** Internal state shared by the Cholesky and CG paths. */
export interface GPState {
  kernel: Kernel;
  noise: number;
  normalizeY: boolean;
  X: Points;
  /** Targets as given. */
  yRaw: Float64Array;
  /** Centred (and scaled, if normalised) targets used for fitting. */
  y: Float64Array;
  yMean: number;
  yStd: number;
  alpha: Float64Array;
  factor: CholeskyFactor | null;
  /** Solves C x = b when there is no Cholesky factor (CG path). */
  solve: (b: Float64Array) => Float64Array;
  logMarginalLikelihood: number;
  report: GPFitReport;
}

/** Result of {@link GPModel.predict}. */
export interface GPPrediction {
  mean: Float64Array;
  /** Predictive variance of f (plus any white-kernel noise, as scikit-learn), floored at 0. */
  variance: Float64Array;
  /** √variance. */
  std: Float64Array;
  /** Full covariance (only with `{ covariance: true }`); its diagonal is floored at 0 as well. */
  covariance?: Matrix;
}

/** Options of {@link GPModel.predict}. */
export interface GPPredictOptions {
  /** Also return the full m×m covariance. @defaultValue false */
  covariance?: boolean;
  /** Budget of the m×n cross-covariance blocks (and m×m covariance). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const PREDICT_OPTIONS = defineOptions<GPPredictOptions>()('GPModel.predict', {
  covariance: { type: 'boolean', default: false },
  maxMemoryBytes: { type: 'number', greaterThan: 0 },
});

/** Options of {@link GPModel.predictAsync}: those of `predict` and an optional worker pool. */
export interface GPPredictAsyncOptions extends GPPredictOptions {
  /**
   * Worker pool (`createGPWorkerPool` from `@notes/gp/node`, Node only) to split the test points over: the
   * calling thread and the pool's workers each take chunks of points until none is left. Used for mean and
   * variance of m ≥ n points on the Cholesky path; otherwise (covariance, the CG path, fewer points than
   * training points) the prediction runs on the calling thread as `predict`. Either way the result is
   * bit-identical to `predict`'s. @defaultValue none (the calling thread alone)
   */
  pool?: GPWorkerPool;
}

const PREDICT_ASYNC_OPTIONS = defineOptions<GPPredictAsyncOptions>()('GPModel.predictAsync', {
  covariance: { type: 'boolean', default: false },
  maxMemoryBytes: { type: 'number', greaterThan: 0 },
  pool: { type: 'custom', expected: 'a worker pool from createGPWorkerPool (@notes/gp/node)', check: (v) => poolDriver(v) !== null },
});

/**
 * Ids of models shared with a worker pool: one counter per thread kept on `globalThis` under a registered symbol,
 * so that copies of this module in one thread (its ESM and CommonJS builds) never hand out the same id.
 */
const SHARED_MODELS = Symbol.for('@notes/gp.sharedModels');
function nextSharedModelId(): string {
  const g = globalThis as unknown as Record<symbol, number | undefined>;
  const id = (g[SHARED_MODELS] ?? 0) + 1;
  g[SHARED_MODELS] = id;
  return `model:${id}`;
}

/** Options of {@link GPModel.samplePosterior}. */
export interface GPSampleOptions {
  /** Number of functions. @defaultValue 1 */
  n?: number;
  /** Seed (give `seed` or `rng`). @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng`. */
  rng?: Rng;
  /** Memory budget. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const SAMPLE_OPTIONS = defineOptions<GPSampleOptions>()('GPModel.samplePosterior', {
  n: { type: 'integer', min: 1, max: 1e6, default: 1 },
  seed: { type: 'integer', min: 0 },
  rng: { type: 'rng' },
  maxMemoryBytes: { type: 'number', greaterThan: 0 },
});

/** A fitted Gaussian-process regressor; build it with `fitGP`. */
export class GPModel {
  /** Fitted kernel (hyperparameters at the optimum). */
  readonly kernel: Kernel;
  /** Noise variance σ² added to the diagonal (scikit-learn's `alpha`). */
  readonly noise: number;
  /** Log marginal likelihood at the fitted hyperparameters, of the (normalised, if `normalizeY`) targets. */
  readonly logMarginalLikelihood: number;
  /** Fit report: convergence, restarts, bound hits, jitter. */
  readonly report: GPFitReport;
  readonly #s: GPState;
  /** Packed $L^{-1}$ for predictions of many points (see `#predictInBlocks`); null until first needed. */
  #inverse: LowerInverseRows | null = null;
  /** The model's data in shared memory for a worker pool (see `predictAsync`); null until first needed, false if the kernel cannot be rebuilt from its JSON. */
  #shared: SharedModel | null | false = null;

  /** @internal use `fitGP` or `GPModel.fromJSON`. */
  constructor(state: GPState) {
    this.#s = state;
    this.kernel = state.kernel;
    this.noise = state.noise;
    this.logMarginalLikelihood = state.logMarginalLikelihood;
    this.report = state.report;
    Object.freeze(this);
  }

  /** Number of training points. */
  get n(): number {
    return this.#s.X.n;
  }

  /** Input dimension. */
  get dim(): number {
    return this.#s.X.d;
  }

  /**
   * Posterior predictive of f at `Xs`. The variance $k(x,x) - v^\top v$ can come out slightly negative
   * from rounding; it is **floored at 0** (scikit-learn warns and sets it to 0 as well).
   * @throws ShapeError if `Xs` has a different number of columns; NonFiniteError for NaN/Infinity.
   */
  predict(Xs: PointsInput, options: GPPredictOptions = {}): GPPrediction {
    const o = PREDICT_OPTIONS.parse(options);
    return this.#predict('GPModel.predict', Xs, o.covariance, o.maxMemoryBytes);
  }

  /**
   * {@link GPModel.predict} that can split the work over a worker pool (option `pool`, from
   * `createGPWorkerPool` in `@notes/gp/node`): the mean and variance of m ≥ n points on the Cholesky path are
   * computed in chunks of test points claimed by the calling thread and the workers, which hold the model's
   * factor in shared memory (copied once per model and pool-independent; each worker packs it once). Every
   * point's result is computed by the same code on the same numbers whichever thread takes it, so the result
   * is **bit-identical** to `predict`'s. Without a pool, or for covariance, the CG path or m < n, it is
   * `predict` on the calling thread.
   * @throws (rejects with) as {@link GPModel.predict}; DomainError for a closed pool or anything else than a
   *   pool; the pool's `GPWorkerError` if a worker fails; ResourceError when the blocks, the shared factor and
   *   the workers' packed copies exceed `maxMemoryBytes`.
   */
  async predictAsync(Xs: PointsInput, options: GPPredictAsyncOptions = {}): Promise<GPPrediction> {
    const where = 'GPModel.predictAsync';
    const o = PREDICT_ASYNC_OPTIONS.parse(options);
    const driver = o.pool === undefined ? null : poolDriver(o.pool);
    if (driver?.closed) throw new DomainError(`${where}: option 'pool' must be an open worker pool, got a closed one (create another with createGPWorkerPool)`);
    const pts = this.#readXs(where, Xs);
    const s = this.#s;
    if (driver === null || driver.workers === 0 || !s.factor || o.covariance || pts.n < s.X.n) return this.#predictPoints(where, pts, o.covariance, o.maxMemoryBytes);
    return this.#predictPooled(where, pts, driver, o.maxMemoryBytes);
  }

  #readXs(where: string, Xs: PointsInput): Points {
    const s = this.#s;
    const pts = readPoints(Xs, where, 'Xs');
    if (pts.d !== s.X.d) throw new ShapeError(`${where}: argument 'Xs' must have ${s.X.d} columns, got ${pts.d}`);
    return pts;
  }

  #predict(where: string, Xs: PointsInput, covariance: boolean, maxMemoryBytes: number | undefined): GPPrediction {
    return this.#predictPoints(where, this.#readXs(where, Xs), covariance, maxMemoryBytes);
  }

  #predictPoints(where: string, pts: Points, covariance: boolean, maxMemoryBytes: number | undefined): GPPrediction {
    const s = this.#s;
    const m = pts.n;
    const n = s.X.n;
    if (s.factor && !covariance && m >= n) return this.#predictInBlocks(where, pts, maxMemoryBytes);
    checkMemory(where, `the ${m}×${n} cross-covariance blocks${covariance ? ` and the ${m}×${m} covariance` : ''}`, 8 * (2 * m * n + (covariance ? 2 * m * m : 0)), {
      ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
      alternative: 'predicting in smaller batches of points',
    });
    const Ks = crossMatrix(s.kernel, pts, s.X); // m × n
    const mean = new Float64Array(m);
    const alpha = s.alpha;
    for (let i = 0; i < m; i++) {
      let v = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) v += Ks[row + j] * alpha[j];
      mean[i] = v * s.yStd + s.yMean;
    }
    const var2 = s.yStd * s.yStd;
    const kdiag = s.kernel.computeDiag(pts);
    const variance = new Float64Array(m);
    let cov: Float64Array | null = null;
    if (s.factor) {
      // V = K_* L^{-T} in place of K_* (row i is L^{-1}k_i): core's raw recursive triangular solve on the GEMM
      trsmLowerRightTrans(s.factor.lowerData, n, Ks, m);
      for (let i = 0; i < m; i++) {
        let q = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) q += Ks[row + j] * Ks[row + j];
        variance[i] = Math.max(0, (kdiag[i] - q) * var2);
      }
      if (covariance) {
        const VVt = matmulTransB(Ks, Ks, m, n, m);
        const Kss = s.kernel.computeMatrix(pts);
        cov = new Float64Array(m * m);
        for (let i = 0; i < m; i++) {
          for (let k = i; k < m; k++) {
            const v = i === k ? variance[i] : (Kss[i * m + k] - 0.5 * (VVt[i * m + k] + VVt[k * m + i])) * var2;
            cov[i * m + k] = v;
            cov[k * m + i] = v;
          }
        }
      }
    } else {
      // CG path: V = (C^{-1}K_*^T)^T by one CG solve per test point
      const V = new Float64Array(m * n);
      for (let i = 0; i < m; i++) V.set(s.solve(Ks.slice(i * n, (i + 1) * n)), i * n);
      const project = (i: number, k: number): number => {
        let v = 0;
        for (let j = 0; j < n; j++) v += Ks[i * n + j] * V[k * n + j];
        return v;
      };
      for (let i = 0; i < m; i++) variance[i] = Math.max(0, (kdiag[i] - project(i, i)) * var2);
      if (covariance) {
        const Kss = s.kernel.computeMatrix(pts);
        cov = new Float64Array(m * m);
        for (let i = 0; i < m; i++) {
          for (let k = i; k < m; k++) {
            const v = i === k ? variance[i] : (Kss[i * m + k] - project(i, k)) * var2;
            cov[i * m + k] = v;
            cov[k * m + i] = v;
          }
        }
      }
    }
    checkFinitePrediction(where, mean, variance);
    const std = variance.map(Math.sqrt);
    if (!cov) return { mean, variance, std };
    return { mean, variance, std, covariance: fromRowMajor(cov, m, m) };
  }

  /** What `predictRows` reads, with the Cholesky factor's blocks packed for core's `LowerInverseRows` (built on first use, then kept: ≈ n²/2 doubles). */
  #rowsModel(): RowsModel {
    const s = this.#s;
    if (this.#inverse === null) this.#inverse = new LowerInverseRows((s.factor as CholeskyFactor).lowerData, s.X.n);
    return { kernel: s.kernel, X: s.X, alpha: s.alpha, yStd: s.yStd, yMean: s.yMean, inverse: this.#inverse };
  }

  /**
   * The model's data for a worker pool in shared memory (built on first use, then kept: the packed factor,
   * ≈ n²/2 doubles, and n(d + 1) more),
   * or null when a worker cannot rebuild the same kernel from its JSON (a kernel class of the user's own,
   * see `sameClasses`).
   */
  #sharedModel(): SharedModel | null {
    if (this.#shared === null) {
      const s = this.#s;
      const kernel = s.kernel.toJSON();
      let rebuilt: Kernel | null = null;
      try {
        rebuilt = kernelFromJSON(kernel);
      } catch {
        rebuilt = null;
      }
      if (rebuilt === null || !sameClasses(rebuilt, s.kernel)) {
        this.#shared = false;
        return null;
      }
      const copy = (a: Float64Array): Float64Array => {
        const b = new Float64Array(new SharedArrayBuffer(8 * a.length));
        b.set(a);
        return b;
      };
      // the factor as LowerInverseRows packs it (≈ n²/2 doubles), in shared memory: the workers adopt it
      // without packing; a model that packed it for `predict` already shares a copy of its packed blocks
      this.#inverse ??= new LowerInverseRows((s.factor as CholeskyFactor).lowerData, s.X.n, { shared: true });
      const packed = this.#inverse.packed;
      const n = s.X.n;
      this.#shared = {
        id: nextSharedModelId(),
        n,
        d: s.X.d,
        packed: packed.buffer instanceof SharedArrayBuffer ? packed : copy(packed),
        X: copy(s.X.data),
        alpha: copy(s.alpha),
        kernel,
        yStd: s.yStd,
        yMean: s.yMean,
      };
    }
    return this.#shared === false ? null : this.#shared;
  }

  /**
   * `#predictInBlocks` split over the calling thread and a pool's workers: the test points go to shared
   * memory in chunks of `chunkRows` (a multiple of 96 rows, at most one block; see below);
   * every thread claims the next chunk with an atomic counter until none is left and runs `predictRows` on it
   * (the workers on their own copies of the packed factor), the calling thread included, which then waits for
   * the workers and finishes the variances as `#predictInBlocks` does. A kernel that cannot be rebuilt from its
   * JSON in a worker (a class of the user's own) runs `#predictInBlocks` on the calling thread.
   */
  async #predictPooled(where: string, pts: Points, driver: PoolDriver, maxMemoryBytes: number | undefined): Promise<GPPrediction> {
    const s = this.#s;
    const m = pts.n;
    const n = s.X.n;
    const d = pts.d;
    const rows = Math.min(m, blockRows(n));
    const threads = driver.workers + 1;
    checkMemory(where, `blocks of ${rows}×${n} cross-covariances and the packed ${n}×${n} Cholesky factor on each of ${threads} threads, and the factor in shared memory`, 8 * (threads * (3 * rows * (n + 4) + n * n) + n * n + m * (d + 2)), {
      ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
      alternative: 'a pool with fewer threads, or a sparse GP (fitSGPR/fitSVGP) for this many training points',
    });
    const shared = this.#sharedModel();
    if (shared === null) return this.#predictInBlocks(where, pts, maxMemoryBytes);
    // chunks of ≥ ~2·10⁶ solve flops (so per-call costs stay small) but ≥ 4 per thread, in whole 96-row panels:
    // 96 rows from n ≈ 150 up, so the threads finish within ~one 96-row chunk of each other
    const perWork = Math.ceil(2e6 / (n * n) / 96) * 96;
    const perThread = Math.ceil(m / (4 * threads) / 96) * 96;
    const chunkRows = Math.min(rows, Math.max(96, Math.min(perWork, perThread)));
    const chunks = Math.ceil(m / chunkRows);
    const sharedArray = (k: number) => new Float64Array(new SharedArrayBuffer(8 * k));
    const points = sharedArray(m * d);
    points.set(pts.data);
    const task: PredictTask = { points, m, d, chunkRows, chunks, counter: new Int32Array(new SharedArrayBuffer(4)), mean: sharedArray(m), q: sharedArray(m), fma: wasmFmaActive() };
    const done = driver.run(shared, task);
    try {
      const model = this.#rowsModel();
      const buffer = new Float64Array(rows * n);
      for (let taken = 0; taken < poolTestHooks.callerChunkLimit; taken++) {
        const c = Atomics.add(task.counter, 0, 1);
        if (c >= chunks) break;
        predictRows(model, pts, c * chunkRows, Math.min(m, (c + 1) * chunkRows), task.mean, task.q, buffer);
      }
    } catch (e) {
      done.catch(() => undefined);
      throw e;
    }
    await done;
    return this.#finishBlocks(where, pts, new Float64Array(task.mean), task.q);
  }

  /** Variance $k(x,x) - q$ (floored at 0, scaled back) and std from the blocked path's mean and q. */
  #finishBlocks(where: string, pts: Points, mean: Float64Array, q: Float64Array): GPPrediction {
    const s = this.#s;
    const m = pts.n;
    const var2 = s.yStd * s.yStd;
    const kdiag = s.kernel.computeDiag(pts);
    const variance = new Float64Array(m);
    for (let i = 0; i < m; i++) variance[i] = Math.max(0, (kdiag[i] - q[i]) * var2);
    checkFinitePrediction(where, mean, variance);
    return { mean, variance, std: variance.map(Math.sqrt) };
  }

  /**
   * Mean and variance (no covariance) of m ≥ n points on the Cholesky path, in blocks of rows so that memory
   * stays bounded (one block of $K_*$ — at most 2²⁰ entries, or 96 rows when n > 10,922 — instead of two m×n arrays): per block $K_*$ (RBF
   * terms by `rbfCross`), the mean $K_*\alpha$ and $\lVert L^{-1}k_*\rVert^2$ by core's `LowerInverseRows` (the
   * triangular solve $V = K_*L^{-\top}$ blocked on a triangle-aware SIMD GEMM macro-kernel, m·n² flops, V never
   * stored). Agrees with the unblocked path to ~1e-13 (not bit for bit: the triangular solve and the order of
   * the sums differ; both paths take RBF cross-covariances from `rbfCross`, so the exponential is the same). Each point's result depends on that point alone, not on the block it falls in
   * (the work is `predictRows`, shared with the worker pool of `predictAsync`).
   */
  #predictInBlocks(where: string, pts: Points, maxMemoryBytes: number | undefined): GPPrediction {
    const s = this.#s;
    const m = pts.n;
    const n = s.X.n;
    const rows = Math.min(m, blockRows(n));
    checkMemory(where, `blocks of ${rows}×${n} cross-covariances and the packed ${n}×${n} Cholesky factor`, 8 * (3 * rows * (n + 4) + n * n), {
      ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
      alternative: 'a sparse GP (fitSGPR/fitSVGP) for this many training points',
    });
    const mean = new Float64Array(m);
    const q = new Float64Array(m);
    predictRows(this.#rowsModel(), pts, 0, m, mean, q, new Float64Array(rows * n));
    return this.#finishBlocks(where, pts, mean, q);
  }

  /**
   * Draws `n` functions from the posterior at `Xs` (rows of the result), via the Cholesky factor of the
   * predictive covariance (adaptive jitter).
   * @defaultValue n = 1, seed = 0
   * @throws as {@link GPModel.predict}; DomainError for bad options; NotPositiveDefiniteError.
   */
  samplePosterior(Xs: PointsInput, options: GPSampleOptions = {}): Matrix {
    const where = 'GPModel.samplePosterior';
    const o = SAMPLE_OPTIONS.parse(options);
    const count = o.n;
    const rng = resolveRng(where, o, 0);
    const { mean, covariance } = this.#predict(where, Xs, true, o.maxMemoryBytes);
    const m = mean.length;
    checkMemory(where, `${count} draws of ${m} points`, 8 * count * m, {
      ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
      alternative: 'fewer draws',
    });
    const L = cholesky(covariance as Matrix).lowerData;
    const out = new Float64Array(count * m);
    for (let s = 0; s < count; s++) {
      const z = sampleNormalArray(rng, m);
      for (let i = 0; i < m; i++) {
        let v = mean[i];
        for (let j = 0; j <= i; j++) v += L[i * m + j] * z[j];
        out[s * m + i] = v;
      }
    }
    return fromRowMajor(out, count, m);
  }

  /** JSON form; `GPModel.fromJSON` rebuilds a model whose predictions are bit-identical. */
  toJSON(): GPModelJSON {
    const s = this.#s;
    const X: number[][] = [];
    for (let i = 0; i < s.X.n; i++) X.push(Array.from(s.X.data.subarray(i * s.X.d, (i + 1) * s.X.d)));
    const r = this.report;
    return {
      kind: 'gp',
      version: 2,
      kernel: s.kernel.toJSON(),
      noise: s.noise,
      normalizeY: s.normalizeY,
      X,
      y: Array.from(s.yRaw),
      report: {
        ...r,
        ...(r.trace ? { trace: [...r.trace] } : {}),
        restarts: [...r.restarts],
        startEvaluations: [...r.startEvaluations],
        boundHits: [...r.boundHits],
        scales: { ...r.scales },
        ...(r.cg ? { cg: { ...r.cg } } : {}),
      },
    };
  }

  /**
   * Rebuilds a model from {@link GPModel.toJSON} at the stored hyperparameters (no re-optimisation). Every
   * field is validated: kind/version, the kernel (see `kernelFromJSON`), `X` and `y` (finite, matching rows),
   * `noise` ≥ 0, `normalizeY`, and the report (core's `readFitReport` plus the GP fields).
   * @throws DomainError / ShapeError / NonFiniteError naming the field.
   */
  static fromJSON(json: GPModelJSON): GPModel {
    const where = 'GPModel.fromJSON';
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
    }
    if (json.kind !== 'gp' || json.version !== 2) {
      throw new DomainError(`${where}: argument 'json' must be { kind: 'gp', version: 2, ... }, got kind ${describeValue(json.kind)}, version ${describeValue(json.version)}`);
    }
    const X = readPoints(json.X, where, 'X');
    const yRaw = readTargets(where, json.y, X.n);
    if (typeof json.noise !== 'number' || !Number.isFinite(json.noise) || json.noise < 0) {
      throw new DomainError(`${where}: field 'noise' must be a finite number >= 0, got ${describeValue(json.noise)}`);
    }
    if (typeof json.normalizeY !== 'boolean') throw new DomainError(`${where}: field 'normalizeY' must be a boolean, got ${describeValue(json.normalizeY)}`);
    const kernel = kernelFromJSON(json.kernel);
    kernel.checkDim(where, X);
    const report = readGPReport(where, json.report);
    return new GPModel(buildState(X, yRaw, kernel, json.noise, json.normalizeY, report));
  }
}

/**
 * Whether two kernels are built from the same classes, node by node (sums and products recursively): a worker
 * rebuilds the kernel from its JSON, which gives the library's classes, so a subclass of the user's own (e.g.
 * an RBF with its own `computeMatrix`) must not be sent there.
 */
function sameClasses(a: Kernel, b: Kernel): boolean {
  if (a.constructor !== b.constructor) return false;
  const ka = (a as { kernels?: readonly Kernel[] }).kernels;
  const kb = (b as { kernels?: readonly Kernel[] }).kernels;
  if (ka === undefined || kb === undefined) return ka === kb;
  return ka.length === kb.length && ka.every((k, i) => sameClasses(k, kb[i] as Kernel));
}

function checkFinitePrediction(where: string, mean: Float64Array, variance: Float64Array): void {
  for (let i = 0; i < mean.length; i++) {
    if (!Number.isFinite(mean[i]) || !Number.isFinite(variance[i])) {
      throw new NonFiniteError(`${where}: the prediction at row ${i} of 'Xs' is not finite (mean ${mean[i]}, variance ${variance[i]}); the inputs may be too large for the kernel`);
    }
  }
}

function fail(where: string, field: string, expected: string, got: unknown): never {
  throw new DomainError(`${where}: field 'report.${field}' must be ${expected}, got ${describeValue(got)}`);
}

function numberArray(where: string, field: string, v: unknown, allowNaN: boolean, integer = false): number[] {
  if (!Array.isArray(v)) fail(where, field, 'an array of numbers', v);
  return (v as unknown[]).map((x, i) => {
    if (x === null && allowNaN) return Number.NaN; // JSON writes NaN as null
    if (typeof x !== 'number' || !Number.isFinite(x) || (integer && (!Number.isInteger(x) || x < 0))) {
      fail(where, `${field}[${i}]`, integer ? 'an integer >= 0' : 'a finite number', x);
    }
    return x as number;
  });
}

/** Validates the report of a GP model's JSON (core fields by `readFitReport`, then the GP extension). */
function readGPReport(where: string, value: unknown): GPFitReport {
  const base = readFitReport(where, value);
  const r = value as Record<string, unknown>;
  const restarts = numberArray(where, 'restarts', r.restarts, true);
  const startEvaluations = numberArray(where, 'startEvaluations', r.startEvaluations, false, true);
  if (startEvaluations.length !== restarts.length) fail(where, 'startEvaluations', `an array of length ${restarts.length} (one per start)`, r.startEvaluations);
  if (!Array.isArray(r.boundHits) || !r.boundHits.every((b) => typeof b === 'string')) fail(where, 'boundHits', 'an array of strings', r.boundHits);
  if (typeof r.jitter !== 'number' || !Number.isFinite(r.jitter) || r.jitter < 0) fail(where, 'jitter', 'a finite number >= 0', r.jitter);
  if (r.method !== 'cholesky' && r.method !== 'cg') fail(where, 'method', "'cholesky' or 'cg'", r.method);
  const sc = r.scales as Record<string, unknown> | undefined;
  const okScale = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;
  if (typeof sc !== 'object' || sc === null || !okScale(sc.length) || !okScale(sc.variance)) fail(where, 'scales', '{ length, variance } with finite values > 0', sc);
  let cg: CGSettings | undefined;
  if (r.method === 'cg') {
    const c = r.cg as Record<string, unknown> | undefined;
    if (typeof c !== 'object' || c === null) fail(where, 'cg', 'an object of CG settings', c);
    const int = (k: string, min: number) => {
      const x = (c as Record<string, unknown>)[k];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < min) fail(where, `cg.${k}`, `an integer >= ${min}`, x);
      return x as number;
    };
    const tol = (c as Record<string, unknown>).tol;
    if (typeof tol !== 'number' || !(tol > 0 && tol < 1)) fail(where, 'cg.tol', 'a number in (0, 1)', tol);
    cg = { tol: tol as number, maxIterations: int('maxIterations', 1), rank: int('rank', 0), probes: int('probes', 1), lanczosSteps: int('lanczosSteps', 1), seed: int('seed', 0) };
  }
  return {
    ...base,
    restarts,
    startEvaluations,
    boundHits: [...(r.boundHits as string[])],
    jitter: r.jitter as number,
    method: r.method as 'cholesky' | 'cg',
    scales: { length: (sc as { length: number }).length, variance: (sc as { variance: number }).variance },
    ...(cg ? { cg } : {}),
  };
}
