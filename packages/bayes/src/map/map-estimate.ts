/**
 * Maximum a posteriori estimation (notes: Maximum a posterior estimation):
 * $$\theta_{MAP} = \arg\max_\theta\, p(Y\mid X,\theta)\,p(\theta) = \arg\min_\theta\,-\log p(Y\mid X,\theta) - \log p(\theta),$$
 * the evidence being constant in θ. Minimised with core's L-BFGS (strong-Wolfe line search, optional box bounds).
 */
import {
  AbortError,
  DomainError,
  defineOptions,
  type FitReport,
  type LBFGSProgress,
  type LBFGSResult,
  minimizeLBFGS,
  minimizeLBFGSAsync,
  NonFiniteError,
  readFitReport,
  readVector,
  ShapeError,
  stopwatch,
} from '@notes/core-linalg';
import { jsonHeader, jsonNumber, jsonNumbers } from '../internal/fit.js';

/** A log density (or log likelihood) and its gradient at θ. */
export type LogDensityAndGrad = (theta: Float64Array) => { value: number; gradient: ArrayLike<number> };

/** Options of {@link mapEstimate}. */
export interface MapOptions {
  /** L-BFGS iteration cap. @defaultValue 500 */
  maxIterations?: number;
  /** Converged (criterion `'gradTol'`) when ‖∇‖∞ of the negative log posterior is ≤ gradTol. @defaultValue 1e-9 */
  gradTol?: number;
  /** Box bounds for constrained parameters (e.g. a probability). @defaultValue none */
  lower?: ArrayLike<number>;
  /** @defaultValue none */
  upper?: ArrayLike<number>;
  /** Called after each L-BFGS iteration with `{ iteration, objective: −log posterior, gradNorm, evaluations, elapsedMs }`. */
  onProgress?: (info: LBFGSProgress) => void;
  /** Stops the fit at the next iteration with an `AbortError` (partial: the estimate at the current iterate, reason `'aborted'`). */
  signal?: AbortSignal;
}

const isArrayLike = (v: unknown): boolean => (Array.isArray(v) || ArrayBuffer.isView(v)) && !(v instanceof DataView);

const OPTIONS = defineOptions<MapOptions>()('mapEstimate', {
  maxIterations: { type: 'integer', min: 0, default: 500, doc: 'L-BFGS iteration cap' },
  gradTol: { type: 'number', greaterThan: 0, default: 1e-9, doc: 'gradient tolerance' },
  lower: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'lower bounds' },
  upper: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'upper bounds' },
  onProgress: { type: 'function', doc: 'progress callback' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

/** JSON form of a {@link MapEstimate}. */
export interface MapEstimateJSON {
  kind: 'map-estimate';
  version: 1;
  theta: number[];
  logPosterior: number;
  atBounds: number[];
  report: FitReport;
}

/** Result of {@link mapEstimate}: θ_MAP with the L-BFGS report; immutable. */
export class MapEstimate {
  private readonly t: Float64Array;
  /** Unnormalised log posterior log p(Y|X,θ) + log p(θ) at θ_MAP. */
  readonly logPosterior: number;
  /** Indices of the coordinates of θ that end on a bound. */
  readonly atBounds: readonly number[];
  /**
   * The L-BFGS report: reason `'converged'` (criterion `'gradTol'` or `'fTol'`), `'max-iterations'`,
   * `'line-search-failed'`, `'unbounded'` (a log posterior unbounded above) or `'aborted'`; `trace` = −log posterior.
   */
  readonly report: FitReport;

  /** @internal use {@link mapEstimate} or {@link MapEstimate.fromJSON} */
  constructor(theta: ArrayLike<number>, logPosterior: number, atBounds: readonly number[], report: FitReport) {
    this.t = Float64Array.from(theta);
    this.logPosterior = logPosterior;
    this.atBounds = Object.freeze([...atBounds]);
    this.report = report;
    Object.freeze(this);
  }

  /** θ_MAP (a copy). */
  get theta(): Float64Array {
    return Float64Array.from(this.t);
  }

  /** Plain JSON data. */
  toJSON(): MapEstimateJSON {
    return {
      kind: 'map-estimate',
      version: 1,
      theta: Array.from(this.t),
      logPosterior: this.logPosterior,
      atBounds: [...this.atBounds],
      report: JSON.parse(JSON.stringify(this.report)),
    };
  }

  /**
   * Inverse of {@link MapEstimate.toJSON}: validates every field (finite θ, finite log posterior, bound indices in
   * range, the report).
   * @throws DomainError / ShapeError naming the first bad field
   */
  static fromJSON(json: unknown): MapEstimate {
    const W = 'MapEstimate.fromJSON';
    const j = jsonHeader(W, json, 'map-estimate', 1);
    const theta = jsonNumbers(W, 'theta', j.theta, undefined);
    if (theta.length === 0) throw new DomainError(`${W}: field 'theta' must not be empty`);
    const atBounds = jsonNumbers(W, 'atBounds', j.atBounds, undefined, `integer indices in [0, ${theta.length})`, (x) => Number.isInteger(x) && x >= 0 && x < theta.length);
    return new MapEstimate(theta, jsonNumber(W, 'logPosterior', j.logPosterior), atBounds, readFitReport(W, j.report));
  }
}

interface Prepared {
  f: (x: Float64Array) => { value: number; gradient: Float64Array };
  x0: Float64Array;
  lbfgs: {
    maxIterations: number;
    gradTol: number;
    lower?: ArrayLike<number>;
    upper?: ArrayLike<number>;
    onProgress?: (info: LBFGSProgress) => void;
    signal?: AbortSignal;
  };
}

function prepare(W: string, logLikelihood: LogDensityAndGrad, logPrior: LogDensityAndGrad, x0: ArrayLike<number>, options: MapOptions | undefined): Prepared {
  const o = OPTIONS.parse(options);
  for (const [name, fn] of [['logLikelihood', logLikelihood], ['logPrior', logPrior]] as const) {
    if (typeof fn !== 'function') throw new DomainError(`${W}: argument '${name}' must be a function θ => ({ value, gradient })`);
  }
  const start0 = readVector(W, 'x0', x0);
  const d = start0.length;
  const f = (x: Float64Array) => {
    const a = logLikelihood(x);
    const b = logPrior(x);
    for (const [name, r] of [['logLikelihood', a], ['logPrior', b]] as const) {
      if (r === null || typeof r !== 'object' || r.gradient === null || typeof r.gradient !== 'object') {
        throw new ShapeError(`${W}: argument '${name}' must return { value, gradient }`);
      }
      if (r.gradient.length !== d) {
        throw new ShapeError(`${W}: argument '${name}' must return a gradient of length ${d} (length of x0), got ${r.gradient.length}`);
      }
    }
    const g = new Float64Array(d);
    for (let i = 0; i < d; i++) g[i] = -((a.gradient[i] as number) + (b.gradient[i] as number));
    return { value: -(a.value + b.value), gradient: g };
  };
  const start = f(Float64Array.from(start0));
  if (typeof start.value !== 'number' || !Number.isFinite(start.value)) {
    throw new NonFiniteError(`${W}: log posterior at argument 'x0' must be finite, got ${-start.value}`);
  }
  if (!start.gradient.every(Number.isFinite)) {
    throw new NonFiniteError(`${W}: gradient of the log posterior at argument 'x0' must be finite`);
  }
  return {
    f,
    x0: start0,
    lbfgs: {
      maxIterations: o.maxIterations,
      gradTol: o.gradTol,
      ...(o.lower !== undefined ? { lower: o.lower } : {}),
      ...(o.upper !== undefined ? { upper: o.upper } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    },
  };
}

/** Indices of the coordinates of x on a bound (as L-BFGS reports `atBounds`: exact equality). */
function boundIndices(x: ArrayLike<number>, b: Prepared['lbfgs']): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] === b.lower?.[i] || x[i] === b.upper?.[i]) out.push(i);
  return out;
}

