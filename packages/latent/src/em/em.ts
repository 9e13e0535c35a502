/**
 * The generic EM driver of the notes' "Latent variable model" / "EM Algorithm" sections.
 *
 * With $\log p(X\mid\theta) = \mathcal L(q,\theta) + \mathrm{KL}(q\,\|\,p(Z\mid X,\theta)) \ge \mathcal L(q,\theta)$,
 * EM alternates block-coordinate updates of the lower bound:
 * E-step $q(Z) = p(Z\mid X,\theta_{t})$ (the bound touches $\log p(X\mid\theta_t)$),
 * M-step $\theta_{t+1} = \arg\max_\theta \mathbb E_{q}\log p(X, Z\mid\theta)$.
 * The bound recorded at iteration $t$ is the one evaluated in the E-step, i.e. $\log p(X\mid\theta_{t})$
 * (scaled as the problem chooses, e.g. per sample); it never decreases (Dempster, Laird & Rubin 1977;
 * Bishop, PRML §9.4).
 *
 * The loop is written once ({@link emSteps}, a generator yielding a checkpoint after every iteration) and
 * run by core's two drivers: {@link runEM} (synchronous) and {@link runEMAsync} (yields to the event loop
 * every ~50 ms so an `AbortSignal` fired by a timer stops it within one iteration).
 */
import {
  type Checkpoint,
  DomainError,
  defineOptions,
  describeValue,
  type FitReport,
  makeFitReport,
  NonFiniteError,
  runFit,
  runFitAsync,
  stopwatch,
} from '@notes/core-linalg';

/** One EM problem: an E-step that returns the bound and the expectations, an M-step that uses them. */
export interface EMProblem<P, E> {
  /** E-step at `params`: the posterior expectations and the bound $\log p(X\mid\theta)$ (or its per-sample mean). */
  eStep(params: P): { bound: number; expectations: E };
  /** M-step: new parameters maximising $\mathbb E_q \log p(X,Z\mid\theta)$. */
  mStep(params: P, expectations: E): P;
}

/** Progress seen by `onProgress` after every iteration. */
export interface EMProgress {
  /** Iterations completed (1-based). */
  iteration: number;
  /** The lower bound at the parameters of this iteration's E-step (maximised). */
  objective: number;
  /** Same as `objective`. */
  lowerBound: number;
  /** Change from the previous iteration's bound (Infinity on the first). */
  change: number;
  /** Milliseconds since the fit started. */
  elapsedMs: number;
}

/** Options of {@link runEM}. */
export interface EMOptions {
  /** Stop when `|bound_t − bound_{t−1}| < tol` (criterion `'tol'`). @defaultValue 1e-3 */
  tol?: number;
  /** Iteration cap (each iteration is one E-step and one M-step). @defaultValue 100 */
  maxIterations?: number;
  /** Called after each iteration. */
  onProgress?: (info: EMProgress) => void;
  /** Aborts between iterations with core's `AbortError` (partial: {@link EMPartial}). */
  signal?: AbortSignal;
  /** Function name used in error messages. @defaultValue 'runEM' */
  where?: string;
}

/** Option table of {@link runEM} (defaults and validation). */
export const EM_OPTIONS = defineOptions<EMOptions>()('runEM', {
  tol: { type: 'number', min: 0, default: 1e-3, doc: 'stop when the bound changes by less than this' },
  maxIterations: { type: 'integer', min: 1, max: 1e12, default: 100, doc: 'iteration cap' },
  onProgress: { type: 'function', doc: 'called after every iteration' },
  signal: { type: 'signal', doc: 'AbortSignal checked between iterations' },
  where: { type: 'custom', expected: 'a string', check: (v) => typeof v === 'string', default: 'runEM', doc: 'name used in messages' },
});

/** Defaults of {@link EMOptions}. */
export const EM_DEFAULTS = EM_OPTIONS.defaults;

/** Result of {@link runEM}: the last parameters, the last bound and the report (`trace` = bound per iteration). */
export interface EMResult<P> {
  /** Parameters after the last M-step. */
  readonly params: P;
  /** Last recorded bound (the one the stopping rule looked at), as scikit-learn's `lower_bound_`. */
  readonly bound: number;
  /** `reason` 'converged' (criterion 'tol') or 'max-iterations'; `trace[t]` is the bound of E-step t+1. */
  readonly report: FitReport;
}

/** The `partial` of an aborted {@link runEM}/{@link runEMAsync}: the current iterate. */
export interface EMPartial<P> {
  params: P;
  bound: number;
  report: FitReport;
}

