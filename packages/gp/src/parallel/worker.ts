/**
 * A worker thread of the GP worker pool (`./pool.ts`; Node only): on each `predict` message it switches core's
 * WebAssembly kernels to the calling thread's variant (`task.fma`: relaxed-SIMD FMA or plain SIMD), rebuilds the
 * model's `RowsModel` from the shared, already packed factor (once per model, keeping the last two), claims chunks of test
 * points from the task's atomic counter until none is left, runs `predictRows` on them (the same code as the
 * calling thread) writing into the shared `mean` and `q`, and answers `done` with the number of chunks it took,
 * or `error` with the error's name, code and message.
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { LowerInverseRows, setWasmFma } from '@notes/core-linalg/kernels';
import { kernelFromJSON } from '../kernels/json.js';
import { rbf } from '../kernels/rbf.js';
import { type RowsModel, blockRows, predictRows } from './predict-rows.js';
import type { FromWorker, SharedModel, ToWorker } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('@notes/gp worker: this module runs only as a worker thread of createGPWorkerPool');

/** Models seen last (most recent first); each refers to its shared packed factor (≈ n²/2 doubles). */
const models: { id: string; model: RowsModel }[] = [];
const KEEP = 2;

function rowsModel(s: SharedModel): RowsModel {
  const at = models.findIndex((e) => e.id === s.id);
  if (at >= 0) {
    const [hit] = models.splice(at, 1);
    models.unshift(hit as { id: string; model: RowsModel });
    return (hit as { model: RowsModel }).model;
  }
  const model: RowsModel = {
    kernel: kernelFromJSON(s.kernel),
    X: { data: s.X, n: s.n, d: s.d },
    alpha: s.alpha,
    yStd: s.yStd,
    yMean: s.yMean,
    inverse: LowerInverseRows.fromPacked(s.packed, s.n),
  };
  models.unshift({ id: s.id, model });
  models.length = Math.min(models.length, KEEP);
  return model;
}

let scratch = new Float64Array(0);

function post(message: FromWorker): void {
  (port as NonNullable<typeof port>).postMessage(message);
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'crash-for-test') throw new Error('@notes/gp worker: crash requested by a test');
  try {
    const t = msg.task;
    // the calling thread's kernel variant (relaxed-SIMD FMA or plain SIMD), so that every row has predict's bits
    if (setWasmFma(t.fma ? 'auto' : 'off') !== t.fma) {
      throw new Error('the calling thread runs the relaxed-SIMD (FMA) kernels but this worker cannot compile them; results would not be bit-identical');
    }
    const model = rowsModel(msg.model);
    const n = msg.model.n;
    const size = Math.min(t.m, blockRows(n)) * n;
    if (scratch.length < size) scratch = new Float64Array(size);
    const pts = { data: t.points, n: t.m, d: t.d };
    let chunks = 0;
    for (;;) {
      const c = Atomics.add(t.counter, 0, 1);
      if (c >= t.chunks) break;
      predictRows(model, pts, c * t.chunkRows, Math.min(t.m, (c + 1) * t.chunkRows), t.mean, t.q, scratch);
      chunks++;
    }
    post({ type: 'done', id: msg.id, chunks });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const code = (err as { code?: unknown }).code;
    post({ type: 'error', id: msg.id, name: err.name, code: typeof code === 'string' ? code : undefined, message: err.message });
  }
});
// compile the WebAssembly kernels (SIMD exponential, triangular macro-kernel) before reporting ready, so the
// pool's start-up, not its first prediction, pays for them
const warm: RowsModel = { kernel: rbf(), X: { data: Float64Array.of(0, 1), n: 2, d: 1 }, alpha: Float64Array.of(1, 1), yStd: 1, yMean: 0, inverse: new LowerInverseRows(Float64Array.of(1, 0, 0.5, 1), 2) };
predictRows(warm, { data: Float64Array.of(0.5, 2), n: 2, d: 1 }, 0, 2, new Float64Array(2), new Float64Array(2), new Float64Array(4));
post({ type: 'ready' });
