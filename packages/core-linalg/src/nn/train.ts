/**
 * A minimal training loop: loss → gradients → optimiser step, with progress and cancellation. One
 * generator loop behind {@link train} (synchronous) and {@link trainAsync} (yields to the event loop).
 */
import { variableGrads, type Tensor } from '../autodiff/index.js';
import { DomainError, NonFiniteError, defineOptions, describeValue } from '../errors/index.js';
import { type FitLoop, type FitProgress, type FitReport, makeFitReport, runFit, runFitAsync, stopwatch } from '../fit/index.js';
import type { Optimizer } from './optimizers.js';

/** What `onProgress` receives: the {@link FitProgress} fields (`objective` is the step's loss) and `loss`. */
export interface TrainProgress extends FitProgress {
  /** Steps completed. */
  readonly iteration: number;
  /** Loss of the last step (the objective minimised). */
  readonly objective: number;
  /** Same as `objective` (kept for readability of training code). */
  readonly loss: number;
  /** Milliseconds since `train` started. */
  readonly elapsedMs: number;
}

/** Options of {@link train} and {@link trainAsync}. */
export interface TrainOptions {
  /** Optimiser (it holds the parameters). */
  optimizer: Optimizer;
  /** Number of steps. */
  steps: number;
  /** Stop early once the loss is at or below this. @defaultValue none (never) */
  targetLoss?: number;
  /** Called every `progressEvery` steps, at the target and after the last step. */
  onProgress?: (info: TrainProgress) => void;
  /** @defaultValue 1 */
  progressEvery?: number;
  /**
   * Cancels between steps: throws (`trainAsync`: rejects with) `AbortError` whose `partial` is
   * `{ iteration, losses }` (steps done, loss of each); the parameters keep their trained values.
   */
  signal?: AbortSignal;
}

/** Result of {@link train}. */
export interface TrainResult {
  /** Loss at every step. */
  readonly losses: number[];
  /**
   * `{ converged, reason, iterations, elapsedMs, trace }`: reason `'target-reached'` when the loss reached
   * `targetLoss`, `'completed'` after all `steps` (both count as `converged`); `trace` = `losses`.
   */
  readonly report: FitReport & { readonly reason: 'target-reached' | 'completed'; readonly trace: readonly number[] };
}

/** What the `AbortError` of an aborted {@link train} / {@link trainAsync} holds as `partial`. */
export interface TrainPartial {
  /** Steps completed before the abort. */
  readonly iteration: number;
  /** Loss of each completed step. */
  readonly losses: number[];
}

const isOptimizer = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Optimizer).step === 'function' &&
  Array.isArray((v as Optimizer).params);

/** The options of {@link train} / {@link trainAsync}, declared once (unknown keys are rejected). */
const TRAIN_OPTIONS = {
  optimizer: { type: 'custom', expected: 'an optimizer (createAdamOptimizer / createSgdOptimizer)', check: isOptimizer, doc: 'holds the parameters' },
  steps: { type: 'integer', min: 0, doc: 'number of steps' },
  targetLoss: { type: 'number', doc: 'stop once the loss is <= targetLoss' },
  onProgress: { type: 'function', doc: 'progress callback' },
  progressEvery: { type: 'integer', min: 1, default: 1, doc: 'call onProgress every N steps' },
  signal: { type: 'signal', doc: 'aborts between steps' },
} as const;
const SYNC = defineOptions<TrainOptions>()('train', TRAIN_OPTIONS);
const ASYNC = defineOptions<TrainOptions>()('trainAsync', TRAIN_OPTIONS);

type Parsed = ReturnType<typeof SYNC.parse>;

function parse(parser: typeof SYNC, loss: unknown, options: TrainOptions): Parsed {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new DomainError(`${parser.where}: argument 'options' must be an object { optimizer, steps, ... }, got ${describeValue(options)}`);
  }
  const o = parser.parse(options);
  if (typeof loss !== 'function') {
    throw new DomainError(`${parser.where}: argument 'loss' must be a function step => Tensor, got ${describeValue(loss)}`);
  }
  if (o.optimizer === undefined) throw new DomainError(`${parser.where}: option 'optimizer' is required`);
  if (o.steps === undefined) throw new DomainError(`${parser.where}: option 'steps' is required`);
  return o;
}

function* trainLoop(where: string, loss: (step: number) => Tensor, o: Parsed): FitLoop<TrainResult> {
  const { optimizer, steps, progressEvery } = o;
  const target = o.targetLoss ?? Number.NEGATIVE_INFINITY;
  const clock = stopwatch();
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    const { value, grads } = variableGrads(() => loss(t), optimizer.params);
    if (!Number.isFinite(value)) {
      throw new NonFiniteError(`${where}: loss is ${value} at step ${t}; parameters left unchanged (run with setNanCheck(true) to find the op)`);
    }
    optimizer.step(grads);
    losses.push(value);
    const done = value <= target;
    if (o.onProgress && ((t + 1) % progressEvery === 0 || done || t + 1 === steps)) {
      o.onProgress({ iteration: t + 1, objective: value, loss: value, elapsedMs: clock() });
    }
    if (done) return result(losses, 'target-reached', clock());
    const n = losses.length;
    yield (): TrainPartial => ({ iteration: n, losses: losses.slice(0, n) });
  }
  return result(losses, 'completed', clock());
}

function result(losses: number[], reason: 'target-reached' | 'completed', elapsedMs: number): TrainResult {
  const report = makeFitReport({ reason, iterations: losses.length, elapsedMs, trace: losses }) as TrainResult['report'];
  return Object.freeze({ losses, report });
}

/**
 * Runs `steps` iterations of $\theta \leftarrow \text{optimizer}(\theta, \nabla_\theta L_t(\theta))$, where
 * `loss(t)` builds the step-t loss (pick the minibatch from `t`). Each step opens and releases its own
 * tape, so memory stays flat. Progress reports `{ iteration, objective, loss, elapsedMs }` (`objective` =
 * `loss` = the step's loss).
 * @returns `{ losses, report }`; `report.reason` is `'target-reached'` or `'completed'`.
 * @throws DomainError for a missing or bad option (unknown keys name the closest valid key);
 * NonFiniteError if a loss is NaN/±Infinity (parameters keep their last finite values);
 * AbortError when `signal` fires (`partial`: {@link TrainPartial}; parameters keep their trained values).
 * @example
 * const { losses, report } = train(() => mseLoss(net.forward(X), Y), { optimizer, steps: 500 });
 */
export function train(loss: (step: number) => Tensor, options: TrainOptions): TrainResult {
  const o = parse(SYNC, loss, options);
  return runFit('train', trainLoop('train', loss, o), { signal: o.signal });
}

/**
 * {@link train} that yields to the event loop at least every 50 ms, so an `AbortSignal` fired by a timer
 * or a UI event stops it within one step (rejecting with `AbortError` whose `partial` is
 * `{ iteration, losses }`). Same options, same steps, same result as {@link train}.
 */
export function trainAsync(loss: (step: number) => Tensor, options: TrainOptions): Promise<TrainResult> {
  try {
    const o = parse(ASYNC, loss, options);
    return runFitAsync('trainAsync', trainLoop('trainAsync', loss, o), { signal: o.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}
