/**
 * `fitSGPR` / `fitSGPRAsync`: sparse GP regression by maximising Titsias' collapsed bound (see `sgpr.ts`) over
 * the kernel's log-hyperparameters and log σ² with core's L-BFGS (inducing inputs Z from a seeded k-means
 * initialisation or given; fixed, Titsias 2009 §3 / Hensman et al. 2013's choice, unless `optimizeInducing`). One loop, two drivers (`drive.ts`).
 */
import {
  DomainError,
  type FitProgress,
  type FitReport,
  type LBFGSResult,
  NonFiniteError,
  type Rng,
  ShapeError,
  checkMemory,
  cholesky,
  defineOptions,
  describeValue,
  fromRowMajor,
  makeFitReport,
  readFitReport,
  readMatrix,
  readVector,
  resolveRng,
  stopwatch,
} from '@notes/core-linalg';
import { type StepLoop, driveAsync, driveSync } from '../gp-regression/drive.js';
import { lowerTriangularInverse } from '../gp-regression/lml.js';
import { dataScales, resolveBounds, targetScaling } from '../gp-regression/state.js';
import { Kernel, type KernelJSON, kernelFromJSON, rbf, scale } from '../kernels/index.js';
import { type Points, type PointsInput, readPoints } from '../kernels/points.js';
import { checkInputGradient } from './input-gradient.js';
import { inducingFactor, sgprBound, sgprStats, sgprValue } from './sgpr.js';
import { checkJSONHeader } from './json-header.js';

/** Options of {@link fitSGPR}. */
export interface FitSGPROptions {
  /** Covariance function without white noise (the noise is `noise`). @defaultValue `scale(rbf(), 1)` */
  kernel?: Kernel;
  /** Number of inducing points (k-means centres of the inputs), or the inducing inputs themselves. @defaultValue min(100, n) */
  inducing?: number | PointsInput;
  /** Initial Gaussian noise variance σ² (fitted when `optimize`). @defaultValue 0.1 × the targets' mean square */
  noise?: number;
  /** Bounds of σ² or `'fixed'`. @defaultValue [1e-6, 10] × the targets' mean square */
  noiseBounds?: readonly [number, number] | 'fixed';
  /** Fit the hyperparameters and σ². @defaultValue true */
  optimize?: boolean;
  /**
   * Also fit the inducing inputs Z (m·d more L-BFGS coordinates, unbounded; analytic gradient, see
   * `sgprBound`), starting from the k-means centres or the given Z. Needs `optimize` and a kernel made of
   * rbf, matern, rationalQuadratic, linear, constant, white (sums/products). @defaultValue false
   */
  optimizeInducing?: boolean;
  /** Standardise y before fitting; predictions are mapped back. @defaultValue false */
  normalizeY?: boolean;
  /** Relative jitter added to diag K_mm (× its mean diagonal). @defaultValue 1e-8 */
  jitter?: number;
  /** Rows per chunk of the two passes over the data (memory O(chunk·m·#θ)). @defaultValue 4096 */
  chunk?: number;
  /** Seed of the k-means initialisation (give `seed` or `rng`). @defaultValue 0 */
  seed?: number;
  rng?: Rng;
  /** L-BFGS iterations. @defaultValue 200 */
  maxIterations?: number;
  /** Bound evaluations. @defaultValue 500 */
  maxEvaluations?: number;
  /** L-BFGS relative decrease tolerance (of the bound per data point). @defaultValue 1e-9 */
  tol?: number;
  /** After every L-BFGS iteration: `objective` = −bound. */
  onProgress?: (info: SGPRProgress) => void;
  signal?: AbortSignal;
  /** Budget of the chunk and m×m blocks. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

/** Progress of {@link fitSGPR}. */
export interface SGPRProgress extends FitProgress {
  /** −(collapsed bound). */
  readonly objective: number;
  /** The collapsed bound (ELBO). */
  readonly elbo: number;
  readonly evaluations: number;
  readonly gradNorm: number;
}

const BOUNDS_CHECK = (v: unknown) => v === 'fixed' || (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && v[0] > 0 && v[1] > v[0] && Number.isFinite(v[1]));

const OPTIONS = defineOptions<FitSGPROptions>()('fitSGPR', {
  kernel: { type: 'custom', expected: 'a Kernel', check: (k) => k instanceof Kernel },
  inducing: {
    type: 'custom',
    expected: 'an integer >= 1 or a matrix of inducing inputs',
    check: (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 1 && v <= 1e5 : typeof v === 'object' && v !== null),
  },
  noise: { type: 'number', greaterThan: 0 },
  noiseBounds: { type: 'custom', expected: "'fixed' or [lower, upper] with 0 < lower < upper < Infinity", check: BOUNDS_CHECK },
  optimize: { type: 'boolean', default: true },
  optimizeInducing: { type: 'boolean', default: false, doc: 'also fit the inducing inputs Z' },
  normalizeY: { type: 'boolean', default: false },
  jitter: { type: 'number', min: 0, lessThan: 1, default: 1e-8 },
  chunk: { type: 'integer', min: 1, max: 1e7, default: 4096 },
  seed: { type: 'integer', min: 0 },
  rng: { type: 'rng' },
  maxIterations: { type: 'integer', min: 1, max: 1e7, default: 200 },
  maxEvaluations: { type: 'integer', min: 1, max: 1e9, default: 500 },
  tol: { type: 'number', min: 0, lessThan: 1, default: 1e-9 },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0 },
});

