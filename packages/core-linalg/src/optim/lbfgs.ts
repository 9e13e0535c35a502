/**
 * Limited-memory BFGS with a strong-Wolfe line search and box bounds by projection.
 */
import { DomainError, NonFiniteError, ShapeError, defineOptions, describeValue } from '../errors/index.js';
import { type Checkpoint, type FitReport, makeFitReport, runFit, runFitAsync, type StopReason, stopwatch } from '../fit/index.js';
import { activeSet, maxFeasibleStep, projectInPlace, readBox } from './bounds.js';
import { type Trial, strongWolfe } from './line-search.js';
import { LBFGS_UNBOUNDED_VALUE, ranAway } from './unbounded.js';

export { LBFGS_RUNAWAY_FACTOR, LBFGS_UNBOUNDED_VALUE } from './unbounded.js';

/** Objective value and gradient at x. */
export type ValueAndGradient = (x: Float64Array) => { value: number; gradient: ArrayLike<number> };

/** Progress report of {@link minimizeLBFGS}, after each iteration. */
export interface LBFGSProgress {
  iteration: number;
  /** Objective value after this iteration. */
  objective: number;
  /** Inf-norm of the projected gradient. */
  gradNorm: number;
  evaluations: number;
  /** Milliseconds since the start. */
  elapsedMs: number;
}

/** Options of {@link minimizeLBFGS}. */
export interface LBFGSOptions {
  /** Iteration cap. @defaultValue 500 */
  maxIterations?: number;
  /** Converged when the inf-norm of the projected gradient is ≤ gradTol. @defaultValue 1e-8 */
  gradTol?: number;
  /** Converged when $(f_k - f_{k+1}) \le \mathrm{fTol}\cdot\max(|f_k|, |f_{k+1}|, 1)$; 0 disables the test. @defaultValue 1e-15 */
  fTol?: number;
  /** Number of (s, y) pairs kept. @defaultValue 10 */
  memory?: number;
  /** Lower bounds (−Infinity = none). @defaultValue all −Infinity */
  lower?: ArrayLike<number>;
  /** Upper bounds (+Infinity = none). @defaultValue all +Infinity */
  upper?: ArrayLike<number>;
  /** Cap on objective evaluations per line search. @defaultValue 25 */
  maxLineSearch?: number;
  onProgress?: (info: LBFGSProgress) => void;
  /**
   * Checked every iteration; aborting throws `AbortError` whose `partial` is the current iterate
   * `{ x, value, iterations, evaluations }`.
   */
  signal?: AbortSignal;
}

/**
 * Which tolerance made {@link minimizeLBFGS} converge (`report.criterion`): the projected gradient
 * (`'gradTol'`) or the relative change of f (`'fTol'`).
 */
export type LBFGSCriterion = 'gradTol' | 'fTol';

/**
 * Why {@link minimizeLBFGS} stopped (`report.reason`): `'converged'` (criterion `'gradTol'` or `'fTol'`);
 * `'max-iterations'`, `'line-search-failed'` and `'unbounded'` are not convergence. `'unbounded'`: the objective looks unbounded below —
 * some evaluated value was ≤ {@link LBFGS_UNBOUNDED_VALUE} (or −∞), or the run stopped (f-change, line
 * search or iteration cap) with a non-small gradient after f fell by more than
 * {@link LBFGS_RUNAWAY_FACTOR}·max(1, |f(x0)|) while x moved more than {@link LBFGS_RUNAWAY_FACTOR}·max(1, ‖x0‖∞).
 */
export type LBFGSReason = Extract<StopReason, 'converged' | 'max-iterations' | 'line-search-failed' | 'unbounded'>;

/** Result of {@link minimizeLBFGS}. */
export interface LBFGSResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  /**
   * `{ converged, reason, criterion?, iterations, evaluations, elapsedMs, trace }`; `trace` holds the
   * objective after each iteration, starting with f(x0). `converged` is true only for reason
   * `'converged'` (criterion `'gradTol'` or `'fTol'`).
   */
  report: FitReport & { readonly reason: LBFGSReason; readonly criterion?: LBFGSCriterion; readonly evaluations: number; readonly trace: readonly number[] };
  /** Indices of coordinates that end on a bound. */
  atBounds: number[];
}

const isBound = (v: unknown): boolean =>
  (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) && typeof (v as { length?: unknown }).length === 'number';

/**
 * The options of {@link minimizeLBFGS} and {@link minimizeLBFGSAsync}, declared once: defaults,
 * ranges and the unknown-key check (a misspelt key throws `DomainError` naming the closest one).
 */
