/**
 * `fitGP`: GP regression with hyperparameters fitted by maximising the log marginal likelihood
 * (notes: GP Regression) over log-parameters within bounds, with core's L-BFGS on the analytic
 * gradient and seeded random restarts drawn uniformly in the log bounds (as scikit-learn's
 * `n_restarts_optimizer`). Rasmussen & Williams (2006), §5.4.1, Alg. 2.1.
 */
import {
  AbortError,
  DomainError,
  NonFiniteError,
  NotPositiveDefiniteError,
  assertInteger,
  assertNonNegative,
  assertPositive,
  createRng,
  minimizeLBFGS,
  throwIfAborted,
  withDefaults,
} from '@notes/core-linalg';
import { type Kernel, Kernel as KernelClass, type PointsInput, rbf, scale, toPoints } from '../kernels/index.js';
import { CG_DEFAULTS, lmlCG } from './cg.js';
import { lmlCholesky } from './lml.js';
import { type CGSettings, type GPFitReport, GPModel } from './model.js';
import { buildState, targetScaling, toTargets } from './state.js';

/** Progress of the hyperparameter fit (after every L-BFGS iteration). */
export interface GPProgress {
  /** 0 for the initial θ, then 1.. for restarts. */
  restart: number;
  iteration: number;
  logMarginalLikelihood: number;
  gradNorm: number;
  evaluations: number;
  /** Milliseconds since `fitGP` started. */
  elapsed: number;
}

/** Options of {@link fitGP}. */
export interface FitGPOptions {
  /** Covariance function; its non-fixed hyperparameters are fitted. @defaultValue `scale(rbf(), 1)` */
  kernel?: Kernel;
  /** Noise variance σ² added to the diagonal, not fitted (scikit-learn's `alpha`); add `white()` to fit noise. @defaultValue 1e-10 */
  noise?: number;
  /** Fit hyperparameters (false: keep the kernel as given). @defaultValue true */
  optimize?: boolean;
  /** Extra L-BFGS starts drawn uniformly in the log bounds. @defaultValue 0 */
  restarts?: number;
  /** Standardise y (mean 0, std 1) before fitting; predictions are mapped back. @defaultValue false */
  normalizeY?: boolean;
  /** Seed of the restart draws (and CG probes). @defaultValue 0 */
  seed?: number;
  /** L-BFGS iteration cap per start. @defaultValue 200 */
  maxIterations?: number;
  /** L-BFGS relative-decrease tolerance (SciPy's L-BFGS-B default `factr = 1e7` is ≈ 2.2e-9). @defaultValue 1e-9 */
  fTol?: number;
  /** `'cholesky'` (exact) or `'cg'` (matrix-free estimates, see `cg.ts`). @defaultValue 'cholesky' */
  method?: 'cholesky' | 'cg';
  /** CG-path settings. @defaultValue { tol: 1e-8, maxIterations: 1000, rank: 100, probes: 16, lanczosSteps: 40 } */
  cg?: Partial<Omit<CGSettings, 'seed'>>;
  onProgress?: (info: GPProgress) => void;
  signal?: AbortSignal;
}

const DEFAULTS = {
  noise: 1e-10,
  optimize: true,
  restarts: 0,
  normalizeY: false,
  seed: 0,
  maxIterations: 200,
  fTol: 1e-9,
  method: 'cholesky' as 'cholesky' | 'cg',
} satisfies Partial<Required<FitGPOptions>>;

/**
 * Fits a GP regressor.
 * @example
 * const model = fitGP([[0], [1], [2]], [0, 1, 0], { kernel: sum(scale(rbf(), 1), white(0.1)) });
 * model.predict([[1.5]]).mean
 * @throws NonFiniteError (NaN/±Infinity in X or y), ShapeError (y length ≠ rows of X, ragged X),
 *   DomainError (bad options, including `cg` settings), NotPositiveDefiniteError (C non-PD after maximum jitter), AbortError.
 */
