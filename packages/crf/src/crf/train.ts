import {
  AbortError,
  DomainError,
  defineOptions,
  type FitProgress,
  type FitReport,
  type LBFGSOptions,
  type LBFGSResult,
  makeFitReport,
  minimizeLBFGS,
  minimizeLBFGSAsync,
  type Rng,
  resolveRng,
  runFit,
  runFitAsync,
  stopwatch,
} from '@notes/core-linalg';
import { type AttributeFunction, type AttributeSource, type FeatureTemplates, resolveTemplates } from './attributes.js';
import { buildFeatureTable, checkSentences, type EncodedData, type FeatureTable, type TaggedSentence } from './featureTable.js';
import { CRFModel } from './model.js';
import { CRFObjective } from './objective.js';
import { perceptronLoop } from './perceptron.js';

/**
 * Progress of {@link fitCRF}: one L-BFGS iteration or one perceptron epoch. `elapsedMs` is in milliseconds since
 * the fit started (the feature table included).
 */
export interface CRFProgress extends FitProgress {
  /** L-BFGS iterations or perceptron epochs completed. */
  readonly iteration: number;
  /** L-BFGS: the regularised negative conditional log-likelihood; perceptron: the epoch's training error rate. */
  readonly objective: number;
  /** Milliseconds since the fit started. */
  readonly elapsedMs: number;
  /** L-BFGS: inf-norm of the gradient. */
  readonly gradNorm?: number;
  /** L-BFGS: objective evaluations so far. */
  readonly evaluations?: number;
}

/** Options of {@link fitCRF} and {@link fitCRFAsync}. */
export interface FitCRFOptions {
  /** Feature templates (missing keys take their defaults). @defaultValue DEFAULT_TEMPLATES */
  templates?: FeatureTemplates;
  /**
   * A user attribute function `(tokens, t) => string[]` replacing the templates (give one or the other). The model
   * calls it again when predicting; `CRFModel.fromJSON` needs it back (`options.attributes`).
   */
  attributes?: AttributeFunction;
  /** 'lbfgs' (L2-regularised CLL, exact) or 'perceptron' (averaged structured perceptron, fast). @defaultValue 'lbfgs' */
  algorithm?: 'lbfgs' | 'perceptron';
  /** L2 coefficient c₂ in $\tfrac{c_2}{2}\lVert\lambda\rVert^2$. @defaultValue 1 */
  l2?: number;
  /** L-BFGS iteration cap. @defaultValue 100 */
  maxIterations?: number;
  /** L-BFGS: converged (criterion `'gradTol'`) when the gradient's inf-norm is ≤ gradTol. @defaultValue 1e-5 */
  gradTol?: number;
  /** L-BFGS: converged (criterion `'fTol'`) when the objective falls by ≤ fTol·max(|f|, 1) in an iteration. @defaultValue 1e-7 */
  fTol?: number;
  /** L-BFGS memory: number of (s, y) correction pairs kept. @defaultValue 10 */
  memory?: number;
  /** Attributes seen fewer times are dropped. @defaultValue 1 */
  minFeatureCount?: number;
  /** Perceptron epochs. @defaultValue 8 */
  epochs?: number;
  /** Seed of the perceptron's shuffling (give `seed` or `rng`, not both). @defaultValue 0 */
  seed?: number;
  /** A generator from `createRng` for the perceptron's shuffling (advanced by the call). */
  rng?: Rng;
  /** Called after every L-BFGS iteration or perceptron epoch with {@link CRFProgress} (milliseconds). */
  onProgress?: (info: CRFProgress) => void;
  /** Stops the fit with `AbortError`; its `partial` is the model at the current weights. */
  signal?: AbortSignal;
}