export const LBFGS_OPTIONS = defineOptions<LBFGSOptions>()('minimizeLBFGS', {
  maxIterations: { type: 'integer', min: 0, default: 500, doc: 'iteration cap' },
  gradTol: { type: 'number', min: 0, default: 1e-8, doc: 'converged when the inf-norm of the projected gradient is <= gradTol' },
  fTol: { type: 'number', min: 0, default: 1e-15, doc: 'converged when the relative decrease of f is <= fTol (0 disables)' },
  memory: { type: 'integer', min: 1, default: 10, doc: 'number of (s, y) pairs kept' },
  lower: { type: 'custom', expected: 'an array of numbers', check: isBound, doc: 'lower bounds (-Infinity = none)' },
  upper: { type: 'custom', expected: 'an array of numbers', check: isBound, doc: 'upper bounds (+Infinity = none)' },
  maxLineSearch: { type: 'integer', min: 1, default: 25, doc: 'cap on evaluations per line search' },
  onProgress: { type: 'function', doc: 'called after every iteration' },
  signal: { type: 'signal', doc: 'aborts at the next iteration' },
});

const WHERE = 'minimizeLBFGS';

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * L-BFGS two-loop recursion (Nocedal & Wright, Alg. 7.4) on the free coordinates:
 * writes $d = -H_k g$ (zero on active coordinates) and returns $g^\top d$.
 */
function twoLoop(
  d: Float64Array,
  g: Float64Array,
  active: Uint8Array,
  S: Float64Array[],
  Y: Float64Array[],
  rho: number[],
  alphaBuf: Float64Array,
  k: number,
): number {
  const n = d.length;
  for (let i = 0; i < n; i++) d[i] = active[i] ? 0 : -g[i]!;
  for (let j = k - 1; j >= 0; j--) {
    const s = S[j]!;
    const y = Y[j]!;
    let sd = 0;
    for (let i = 0; i < n; i++) sd += s[i]! * d[i]!;
    const a = rho[j]! * sd;
    alphaBuf[j] = a;
    for (let i = 0; i < n; i++) d[i]! -= a * y[i]!;
  }
  if (k > 0) {
    const gamma = dot(S[k - 1]!, Y[k - 1]!) / dot(Y[k - 1]!, Y[k - 1]!);
    for (let i = 0; i < n; i++) d[i]! *= gamma;
  }
  for (let j = 0; j < k; j++) {
    const s = S[j]!;
    const y = Y[j]!;
    let yd = 0;
    for (let i = 0; i < n; i++) yd += y[i]! * d[i]!;
    const coef = alphaBuf[j]! - rho[j]! * yd;
    for (let i = 0; i < n; i++) d[i]! += coef * s[i]!;
  }
  let gd = 0;
  for (let i = 0; i < n; i++) {
    if (active[i]) d[i] = 0;
    gd += g[i]! * d[i]!;
  }
  return gd;
}

/**
 * Calls the user function and copies its gradient; non-finite values are returned, not thrown.
 * `unbounded` is set when the returned value is ≤ {@link LBFGS_UNBOUNDED_VALUE} (−∞ included), even if
 * the gradient is non-finite there.
 */
function evaluate(fg: ValueAndGradient, x: Float64Array): { f: number; g: Float64Array; unbounded: boolean } {
  const out = fg(x.slice());
  if (out === null || typeof out !== 'object') {
    throw new ShapeError(`${WHERE}: 'fAndGrad' must return { value, gradient }, got ${out === null ? 'null' : typeof out}`);
  }
  const grad = out.gradient;
  if (grad === null || typeof grad !== 'object' || grad.length !== x.length) {
    const got = grad === null || typeof grad !== 'object' ? typeof grad : `length ${grad.length}`;
    throw new ShapeError(`${WHERE}: 'fAndGrad' must return a gradient of length ${x.length}, got ${got}`);
  }
  const g = Float64Array.from(grad);
  let f = out.value;
  if (typeof f !== 'number') f = Number.NaN;
  const unbounded = f <= LBFGS_UNBOUNDED_VALUE;
  for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i]!)) f = Number.NaN;
  return { f, g, unbounded };
}

