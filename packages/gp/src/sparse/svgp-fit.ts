/**
 * `fitSVGP` / `fitSVGPAsync`: stochastic variational GP regression (Hensman, Fusi & Lawrence 2013) on minibatches:
 * each step takes a natural-gradient step of size γ for q(u) = N(m, S) (see `svgp.ts`) and an Adam step (Kingma &
 * Ba 2015) on the kernel's log-hyperparameters and log σ² along the minibatch ELBO gradient, kept inside the
 * (data-relative) bounds. Inducing inputs are k-means centres of X (or the given Z), fixed unless `optimizeInducing`
 * (then Adam on Z too). One loop on core's runFit/runFitAsync.
 */
import {
  DomainError,
  type FitProgress,
  type FitReport,
  type FitLoop,
  NonFiniteError,
  type Rng,
  ShapeError,
  checkMemory,
  createAdam,
  defineOptions,
  matmul,
  describeValue,
  makeFitReport,
  readFitReport,
  readMatrix,
  readVector,
  resolveRng,
  runFit,
  runFitAsync,
  stopwatch,
} from '@notes/core-linalg';
import { potri } from '@notes/core-linalg/kernels';
import { dataScales, resolveBounds, targetScaling } from '../gp-regression/state.js';
import { Kernel, type KernelJSON, kernelFromJSON, rbf, scale } from '../kernels/index.js';
import { type Points, type PointsInput, readPoints } from '../kernels/points.js';
import { kmeansInducing } from './fit.js';
import { checkInputGradient } from './input-gradient.js';
import { inducingFactor } from './sgpr.js';
import { type SVGPState, svgpBatchObjective, svgpMoments, svgpNaturalStep, svgpPrior } from './svgp.js';
import { checkJSONHeader } from './json-header.js';

/** Options of {@link fitSVGP}. */
export interface FitSVGPOptions {
  /** Covariance function without white noise. @defaultValue `scale(rbf(), 1)` */
  kernel?: Kernel;
  /** Number of inducing points (k-means of X) or the inducing inputs. @defaultValue min(100, n) */
  inducing?: number | PointsInput;
  /** Initial noise variance σ². @defaultValue 0.1 × the targets' mean square */
  noise?: number;
  /** Minibatch size. @defaultValue min(256, n) */
  batchSize?: number;
  /** Passes over the data. @defaultValue 5 */
  epochs?: number;
  /** Natural-gradient step γ for q(u) (1 = jump to the minibatch optimum). @defaultValue 0.1 */
  gamma?: number;
  /** Adam step size on the log-hyperparameters and log σ². @defaultValue 0.01 */
  learningRate?: number;
  /** Learn the hyperparameters and σ² (false: only q(u)). @defaultValue true */
  optimize?: boolean;
  /**
   * Also learn the inducing inputs Z by Adam along the minibatch ELBO gradient (analytic, q(u) held fixed
   * within a step; see `svgpBatchObjective`), starting from the k-means centres or the given Z. Needs
   * `optimize` and a kernel made of rbf, matern, rationalQuadratic, linear, constant, white. @defaultValue false
   */
  optimizeInducing?: boolean;
  /** Standardise y. @defaultValue false */
  normalizeY?: boolean;
  /** Relative jitter on diag K_mm. @defaultValue 1e-8 */
  jitter?: number;
  seed?: number;
  rng?: Rng;
  /** After every minibatch step: `objective` = −(minibatch ELBO estimate) / n. */
  onProgress?: (info: SVGPProgress) => void;
  signal?: AbortSignal;
  maxMemoryBytes?: number;
}

/** Progress of {@link fitSVGP}. */
export interface SVGPProgress extends FitProgress {
  /** −(minibatch estimate of the ELBO) per data point. */
  readonly objective: number;
  readonly epoch: number;
}

const OPTIONS = defineOptions<FitSVGPOptions>()('fitSVGP', {
  kernel: { type: 'custom', expected: 'a Kernel', check: (k) => k instanceof Kernel },
  inducing: {
    type: 'custom',
    expected: 'an integer >= 1 or a matrix of inducing inputs',
    check: (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 1 && v <= 1e5 : typeof v === 'object' && v !== null),
  },
  noise: { type: 'number', greaterThan: 0 },
  batchSize: { type: 'integer', min: 1, max: 1e7 },
  epochs: { type: 'integer', min: 1, max: 1e6, default: 5 },
  gamma: { type: 'number', greaterThan: 0, max: 1, default: 0.1 },
  learningRate: { type: 'number', greaterThan: 0, max: 10, default: 0.01 },
  optimize: { type: 'boolean', default: true },
  optimizeInducing: { type: 'boolean', default: false },
  normalizeY: { type: 'boolean', default: false },
  jitter: { type: 'number', min: 0, lessThan: 1, default: 1e-8 },
  seed: { type: 'integer', min: 0 },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0 },
});