const OPTIONS = defineOptions<FitCRFOptions>()('fitCRF', {
  templates: { type: 'custom', expected: 'a templates object', check: (v) => typeof v === 'object' && v !== null && !Array.isArray(v), doc: 'feature templates' },
  attributes: { type: 'function', doc: 'user attribute function (tokens, t) => string[]' },
  algorithm: { type: 'enum', values: ['lbfgs', 'perceptron'], default: 'lbfgs', doc: 'training algorithm' },
  l2: { type: 'number', min: 0, default: 1, doc: 'L2 coefficient c2' },
  maxIterations: { type: 'integer', min: 1, default: 100, doc: 'L-BFGS iteration cap' },
  gradTol: { type: 'number', greaterThan: 0, default: 1e-5, doc: 'L-BFGS gradient tolerance (inf-norm)' },
  fTol: { type: 'number', min: 0, default: 1e-7, doc: 'L-BFGS relative decrease tolerance' },
  memory: { type: 'integer', min: 1, max: 1000, default: 10, doc: 'L-BFGS memory (correction pairs)' },
  minFeatureCount: { type: 'integer', min: 1, default: 1, doc: 'attributes seen fewer times are dropped' },
  epochs: { type: 'integer', min: 1, max: 1_000_000, default: 8, doc: 'perceptron epochs' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'perceptron shuffling seed' },
  rng: { type: 'rng', doc: 'perceptron shuffling generator' },
  onProgress: { type: 'function', doc: 'progress callback (ms)' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

type Parsed = ReturnType<typeof OPTIONS.parse>;

/** A {@link CRFModel} returned by a fit: `report` and `tokens` are always present. */
export type FittedCRF = CRFModel & { readonly report: FitReport; readonly tokens: number };

interface Prepared {
  o: Parsed;
  source: AttributeSource;
  table: FeatureTable;
  enc: EncodedData;
  clock: () => number;
  rng: Rng;
}

/** Parses options and data and builds the feature table (all before any training; shared by both drivers). */
function prepare(where: string, data: readonly TaggedSentence[], options: FitCRFOptions | undefined): Prepared {
  const clock = stopwatch();
  const o = OPTIONS.parse(options);
  checkSentences(where, data, true);
  if (o.templates !== undefined && o.attributes !== undefined) throw new DomainError(`${where}: give option 'templates' or option 'attributes', not both`);
  const rng = resolveRng(where, { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.rng !== undefined ? { rng: o.rng } : {}) }, 0);
  const source: AttributeSource = o.attributes ?? resolveTemplates(where, o.templates);
  // an already aborted signal stops the fit before the feature table is built (seconds on a large corpus)
  if (o.signal?.aborted) throw new AbortError(`${where}: aborted by the caller's AbortSignal`);
  const { table, encoded: enc } = buildFeatureTable(data, source, o.minFeatureCount, where);
  return { o, source, table, enc, clock, rng };
}

function lbfgsSetup(p: Prepared): { f: (w: Float64Array) => { value: number; gradient: Float64Array }; x0: Float64Array; opts: LBFGSOptions } {
  const { o, table, enc, clock } = p;
  const obj = new CRFObjective(table, enc, o.l2);
  const grad = new Float64Array(table.nWeights);
  const onProgress = o.onProgress;
  return {
    f: (w) => ({ value: obj.evaluate(w, grad), gradient: grad }),
    x0: new Float64Array(table.nWeights),
    opts: {
      maxIterations: o.maxIterations,
      gradTol: o.gradTol,
      fTol: o.fTol,
      memory: o.memory,
      signal: o.signal,
      onProgress: onProgress
        ? (q) => onProgress({ iteration: q.iteration, objective: q.objective, elapsedMs: clock(), gradNorm: q.gradNorm, evaluations: q.evaluations })
        : undefined,
    },
  };
}

function lbfgsModel(p: Prepared, res: LBFGSResult): FittedCRF {
  const r = res.report;
  const report = makeFitReport({
    reason: r.reason,
    iterations: r.iterations,
    evaluations: r.evaluations,
    elapsedMs: p.clock(),
    trace: r.trace,
    ...(r.criterion !== undefined ? { criterion: r.criterion } : {}),
  });
  return new CRFModel(p.table, p.source, res.x, { report, tokens: p.enc.labels.length }) as FittedCRF;
}

/** Re-throws an L-BFGS abort with the model at the current weights as `partial`. */
function mapAbort(where: string, p: Prepared, e: unknown): never {
  if (e instanceof AbortError) {
    const it = e.partial as { x?: Float64Array; iterations?: number; evaluations?: number } | undefined;
    let partial: CRFModel | undefined;
    if (it?.x instanceof Float64Array) {
      const report = makeFitReport({ reason: 'aborted', iterations: it.iterations ?? 0, evaluations: it.evaluations ?? 0, elapsedMs: p.clock() });
      partial = new CRFModel(p.table, p.source, it.x, { report, tokens: p.enc.labels.length });
    }
    throw new AbortError(e.message.replace(/^minimizeLBFGS(Async)?/, where), partial);
  }
  throw e;
}

/**
 * Trains a linear-chain CRF on tagged sentences and returns the fitted {@link CRFModel} itself (immutable).
 *
 * - `'lbfgs'` minimises the L2-regularised negative conditional log-likelihood with core's L-BFGS (gradient =
 *   expected − empirical feature counts + c₂λ, see `CRFObjective`). `report`: `reason` `'converged'` (criterion
 *   `'gradTol'` or `'fTol'`), `'max-iterations'` or `'line-search-failed'`; `iterations`, `evaluations` (objective
 *   evaluations, line-search steps included), `trace` (objective after each iteration, starting at λ = 0).
 * - `'perceptron'` runs the averaged structured perceptron: `reason` `'completed'`, `iterations` = epochs,
 *   `trace` = training error per epoch.
 *
 * `report.elapsedMs` and progress `elapsedMs` count from the call (feature table included). Extras on the model:
 * `features` (number of weights), `tokens` (training tokens).
 * @throws ShapeError on empty data or token/tag length mismatch; DomainError on bad options (unknown keys name
 * the closest one) or an attribute function returning non-strings; AbortError (partial: the model at the current
 * weights, `report.reason` `'aborted'`; undefined when aborted before the first iteration).
 * @example const model = fitCRF([{ tokens: ['the', 'dog'], tags: ['DET', 'NOUN'] }]); model.predict(['the', 'cat'])
 */
export function fitCRF(data: readonly TaggedSentence[], options?: FitCRFOptions): FittedCRF {
  const where = 'fitCRF';
  const p = prepare(where, data, options);
  if (p.o.algorithm === 'perceptron') {
    const loop = perceptronLoop({ table: p.table, data: p.enc, source: p.source, epochs: p.o.epochs, rng: p.rng, onProgress: p.o.onProgress, clock: p.clock });
    return runFit(where, loop, { signal: p.o.signal }) as FittedCRF;
  }
  const s = lbfgsSetup(p);
  let res: LBFGSResult;
  try {
    res = minimizeLBFGS(s.f, s.x0, s.opts);
  } catch (e) {
    mapAbort(where, p, e);
  }
  return lbfgsModel(p, res);
}

/**
 * {@link fitCRF} through the asynchronous drivers (core's `minimizeLBFGSAsync` for L-BFGS, `runFitAsync` for the
 * perceptron): the same loops and the same model, yielding to the event loop at least every 50 ms so an
 * `AbortSignal` fired by a timer or a button stops it within one objective evaluation (L-BFGS) or 256 sentences
 * (perceptron). The feature table is built before the first yield. Rejects with `AbortError` whose `partial` is the
 * model at the current weights (L-BFGS: the current iterate; perceptron: the averaged weights so far).
 */
export async function fitCRFAsync(data: readonly TaggedSentence[], options?: FitCRFOptions): Promise<FittedCRF> {
  const where = 'fitCRFAsync';
  const p = prepare(where, data, options);
  if (p.o.algorithm === 'perceptron') {
    const loop = perceptronLoop({ table: p.table, data: p.enc, source: p.source, epochs: p.o.epochs, rng: p.rng, onProgress: p.o.onProgress, clock: p.clock });
    return (await runFitAsync(where, loop, { signal: p.o.signal })) as FittedCRF;
  }
  const s = lbfgsSetup(p);
  let res: LBFGSResult;
  try {
    res = await minimizeLBFGSAsync(s.f, s.x0, s.opts);
  } catch (e) {
    mapAbort(where, p, e);
  }
  return lbfgsModel(p, res);
}