export function fitGP(X: PointsInput, y: ArrayLike<number>, options: FitGPOptions = {}): GPModel {
  const t0 = Date.now();
  const o = withDefaults(DEFAULTS, options);
  const kernel0 = options.kernel ?? scale(rbf(), 1);
  if (!(kernel0 instanceof KernelClass)) throw new DomainError("fitGP: option 'kernel' must be a Kernel");
  assertNonNegative('fitGP', 'options.noise', o.noise);
  assertInteger('fitGP', 'options.restarts', o.restarts, 0);
  assertInteger('fitGP', 'options.maxIterations', o.maxIterations, 1);
  if (o.method !== 'cholesky' && o.method !== 'cg') {
    throw new DomainError(`fitGP: option 'method' must be 'cholesky' or 'cg', got ${String(o.method)}`);
  }
  const pts = toPoints(X, 'fitGP', 'X');
  const yRaw = toTargets('fitGP', y, pts);
  throwIfAborted('fitGP', o.signal);
  const cgSettings: CGSettings = { ...withDefaults(CG_DEFAULTS, options.cg), seed: o.seed };
  assertPositive('fitGP', 'options.cg.tol', cgSettings.tol);
  assertInteger('fitGP', 'options.cg.maxIterations', cgSettings.maxIterations, 1);
  assertInteger('fitGP', 'options.cg.rank', cgSettings.rank, 0);
  assertInteger('fitGP', 'options.cg.probes', cgSettings.probes, 1);
  assertInteger('fitGP', 'options.cg.lanczosSteps', cgSettings.lanczosSteps, 1);
  const { mean, std } = targetScaling(yRaw, o.normalizeY);
  const yc = yRaw.map((v) => (v - mean) / std);

  const lml = (k: Kernel, grad: boolean): { value: number; gradient: Float64Array } =>
    o.method === 'cg' ? lmlCG(k, pts, yc, o.noise, cgSettings, grad, o.signal) : lmlCholesky(k, pts, yc, o.noise, grad);

  let kernel = kernel0;
  const baseReport: GPFitReport = {
    converged: true,
    iterations: 0,
    reason: 'not-optimized',
    restarts: [],
    boundHits: [],
    jitter: 0,
    method: o.method,
    ...(o.method === 'cg' ? { cg: cgSettings } : {}),
  };
  const report = { ...baseReport };
  if (o.optimize && kernel0.nTheta > 0) {
    const { lower, upper } = kernel0.bounds;
    const rng = createRng(o.seed);
    const starts: Float64Array[] = [clip(kernel0.theta, lower, upper)];
    for (let r = 0; r < o.restarts; r++) {
      starts.push(Float64Array.from(lower, (lo, i) => lo + (upper[i] - lo) * rng.uniform()));
    }
    let best: { theta: Float64Array; value: number; iterations: number; converged: boolean; reason: string } | null = null;
    starts.forEach((x0, restart) => {
      throwIfAborted('fitGP', o.signal);
      const objective = (theta: Float64Array) => {
        try {
          const r = lml(kernel0.withTheta(theta), true);
          return { value: -r.value, gradient: r.gradient.map((g) => -g) };
        } catch (e) {
          if (e instanceof NotPositiveDefiniteError) return { value: Number.NaN, gradient: new Float64Array(theta.length) };
          throw e;
        }
      };
      try {
        const res = minimizeLBFGS(objective, x0, {
          lower,
          upper,
          maxIterations: o.maxIterations,
          gradTol: 1e-6,
          fTol: o.fTol,
          signal: o.signal,
          onProgress: o.onProgress
            ? (p) => o.onProgress?.({ restart, iteration: p.iteration, logMarginalLikelihood: -p.objective, gradNorm: p.gradNorm, evaluations: p.evaluations, elapsed: Date.now() - t0 })
            : undefined,
        });
        report.restarts.push(-res.value);
        if (best === null || -res.value > best.value) {
          best = { theta: res.x, value: -res.value, iterations: res.report.iterations, converged: res.report.converged, reason: res.report.reason };
        }
      } catch (e) {
        if (e instanceof AbortError) throw e;
        if (e instanceof NonFiniteError && restart > 0) {
          report.restarts.push(Number.NaN); // a random start where C is not PD: skipped
          return;
        }
        throw e;
      }
    });
    const b = best as { theta: Float64Array; iterations: number; converged: boolean; reason: string } | null;
    if (b === null) {
      throw new NotPositiveDefiniteError('fitGP: no start gave a positive-definite kernel matrix; increase options.noise', 0);
    }
    kernel = kernel0.withTheta(b.theta);
    Object.assign(report, { converged: b.converged, iterations: b.iterations, reason: b.reason });
    const names = kernel0.thetaNames;
    b.theta.forEach((t, i) => {
      if (t - lower[i] <= 1e-6) report.boundHits.push(`${names[i]} (lower)`);
      else if (upper[i] - t <= 1e-6) report.boundHits.push(`${names[i]} (upper)`);
    });
  }
  return new GPModel(buildState(pts, yRaw, kernel, o.noise, o.normalizeY, report));
}

function clip(x: Float64Array, lo: Float64Array, hi: Float64Array): Float64Array {
  return x.map((v, i) => Math.min(hi[i], Math.max(lo[i], v)));
}

/**
 * Log marginal likelihood of `y` under `kernel` (exact, Cholesky path) and its gradient with respect to
 * the kernel's log-parameters `kernel.theta`. With `normalizeY` the value is that of the standardised
 * targets, like scikit-learn's `log_marginal_likelihood_value_`.
 * $$\log p(y\mid X) = -\tfrac12 y^\top\alpha - \textstyle\sum_i\log L_{ii} - \tfrac n2\log 2\pi$$
 * @throws as {@link fitGP}.
 */
export function logMarginalLikelihood(
  kernel: Kernel,
  X: PointsInput,
  y: ArrayLike<number>,
  options: { noise?: number; normalizeY?: boolean } = {},
): { value: number; gradient: Float64Array } {
  const noise = options.noise ?? DEFAULTS.noise;
  assertNonNegative('logMarginalLikelihood', 'options.noise', noise);
  const pts = toPoints(X, 'logMarginalLikelihood', 'X');
  const yRaw = toTargets('logMarginalLikelihood', y, pts);
  const { mean, std } = targetScaling(yRaw, options.normalizeY ?? false);
  const r = lmlCholesky(kernel, pts, yRaw.map((v) => (v - mean) / std), noise, true);
  return { value: r.value, gradient: r.gradient };
}
