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
 */
import { NonFiniteError, throwIfAborted } from '@notes/core-linalg';
import { assertIntOption, assertNumberOption } from '../util/data.js';

/** One EM problem: an E-step that returns the bound and the expectations, an M-step that uses them. */
export interface EMProblem<P, E> {
  /** E-step at `params`: the posterior expectations and the bound $\log p(X\mid\theta)$ (or its per-sample mean). */
  eStep(params: P): { bound: number; expectations: E };
  /** M-step: new parameters maximising $\mathbb E_q \log p(X,Z\mid\theta)$. */
  mStep(params: P, expectations: E): P;
}

/** Progress seen by `onProgress` after every iteration. */
export interface EMProgress {
  iteration: number;
  /** Bound at the parameters of this iteration's E-step. */
  objective: number;
  /** Change from the previous iteration's bound (Infinity on the first). */
  change: number;
  elapsedMs: number;
  converged: boolean;
}

/** Options of {@link runEM}. */
export interface EMOptions {
  /** Stop when `|bound_t − bound_{t−1}| < tol`. @defaultValue 1e-3 */
  tol?: number;
  /** Iteration cap (each iteration is one E-step and one M-step). @defaultValue 100 */
  maxIterations?: number;
  /** Called after each iteration. */
  onProgress?: (info: EMProgress) => void;
  /** Aborts between iterations with core's `AbortError`. */
  signal?: AbortSignal;
  /** Function name used in error messages. @defaultValue 'runEM' */
  where?: string;
}

/** Defaults of {@link EMOptions}. */
export const EM_DEFAULTS = { tol: 1e-3, maxIterations: 100, where: 'runEM' } as const;

/** Result of {@link runEM}: the last parameters and the convergence report. */
export interface EMResult<P> {
  /** Parameters after the last M-step. */
  params: P;
  /** Bound of every E-step, in order (`bounds[t]` belongs to the parameters before M-step `t`). */
  bounds: number[];
  /** Last recorded bound (the one the stopping rule looked at), as scikit-learn's `lower_bound_`. */
  bound: number;
  iterations: number;
  converged: boolean;
  reason: 'tolerance' | 'max-iterations';
}

/**
 * Runs EM until the bound changes by less than `tol` or `maxIterations` is reached. The loop order is
 * scikit-learn's (`BaseMixture.fit_predict`): E-step (bound), M-step, test the change of the bound.
 * @example runEM(problem, initialParams, { tol: 1e-6 }).bounds // non-decreasing
 * @throws DomainError for a bad `tol`/`maxIterations`; NonFiniteError when an E-step returns a NaN/±Infinity
 *   bound (naming the iteration); AbortError when `signal` aborts.
 */
export function runEM<P, E>(problem: EMProblem<P, E>, init: P, options: EMOptions = {}): EMResult<P> {
  const where = options.where ?? EM_DEFAULTS.where;
  const tol = options.tol ?? EM_DEFAULTS.tol;
  const maxIterations = options.maxIterations ?? EM_DEFAULTS.maxIterations;
  assertNumberOption(where, 'tol', tol, 0, true);
  assertIntOption(where, 'maxIterations', maxIterations, 1);
  const t0 = Date.now();
  let params = init;
  const bounds: number[] = [];
  let prev = Number.NEGATIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  for (let it = 1; it <= maxIterations; it++) {
    throwIfAborted(where, options.signal);
    const { bound, expectations } = problem.eStep(params);
    if (!Number.isFinite(bound)) throw new NonFiniteError(`${where}: the E-step bound is ${bound} at iteration ${it}`);
    params = problem.mStep(params, expectations);
    bounds.push(bound);
    iterations = it;
    const change = bound - prev;
    prev = bound;
    converged = Math.abs(change) < tol;
    options.onProgress?.({ iteration: it, objective: bound, change, elapsedMs: Date.now() - t0, converged });
    if (converged) break;
  }
  return {
    params,
    bounds,
    bound: prev,
    iterations,
    converged,
    reason: converged ? 'tolerance' : 'max-iterations',
  };
}
