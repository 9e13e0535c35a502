/**
 * `minimize(f, bounds, …)`: the ask/tell loop of {@link BayesianOptimizer} run for a budget of evaluations,
 * written once ({@link boLoop}) and run by a synchronous (`minimize`) and an asynchronous (`minimizeAsync`)
 * driver.
 */
import {
  DomainError,
  type FitProgress,
  type FitReport,
  NonFiniteError,
  defineOptions,
  describeValue,
  makeFitReport,
  stopwatch,
} from '@notes/core-linalg';
import { type StepLoop, driveAsync, driveSync, withPartial } from '../gp-regression/drive.js';
import { BayesianOptimizer, type BayesianOptimizerOptions, OPTIMIZER_RULES, readBoxBounds } from './optimizer.js';

/** One step of the trace. */
export interface BOStep {
  readonly x: readonly number[];
  readonly y: number;
  /** Best value so far. */
  readonly best: number;
}

/** Progress of {@link minimize}: after every evaluation of f. */
export interface BOProgress extends FitProgress {
  /** Evaluations of f so far (= `evaluation`). */
  readonly iteration: number;
  /** Best value of f so far (the minimised objective). */
  readonly objective: number;
  /** Milliseconds since the start. */
  readonly elapsedMs: number;
  /** Point just evaluated. */
  readonly x: readonly number[];
  /** f at that point. */
  readonly y: number;
  /** Best value so far (= objective). */
  readonly best: number;
  /** Evaluations of f so far. */
  readonly evaluation: number;
}

/** Options of {@link minimize} and {@link minimizeAsync}. */
export interface MinimizeOptions extends BayesianOptimizerOptions {
  /** Number of evaluations of f. @defaultValue 40 */
  budget?: number;
  /** Called after every evaluation. */
  onProgress?: (info: BOProgress) => void;
  /** Stops the loop; `AbortError.partial` is `{ x, value, trace }` of the evaluations so far. */
  signal?: AbortSignal;
}

const OPTIONS = defineOptions<MinimizeOptions>()('minimize', {
  ...OPTIMIZER_RULES,
  budget: { type: 'integer', min: 1, max: 1e6, default: 40, doc: 'evaluations of f' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
});

/** Result of {@link minimize}: the best point, the trace and a report (reason `'completed'`). Frozen. */
export interface MinimizeResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly trace: readonly BOStep[];
  readonly evaluations: number;
  /** `reason` `'completed'` (or `'aborted'` in a partial), `iterations` = evaluations, `trace` = best so far. */
  readonly report: FitReport;
}

/** What `AbortError.partial` holds when {@link minimize} is aborted: the evaluations so far. */
export interface MinimizePartial {
  /** Best point so far (null before the first evaluation). */
  readonly x: Float64Array | null;
  readonly value: number | null;
  readonly trace: readonly BOStep[];
  readonly evaluations: number;
}

function result(opt: BayesianOptimizer, trace: BOStep[], clock: () => number): MinimizeResult {
  const best = opt.best as { x: Float64Array; y: number };
  return Object.freeze({
    x: best.x,
    value: best.y,
    trace: Object.freeze([...trace]),
    evaluations: trace.length,
    report: makeFitReport({ reason: 'completed', iterations: trace.length, evaluations: trace.length, elapsedMs: clock(), trace: trace.map((s) => s.best) }),
  });
}

/** The one BO loop: ask (GP refit + acquisition search, as L-BFGS steps), evaluate f, tell, checkpoint. */
function* boLoop(f: (x: Float64Array) => number, opt: BayesianOptimizer, budget: number, onProgress: MinimizeOptions['onProgress']): StepLoop<MinimizeResult> {
  const clock = stopwatch();
  const trace: BOStep[] = [];
  const partial = (): MinimizePartial => {
    const best = opt.best;
    return Object.freeze({ x: best ? best.x : null, value: best ? best.y : null, trace: Object.freeze([...trace]), evaluations: trace.length });
  };
  for (let e = 1; e <= budget; e++) {
    const x = yield* withPartial(opt.askSteps(), partial);
    const y = f(x.slice());
    if (typeof y !== 'number') throw new DomainError(`minimize: f must return a number, got ${describeValue(y)} at x = [${Array.from(x).join(', ')}]`);
    if (!Number.isFinite(y)) throw new NonFiniteError(`minimize: f returned ${describeValue(y)} at x = [${Array.from(x).join(', ')}]`);
    opt.tell(x, y);
    const step: BOStep = Object.freeze({ x: Object.freeze(Array.from(x)), y, best: (opt.best as { y: number }).y });
    trace.push(step);
    onProgress?.({ ...step, iteration: e, objective: step.best, evaluation: e, elapsedMs: clock() });
    if (e < budget) yield { kind: 'checkpoint', partial };
  }
  return result(opt, trace, clock);
}

function prepare(where: string, f: unknown, bounds: unknown, options: MinimizeOptions | undefined) {
  if (typeof f !== 'function') throw new DomainError(`${where}: argument 'f' must be a function x => number, got ${describeValue(f)}`);
  readBoxBounds(where, bounds);
  const o = OPTIONS.parse(options);
  const { budget, onProgress, signal, ...rest } = o;
  const opt = new BayesianOptimizer(bounds as [number, number][], rest);
  return { loop: boLoop(f as (x: Float64Array) => number, opt, budget, onProgress), signal };
}

/**
 * Minimises a black-box `f` over a box by Bayesian optimisation (`budget` evaluations).
 * @example minimize((x) => (x[0] - 1) ** 2, [[-3, 3]], { budget: 15, seed: 1 }).x
 * @throws as {@link BayesianOptimizer}; DomainError / NonFiniteError if f returns a non-number or NaN/±∞;
 *   AbortError (partial {@link MinimizePartial}: the trace and the best point so far).
 */
export function minimize(f: (x: Float64Array) => number, bounds: ArrayLike<readonly [number, number]>, options: MinimizeOptions = {}): MinimizeResult {
  const { loop, signal } = prepare('minimize', f, bounds, options);
  return driveSync('minimize', loop, signal);
}

/**
 * {@link minimize} that yields to the event loop every 50 ms (inside the GP refits too), so an `AbortSignal`
 * fired by a timer or a button stops it within one L-BFGS iteration or one evaluation of f. Same options,
 * same evaluations, same result (f itself is called synchronously). Rejects with `AbortError` whose `partial`
 * is a {@link MinimizePartial} (trace and best point so far).
 */
export async function minimizeAsync(
  f: (x: Float64Array) => number,
  bounds: ArrayLike<readonly [number, number]>,
  options: MinimizeOptions = {},
): Promise<MinimizeResult> {
  const { loop, signal } = prepare('minimizeAsync', f, bounds, options);
  return driveAsync('minimizeAsync', loop, signal);
}
