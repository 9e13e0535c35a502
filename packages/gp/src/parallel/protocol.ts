/**
 * What `GPModel.predictAsync` and a worker pool (`createGPWorkerPool` from `@notes/gp/node`) exchange. This
 * file has no Node imports: the main entry (browser-safe) needs the types and the symbol; the pool itself
 * lives in the Node-only entry.
 *
 * The model and the pool meet through a method keyed by a registered symbol (`Symbol.for`), not through
 * `instanceof` or a shared module: the ESM and CommonJS builds of the main and Node entries are separate
 * bundles, and a pool from one must drive a model from another.
 * @internal
 */
import type { KernelJSON } from '../kernels/index.js';

/**
 * A pool of worker threads that `GPModel.predictAsync` can split a prediction over (create one with
 * `createGPWorkerPool` from `@notes/gp/node`; Node only). Keep it for many calls and close it when done.
 */
export interface GPWorkerPool {
  /** Threads a prediction runs on: the calling thread plus `threads − 1` workers. */
  readonly threads: number;
  /** True once {@link GPWorkerPool.close} was called; a closed pool is rejected with a `DomainError`. */
  readonly closed: boolean;
  /** Waits for running predictions, then stops the workers. Idempotent. */
  close(): Promise<void>;
}

/** Key of the pool's internal driver (see {@link PoolDriver}). @internal */
export const POOL_DRIVER: unique symbol = Symbol.for('@notes/gp.worker-pool.v1');

/**
 * A fitted model's data for the workers, in shared memory: made once per model on the calling thread and
 * cached there; each worker rebuilds its `RowsModel` from it once (keyed by `id`, without copying or packing the
 * factor) and keeps the last few.
 * @internal
 */
export interface SharedModel {
  /** Unique per model (per process). */
  readonly id: string;
  readonly n: number;
  readonly d: number;
  /**
   * The Cholesky factor of C as core's `LowerInverseRows` packs it (`packed`, SharedArrayBuffer): packed once
   * on the calling thread, adopted by each worker with `LowerInverseRows.fromPacked` (no packing there).
   */
  readonly packed: Float64Array;
  /** Training inputs, n×d (SharedArrayBuffer). */
  readonly X: Float64Array;
  /** α = C⁻¹y (SharedArrayBuffer). */
  readonly alpha: Float64Array;
  readonly kernel: KernelJSON;
  readonly yStd: number;
  readonly yMean: number;
}

/**
 * One pooled prediction: `chunks` chunks of `chunkRows` test points (the last one shorter); every thread
 * claims the next chunk with `Atomics.add(counter, 0, 1)` until none is left and writes its rows of `mean`
 * and `q` (all SharedArrayBuffer).
 * @internal
 */
export interface PredictTask {
  readonly points: Float64Array;
  readonly m: number;
  readonly d: number;
  readonly chunkRows: number;
  readonly chunks: number;
  readonly counter: Int32Array;
  readonly mean: Float64Array;
  readonly q: Float64Array;
  /**
   * Whether the calling thread's WebAssembly kernels accumulate with relaxed SIMD's fused multiply-add
   * (`wasmFmaActive()` of `@notes/core-linalg/kernels`); every worker switches to the same variant, or fails, so
   * that the pooled result stays bit-identical to `predict`'s.
   */
  readonly fma: boolean;
}

/** The pool's side of a pooled prediction. @internal */
export interface PoolDriver {
  readonly closed: boolean;
  /** Workers (threads − 1). */
  readonly workers: number;
  /**
   * Posts the task to every worker now and resolves when each has found no chunk left to claim (the number
   * of chunks each computed); rejects with the pool's typed error if a worker fails.
   */
  run(model: SharedModel, task: PredictTask): Promise<number[]>;
}

/** Messages to a worker. @internal */
export type ToWorker = { type: 'predict'; id: number; model: SharedModel; task: PredictTask } | { type: 'crash-for-test'; id: number };

/** Messages from a worker. @internal */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; chunks: number }
  | { type: 'error'; id: number; name: string; code: string | undefined; message: string };

/** The pool's driver behind `pool`, or null when `pool` is not a pool from `createGPWorkerPool`. @internal */
export function poolDriver(pool: unknown): PoolDriver | null {
  if (typeof pool !== 'object' || pool === null) return null;
  const driver = (pool as { [POOL_DRIVER]?: unknown })[POOL_DRIVER];
  return typeof driver === 'object' && driver !== null && typeof (driver as PoolDriver).run === 'function' ? (driver as PoolDriver) : null;
}

/**
 * Test hook: the most chunks the calling thread claims in a pooled prediction (tests set 0 so that every row
 * is computed by a worker). @internal
 */
export const poolTestHooks = { callerChunkLimit: Number.POSITIVE_INFINITY };