/** JSON of an {@link SVGPModel}. */
export interface SVGPModelJSON {
  kind: 'svgp';
  version: 1;
  kernel: KernelJSON;
  noise: number;
  jitter: number;
  Z: number[][];
  /** q(u) in natural parameters: Λ = S⁻¹ (m×m) and h = S⁻¹ mean. */
  lambda: number[][];
  h: number[];
  yMean: number;
  yStd: number;
  report: FitReport;
}

/** A fitted SVGP model (immutable); build it with {@link fitSVGP}. */
export class SVGPModel {
  readonly kernel: Kernel;
  readonly noise: number;
  readonly report: FitReport;
  readonly #s: { Z: Points; jitter: number; state: SVGPState; mean: Float64Array; S: Float64Array; Kinv: Float64Array; yMean: number; yStd: number };

  /** @internal use {@link fitSVGP} or {@link SVGPModel.fromJSON}. */
  constructor(kernel: Kernel, noise: number, jitter: number, Z: Points, state: SVGPState, yMean: number, yStd: number, report: FitReport) {
    const m = Z.n;
    const f = inducingFactor(kernel, Z, jitter);
    const Kinv = potri(f.L, m, undefined, true);
    const { mean, S } = svgpMoments(state);
    this.kernel = kernel;
    this.noise = noise;
    this.report = report;
    this.#s = { Z, jitter, state, mean, S, Kinv, yMean, yStd };
    Object.freeze(this);
  }

  /** Inducing inputs (m × d, row-major); a copy on every call (the model stays unchanged). */
  get inducing(): Float64Array {
    return this.#s.Z.data.slice();
  }

  /** Mean of q(u); a copy on every call. */
  get qMean(): Float64Array {
    return this.#s.mean.slice();
  }

  /** Predictive mean, variance and std of f: $a_*^\top m$, $k_{**} - a_*^\top k_{m*} + a_*^\top S a_*$, $a_* = K_{mm}^{-1}k_{m*}$. */
  predict(Xs: PointsInput): { mean: Float64Array; variance: Float64Array; std: Float64Array } {
    const where = 'SVGPModel.predict';
    const s = this.#s;
    const pts = readPoints(Xs, where, 'Xs');
    if (pts.d !== s.Z.d) throw new ShapeError(`${where}: argument 'Xs' must have ${s.Z.d} columns, got ${pts.d}`);
    const m = s.Z.n;
    const q = pts.n;
    const chunk = Math.max(1, Math.min(q, 4096));
    checkMemory(where, `the ${m}×${chunk} cross-covariance blocks`, 8 * 3 * m * chunk, { alternative: 'predicting in smaller batches' });
    const kd = this.kernel.computeDiag(pts);
    const mean = new Float64Array(q);
    const variance = new Float64Array(q);
    // per chunk of test points: A = K_mm⁻¹ K_m* and SA = S A by GEMM, then column sums
    const qMean = s.mean;
    for (let c0 = 0; c0 < q; c0 += chunk) {
      const c = Math.min(chunk, q - c0);
      const K = this.kernel.computeMatrix(s.Z, { data: pts.data.subarray(c0 * pts.d, (c0 + c) * pts.d), n: c, d: pts.d });
      const A = matmul(s.Kinv, K, m, m, c);
      const SA = matmul(s.S, A, m, m, c);
      const mu = new Float64Array(c);
      const ak = new Float64Array(c);
      const aSa = new Float64Array(c);
      for (let p = 0; p < m; p++) {
        const qm = qMean[p] as number;
        const row = p * c;
        for (let j = 0; j < c; j++) {
          const a = A[row + j] as number;
          mu[j] = (mu[j] as number) + a * qm;
          ak[j] = (ak[j] as number) + a * (K[row + j] as number);
          aSa[j] = (aSa[j] as number) + a * (SA[row + j] as number);
        }
      }
      for (let j = 0; j < c; j++) {
        const i = c0 + j;
        mean[i] = (mu[j] as number) * s.yStd + s.yMean;
        variance[i] = Math.max(0, (kd[i] as number) - (ak[j] as number) + (aSa[j] as number)) * s.yStd * s.yStd;
        if (!Number.isFinite(mean[i]) || !Number.isFinite(variance[i])) throw new NonFiniteError(`${where}: the prediction at row ${i} is not finite`);
      }
    }
    return { mean, variance, std: variance.map(Math.sqrt) };
  }