/**
 * Minimises a smooth function with L-BFGS (Nocedal 1980; Liu & Nocedal 1989; Nocedal & Wright,
 * *Numerical Optimization*, Alg. 7.4 two-loop recursion, Alg. 3.5/3.6 strong-Wolfe line search,
 * $c_1 = 10^{-4}$, $c_2 = 0.9$). The search direction $d = -H_k \nabla f$ uses the last `memory` pairs
 * $s_k = x_{k+1}-x_k$, $y_k = \nabla f_{k+1} - \nabla f_k$ with $H_0 = \frac{s^\top y}{y^\top y} I$.
 *
 * Box bounds: a projected variant (not full L-BFGS-B). Coordinates on a bound whose gradient points
 * outward are held fixed; the direction is computed on the free coordinates, the step is capped at the
 * first bound it meets, and iterates are projected onto $[l, u]$. Convergence is measured with the
 * projected gradient. Coordinates ending on a bound are reported in `atBounds`.
 * Trial points where f or ∇f is non-finite are treated as "too far" and the step shrinks.
 *
 * Unbounded objectives: the relative f-change test alone would report convergence on, e.g.,
 * $f = -x_1 - x_2$ once |f| is huge. The run instead stops with `converged: false` and reason
 * `'unbounded'` when any evaluated f is ≤ {@link LBFGS_UNBOUNDED_VALUE} (or −∞), or when it stops for any
 * reason other than `'gradTol'` with the projected gradient above `gradTol`, f below
 * $f(x_0) - R\max(1,|f(x_0)|)$ and $\|x - x_0\|_\infty > R\max(1,\|x_0\|_\infty)$, $R$ =
 * {@link LBFGS_RUNAWAY_FACTOR} = 1e10. `x`/`value` are then the last accepted (finite) iterate.
 *
 * @throws ShapeError if `x0` is empty or bounds / returned gradients have the wrong length.
 * @throws NonFiniteError if `x0` holds NaN/±Infinity, or f or ∇f is non-finite at the start point.
 * @throws DomainError if an option is out of range or lower > upper.
 * @throws AbortError if `signal` is aborted.
 * @example minimizeLBFGS((x) => ({ value: (x[0] - 3) ** 2, gradient: [2 * (x[0] - 3)] }), [0]).x // [3]
 */
export function minimizeLBFGS(fAndGrad: ValueAndGradient, x0: ArrayLike<number>, options: LBFGSOptions = {}): LBFGSResult {
  return runFit(WHERE, lbfgsLoop(WHERE, fAndGrad, x0, options), { signal: options?.signal });
}

/**
 * {@link minimizeLBFGS} that yields to the event loop at least every 50 ms, so an `AbortSignal` fired by a
 * timer stops it within one iteration (rejecting with `AbortError` whose `partial` is the current
 * iterate `{ x, value, iterations, evaluations }`). Same options, same iterates, same result.
 */