/** Internal knobs of {@link emSteps}. @internal */
export interface EMStepOptions<P> {
  tol: number;
  maxIterations: number;
  where: string;
  onProgress?: ((info: EMProgress) => void) | undefined;
  /** Milliseconds since the whole fit started (shared across restarts). */
  clock: () => number;
  /** Builds what an abort returns from the current iterate. */
  partial: (params: P, bound: number, trace: readonly number[], iterations: number) => unknown;
}

/**
 * The EM loop, written once: E-step (bound), M-step, test the change of the bound (scikit-learn's
 * `BaseMixture.fit_predict` order). Yields a checkpoint after every iteration that did not stop the loop.
 * Returns the last parameters, the last bound, the bounds and whether `tol` was met.
 * @internal
 */
export function* emSteps<P, E>(
  problem: EMProblem<P, E>,
  init: P,
  o: EMStepOptions<P>,
): Generator<Checkpoint, { params: P; bound: number; bounds: number[]; converged: boolean }, void> {
  let params = init;
  const bounds: number[] = [];
  let prev = Number.NEGATIVE_INFINITY;
  let converged = false;
  for (let it = 1; it <= o.maxIterations; it++) {
    const e = problem.eStep(params);
    if (typeof e !== 'object' || e === null) throw new DomainError(`${o.where}: eStep must return { bound, expectations }, got ${describeValue(e)}`);
    const { bound, expectations } = e;
    if (typeof bound !== 'number' || !Number.isFinite(bound)) throw new NonFiniteError(`${o.where}: the E-step bound is ${bound} at iteration ${it}`);
    params = problem.mStep(params, expectations);
    bounds.push(bound);
    const change = bound - prev;
    prev = bound;
    converged = Math.abs(change) < o.tol;
    o.onProgress?.({ iteration: it, objective: bound, lowerBound: bound, change, elapsedMs: o.clock() });
    if (converged || it === o.maxIterations) break;
    const snap = params;
    const trace = bounds.slice();
    yield () => o.partial(snap, bound, trace, it);
  }
  return { params, bound: prev, bounds, converged };
}

function prepare<P, E>(problem: EMProblem<P, E>, init: P, options: EMOptions | undefined) {
  const o = EM_OPTIONS.parse(options);
  if (typeof problem !== 'object' || problem === null || typeof problem.eStep !== 'function' || typeof problem.mStep !== 'function') {
    throw new DomainError(`${o.where}: argument 'problem' must be an object with eStep and mStep functions, got ${describeValue(problem)}`);
  }
  const clock = stopwatch();
  const report = (trace: readonly number[], converged: boolean, reason?: 'aborted') =>
    makeFitReport({
      reason: reason ?? (converged ? 'converged' : 'max-iterations'),
      ...(converged && !reason ? { criterion: 'tol' } : {}),
      iterations: trace.length,
      elapsedMs: clock(),
      trace,
    });
  function* loop() {
    const r = yield* emSteps(problem, init, {
      tol: o.tol,
      maxIterations: o.maxIterations,
      where: o.where,
      onProgress: o.onProgress,
      clock,
      partial: (params, bound, trace) => Object.freeze({ params, bound, report: report(trace, false, 'aborted') }),
    });
    return Object.freeze({ params: r.params, bound: r.bound, report: report(r.bounds, r.converged) }) as EMResult<P>;
  }
  return { o, loop: loop() };
}

/**
 * Runs EM until the bound changes by less than `tol` or `maxIterations` is reached.
 * @example runEM(problem, initialParams, { tol: 1e-6 }).report.trace // non-decreasing
 * @throws DomainError for bad options (unknown keys name the closest valid one); NonFiniteError when an
 *   E-step returns a NaN/±Infinity bound (naming the iteration); AbortError (partial {@link EMPartial})
 *   when `signal` aborts.
 */
export function runEM<P, E>(problem: EMProblem<P, E>, init: P, options?: EMOptions): EMResult<P> {
  const { o, loop } = prepare(problem, init, options);
  return runFit(o.where, loop, { signal: o.signal });
}

/**
 * {@link runEM} on the asynchronous driver: same loop, yields to the event loop at least every 50 ms.
 * @throws (rejects with) the errors of {@link runEM}.
 */
export async function runEMAsync<P, E>(problem: EMProblem<P, E>, init: P, options?: EMOptions): Promise<EMResult<P>> {
  const { o, loop } = prepare(problem, init, options);
  return runFitAsync(o.where, loop, { signal: o.signal });
}
