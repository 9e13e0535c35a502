import {
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  makeFitReport,
  permutation,
  type Rng,
  resolveRng,
  runFit,
  runFitAsync,
  type StopReason,
  stopwatch,
} from '@notes/core-linalg';
import { viterbiKernel } from '../chain/index.js';
import { type AttributeFunction, type AttributeSource, type FeatureTemplates, resolveTemplates } from './attributes.js';
import { checkEncoded, checkTable, type EncodedData, type FeatureTable } from './featureTable.js';
import { CRFModel } from './model.js';
import { fillUnary } from './objective.js';

/** Progress of one perceptron epoch (`trainPerceptron`, `fitCRF({ algorithm: 'perceptron' })`). */
export interface PerceptronProgress extends FitProgress {
  /** Epochs completed. */
  readonly iteration: number;
  /** Same as `trainError` (what the perceptron drives down). */
  readonly objective: number;
  /** Fraction of training tokens mis-tagged during the epoch (before each sentence's update). */
  readonly trainError: number;
  /** Milliseconds since training started. */
  readonly elapsedMs: number;
}

/** Options of {@link trainPerceptron} / {@link trainPerceptronAsync}. */
export interface TrainPerceptronOptions {
  /** Passes over the data. @defaultValue 8 */
  epochs?: number;
  /** Seed of the shuffling generator (give `seed` or `rng`, not both). @defaultValue 0 */
  seed?: number;
  /** A generator from `createRng` for the shuffling (advanced by the call). */
  rng?: Rng;
  /** The templates the table was built with (the model extracts attributes with them). @defaultValue DEFAULT_TEMPLATES */
  templates?: FeatureTemplates;
  /** The attribute function the table was built with, instead of templates. */
  attributes?: AttributeFunction;
  /** Called after every epoch (milliseconds). */
  onProgress?: (info: PerceptronProgress) => void;
  /** Stops training at the next checkpoint (every 256 sentences) with `AbortError`; partial: the averaged model so far. */
  signal?: AbortSignal;
}

