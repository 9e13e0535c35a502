/** `minimize(f, bounds, …)`: the ask/tell loop of {@link BayesianOptimizer} run for a budget of evaluations. */
import { assertInteger, throwIfAborted } from '@notes/core-linalg';
import { BayesianOptimizer, type BayesianOptimizerOptions } from './optimizer.js';

/** One step of the trace. */
export interface BOStep {
  x: number[];
  y: number;
  /** Best value so far. */
  best: number;
}

/** Options of {@link minimize}. */
export interface MinimizeOptions extends BayesianOptimizerOptions {
  /** Number of evaluations of f. @defaultValue 40 */
  budget?: number;
  onProgress?: (info: BOStep & { evaluation: number; elapsed: number }) => void;
  signal?: AbortSignal;
}

/** Result of {@link minimize}. */
export interface MinimizeResult {
  x: Float64Array;
  value: number;
  trace: BOStep[];
  evaluations: number;
}

/**
 * Minimises a black-box `f` over a box by Bayesian optimisation.
 * @example minimize((x) => (x[0] - 1) ** 2, [[-3, 3]], { budget: 15, seed: 1 }).x
 * @throws as {@link BayesianOptimizer}; NonFiniteError if f returns NaN/Infinity; AbortError.
 */
export function minimize(
  f: (x: Float64Array) => number,
  bounds: ArrayLike<readonly [number, number]>,
  options: MinimizeOptions = {},
): MinimizeResult {
  const budget = options.budget ?? 40;
  assertInteger('minimize', 'options.budget', budget, 1);
  const t0 = Date.now();
  const opt = new BayesianOptimizer(bounds, options);
  const trace: BOStep[] = [];
  for (let e = 1; e <= budget; e++) {
    throwIfAborted('minimize', options.signal);
    const x = opt.ask();
    const y = f(x);
    opt.tell(x, y);
    const step = { x: Array.from(x), y, best: opt.best!.y };
    trace.push(step);
    options.onProgress?.({ ...step, evaluation: e, elapsed: Date.now() - t0 });
  }
  const best = opt.best!;
  return { x: best.x, value: best.y, trace, evaluations: budget };
}