/** k-means (Lloyd, 10 sweeps over at most 20,000 sampled rows) from m distinct random rows. */
export function kmeansInducing(X: Points, m: number, rng: Rng): Points {
  const { n, d } = X;
  const pick = new Set<number>();
  while (pick.size < m) pick.add(Math.floor(rng.uniform() * n));
  const C = new Float64Array(m * d);
  for (const [c, i] of [...pick].entries()) C.set(X.data.subarray(i * d, (i + 1) * d), c * d);
  const sample = n <= 20_000 ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: 20_000 }, () => Math.floor(rng.uniform() * n));
  for (let sweep = 0; sweep < 10; sweep++) {
    const sums = new Float64Array(m * d);
    const counts = new Float64Array(m);
    for (const i of sample) {
      let best = 0;
      let bd = Number.POSITIVE_INFINITY;
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += ((X.data[i * d + t] as number) - (C[c * d + t] as number)) ** 2;
        if (s < bd) {
          bd = s;
          best = c;
        }
      }
      counts[best] = (counts[best] as number) + 1;
      for (let t = 0; t < d; t++) sums[best * d + t] = (sums[best * d + t] as number) + (X.data[i * d + t] as number);
    }
    for (let c = 0; c < m; c++) if ((counts[c] as number) > 0) for (let t = 0; t < d; t++) C[c * d + t] = (sums[c * d + t] as number) / (counts[c] as number);
  }
  return { data: C, n: m, d };
}

/** JSON of an {@link SGPRModel}. */
export interface SGPRModelJSON {
  kind: 'sgpr';
  version: 1;
  kernel: KernelJSON;
  noise: number;
  jitter: number;
  Z: number[][];
  /** Sufficient statistics S = VVᵀ (m×m) and r = Vy (m) of the training data. */
  S: number[][];
  r: number[];
  yMean: number;
  yStd: number;
  elbo: number;
  n: number;
  report: FitReport;
}

/** A fitted SGPR model (immutable); build it with {@link fitSGPR}. */
export class SGPRModel {
  readonly kernel: Kernel;
  /** Gaussian noise variance σ² (of the normalised targets with `normalizeY`). */
  readonly noise: number;
  /** The collapsed bound at the fitted hyperparameters (≤ log marginal likelihood). */
  readonly elbo: number;
  readonly report: FitReport;
  readonly #s: { Z: Points; jitter: number; S: Float64Array; r: Float64Array; yMean: number; yStd: number; n: number; Linv: Float64Array; LBinv: Float64Array; w: Float64Array };