const OPTIONS = defineOptions<TrainPerceptronOptions>()('trainPerceptron', {
  epochs: { type: 'integer', min: 1, max: 1_000_000, default: 8, doc: 'passes over the data' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of the shuffling generator' },
  rng: { type: 'rng', doc: 'shuffling generator' },
  templates: { type: 'custom', expected: 'a templates object', check: (v) => typeof v === 'object' && v !== null && !Array.isArray(v), doc: 'templates of the table' },
  attributes: { type: 'function', doc: 'attribute function of the table' },
  onProgress: { type: 'function', doc: 'progress callback (ms)' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

/** Sentences between two checkpoints of the perceptron loop (where an abort is seen). */
const CHECKPOINT_EVERY = 256;

/** @internal the state a perceptron fit needs: validated table, data, shuffling generator, attribute source. */
export interface PerceptronSetup {
  table: FeatureTable;
  data: EncodedData;
  source: AttributeSource;
  epochs: number;
  rng: Rng;
  onProgress?: ((info: PerceptronProgress) => void) | undefined;
  /** Milliseconds since the fit started (includes the caller's setup, e.g. the feature table). */
  clock: () => number;
}

/**
 * The one averaged-perceptron loop (Collins 2002) behind `trainPerceptron`, `fitCRF({ algorithm: 'perceptron' })`
 * and their async twins: for each sentence, decode $\hat y = \arg\max_y \lambda^\top F(x, y)$ and update
 * $\lambda \leftarrow \lambda + F(x, y) - F(x, \hat y)$; the result is the average of λ over all steps (the lazy
 * "w − u/c" trick, Daumé 2006 §2.5). Yields a checkpoint every {@link CHECKPOINT_EVERY} sentences whose partial is
 * the averaged model so far.
 */
export function* perceptronLoop(s: PerceptronSetup): FitLoop<CRFModel> {
  const { table, data, source, rng, clock } = s;
  const Y = table.labels.length;
  const { attrStart, stateLabel, nState } = table;
  const { seqStart, tokStart, attrIds, labels } = data;
  const nSeq = seqStart.length - 1;
  const nTok = seqStart[nSeq];
  const w = new Float64Array(table.nWeights);
  const u = new Float64Array(table.nWeights);
  const unary = new Float64Array(data.maxLen * Y);
  const delta = new Float64Array(data.maxLen * Y);
  const back = new Int32Array(data.maxLen * Y);
  const path = new Int32Array(data.maxLen);
  const trace: number[] = [];
  let c = 1;
  let epochsDone = 0;
  const model = (reason: StopReason): CRFModel => {
    const avg = new Float64Array(w.length);
    for (let k = 0; k < w.length; k++) avg[k] = w[k] - u[k] / c;
    const report = makeFitReport({ reason, iterations: epochsDone, evaluations: epochsDone, elapsedMs: clock(), trace });
    return new CRFModel(table, source, avg, { report, tokens: nTok });
  };
  const bump = (a: number, y: number, v: number) => {
    for (let k = attrStart[a]; k < attrStart[a + 1]; k++) {
      if (stateLabel[k] === y) {
        w[k] += v;
        u[k] += c * v;
        return;
      }
    }
  };
  const partial = () => model('aborted');
  for (let e = 0; e < s.epochs; e++) {
    const order = permutation(rng, nSeq);
    let wrong = 0;
    for (let r = 0; r < nSeq; r++) {
      if (r > 0 && r % CHECKPOINT_EVERY === 0) yield partial;
      const q0 = order[r];
      const t0 = seqStart[q0];
      const T = seqStart[q0 + 1] - t0;
      fillUnary(table, data, t0, t0 + T, w, unary);
      viterbiKernel(unary, w.subarray(nState), T, Y, delta, back, path);
      for (let t = 0; t < T; t++) {
        const g = labels[t0 + t];
        const p = path[t];
        const gPrev = t > 0 ? labels[t0 + t - 1] : -1;
        const pPrev = t > 0 ? path[t - 1] : -1;
        if (g !== p) {
          wrong++;
          for (let q = tokStart[t0 + t]; q < tokStart[t0 + t + 1]; q++) {
            bump(attrIds[q], g, 1);
            bump(attrIds[q], p, -1);
          }
        }
        if (t > 0 && (g !== p || gPrev !== pPrev)) {
          const kg = nState + gPrev * Y + g;
          const kp = nState + pPrev * Y + p;
          w[kg] += 1;
          u[kg] += c;
          w[kp] -= 1;
          u[kp] -= c;
        }
      }
      c++;
    }
    epochsDone = e + 1;
    trace.push(wrong / nTok);
    s.onProgress?.({ iteration: epochsDone, objective: wrong / nTok, trainError: wrong / nTok, elapsedMs: clock() });
    if (e + 1 < s.epochs) yield partial;
  }
  return model('completed');
}

function setup(where: string, table: FeatureTable, data: EncodedData, options: TrainPerceptronOptions | undefined): PerceptronSetup {
  const clock = stopwatch();
  const o = OPTIONS.parse(options);
  checkTable(where, table);
  checkEncoded(where, table, data, true);
  if (o.templates !== undefined && o.attributes !== undefined) throw new DomainError(`${where}: give option 'templates' or option 'attributes', not both`);
  const source = o.attributes ?? resolveTemplates(where, o.templates);
  const rng = resolveRng(where, { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.rng !== undefined ? { rng: o.rng } : {}) }, 0);
  return { table, data, source, epochs: o.epochs, rng, onProgress: o.onProgress, clock };
}

/**
 * Averaged structured perceptron (Collins 2002) on a feature table and its encoded training data (from
 * `buildFeatureTable`). Returns the fitted {@link CRFModel} itself (`report.reason` `'completed'`, `iterations` =
 * epochs, `trace` = training error per epoch); `templates`/`attributes` must be what the table was built with.
 * `fitCRF(data, { algorithm: 'perceptron' })` does the same from tagged sentences.
 * @throws DomainError/ShapeError on a malformed table or data, bad options (unknown keys name the closest one);
 * AbortError (partial: the averaged model so far).
 */
export function trainPerceptron(table: FeatureTable, data: EncodedData, options?: TrainPerceptronOptions): CRFModel {
  const s = setup('trainPerceptron', table, data, options);
  return runFit('trainPerceptron', perceptronLoop(s), { signal: options?.signal });
}

/**
 * {@link trainPerceptron} run by the asynchronous driver (same loop, same result), yielding to the event loop at
 * least every 50 ms; an abort rejects with `AbortError` whose `partial` is the averaged model so far.
 */
export function trainPerceptronAsync(table: FeatureTable, data: EncodedData, options?: TrainPerceptronOptions): Promise<CRFModel> {
  try {
    const s = setup('trainPerceptronAsync', table, data, options);
    return runFitAsync('trainPerceptronAsync', perceptronLoop(s), { signal: options?.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}
