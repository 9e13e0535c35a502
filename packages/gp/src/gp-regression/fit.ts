/**
 * `fitGP`: GP regression with hyperparameters fitted by maximising the log marginal likelihood
 * (notes: GP Regression) over log-parameters within bounds, with core's L-BFGS on the analytic gradient and
 * seeded random restarts drawn near the data's scale. Rasmussen & Williams (2006), §5.4.1, Alg. 2.1.
 *
 * The hyperparameter loop is written once ({@link gpFitLoop}) and run by a synchronous driver (`fitGP`) and
 * an asynchronous one (`fitGPAsync`) that yields to the event loop inside every L-BFGS run (see `drive.ts`).
 */
import {
  DomainError,
  type FitProgress,
  type LBFGSResult,
  NonFiniteError,
  NotPositiveDefiniteError,
  type Rng,
  type StopReason,
  checkMemory,
  defineOptions,
  describeValue,
  resolveRng,
  stopwatch,
} from '@notes/core-linalg';
import { Kernel, rbf, scale } from '../kernels/index.js';
import { type Points, type PointsInput, readPoints } from '../kernels/points.js';
import { CG_DEFAULTS, lmlCG } from './cg.js';
import { type LBFGSIterate, type StepLoop, driveAsync, driveSync } from './drive.js';
import { lmlCholesky, releaseWorkspace } from './lml.js';
import { type CGSettings, type GPFitReport, GPModel } from './model.js';
import { type DataScales, buildState, dataScales, readTargets, resolveBounds, restartCenters, targetScaling } from './state.js';

/** Progress of the hyperparameter fit (after every L-BFGS iteration of every start). */
export interface GPProgress extends FitProgress {
  /** L-BFGS iterations over all starts so far (non-decreasing across restarts). */
  readonly iteration: number;
  /** The minimised objective: −log marginal likelihood (of the normalised targets with `normalizeY`). */
  readonly objective: number;
  /** log marginal likelihood = −objective. */
  readonly logMarginalLikelihood: number;
  /** 0 for the start at the kernel's own θ, then 1.. for the restarts. */
  readonly restart: number;
  /** Iteration within the current start. */
  readonly restartIteration: number;
  /** Inf-norm of the projected gradient. */
  readonly gradNorm: number;
  /** Objective evaluations over all starts so far. */
  readonly evaluations: number;
  /** Milliseconds since the fit started. */
  readonly elapsedMs: number;
}

/** Settings of the matrix-free path (`method: 'cg'`). */
export interface CGOptions {
  /** Relative residual of the CG solves. @defaultValue 1e-8 */
  tol?: number;
  /** CG iteration cap. @defaultValue 1000 */
  maxIterations?: number;
  /** Rank of the pivoted-Cholesky preconditioner. @defaultValue 100 */
  rank?: number;
  /** Probe vectors of the stochastic estimates. @defaultValue 16 */
  probes?: number;
  /** Lanczos steps of the log-determinant quadrature. @defaultValue 40 */
  lanczosSteps?: number;
}

const CG_OPTIONS = defineOptions<CGOptions>()('fitGP (option cg)', {
  tol: { type: 'number', greaterThan: 0, lessThan: 1, default: CG_DEFAULTS.tol },
  maxIterations: { type: 'integer', min: 1, max: 1e7, default: CG_DEFAULTS.maxIterations },
  rank: { type: 'integer', min: 0, max: 1e6, default: CG_DEFAULTS.rank },
  probes: { type: 'integer', min: 1, max: 1e4, default: CG_DEFAULTS.probes },
  lanczosSteps: { type: 'integer', min: 1, max: 1e4, default: CG_DEFAULTS.lanczosSteps },
});

