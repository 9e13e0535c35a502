/**
 * The GP worker pool (Node only, `@notes/gp/node`): `threads − 1` `worker_threads` workers that
 * `GPModel.predictAsync(Xs, { pool })` splits a prediction over, together with the calling thread (see
 * `./protocol.ts` for what they exchange and `./worker.ts` for a worker's side).
 *
 * The worker script is found next to this module: `./worker.ts` when running from source (vitest, tsx; with
 * tsx's hooks registered first), `./node-worker.js` / `.cjs` in the built package (the same format as the
 * module that starts it); see `BOOTSTRAP` for how a worker starts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DomainError, NotesError, defineOptions } from '@notes/core-linalg';
import { type FromWorker, type GPWorkerPool, POOL_DRIVER, type PoolDriver, type PredictTask, type SharedModel, type ToWorker } from './protocol.js';

/** Options of {@link createGPWorkerPool}. */
export interface GPWorkerPoolOptions {
  /**
   * Threads a prediction runs on, the calling thread included: the pool starts `threads − 1` workers
   * (`threads: 1` makes a pool without workers: `predictAsync` then runs on the calling thread).
   * @defaultValue `os.availableParallelism()`
   */
  threads?: number;
}

const OPTIONS = defineOptions<GPWorkerPoolOptions>()('createGPWorkerPool', {
  threads: { type: 'integer', min: 1, max: 256, doc: 'threads of a prediction, the calling thread included' },
});

/**
 * A worker of the pool failed: it threw (the worker's error name, code and message are kept), could not start
 * (e.g. its script is missing), or exited while a prediction was running. The pool starts a new worker on its
 * next prediction.
 */
export class GPWorkerError extends NotesError {
  /** `name` of the error raised in the worker (`'Error'` when the worker exited without one). */
  readonly workerErrorName: string;
  /** `code` of the error raised in the worker, when it had a string code (e.g. a `NotesError`'s). */
  readonly workerErrorCode: string | undefined;
  constructor(message: string, workerErrorName = 'Error', workerErrorCode?: string) {
    super(message);
    this.workerErrorName = workerErrorName;
    this.workerErrorCode = workerErrorCode;
  }
}

/** A {@link GPWorkerPool} with `Symbol.asyncDispose` (`await using pool = await createGPWorkerPool()`). */
export interface NodeGPWorkerPool extends GPWorkerPool {
  /** Same as {@link GPWorkerPool.close}. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface Pending {
  resolve: (chunks: number) => void;
  reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly index: number;
  readonly pending: Map<number, Pending>;
  /** Resolves on the worker's `ready` message, rejects if it fails first (a no-op handler is attached). */
  readonly ready: Promise<void>;
  isReady: boolean;
  dead: boolean;
}

/**
 * Where a worker's script is and, from source, the URL of tsx's `esm/api` to register first (with a tsconfig
 * of its own if given: the tests map `@notes/*` to the sources there, as vitest does on the calling thread).
 * @internal
 */
export interface WorkerScript {
  readonly url: URL;
  readonly tsxApi?: string;
  readonly tsconfig?: string;
}

/** Locates the worker script next to this module (source or built package); see the file's header. @internal */
export function locateWorkerScript(): WorkerScript {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) {
    // tsx's ESM build of its API (the CommonJS one registers from a path that is wrong in an eval'd worker)
    const api = createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    return { url: new URL('./worker.ts', here), tsxApi: pathToFileURL(api).href };
  }
  const ext = new URL(here).pathname.endsWith('.cjs') ? '.cjs' : '.js';
  for (const candidate of [`./node-worker${ext}`, `../node-worker${ext}`]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return { url };
  }
  return { url: new URL(`./node-worker${ext}`, here) };
}

/**
 * Every worker starts from this string (`eval`), valid both as a CommonJS script and as an ES module: a worker
 * inherits the parent's Node options, and a parent started with `node --input-type=module -e …` makes a
 * worker started from a file fail (`--input-type` is only allowed with string input); an explicit `execArgv`
 * cannot drop it either (V8 options such as `--expose-gc` are rejected there). From source it first registers
 * tsx's hooks: neither a parent's `--import tsx` nor one in the worker's `execArgv` reaches a worker's entry
 * in Node 20.
 */
const BOOTSTRAP = `import('node:worker_threads').then(({ workerData: w }) =>
  w.tsxApi === undefined ? import(w.url) : import(w.tsxApi).then((api) => { api.register(w.tsconfig === undefined ? {} : { tsconfig: w.tsconfig }); return import(w.url); }));`;

let pools = 0;

class WorkerPool implements NodeGPWorkerPool, PoolDriver {
  readonly threads: number;
  readonly workers: number;
  readonly #script: WorkerScript;
  readonly #slots: (Slot | null)[];
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #name = `@notes/gp pool ${++pools}`;
  #closed = false;
  #closing: Promise<void> | null = null;
  #nextTask = 0;