  /** @internal use {@link fitSGPR} or {@link SGPRModel.fromJSON}. */
  constructor(kernel: Kernel, noise: number, jitter: number, Z: Points, S: Float64Array, r: Float64Array, yMean: number, yStd: number, n: number, elbo: number, report: FitReport) {
    const m = Z.n;
    const f = inducingFactor(kernel, Z, jitter);
    const B = new Float64Array(m * m);
    for (let i = 0; i < m * m; i++) B[i] = (S[i] as number) / noise;
    for (let i = 0; i < m; i++) B[i * m + i] = (B[i * m + i] as number) + 1;
    const LB = cholesky(fromRowMajor(B, m, m)).lowerData;
    const LBinv = lowerTriangularInverse(LB, m);
    // w = σ⁻² B⁻¹ r = σ⁻² L_B⁻ᵀ L_B⁻¹ r
    const t = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let v = 0;
      for (let b = 0; b <= a; b++) v += (LBinv[a * m + b] as number) * (r[b] as number);
      t[a] = v;
    }
    const w = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let v = 0;
      for (let b = a; b < m; b++) v += (LBinv[b * m + a] as number) * (t[b] as number);
      w[a] = v / noise;
    }
    this.kernel = kernel;
    this.noise = noise;
    this.elbo = elbo;
    this.report = report;
    this.#s = { Z, jitter, S, r, yMean, yStd, n, Linv: f.Linv, LBinv, w };
    Object.freeze(this);
  }

  /** Inducing inputs (m × d, row-major); a copy on every call (the model stays unchanged). */
  get inducing(): Float64Array {
    return this.#s.Z.data.slice();
  }

  /**
   * Predictive mean, variance and std of f (add `noise`·yStd² for a new noisy y).
   * @throws ShapeError / DomainError / NonFiniteError for bad `Xs`; ResourceError for huge batches.
   */
  predict(Xs: PointsInput): { mean: Float64Array; variance: Float64Array; std: Float64Array } {
    const where = 'SGPRModel.predict';
    const s = this.#s;
    const pts = readPoints(Xs, where, 'Xs');
    if (pts.d !== s.Z.d) throw new ShapeError(`${where}: argument 'Xs' must have ${s.Z.d} columns, got ${pts.d}`);
    const m = s.Z.n;
    const q = pts.n;
    checkMemory(where, `the ${m}×${q} cross-covariance`, 8 * 3 * m * q, { alternative: 'predicting in smaller batches' });
    const A = matmulLower(s.Linv, this.kernel.computeMatrix(s.Z, pts), m, q); // L⁻¹ K_m*
    const Bm = matmulLower(s.LBinv, A, m, q); // L_B⁻¹ L⁻¹ K_m*
    const kd = this.kernel.computeDiag(pts);
    const mean = new Float64Array(q);
    const variance = new Float64Array(q);
    for (let j = 0; j < q; j++) {
      let mu = 0;
      let a2 = 0;
      let b2 = 0;
      for (let a = 0; a < m; a++) {
        const x = A[a * q + j] as number;
        mu += x * (s.w[a] as number);
        a2 += x * x;
        b2 += (Bm[a * q + j] as number) ** 2;
      }
      mean[j] = mu * s.yStd + s.yMean;
      variance[j] = Math.max(0, (kd[j] as number) - a2 + b2) * s.yStd * s.yStd;
      if (!Number.isFinite(mean[j]) || !Number.isFinite(variance[j])) throw new NonFiniteError(`${where}: the prediction at row ${j} is not finite`);
    }
    return { mean, variance, std: variance.map(Math.sqrt) };
  }

  /** JSON form (kernel, σ², Z and the m×m sufficient statistics — not the training data). */
  toJSON(): SGPRModelJSON {
    const s = this.#s;
    const m = s.Z.n;
    const d = s.Z.d;
    return {
      kind: 'sgpr',
      version: 1,
      kernel: this.kernel.toJSON(),
      noise: this.noise,
      jitter: s.jitter,
      Z: Array.from({ length: m }, (_, i) => Array.from(s.Z.data.subarray(i * d, (i + 1) * d))),
      S: Array.from({ length: m }, (_, i) => Array.from(s.S.subarray(i * m, (i + 1) * m))),
      r: Array.from(s.r),
      yMean: s.yMean,
      yStd: s.yStd,
      elbo: this.elbo,
      n: s.n,
      report: { ...this.report, ...(this.report.trace ? { trace: [...this.report.trace] } : {}) },
    };
  }

  /**
   * Rebuilds a model from {@link SGPRModel.toJSON}; every field is validated.
   * @throws DomainError / ShapeError / NonFiniteError naming the field.
   */
  static fromJSON(json: SGPRModelJSON): SGPRModel {
    const where = 'SGPRModel.fromJSON';
    checkJSONHeader(where, json, 'sgpr', 1);
    const kernel = kernelFromJSON(json.kernel);
    const Z = readPoints(json.Z, where, 'Z');
    kernel.checkDim(where, Z);
    const m = Z.n;
    const S = readMatrix(where, 'S', json.S, { rows: m, columns: m }).data;
    for (let a = 0; a < m; a++) {
      if (!((S[a * m + a] as number) >= 0)) throw new DomainError(`${where}: field 'S' must have a diagonal >= 0, got ${S[a * m + a]} at [${a}, ${a}]`);
      for (let b = 0; b < a; b++) {
        if (S[a * m + b] !== S[b * m + a]) throw new DomainError(`${where}: field 'S' must be symmetric (entry [${a}, ${b}])`);
      }
    }
    const r = readVector(where, 'r', json.r, { length: m });
    const pos = (k: 'noise' | 'yStd') => {
      const v = json[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new DomainError(`${where}: field '${k}' must be a finite number > 0, got ${describeValue(v)}`);
      return v;
    };
    const fin = (k: 'yMean' | 'elbo' | 'jitter') => {
      const v = json[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || (k === 'jitter' && v < 0)) throw new DomainError(`${where}: field '${k}' must be a finite number${k === 'jitter' ? ' >= 0' : ''}, got ${describeValue(v)}`);
      return v;
    };
    if (!Number.isInteger(json.n) || json.n < 1) throw new DomainError(`${where}: field 'n' must be an integer >= 1, got ${describeValue(json.n)}`);
    return new SGPRModel(kernel, pos('noise'), fin('jitter'), Z, S, r, fin('yMean'), pos('yStd'), json.n, fin('elbo'), readFitReport(where, json.report));
  }
}