/** Options of {@link fitGP} and {@link fitGPAsync}. */
export interface FitGPOptions {
  /** Covariance function; its non-fixed hyperparameters are fitted. @defaultValue `scale(rbf(), 1)` */
  kernel?: Kernel;
  /**
   * Noise variance σ² added to the diagonal, not fitted (scikit-learn's `alpha`); add `white()` to fit noise.
   * @defaultValue 1e-10 × the targets' variance scale (1e-10 for targets of unit scale, see `report.scales`)
   */
  noise?: number;
  /** Fit hyperparameters (false: keep the kernel as given). @defaultValue true */
  optimize?: boolean;
  /** Extra L-BFGS starts after the first, drawn near the data's scale (total starts = restarts + 1). @defaultValue 0 */
  restarts?: number;
  /** Standardise y (mean 0, std 1) before fitting; predictions are mapped back. @defaultValue false */
  normalizeY?: boolean;
  /** Seed of the restart draws (give `seed` or `rng`, not both). @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng` for the restart draws (advanced by the call). */
  rng?: Rng;
  /** L-BFGS iteration cap per start. @defaultValue 200 */
  maxIterations?: number;
  /** Cap on log-ML evaluations per start (the start then ends with its best point, reason 'max-evaluations'). @defaultValue 500 */
  maxEvaluations?: number;
  /**
   * L-BFGS relative-decrease tolerance on −log ML, measured after removing the data's scale (SciPy's L-BFGS-B
   * default `factr = 1e7` is ≈ 2.2e-9). @defaultValue 1e-9
   */
  tol?: number;
  /** `'cholesky'` (exact) or `'cg'` (matrix-free estimates, see `cg.ts`). @defaultValue 'cholesky' */
  method?: 'cholesky' | 'cg';
  /** CG-path settings. @defaultValue { tol: 1e-8, maxIterations: 1000, rank: 100, probes: 16, lanczosSteps: 40 } */
  cg?: CGOptions;
  /** Called after every L-BFGS iteration (see {@link GPProgress}). */
  onProgress?: (info: GPProgress) => void;
  /** Stops the fit: `AbortError.partial` is the best model so far (see {@link fitGPAsync}). */
  signal?: AbortSignal;
  /** Budget of the n×n matrices (K, its gradients, C⁻¹). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const OPTIONS = defineOptions<FitGPOptions>()('fitGP', {
  kernel: { type: 'custom', expected: 'a Kernel (rbf(), sum(...), ...)', check: (k) => k instanceof Kernel },
  noise: { type: 'number', min: 0, doc: 'noise variance added to the diagonal' },
  optimize: { type: 'boolean', default: true, doc: 'fit the hyperparameters' },
  restarts: { type: 'integer', min: 0, max: 1000, default: 0, doc: 'extra starts after the first' },
  normalizeY: { type: 'boolean', default: false, doc: 'standardise the targets' },
  seed: { type: 'integer', min: 0, doc: 'seed of the restart draws' },
  rng: { type: 'rng', doc: 'generator for the restart draws' },
  maxIterations: { type: 'integer', min: 1, max: 1e7, default: 200, doc: 'L-BFGS iterations per start' },
  maxEvaluations: { type: 'integer', min: 1, max: 1e9, default: 500, doc: 'log-ML evaluations per start' },
  tol: { type: 'number', min: 0, lessThan: 1, default: 1e-9, doc: 'relative decrease tolerance' },
  method: { type: 'enum', values: ['cholesky', 'cg'], default: 'cholesky', doc: 'linear-solve path' },
  cg: { type: 'custom', expected: 'an object of CG settings', check: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0, doc: 'memory budget in bytes' },
});

type ParsedGP = ReturnType<typeof OPTIONS.parse>;

/** Everything the loop needs, read and validated before any work. */
interface GPProblem {
  where: string;
  o: ParsedGP;
  kernel0: Kernel;
  pts: Points;
  yRaw: Float64Array;
  yc: Float64Array;
  noise: number;
  scales: DataScales;
  cg: CGSettings;
  rng: Rng;
}

/** Bytes of the n×n blocks one log-ML evaluation holds (K, ∂K/∂θ, C, C⁻¹ and its factor). */
function bytesOfEvaluation(n: number, nTheta: number, method: 'cholesky' | 'cg'): number {
  return 8 * n * n * (nTheta + (method === 'cg' ? 2 : 4));
}

function prepare(where: string, X: unknown, y: unknown, options: FitGPOptions | undefined): GPProblem {
  const o = OPTIONS.parse(options);
  const kernel0 = o.kernel ?? scale(rbf(), 1);
  const pts = readPoints(X, where, 'X');
  kernel0.checkDim(where, pts);
  const yRaw = readTargets(where, y, pts.n);
  const cgParsed = CG_OPTIONS.parse(o.cg as CGOptions | undefined);
  const rng = resolveRng(where, o, 0);
  const cg: CGSettings = { ...cgParsed, seed: o.seed ?? 0 };
  const n = pts.n;
  checkMemory(where, `the ${n}×${n} kernel matrix with its ${kernel0.nTheta} gradient(s)`, bytesOfEvaluation(n, o.optimize ? kernel0.nTheta : 0, o.method), {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: `fitSGPR or fitSVGP (sparse GP with inducing points, O(nm²) time and O(m² + chunk·m) memory) or a random subset of the data; method: 'cg' avoids the factorisation but still holds n² = ${(n * n).toExponential(2)} numbers per matrix`,
  });
  const { mean, std } = targetScaling(yRaw, o.normalizeY);
  const yc = yRaw.map((v) => (v - mean) / std);
  const scales = dataScales(pts, yc);
  const noise = o.noise ?? 1e-10 * scales.varianceFactor;
  return { where, o, kernel0, pts, yRaw, yc, noise, scales, cg, rng };
}

/** Half-width (in log units, a factor e² ≈ 7.4 each way) of the restart draws around the data-driven centres. */
const SPREAD = 2;

/** Thrown by the objective when a start has used `maxEvaluations`. */
class EvaluationCap extends Error {}

/**
 * The one hyperparameter loop: yields an L-BFGS request per start (and a checkpoint between starts), keeps
 * the best start, returns the fitted model. Its partial (on abort) is the model at the best θ so far.
 */
function* gpFitLoop(p: GPProblem): StepLoop<GPModel> {
  const { o, kernel0, pts, yc, noise, scales } = p;
  const clock = stopwatch();
  const lml = (k: Kernel, grad: boolean): { value: number; gradient: Float64Array } =>
    o.method === 'cg' ? lmlCG(k, pts, yc, noise, p.cg, grad) : lmlCholesky(k, pts, yc, noise, grad);
  const base = {
    method: o.method,
    ...(o.method === 'cg' ? { cg: p.cg } : {}),
    scales: { length: scales.lengthFactor, variance: scales.varianceFactor },
  };
  const model = (kernel: Kernel, r: Omit<GPFitReport, 'method' | 'jitter' | 'scales' | 'elapsedMs' | 'converged'> & { converged?: boolean }): GPModel => {
    const report = { ...base, ...r, jitter: 0, elapsedMs: clock() } as GPFitReport;
    return new GPModel(buildState(pts, p.yRaw, kernel, noise, o.normalizeY, report));
  };
  if (!o.optimize || kernel0.nTheta === 0) {
    return model(kernel0, { reason: 'completed', iterations: 0, evaluations: 0, restarts: [], startEvaluations: [], boundHits: [] });
  }
  const { lower, upper } = resolveBounds(kernel0, scales);
  // Objective offset: −log ML changes by n/2·log c under y → √c·y; removing it makes `tol` scale-free.
  const offset = 0.5 * pts.n * Math.log(scales.varianceFactor);
  const starts: Float64Array[] = [kernel0.theta.map((t, i) => Math.min(upper[i] as number, Math.max(lower[i] as number, t)))];
  const centers = restartCenters(kernel0, scales, pts);
  for (let r = 0; r < o.restarts; r++) {
    starts.push(
      Float64Array.from(centers, (c, i) => {
        const lo = Math.max(lower[i] as number, Math.min(upper[i] as number, c) - SPREAD);
        const hi = Math.min(upper[i] as number, Math.max(lower[i] as number, c) + SPREAD);
        return lo + (hi - lo) * p.rng.uniform();
      }),
    );
  }
  const restarts: number[] = [];
  const startEvaluations: number[] = [];
  let best: { theta: Float64Array; value: number; reason: StopReason; criterion?: string; trace: readonly number[] } | null = null;
  let iterationsBefore = 0;
  let evaluationsBefore = 0;
  const partialAt = (iterate?: LBFGSIterate) => (): GPModel | undefined => {
    let theta = best?.theta;
    if (iterate && Number.isFinite(iterate.value) && (best === null || -(iterate.value - offset) > best.value)) theta = iterate.x;
    try {
      return model(theta ? kernel0.withTheta(theta) : kernel0, {
        reason: 'aborted',
        converged: false,
        iterations: iterationsBefore,
        evaluations: evaluationsBefore,
        restarts: [...restarts],
        startEvaluations: [...startEvaluations],
        boundHits: [],
      });
    } catch {
      return undefined;
    }
  };
  for (let restart = 0; restart < starts.length; restart++) {
    const x0 = starts[restart] as Float64Array;
    let evaluations = 0;
    let lastNPD: NotPositiveDefiniteError | null = null;
    let bestSeen: { theta: Float64Array; value: number } | null = null;
    const fg = (theta: Float64Array) => {
      if (evaluations >= o.maxEvaluations) throw new EvaluationCap();
      evaluations++;
      try {
        const r = lml(kernel0.withTheta(theta), true);
        const value = -r.value - offset;
        if (Number.isFinite(value) && (bestSeen === null || value < bestSeen.value)) bestSeen = { theta: theta.slice(), value };
        return { value, gradient: r.gradient.map((g) => -g) };
      } catch (e) {
        if (e instanceof NotPositiveDefiniteError) {
          lastNPD = e;
          return { value: Number.NaN, gradient: new Float64Array(theta.length) };
        }
        throw e;
      }
    };
    const iterBase = iterationsBefore;
    const evalBase = evaluationsBefore;
    let result: { x: Float64Array; value: number; reason: StopReason; criterion?: string; iterations: number; trace: readonly number[] } | null = null;
    try {
      const res = (yield {
        kind: 'lbfgs',
        fg,
        x0,
        options: {
          lower,
          upper,
          maxIterations: o.maxIterations,
          gradTol: 1e-6,
          fTol: o.tol,
          ...(o.onProgress
            ? {
                onProgress: (q) =>
                  o.onProgress?.({
                    iteration: iterBase + q.iteration,
                    objective: q.objective + offset,
                    logMarginalLikelihood: -(q.objective + offset),
                    restart,
                    restartIteration: q.iteration,
                    gradNorm: q.gradNorm,
                    evaluations: evalBase + q.evaluations,
                    elapsedMs: clock(),
                  }),
              }
            : {}),
        },
        partial: (it?: LBFGSIterate) => partialAt(it)(),
      }) as LBFGSResult;
      result = {
        x: res.x,
        value: res.value,
        reason: res.report.reason,
        ...(res.report.criterion !== undefined ? { criterion: res.report.criterion } : {}),
        iterations: res.report.iterations,
        trace: res.report.trace,
      };
    } catch (e) {
      if (e instanceof EvaluationCap) {
        const seen = bestSeen as { theta: Float64Array; value: number } | null;
        if (seen) result = { x: seen.theta, value: seen.value, reason: 'max-evaluations', iterations: 0, trace: [seen.value] };
      } else if (e instanceof NonFiniteError && lastNPD !== null) {
        // L-BFGS saw NaN at its start point: C is not positive definite there
        if (restart === 0) throw lastNPD;
      } else throw e;
    }
    startEvaluations.push(evaluations);
    evaluationsBefore += evaluations;
    if (result === null) {
      restarts.push(Number.NaN); // a restart where C is not PD: skipped
    } else {
      iterationsBefore += result.iterations;
      const value = -(result.value + offset);
      restarts.push(value);
      if (best === null || value > best.value) {
        best = { theta: result.x, value, reason: result.reason, trace: result.trace.map((t) => t + offset), ...(result.criterion ? { criterion: result.criterion } : {}) };
      }
    }
    if (restart + 1 < starts.length) yield { kind: 'checkpoint', partial: partialAt() };
  }
  const b = best as { theta: Float64Array; value: number; reason: StopReason; criterion?: string; trace: readonly number[] } | null;
  if (b === null) {
    throw new NotPositiveDefiniteError(`${p.where}: no start gave a positive-definite kernel matrix; increase options.noise or add a white() kernel`, 0);
  }
  const names = kernel0.thetaNames;
  const boundHits: string[] = [];
  b.theta.forEach((t, i) => {
    if (t - (lower[i] as number) <= 1e-6) boundHits.push(`${names[i]} (lower)`);
    else if ((upper[i] as number) - t <= 1e-6) boundHits.push(`${names[i]} (upper)`);
  });
  return model(kernel0.withTheta(b.theta), {
    reason: b.reason,
    ...(b.criterion !== undefined ? { criterion: b.criterion } : {}),
    iterations: iterationsBefore,
    evaluations: evaluationsBefore,
    trace: b.trace,
    restarts,
    startEvaluations,
    boundHits,
  });
}

/**
 * Fits a GP regressor: the kernel's free log-hyperparameters maximise the log marginal likelihood (L-BFGS in
 * the log bounds; default bounds are relative to the data's scale, see README "Scale").
 * @example
 * const model = fitGP([[0], [1], [2]], [0, 1, 0], { kernel: sum(scale(rbf(), 1), white(0.1)) });
 * model.predict([[1.5]]).std
 * @throws ShapeError / DomainError / NonFiniteError (bad X, y or options, each naming the argument);
 *   NotPositiveDefiniteError (C not PD at the start θ even with maximum jitter; the message names the fix);
 *   ResourceError (the n×n matrices exceed `maxMemoryBytes`); AbortError (partial: the best model so far).
 */
export function fitGP(X: PointsInput, y: ArrayLike<number>, options: FitGPOptions = {}): GPModel {
  const p = prepare('fitGP', X, y, options);
  try {
    return driveSync('fitGP', gpFitLoop(p), p.o.signal);
  } finally {
    releaseWorkspace(p.pts.n);
  }
}

/**
 * {@link fitGP} that yields to the event loop at least every 50 ms (inside L-BFGS runs too), so an
 * `AbortSignal` fired by a timer or a button stops it within one L-BFGS iteration. Same options, same
 * iterates, same model. On abort it rejects with `AbortError` whose `partial` is the model at the best
 * hyperparameters so far (completed starts and the current iterate; `report.reason` `'aborted'`), or
 * `undefined` when nothing was evaluated yet.
 * @throws (rejects with) the errors of {@link fitGP}.
 */
export async function fitGPAsync(X: PointsInput, y: ArrayLike<number>, options: FitGPOptions = {}): Promise<GPModel> {
  const p = prepare('fitGPAsync', X, y, options);
  try {
    return await driveAsync('fitGPAsync', gpFitLoop(p), p.o.signal);
  } finally {
    releaseWorkspace(p.pts.n);
  }
}

/** @internal the loop, for nesting in other loops (Bayesian optimisation). */
export function gpFitSteps(X: PointsInput, y: ArrayLike<number>, options: FitGPOptions, where = 'fitGP'): StepLoop<GPModel> {
  return gpFitLoop(prepare(where, X, y, options));
}

/** Options of {@link logMarginalLikelihood}. */
export interface LogMarginalLikelihoodOptions {
  /** Noise variance added to the diagonal. @defaultValue 1e-10 × the targets' variance scale */
  noise?: number;
  /** Standardise y first (the value is then that of the standardised targets). @defaultValue false */
  normalizeY?: boolean;
  /** Budget of the n×n matrices. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const LML_OPTIONS = defineOptions<LogMarginalLikelihoodOptions>()('logMarginalLikelihood', {
  noise: { type: 'number', min: 0 },
  normalizeY: { type: 'boolean', default: false },
  maxMemoryBytes: { type: 'number', greaterThan: 0 },
});

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
  options: LogMarginalLikelihoodOptions = {},
): { value: number; gradient: Float64Array } {
  const where = 'logMarginalLikelihood';
  if (!(kernel instanceof Kernel)) throw new DomainError(`${where}: argument 'kernel' must be a Kernel, got ${describeValue(kernel)}`);
  const o = LML_OPTIONS.parse(options);
  const pts = readPoints(X, where, 'X');
  kernel.checkDim(where, pts);
  const yRaw = readTargets(where, y, pts.n);
  checkMemory(where, `the ${pts.n}×${pts.n} kernel matrix with its gradients`, bytesOfEvaluation(pts.n, kernel.nTheta, 'cholesky'), {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'fitSGPR or fitSVGP (sparse GP) or a random subset of the data',
  });
  const { mean, std } = targetScaling(yRaw, o.normalizeY);
  const yc = yRaw.map((v) => (v - mean) / std);
  const noise = o.noise ?? 1e-10 * dataScales(pts, yc).varianceFactor;
  const r = lmlCholesky(kernel, pts, yc, noise, true);
  releaseWorkspace(pts.n);
  if (!Number.isFinite(r.value) || !r.gradient.every(Number.isFinite)) {
    throw new NonFiniteError(`${where}: the log marginal likelihood or its gradient is not finite (value ${r.value}); rescale the data`);
  }
  return { value: r.value, gradient: r.gradient };
}