export function minimizeLBFGSAsync(
  fAndGrad: ValueAndGradient,
  x0: ArrayLike<number>,
  options: LBFGSOptions = {},
): Promise<LBFGSResult> {
  try {
    return runFitAsync('minimizeLBFGSAsync', lbfgsLoop('minimizeLBFGSAsync', fAndGrad, x0, options), { signal: options?.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}

function parseLBFGS(where: string, options: LBFGSOptions | undefined) {
  if (where === LBFGS_OPTIONS.where) return LBFGS_OPTIONS.parse(options);
  try {
    return LBFGS_OPTIONS.parse(options);
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError(e.message.replace(LBFGS_OPTIONS.where, where));
    throw e;
  }
}

/** The one L-BFGS loop behind both drivers; validation runs eagerly (before the generator is created). */
function lbfgsLoop(
  WHERE: string,
  fAndGrad: ValueAndGradient,
  x0: ArrayLike<number>,
  options: LBFGSOptions,
): Generator<Checkpoint, LBFGSResult, void> {
  const o = parseLBFGS(WHERE, options);
  if (typeof fAndGrad !== 'function') {
    throw new DomainError(`${WHERE}: argument 'fAndGrad' must be a function x => ({ value, gradient }), got ${describeValue(fAndGrad)}`);
  }
  if (x0 === null || typeof x0 !== 'object' || typeof x0.length !== 'number') {
    throw new ShapeError(`${WHERE}: argument 'x0' must be an array of numbers, got ${describeValue(x0)}`);
  }
  const n = x0.length;
  if (n === 0) throw new ShapeError(`${WHERE}: argument 'x0' must not be empty`);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = x0[i] as number;
    if (typeof v !== 'number') {
      throw new DomainError(`${WHERE}: argument 'x0' must hold numbers, got ${describeValue(v)} at [${i}]`);
    }
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(`${WHERE}: argument 'x0' must be finite, got ${String(v)} at [${i}]`);
    }
    x[i] = v;
  }
  const { maxIterations, gradTol, fTol, memory, maxLineSearch } = o;
  const box = readBox(WHERE, o.lower, o.upper, n);
  return lbfgsIterations(WHERE, fAndGrad, x, { maxIterations, gradTol, fTol, memory, maxLineSearch, box, onProgress: o.onProgress });
}

function* lbfgsIterations(
  WHERE: string,
  fAndGrad: ValueAndGradient,
  x: Float64Array,
  o: {
    maxIterations: number;
    gradTol: number;
    fTol: number;
    memory: number;
    maxLineSearch: number;
    box: ReturnType<typeof readBox>;
    onProgress: LBFGSOptions['onProgress'];
  },
): Generator<Checkpoint, LBFGSResult, void> {
  const { maxIterations, gradTol, fTol, memory, maxLineSearch, box } = o;
  const n = x.length;
  const clock = stopwatch();

  projectInPlace(x, box);
  let { f, g } = evaluate(fAndGrad, x);
  let evaluations = 1;
  if (!Number.isFinite(f)) {
    throw new NonFiniteError(`${WHERE}: the objective or its gradient is not finite at x0 (value ${f})`);
  }
  const trace = [f];
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const active = new Uint8Array(n);
  const alphaBuf = new Float64Array(memory);
  const d = new Float64Array(n);

  const projectedGradNorm = (): number => {
    activeSet(x, g, box, active);
    let m = 0;
    for (let i = 0; i < n; i++) if (!active[i]) m = Math.max(m, Math.abs(g[i]!));
    return m;
  };

  const f0 = f;
  const x0Copy = x.slice();
  let sawUnbounded = false;
  let reason: LBFGSReason = 'max-iterations';
  let criterion: LBFGSCriterion | undefined;
  let iterations = 0;
  let pgNorm = projectedGradNorm();
  if (pgNorm <= gradTol) {
    reason = 'converged';
    criterion = 'gradTol';
  }
  while (reason === 'max-iterations' && iterations < maxIterations) {
    if (iterations > 0) {
      const snap = { x: x.slice(), value: f, iterations, evaluations };
      yield () => snap;
    }
    const direction = (useMemory: boolean): number =>
      twoLoop(d, g, active, S, Y, rho, alphaBuf, useMemory ? S.length : 0);
    let gd = direction(true);
    let fresh = S.length === 0;
    if (!(gd < 0)) {
      S.length = Y.length = rho.length = 0;
      gd = direction(false);
      fresh = true;
    }
    let ls = search(gd, fresh);
    if (ls.trial === null && !fresh) {
      // Memory may be stale: restart from steepest descent once.
      S.length = Y.length = rho.length = 0;
      gd = direction(false);
      ls = search(gd, true);
    }
    if (sawUnbounded) {
      reason = 'unbounded';
      break;
    }
    if (ls.trial === null) {
      reason = 'line-search-failed';
      break;
    }
    const t = ls.trial;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = t.x[i]! - x[i]!;
      y[i] = t.g[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-10 * dot(y, y)) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const fOld = f;
    x.set(t.x);
    g = t.g;
    f = t.f;
    iterations++;
    trace.push(f);
    pgNorm = projectedGradNorm();
    o.onProgress?.({ iteration: iterations, objective: f, gradNorm: pgNorm, evaluations, elapsedMs: clock() });
    if (pgNorm <= gradTol) {
      reason = 'converged';
      criterion = 'gradTol';
    } else if (fTol > 0 && fOld - f <= fTol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      reason = 'converged';
      criterion = 'fTol';
    }
  }
  if (criterion !== 'gradTol' && reason !== 'unbounded' && pgNorm > gradTol && ranAway(f0, f, x0Copy, x)) {
    reason = 'unbounded';
    criterion = undefined;
  }

  function search(gd: number, fresh: boolean): ReturnType<typeof strongWolfe> {
    if (!(gd < 0)) return { trial: null, status: 'failed', evaluations: 0 };
    const amax = maxFeasibleStep(x, d, box);
    if (!(amax > 0)) return { trial: null, status: 'failed', evaluations: 0 };
    let dInf = 0;
    for (let i = 0; i < n; i++) dInf = Math.max(dInf, Math.abs(d[i]!));
    const alpha0 = fresh ? Math.min(1, 1 / dInf) : 1;
    const phi = (alpha: number): Trial => {
      const xt = new Float64Array(n);
      for (let i = 0; i < n; i++) xt[i] = x[i]! + alpha * d[i]!;
      projectInPlace(xt, box);
      const r = evaluate(fAndGrad, xt);
      if (r.unbounded) sawUnbounded = true;
      return { alpha, f: r.f, d: Number.isFinite(r.f) ? dot(r.g, d) : Number.NaN, x: xt, g: r.g };
    };
    const res = strongWolfe(phi, f, gd, alpha0, amax, { c1: 1e-4, c2: 0.9, maxEvaluations: maxLineSearch });
    evaluations += res.evaluations;
    return res;
  }

  const atBounds: number[] = [];
  if (box.bounded) for (let i = 0; i < n; i++) if (x[i] === box.lower[i] || x[i] === box.upper[i]) atBounds.push(i);
  const report = makeFitReport({
    reason,
    iterations,
    evaluations,
    elapsedMs: clock(),
    trace,
    ...(criterion !== undefined ? { criterion } : {}),
  }) as LBFGSResult['report'];
  return { x, value: f, gradient: g, report, atBounds };
}