const toEstimate = (r: LBFGSResult) => new MapEstimate(r.x, -r.value, r.atBounds, r.report);

function rethrow(where: string, e: unknown, elapsedMs: number, bounds: Prepared['lbfgs']): never {
  if (e instanceof AbortError && e.partial && typeof e.partial === 'object') {
    const it = e.partial as { x: Float64Array; value: number; iterations: number; evaluations: number };
    const report = readFitReport(where, { converged: false, reason: 'aborted', iterations: it.iterations, evaluations: it.evaluations, elapsedMs });
    throw new AbortError(e.message.replace(/^minimizeLBFGS(Async)?/, where), new MapEstimate(it.x, -it.value, boundIndices(it.x, bounds), report));
  }
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string') {
    e.message = e.message.replace(/^minimizeLBFGS(Async)?/, where);
  }
  throw e;
}

/**
 * θ_MAP by L-BFGS on the negative log posterior.
 * @param logLikelihood - θ ↦ log p(Y | X, θ) and its gradient
 * @param logPrior - θ ↦ log p(θ) and its gradient
 * @param x0 - starting point (must be finite; inside the bounds' interior is best)
 * @returns the {@link MapEstimate} (θ, log posterior, `report`)
 * @throws NonFiniteError if x0 is not finite or the objective or its gradient is non-finite at x0; ShapeError if a
 *   gradient's length differs from x0's; DomainError for a bad option (unknown keys name the closest option);
 *   AbortError when `signal` fires (partial: the estimate at the current iterate)
 * @example mapEstimate(ll, lp, [0, 0]).theta // equals ridge regression for a Gaussian prior
 */
export function mapEstimate(logLikelihood: LogDensityAndGrad, logPrior: LogDensityAndGrad, x0: ArrayLike<number>, options: MapOptions = {}): MapEstimate {
  const p = prepare('mapEstimate', logLikelihood, logPrior, x0, options);
  const clock = stopwatch();
  try {
    return toEstimate(minimizeLBFGS(p.f, p.x0, p.lbfgs));
  } catch (e) {
    rethrow('mapEstimate', e, clock(), p.lbfgs);
  }
}

/**
 * {@link mapEstimate} on `minimizeLBFGSAsync`: yields to the event loop at least every 50 ms so an `AbortSignal`
 * fired from a timer stops it within one iteration. Same options, same estimate.
 */
export async function mapEstimateAsync(
  logLikelihood: LogDensityAndGrad,
  logPrior: LogDensityAndGrad,
  x0: ArrayLike<number>,
  options: MapOptions = {},
): Promise<MapEstimate> {
  const p = prepare('mapEstimateAsync', logLikelihood, logPrior, x0, options);
  const clock = stopwatch();
  try {
    return toEstimate(await minimizeLBFGSAsync(p.f, p.x0, p.lbfgs));
  } catch (e) {
    rethrow('mapEstimateAsync', e, clock(), p.lbfgs);
  }
}