/** C = L·B for a lower-triangular m×m L and an m×q B (row-major). */
function matmulLower(L: Float64Array, B: Float64Array, m: number, q: number): Float64Array {
  const C = new Float64Array(m * q);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      const l = L[a * m + b] as number;
      if (l === 0) continue;
      for (let j = 0; j < q; j++) C[a * q + j] = (C[a * q + j] as number) + l * (B[b * q + j] as number);
    }
  }
  return C;
}

interface SGPRProblem {
  where: string;
  o: ReturnType<typeof OPTIONS.parse>;
  kernel0: Kernel;
  X: Points;
  y: Float64Array;
  yMean: number;
  yStd: number;
  Z: Points;
  noise0: number;
  noiseBounds: [number, number] | 'fixed';
  lower: Float64Array;
  upper: Float64Array;
}

function prepare(where: string, Xin: unknown, yin: unknown, options: FitSGPROptions | undefined): SGPRProblem {
  const o = OPTIONS.parse(options);
  const kernel0 = o.kernel ?? scale(rbf(), 1);
  const X = readPoints(Xin, where, 'X');
  kernel0.checkDim(where, X);
  const yRaw = readVector(where, 'y', yin, { length: X.n });
  const rng = resolveRng(where, o, 0);
  let Z: Points;
  if (o.inducing === undefined || typeof o.inducing === 'number') {
    const m = Math.min(o.inducing ?? 100, X.n);
    Z = kmeansInducing(X, m, rng);
  } else {
    Z = readPoints(o.inducing, where, 'options.inducing');
    if (Z.d !== X.d) throw new ShapeError(`${where}: option 'inducing' must have ${X.d} columns (columns of X), got ${Z.d}`);
  }
  const m = Z.n;
  const nT = kernel0.nTheta;
  if (o.optimizeInducing) checkInputGradient(where, kernel0);
  checkMemory(where, `the ${m}×${m} inducing blocks and ${Math.min(o.chunk, X.n)}×${m} chunks`, 8 * (8 * m * m + Math.min(o.chunk, X.n) * m * (nT + 4)), {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'fewer inducing points or a smaller chunk',
  });
  const { mean, std } = targetScaling(yRaw, o.normalizeY);
  const y = yRaw.map((v) => (v - mean) / std);
  const scales = dataScales(X, y);
  const noise0 = o.noise ?? 0.1 * scales.variance;
  const nb = (o.noiseBounds as [number, number] | 'fixed' | undefined) ?? [1e-6 * scales.variance, 10 * scales.variance];
  const { lower: kl, upper: ku } = resolveBounds(kernel0, scales);
  const nZ = o.optimizeInducing ? m * X.d : 0;
  const lower = new Float64Array(nT + 1 + nZ).fill(Number.NEGATIVE_INFINITY);
  const upper = new Float64Array(nT + 1 + nZ).fill(Number.POSITIVE_INFINITY);
  lower.set(kl);
  upper.set(ku);
  lower[nT] = nb === 'fixed' ? Math.log(noise0) : Math.log(nb[0]);
  upper[nT] = nb === 'fixed' ? Math.log(noise0) : Math.log(nb[1]);
  return { where, o, kernel0, X, y, yMean: mean, yStd: std, Z, noise0, noiseBounds: nb, lower, upper };
}