  constructor(threads: number, script: WorkerScript) {
    this.threads = threads;
    this.workers = threads - 1;
    this.#script = script;
    this.#slots = Array.from({ length: this.workers }, (_, i) => this.#spawn(i));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal */
  get [POOL_DRIVER](): PoolDriver {
    return this;
  }

  /** Resolves when every worker has loaded its script; rejects with the first worker's failure. @internal */
  async whenReady(): Promise<void> {
    await Promise.all(this.#slots.map((s, i) => (s ?? this.#slot(i)).ready));
  }

  run(model: SharedModel, task: PredictTask): Promise<number[]> {
    if (this.#closed) return Promise.reject(new DomainError(`${this.#name}: the pool is closed`));
    const all = Promise.all(Array.from({ length: this.workers }, (_, i) => this.#post(i, { type: 'predict', id: ++this.#nextTask, model, task })));
    const tracked = all.then(
      () => undefined,
      () => undefined,
    );
    this.#inflight.add(tracked);
    void tracked.then(() => this.#inflight.delete(tracked));
    return all;
  }

  /** Makes worker `index` throw an uncaught error while handling its next message (tests). @internal */
  crashForTest(index: number): Promise<number> {
    return this.#post(index, { type: 'crash-for-test', id: ++this.#nextTask });
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
      await Promise.all(
        this.#slots.map(async (s, i) => {
          this.#slots[i] = null;
          if (s && !s.dead) {
            s.dead = true;
            await s.worker.terminate();
          }
        }),
      );
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #slot(i: number): Slot {
    let s = this.#slots[i];
    if (!s || s.dead) {
      s = this.#spawn(i);
      this.#slots[i] = s;
    }
    return s;
  }

  #post(i: number, message: ToWorker): Promise<number> {
    const slot = this.#slot(i);
    return new Promise<number>((resolve, reject) => {
      slot.pending.set(message.id, { resolve, reject });
      this.#ref(slot);
      slot.worker.postMessage(message);
    });
  }

  /** Keeps the process alive while a worker is starting or has work; an idle pool does not. */
  #ref(slot: Slot): void {
    if (slot.dead) return;
    if (!slot.isReady || slot.pending.size > 0) slot.worker.ref();
    else slot.worker.unref();
  }

  #spawn(index: number): Slot {
    const { url, tsxApi, tsconfig } = this.#script;
    const name = `${this.#name} worker ${index + 1}`;
    const workerData = { url: url.href, ...(tsxApi === undefined ? {} : { tsxApi }), ...(tsconfig === undefined ? {} : { tsconfig }) };
    const worker = new Worker(BOOTSTRAP, { eval: true, name, workerData });
    let onReady!: () => void;
    let onFail!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, index, pending: new Map(), ready, isReady: false, dead: false };
    const fail = (error: GPWorkerError) => {
      if (slot.dead && slot.pending.size === 0) return;
      slot.dead = true;
      onFail(error);
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
    };
    const who = `${this.#name}: worker ${index + 1} of ${this.workers}`;
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        slot.isReady = true;
        onReady();
      } else {
        const p = slot.pending.get(msg.id);
        slot.pending.delete(msg.id);
        if (msg.type === 'done') p?.resolve(msg.chunks);
        else p?.reject(new GPWorkerError(`${who} failed: ${msg.name}: ${msg.message}`, msg.name, msg.code));
      }
      this.#ref(slot);
    });
    worker.on('error', (e: Error) => {
      const code = (e as { code?: unknown }).code;
      fail(new GPWorkerError(`${who} failed: ${e.name}: ${e.message}`, e.name, typeof code === 'string' ? code : undefined));
    });
    worker.on('exit', (code) => fail(new GPWorkerError(`${who} exited (exit code ${code})${this.#closed ? ' as the pool closed' : ''}`)));
    return slot;
  }
}

/**
 * Starts a pool of worker threads for `GPModel.predictAsync(Xs, { pool })` (Node only; import from
 * `@notes/gp/node`) and resolves once every worker has loaded. Keep the pool for many predictions (starting
 * them took 240–262 ms for 1 worker from the built package on an idle machine: each loads `@notes/core-linalg` and
 * compiles the WebAssembly kernels) and close it with `pool.close()` or `await using`. An idle pool does
 * not keep the process alive.
 *
 * A pooled prediction shares the model's Cholesky factor with the workers in a SharedArrayBuffer, packed once
 * per model for the triangular solve on the calling thread (≈ n²/2 doubles; the workers adopt it without
 * packing, copy it into their WebAssembly memory and keep the last two models) and splits the test points in chunks claimed by the calling thread and the
 * workers; the result is bit-identical to `predict`'s. Only a machine with free cores gains: on a loaded
 * machine the workers compete with everything else.
 * @throws DomainError for bad options; GPWorkerError (rejection) if a worker cannot start.
 */
export async function createGPWorkerPool(options: GPWorkerPoolOptions = {}): Promise<NodeGPWorkerPool> {
  const o = OPTIONS.parse(options);
  return startPool(o.threads ?? availableParallelism(), locateWorkerScript());
}

/** {@link createGPWorkerPool} with a given worker script (tests). @internal */
export async function startPool(threads: number, script: WorkerScript): Promise<WorkerPool> {
  const pool = new WorkerPool(threads, script);
  try {
    await pool.whenReady();
  } catch (e) {
    await pool.close();
    throw e;
  }
  return pool;
}

export type { WorkerPool };
