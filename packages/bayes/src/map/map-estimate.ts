/**
 * Maximum a posteriori estimation (notes: Maximum a posterior estimation):
 * $$\theta_{MAP} = \arg\max_\theta\, p(Y\mid X,\theta)\,p(\theta) = \arg\min_\theta\,-\log p(Y\mid X,\theta) - \log p(\theta),$$
 * the evidence being constant in θ. Minimised with core's L-BFGS (strong-Wolfe line search, optional box bounds).
 */
import { assertFinite, assertInteger, assertNonEmpty, assertPositive, minimizeLBFGS, NonFiniteError, ShapeError, withDefaults } from '@notes/core-linalg';
import type { LBFGSProgress } from '@notes/core-linalg';

/** A log density (or log likelihood) and its gradient at θ. */
export type LogDensityAndGrad = (theta: Float64Array) => { value: number; gradient: ArrayLike<number> };

/** Options of {@link mapEstimate}. */
export interface MapOptions {
  /** L-BFGS iteration cap. @defaultValue 500 */
  maxIterations?: number;
  /** Stop when ‖∇‖∞ ≤ gradTol. @defaultValue 1e-9 */
  gradTol?: number;
  /** Box bounds for constrained parameters (e.g. a probability). @defaultValue none */
  lower?: ArrayLike<number>;
  /** @defaultValue none */
  upper?: ArrayLike<number>;
  /** Called after each L-BFGS iteration with the negative log posterior. */
  onProgress?: (info: LBFGSProgress) => void;
  signal?: AbortSignal;
}

const DEFAULTS = { maxIterations: 500, gradTol: 1e-9 } satisfies Pick<Required<MapOptions>, 'maxIterations' | 'gradTol'>;

/** Result of {@link mapEstimate}. */
export interface MapResult {
  /** θ_MAP. */
  theta: Float64Array;
  /** Unnormalised log posterior log p(Y|X,θ) + log p(θ) at θ_MAP. */
  logPosterior: number;
  converged: boolean;
  iterations: number;
  /** L-BFGS stopping reason ('gradTol', 'fTol', 'maxIterations', 'lineSearchFailed', 'unbounded' — a log posterior unbounded above). */
  reason: string;
}

/**
 * θ_MAP by L-BFGS on the negative log posterior.
 * @param logLikelihood - θ ↦ log p(Y | X, θ) and its gradient
 * @param logPrior - θ ↦ log p(θ) and its gradient
 * @param x0 - starting point (must be finite and inside the bounds' interior is best)
 * @throws NonFiniteError if x0 is not finite or the objective or its gradient is non-finite at x0; ShapeError if a
 *   gradient's length differs from x0's; DomainError for a bad maxIterations / gradTol
 * @example mapEstimate(ll, lp, [0, 0]).theta // equals ridge regression for a Gaussian prior
 */
export function mapEstimate(
  logLikelihood: LogDensityAndGrad,
  logPrior: LogDensityAndGrad,
  x0: ArrayLike<number>,
  options: MapOptions = {},
): MapResult {
  assertNonEmpty('mapEstimate', 'x0', x0);
  assertFinite('mapEstimate', 'x0', x0);
  const opts = withDefaults(DEFAULTS, options);
  assertInteger('mapEstimate', 'maxIterations', opts.maxIterations, 0);
  assertPositive('mapEstimate', 'gradTol', opts.gradTol);
  const d = x0.length;
  const f = (x: Float64Array) => {
    const a = logLikelihood(x);
    const b = logPrior(x);
    for (const [name, r] of [['logLikelihood', a], ['logPrior', b]] as const) {
      if (r.gradient.length !== d) {
        throw new ShapeError(`mapEstimate: argument '${name}' must return a gradient of length ${d} (length of x0), got ${r.gradient.length}`);
      }
    }
    const g = new Float64Array(d);
    for (let i = 0; i < d; i++) g[i] = -((a.gradient[i] as number) + (b.gradient[i] as number));
    return { value: -(a.value + b.value), gradient: g };
  };
  const start = f(Float64Array.from(x0));
  if (!Number.isFinite(start.value)) {
    throw new NonFiniteError(`mapEstimate: log posterior at argument 'x0' must be finite, got ${-start.value}`);
  }
  if (!start.gradient.every(Number.isFinite)) {
    throw new NonFiniteError(`mapEstimate: gradient of the log posterior at argument 'x0' must be finite`);
  }
  const r = minimizeLBFGS(f, x0, {
    maxIterations: opts.maxIterations,
    gradTol: opts.gradTol,
    ...(opts.lower ? { lower: opts.lower } : {}),
    ...(opts.upper ? { upper: opts.upper } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { theta: r.x, logPosterior: -r.value, converged: r.report.converged, iterations: r.report.iterations, reason: r.report.reason };
}