class EvaluationCap extends Error {}

function* sgprLoop(p: SGPRProblem): StepLoop<SGPRModel> {
  const { o, kernel0, X, y, Z, lower, upper } = p;
  const clock = stopwatch();
  const nT = kernel0.nTheta;
  const withZ = o.optimizeInducing && o.optimize;
  /** Z at a parameter vector (its tail when the inducing inputs are optimised). */
  const zAt = (theta: Float64Array): Points => (withZ ? { data: theta.slice(nT + 1), n: Z.n, d: Z.d } : Z);
  const build = (theta: Float64Array, reason: FitReport['reason'], extra: { iterations: number; evaluations: number; criterion?: string; trace?: readonly number[] }) => {
    const kernel = kernel0.withTheta(theta.subarray(0, nT));
    const noise = Math.exp(theta[nT] as number);
    const Z = zAt(theta);
    const f = inducingFactor(kernel, Z, o.jitter);
    const st = sgprStats(kernel, X, y, Z, f, o.chunk);
    const { value } = sgprValue(st, Z.n, noise);
    if (!Number.isFinite(value)) throw new NonFiniteError(`${p.where}: the bound is not finite (${value}); rescale the data`);
    return new SGPRModel(kernel, noise, o.jitter, Z, st.S, st.r, p.yMean, p.yStd, X.n, value, makeFitReport({ reason, elapsedMs: clock(), ...extra }));
  };
  const theta0 = new Float64Array(nT + 1 + (withZ ? Z.n * Z.d : 0));
  theta0.set(kernel0.theta);
  theta0[nT] = Math.log(p.noise0);
  if (withZ) theta0.set(Z.data, nT + 1);
  for (let i = 0; i <= nT; i++) theta0[i] = Math.min(upper[i] as number, Math.max(lower[i] as number, theta0[i] as number));
  const anyFree = nT > 0 || p.noiseBounds !== 'fixed' || withZ;
  if (!o.optimize || !anyFree) return build(theta0, 'completed', { iterations: 0, evaluations: 0 });
  const perPoint = X.n;
  let evaluations = 0;
  let bestSeen: { theta: Float64Array; value: number } | null = null;
  const fg = (theta: Float64Array) => {
    if (evaluations >= o.maxEvaluations) throw new EvaluationCap();
    evaluations++;
    const r = sgprBound(kernel0.withTheta(theta.subarray(0, nT)), X, y, zAt(theta), Math.exp(theta[nT] as number), o.jitter, o.chunk, true, withZ);
    const value = -r.value / perPoint;
    if (Number.isFinite(value) && (bestSeen === null || value < bestSeen.value)) bestSeen = { theta: theta.slice(), value };
    return { value, gradient: r.gradient.map((g) => -g / perPoint) };
  };
  let res: LBFGSResult | null = null;
  try {
    res = (yield {
      kind: 'lbfgs',
      fg,
      x0: theta0,
      options: {
        lower,
        upper,
        maxIterations: o.maxIterations,
        gradTol: 1e-7,
        fTol: o.tol,
        ...(o.onProgress
          ? { onProgress: (q) => o.onProgress?.({ iteration: q.iteration, objective: q.objective * perPoint, elbo: -q.objective * perPoint, evaluations: q.evaluations, gradNorm: q.gradNorm, elapsedMs: clock() }) }
          : {}),
      },
      partial: (it?: { x: Float64Array; value: number }) => {
        const seen = bestSeen as { theta: Float64Array } | null;
        const theta = it?.x ?? seen?.theta ?? theta0;
        try {
          return build(theta, 'aborted', { iterations: 0, evaluations });
        } catch {
          return undefined;
        }
      },
    }) as LBFGSResult;
  } catch (e) {
    if (!(e instanceof EvaluationCap)) throw e;
  }
  if (res === null) {
    const seen = bestSeen as { theta: Float64Array } | null;
    return build(seen ? seen.theta : theta0, 'max-evaluations', { iterations: 0, evaluations });
  }
  return build(res.x, res.report.reason, {
    iterations: res.report.iterations,
    evaluations,
    ...(res.report.criterion ? { criterion: res.report.criterion } : {}),
    trace: res.report.trace.map((t) => -t * perPoint),
  });
}

/**
 * Sparse GP regression (SGPR, Titsias 2009): fits the kernel's hyperparameters and the noise by maximising the
 * collapsed bound with m inducing points (k-means of the inputs), O(nm²) per evaluation.
 * @example const m = fitSGPR(X, y, { inducing: 50, kernel: scale(rbf({ lengthScale: [1, 1] }), 1) }); m.predict(Xs).mean
 * @throws ShapeError / DomainError / NonFiniteError for bad X, y or options; NotPositiveDefiniteError; ResourceError;
 *   AbortError (partial: the model at the current iterate).
 */
export function fitSGPR(X: PointsInput, y: ArrayLike<number>, options: FitSGPROptions = {}): SGPRModel {
  const p = prepare('fitSGPR', X, y, options);
  return driveSync('fitSGPR', sgprLoop(p), p.o.signal);
}

/** {@link fitSGPR} that yields to the event loop every 50 ms (between L-BFGS iterations); same result. */
export async function fitSGPRAsync(X: PointsInput, y: ArrayLike<number>, options: FitSGPROptions = {}): Promise<SGPRModel> {
  const p = prepare('fitSGPRAsync', X, y, options);
  return driveAsync('fitSGPRAsync', sgprLoop(p), p.o.signal);
}