  /** JSON form (kernel, σ², Z, q(u) natural parameters). */
  toJSON(): SVGPModelJSON {
    const s = this.#s;
    const m = s.Z.n;
    const d = s.Z.d;
    return {
      kind: 'svgp',
      version: 1,
      kernel: this.kernel.toJSON(),
      noise: this.noise,
      jitter: s.jitter,
      Z: Array.from({ length: m }, (_, i) => Array.from(s.Z.data.subarray(i * d, (i + 1) * d))),
      lambda: Array.from({ length: m }, (_, i) => Array.from(s.state.lambda.subarray(i * m, (i + 1) * m))),
      h: Array.from(s.state.h),
      yMean: s.yMean,
      yStd: s.yStd,
      report: { ...this.report, ...(this.report.trace ? { trace: [...this.report.trace] } : {}) },
    };
  }

  /**
   * Rebuilds a model from {@link SVGPModel.toJSON}; every field is validated (Λ must be symmetric positive definite).
   * @throws DomainError / ShapeError / NonFiniteError / NotPositiveDefiniteError naming the field.
   */
  static fromJSON(json: SVGPModelJSON): SVGPModel {
    const where = 'SVGPModel.fromJSON';
    checkJSONHeader(where, json, 'svgp', 1);
    const kernel = kernelFromJSON(json.kernel);
    const Z = readPoints(json.Z, where, 'Z');
    kernel.checkDim(where, Z);
    const m = Z.n;
    const lambda = readMatrix(where, 'lambda', json.lambda, { rows: m, columns: m }).data;
    for (let a = 0; a < m; a++) {
      if (!((lambda[a * m + a] as number) > 0)) throw new DomainError(`${where}: field 'lambda' must have a positive diagonal, got ${lambda[a * m + a]} at [${a}, ${a}]`);
      for (let b = 0; b < a; b++) if (lambda[a * m + b] !== lambda[b * m + a]) throw new DomainError(`${where}: field 'lambda' must be symmetric (entry [${a}, ${b}])`);
    }
    const h = readVector(where, 'h', json.h, { length: m });
    for (const k of ['noise', 'yStd'] as const) {
      const v = json[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new DomainError(`${where}: field '${k}' must be a finite number > 0, got ${describeValue(v)}`);
    }
    for (const k of ['yMean', 'jitter'] as const) {
      const v = json[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || (k === 'jitter' && v < 0)) throw new DomainError(`${where}: field '${k}' must be a finite number, got ${describeValue(v)}`);
    }
    return new SVGPModel(kernel, json.noise, json.jitter, Z, { m, lambda, h }, json.yMean, json.yStd, readFitReport(where, json.report));
  }
}

interface SVGPProblem {
  o: ReturnType<typeof OPTIONS.parse>;
  kernel0: Kernel;
  X: Points;
  y: Float64Array;
  yMean: number;
  yStd: number;
  Z: Points;
  noise0: number;
  lower: Float64Array;
  upper: Float64Array;
  rng: Rng;
}

function prepare(where: string, Xin: unknown, yin: unknown, options: FitSVGPOptions | undefined): SVGPProblem {
  const o = OPTIONS.parse(options);
  const kernel0 = o.kernel ?? scale(rbf(), 1);
  const X = readPoints(Xin, where, 'X');
  kernel0.checkDim(where, X);
  const yRaw = readVector(where, 'y', yin, { length: X.n });
  const rng = resolveRng(where, o, 0);
  let Z: Points;
  if (o.inducing === undefined || typeof o.inducing === 'number') Z = kmeansInducing(X, Math.min(o.inducing ?? 100, X.n), rng);
  else {
    Z = readPoints(o.inducing, where, 'options.inducing');
    if (Z.d !== X.d) throw new ShapeError(`${where}: option 'inducing' must have ${X.d} columns (columns of X), got ${Z.d}`);
  }
  const m = Z.n;
  if (o.optimizeInducing) checkInputGradient(where, kernel0);
  const b = Math.min(o.batchSize ?? 256, X.n);
  checkMemory(where, `the ${m}×${m} blocks and ${b}×${m} minibatch blocks`, 8 * (10 * m * m + b * m * (kernel0.nTheta + 5)), {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'fewer inducing points or a smaller batch',
  });
  const { mean, std } = targetScaling(yRaw, o.normalizeY);
  const y = yRaw.map((v) => (v - mean) / std);
  const scales = dataScales(X, y);
  const noise0 = o.noise ?? 0.1 * scales.variance;
  const nT = kernel0.nTheta;
  const { lower: kl, upper: ku } = resolveBounds(kernel0, scales);
  const lower = new Float64Array(nT + 1);
  const upper = new Float64Array(nT + 1);
  lower.set(kl);
  upper.set(ku);
  lower[nT] = Math.log(1e-6 * scales.variance);
  upper[nT] = Math.log(10 * scales.variance);
  return { o, kernel0, X, y, yMean: mean, yStd: std, Z, noise0, lower, upper, rng };
}

function* svgpLoop(p: SVGPProblem): FitLoop<SVGPModel> {
  const { o, kernel0, X, y, lower, upper, rng } = p;
  const withZ = o.optimizeInducing && o.optimize;
  let Z: Points = withZ ? { data: p.Z.data.slice(), n: p.Z.n, d: p.Z.d } : p.Z;
  const clock = stopwatch();
  const nT = kernel0.nTheta;
  const n = X.n;
  const b = Math.min(o.batchSize ?? 256, n);
  const params = new Float64Array(nT + 1 + (withZ ? Z.n * Z.d : 0));
  params.set(kernel0.theta);
  if (withZ) params.set(Z.data, nT + 1);
  params[nT] = Math.log(p.noise0);
  for (let i = 0; i <= nT; i++) params[i] = Math.min(upper[i] as number, Math.max(lower[i] as number, params[i] as number));
  const adam = createAdam({ lr: o.learningRate });
  let kernel = kernel0.withTheta(params.subarray(0, nT));
  let noise = Math.exp(params[nT] as number);
  let state = svgpPrior(kernel, Z, o.jitter);
  const steps = Math.ceil(n / b);
  const trace: number[] = [];
  const order = Array.from({ length: n }, (_, i) => i);
  let iteration = 0;
  const model = (reason: FitReport['reason']) =>
    new SVGPModel(kernel, noise, o.jitter, Z, state, p.yMean, p.yStd, makeFitReport({ reason, iterations: iteration, elapsedMs: clock(), trace }));
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let s = 0; s < steps; s++) {
      const idx = order.slice(s * b, Math.min(n, (s + 1) * b));
      state = svgpNaturalStep(kernel, Z, X, y, noise, o.jitter, state, idx, o.gamma);
      const r = svgpBatchObjective(kernel, Z, X, y, noise, o.jitter, state, idx, withZ);
      if (!Number.isFinite(r.value)) throw new NonFiniteError(`fitSVGP: the minibatch ELBO is not finite (${r.value}); rescale the data or lower learningRate`);
      if (o.optimize) {
        adam.step(params, r.gradient.map((g) => -g / n));
        for (let i = 0; i <= nT; i++) params[i] = Math.min(upper[i] as number, Math.max(lower[i] as number, params[i] as number));
        kernel = kernel0.withTheta(params.subarray(0, nT));
        noise = Math.exp(params[nT] as number);
        if (withZ) Z = { data: params.slice(nT + 1), n: Z.n, d: Z.d };
      }
      iteration++;
      trace.push(-r.value / n);
      o.onProgress?.({ iteration, objective: -r.value / n, epoch, elapsedMs: clock() });
      yield () => model('aborted');
    }
  }
  return model('completed');
}

/**
 * Stochastic variational GP regression (SVGP): minibatch natural-gradient steps for q(u) and Adam steps for the
 * hyperparameters and noise; `epochs` passes, report reason `'completed'`, `iterations` = minibatch steps.
 * @throws ShapeError / DomainError / NonFiniteError for bad input; ResourceError; AbortError (partial: the model
 *   at the current step).
 */
export function fitSVGP(X: PointsInput, y: ArrayLike<number>, options: FitSVGPOptions = {}): SVGPModel {
  const p = prepare('fitSVGP', X, y, options);
  return runFit('fitSVGP', svgpLoop(p), { signal: p.o.signal });
}

/** {@link fitSVGP} that yields to the event loop every 50 ms; same options and result. */
export async function fitSVGPAsync(X: PointsInput, y: ArrayLike<number>, options: FitSVGPOptions = {}): Promise<SVGPModel> {
  const p = prepare('fitSVGPAsync', X, y, options);
  return runFitAsync('fitSVGPAsync', svgpLoop(p), { signal: p.o.signal });
}
