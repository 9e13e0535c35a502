/**
 * `@notes/gp/node` — Node-only additions to `@notes/gp`: the worker pool that splits a GP prediction over
 * `worker_threads` (`const pool = await createGPWorkerPool({ threads: 2 }); await model.predictAsync(Xs, { pool })`).
 * The main entry stays browser-safe; nothing here is imported by it.
 * @packageDocumentation
 */
export { GPWorkerError, type GPWorkerPoolOptions, type NodeGPWorkerPool, createGPWorkerPool } from './parallel/pool.js';
export type { GPWorkerPool } from './parallel/protocol.js';
