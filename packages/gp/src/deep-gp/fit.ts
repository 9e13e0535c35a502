/**
 * `fitDeepGP` / `fitDeepGPAsync`: deep Gaussian processes by doubly stochastic variational inference (Salimbeni &
 * Deisenroth 2017): L layers of sparse variational GPs (see `layers.ts` for the bound), inner layers with a fixed
 * linear mean function (identity, or the top principal directions of the layer's inputs when the width shrinks, or
 * the identity padded with zeros when it grows, as in the paper §5), zero mean for the last layer; minibatches of
 * the data with S reparameterised samples per point; Adam (Kingma & Ba 2015) on every parameter (log kernel
 * variances and length-scales, inducing inputs, q(u) means and Cholesky factors, log noise). Inducing inputs of the
 * first layer are k-means centres of X; those of later layers are the first layer's propagated through the mean
 * functions. q(u) is whitened (see `layers.ts`) and starts at the prior, with the inner layers' covariances scaled by
 * 1e-10 (factors 1e-5, the paper's code), so the untrained model is the linear mean functions followed by one GP.
 * One loop on core's runFit/runFitAsync.
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
  createRng,
  defineOptions,
  describeValue,
  makeFitReport,
  readFitReport,
  readMatrix,
  readNumber,
  readVector,
  resolveRng,
  runFit,
  runFitAsync,
  stopwatch,
} from '@notes/core-linalg';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { type Points, type PointsInput, readPoints } from '../kernels/points.js';
import { kmeansInducing } from '../sparse/fit.js';
import {
  type LayerParams,
  type ParamLayout,
  boundAndGradient,
  checkLayer,
  drawEps,
  expectedLogLik,
  inducingFactor,
  klValue,
  layoutOf,
  makeSampler,
  pack,
  unpack,
} from './layers.js';
import { checkJSONHeader } from '../sparse/json-header.js';

/** Options of {@link fitDeepGP}. */
export interface FitDeepGPOptions {
  /** Number of GP layers L (1 = SVGP trained by the same loop). @defaultValue 2 */
  layers?: number;
  /** Width of the hidden layers. @defaultValue min(30, columns of X) (the paper's choice) */
  hiddenDims?: number;
  /** Inducing points per layer (k-means of X, propagated through the mean functions), or the first layer's inducing inputs. @defaultValue min(100, n) */
  inducing?: number | PointsInput;
  /** Optimise the inducing inputs. @defaultValue true */
  learnInducing?: boolean;
  /** Initial Gaussian noise variance σ² (always learned). @defaultValue 0.1 × the (normalised) targets' variance */
  noise?: number;
  /** Samples S per data point in each bound estimate. @defaultValue 1 */
  samples?: number;
  /** Minibatch size. @defaultValue min(1000, n) */
  batchSize?: number;
  /** Passes over the data (each pass shuffles it and takes ⌈n / batchSize⌉ Adam steps). @defaultValue 100 */
  epochs?: number;
  /** Adam step size. @defaultValue 0.01 */
  learningRate?: number;
  /** Standardise y (predictions are mapped back). @defaultValue false */
  normalizeY?: boolean;
  /** Relative jitter on diag K_mm (× the kernel variance). @defaultValue 1e-6 */
  jitter?: number;
  /** Seed of the k-means initialisation, the shuffles and the samples (give `seed` or `rng`). @defaultValue 0 */
  seed?: number;
  rng?: Rng;
  /** After every Adam step: `objective` = −(minibatch bound estimate) / n. */
  onProgress?: (info: DeepGPProgress) => void;
  signal?: AbortSignal;
  /** Budget of the per-step blocks. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

/** Progress of {@link fitDeepGP}. */
export interface DeepGPProgress extends FitProgress {
  /** −(minibatch estimate of the bound) per data point. */
  readonly objective: number;
  readonly epoch: number;
}

const OPTIONS = defineOptions<FitDeepGPOptions>()('fitDeepGP', {
  layers: { type: 'integer', min: 1, max: 10, default: 2 },
  hiddenDims: { type: 'integer', min: 1, max: 1000 },
  inducing: {
    type: 'custom',
    expected: 'an integer >= 1 or a matrix of inducing inputs',
    check: (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 1 && v <= 1e4 : typeof v === 'object' && v !== null),
  },
  learnInducing: { type: 'boolean', default: true },
  noise: { type: 'number', greaterThan: 0 },
  samples: { type: 'integer', min: 1, max: 1e4, default: 1 },
  batchSize: { type: 'integer', min: 1, max: 1e7 },
  epochs: { type: 'integer', min: 1, max: 1e7, default: 100 },
  learningRate: { type: 'number', greaterThan: 0, max: 10, default: 0.01 },
  normalizeY: { type: 'boolean', default: false },
  jitter: { type: 'number', greaterThan: 0, lessThan: 1, default: 1e-6 },
  seed: { type: 'integer', min: 0 },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0 },
});

/** Options of the sampling methods of {@link DeepGPModel}. */
export interface DeepGPSampleOptions {
  /** Samples S of the layer composition. @defaultValue 100 */
  samples?: number;
  /** Seed of the draws (the same seed gives the same answer). @defaultValue 0 */
  seed?: number;
}

const SAMPLE_OPTIONS = defineOptions<DeepGPSampleOptions>()('DeepGPModel', {
  samples: { type: 'integer', min: 1, max: 1e6, default: 100 },
  seed: { type: 'integer', min: 0, default: 0 },
});

/** JSON of one layer of a {@link DeepGPModel}. */
export interface DeepGPLayerJSON {
  /** Kernel variance σ_f² of the ARD-RBF kernel. */
  variance: number;
  lengthScale: number[];
  /** Inducing inputs, m × dIn. */
  Z: number[][];
  /** Means of the whitened q(v) (u = chol(K_mm) v), m × dOut. */
  qMu: number[][];
  /** Lower Cholesky factors of the whitened q(v)'s covariances, dOut × m × m. */
  qSqrt: number[][][];
  /** Linear mean function dIn × dOut, or null (zero mean, the last layer). */
  meanFunction: number[][] | null;
}

/** JSON of a {@link DeepGPModel}. */
export interface DeepGPModelJSON {
  kind: 'deep-gp';
  version: 1;
  layers: DeepGPLayerJSON[];
  noise: number;
  jitter: number;
  yMean: number;
  yStd: number;
  report: FitReport;
}

/** Predictive moments of a {@link DeepGPModel}. */
export interface DeepGPPrediction {
  /** Mean of the predictive mixture of f (original units). */
  mean: Float64Array;
  /** Variance of the mixture of f; add `noise · yStd²` for a new y. */
  variance: Float64Array;
  std: Float64Array;
}

const rowsOf = (a: Float64Array, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));

/** A fitted deep GP (immutable); build it with {@link fitDeepGP} or {@link DeepGPModel.fromJSON}. */
export class DeepGPModel {
  /** Gaussian noise variance σ² (of the normalised targets with `normalizeY`). */
  readonly noise: number;
  /** Output width of each layer (the last is 1). */
  readonly widths: readonly number[];
  readonly report: FitReport;
  readonly #s: { layers: readonly LayerParams[]; jitter: number; yMean: number; yStd: number };

  /** @internal use {@link fitDeepGP} or {@link DeepGPModel.fromJSON}. */
  constructor(layers: readonly LayerParams[], noise: number, jitter: number, yMean: number, yStd: number, report: FitReport) {
    this.noise = noise;
    this.widths = Object.freeze(layers.map((p) => p.dOut));
    this.report = report;
    this.#s = { layers, jitter, yMean, yStd };
    Object.freeze(this);
  }

  /** Number of layers L. */
  get depth(): number {
    return this.#s.layers.length;
  }

  /** Columns of the inputs. */
  get inputDim(): number {
    return (this.#s.layers[0] as LayerParams).dIn;
  }

  #read(where: string, X: unknown): Points {
    const pts = readPoints(X, where, 'X');
    if (pts.d !== this.inputDim) throw new ShapeError(`${where}: argument 'X' must have ${this.inputDim} columns, got ${pts.d}`);
    return pts;
  }

  /**
   * Runs the S × n (sample, point) rows through the layers in blocks of at most 4096 rows (sample-major order) and
   * calls `visit(g, out, r)` for each row r of a block, where g = s·n + i is the row's global index.
   */
  #passes(where: string, pts: Points, o: Required<DeepGPSampleOptions>, visit: (s: number, i: number, out: { mean: Float64Array; variance: Float64Array }[], r: number) => void): void {
    const { layers, jitter } = this.#s;
    const maxWidth = Math.max(...layers.map((p) => p.dOut));
    const mMax = Math.max(...layers.map((p) => p.m));
    const total = o.samples * pts.n;
    const chunk = Math.max(1, Math.min(total, 4096));
    checkMemory(where, `the ${mMax}×${chunk} blocks of ${layers.length} layers`, 8 * layers.length * chunk * (4 * mMax + (maxWidth + 4) * mMax), { alternative: 'predicting in smaller batches' });
    const sampler = makeSampler(layers, jitter);
    const rng = createRng(o.seed);
    const d = pts.d;
    for (let start = 0; start < total; start += chunk) {
      const count = Math.min(chunk, total - start);
      const block = new Float64Array(count * d);
      for (let r = 0; r < count; r++) {
        const i = (start + r) % pts.n;
        block.set(pts.data.subarray(i * d, (i + 1) * d), r * d);
      }
      const out = sampler.run(block, count, drawEps(layers, count, rng));
      for (let r = 0; r < count; r++) visit(Math.floor((start + r) / pts.n), (start + r) % pts.n, out, r);
    }
  }

  /**
   * Predictive mean, variance and std of f by S samples of the layer composition: the mixture
   * $\frac1S\sum_s\mathcal N(\mu_s, \sigma_s^2)$ of the last layer's marginals has mean $\bar\mu$ and variance
   * $\frac1S\sum_s(\sigma_s^2 + \mu_s^2) - \bar\mu^2$.
   * @throws ShapeError / DomainError / NonFiniteError for bad input; ResourceError for huge batches.
   */
  predict(X: PointsInput, options: DeepGPSampleOptions = {}): DeepGPPrediction {
    const where = 'DeepGPModel.predict';
    const o = SAMPLE_OPTIONS.parse(options);
    const pts = this.#read(where, X);
    const m1 = new Float64Array(pts.n);
    const m2 = new Float64Array(pts.n);
    this.#passes(where, pts, o, (_s, i, out, r) => {
      const last = out[out.length - 1] as { mean: Float64Array; variance: Float64Array };
      const mu = last.mean[r] as number;
      m1[i] = (m1[i] as number) + mu;
      m2[i] = (m2[i] as number) + Math.max(0, last.variance[r] as number) + mu * mu;
    });
    const { yMean, yStd } = this.#s;
    const mean = new Float64Array(pts.n);
    const variance = new Float64Array(pts.n);
    for (let i = 0; i < pts.n; i++) {
      const mu = (m1[i] as number) / o.samples;
      mean[i] = mu * yStd + yMean;
      variance[i] = Math.max(0, (m2[i] as number) / o.samples - mu * mu) * yStd * yStd;
      if (!Number.isFinite(mean[i]) || !Number.isFinite(variance[i])) throw new NonFiniteError(`${where}: the prediction at row ${i} is not finite`);
    }
    return { mean, variance, std: variance.map(Math.sqrt) };
  }

  /**
   * Log predictive density of each (x, y) under the sampled mixture:
   * $\log\frac1S\sum_s\mathcal N(y\mid\mu_s, \sigma_s^2 + \sigma^2)$ (original units of y), computed as a log-mean-exp.
   * @throws ShapeError / DomainError / NonFiniteError for bad input.
   */
  logPredictiveDensity(X: PointsInput, y: ArrayLike<number>, options: DeepGPSampleOptions = {}): Float64Array {
    const where = 'DeepGPModel.logPredictiveDensity';
    const o = SAMPLE_OPTIONS.parse(options);
    const pts = this.#read(where, X);
    const yv = readVector(where, 'y', y, { length: pts.n });
    const { yMean, yStd } = this.#s;
    const logs = new Float64Array(pts.n * o.samples);
    this.#passes(where, pts, o, (s, i, out, r) => {
      const last = out[out.length - 1] as { mean: Float64Array; variance: Float64Array };
      const v = (Math.max(0, last.variance[r] as number) + this.noise) * yStd * yStd;
      const e = (yv[i] as number) - ((last.mean[r] as number) * yStd + yMean);
      logs[i * o.samples + s] = -0.5 * Math.log(2 * Math.PI * v) - (e * e) / (2 * v);
    });
    const out = new Float64Array(pts.n);
    for (let i = 0; i < pts.n; i++) {
      let mx = Number.NEGATIVE_INFINITY;
      for (let s = 0; s < o.samples; s++) mx = Math.max(mx, logs[i * o.samples + s] as number);
      let acc = 0;
      for (let s = 0; s < o.samples; s++) acc += Math.exp((logs[i * o.samples + s] as number) - mx);
      out[i] = mx + Math.log(acc / o.samples);
      if (!Number.isFinite(out[i])) throw new NonFiniteError(`${where}: the log density at row ${i} is not finite`);
    }
    return out;
  }

  /**
   * S samples of every layer's output at the points: `layers[l][s]` is an n × D_l matrix (row-major
   * Float64Array) drawn from layer l's marginal given sample s of layer l−1 (the last layer's in original units of y).
   * @throws ShapeError / DomainError / NonFiniteError for bad input.
   */
  sampleLayers(X: PointsInput, options: DeepGPSampleOptions = {}): { layers: Float64Array[][] } {
    const where = 'DeepGPModel.sampleLayers';
    const o = SAMPLE_OPTIONS.parse(options);
    const pts = this.#read(where, X);
    const { layers, yMean, yStd } = this.#s;
    const res = layers.map((p) => Array.from({ length: o.samples }, () => new Float64Array(pts.n * p.dOut)));
    const rng = createRng(o.seed + 1);
    this.#passes(where, pts, o, (s, i, out, r) => {
      out.forEach((mv, l) => {
        const D = (layers[l] as LayerParams).dOut;
        const dst = (res[l] as Float64Array[])[s] as Float64Array;
        const last = l === layers.length - 1;
        for (let t = 0; t < D; t++) {
          const v = (mv.mean[r * D + t] as number) + Math.sqrt(Math.max(0, mv.variance[r * D + t] as number)) * rng.normal();
          dst[i * D + t] = last ? v * yStd + yMean : v;
        }
      });
    });
    return { layers: res };
  }

  /**
   * The doubly stochastic bound on (X, y) with S samples per point (exact for one layer, where nothing is sampled):
   * $\frac1S\sum_s\sum_i\mathbb E\log p(y_i\mid f_i) - \sum\mathrm{KL}$, in the units of the normalised targets.
   * @throws ShapeError / DomainError / NonFiniteError for bad input.
   */
  elbo(X: PointsInput, y: ArrayLike<number>, options: DeepGPSampleOptions = {}): number {
    const where = 'DeepGPModel.elbo';
    const o = SAMPLE_OPTIONS.parse(options);
    const pts = this.#read(where, X);
    const yv = readVector(where, 'y', y, { length: pts.n });
    const { layers, jitter, yMean, yStd } = this.#s;
    const yn = yv.map((v) => (v - yMean) / yStd);
    const rng = createRng(o.seed);
    const chunk = Math.max(1, Math.floor(4096 / o.samples));
    let ell = 0;
    for (let start = 0; start < pts.n; start += chunk) {
      const idx = Array.from({ length: Math.min(chunk, pts.n - start) }, (_, j) => start + j);
      const eps = drawEps(layers, idx.length * o.samples, rng);
      ell += expectedLogLik(layers, this.noise, jitter, { X: pts.data, d: pts.d, y: yn, n: pts.n, idx, samples: o.samples, eps });
    }
    const value = ell - klValue(layers, jitter);
    if (!Number.isFinite(value)) throw new NonFiniteError(`${where}: the bound is not finite (${value})`);
    return value;
  }

  /** JSON form (every layer's kernel, inducing inputs, q(u), mean function; the noise and target scaling). */
  toJSON(): DeepGPModelJSON {
    const s = this.#s;
    return {
      kind: 'deep-gp',
      version: 1,
      layers: s.layers.map((p) => ({
        variance: p.variance,
        lengthScale: Array.from(p.lengthScale),
        Z: rowsOf(p.Z, p.m, p.dIn),
        qMu: rowsOf(p.qMu, p.m, p.dOut),
        qSqrt: Array.from({ length: p.dOut }, (_, t) => rowsOf(p.qSqrt.subarray(t * p.m * p.m, (t + 1) * p.m * p.m), p.m, p.m)),
        meanFunction: p.W ? rowsOf(p.W, p.dIn, p.dOut) : null,
      })),
      noise: this.noise,
      jitter: s.jitter,
      yMean: s.yMean,
      yStd: s.yStd,
      report: { ...this.report, ...(this.report.trace ? { trace: [...this.report.trace] } : {}) },
    };
  }

  /**
   * Rebuilds a model from {@link DeepGPModel.toJSON}; every field is validated (shapes chain from layer to layer,
   * the last layer has one output and no mean function, q(u) factors are lower triangular with a non-zero diagonal).
   * @throws DomainError / ShapeError / NonFiniteError naming the field.
   */
  static fromJSON(json: DeepGPModelJSON): DeepGPModel {
    const where = 'DeepGPModel.fromJSON';
    checkJSONHeader(where, json, 'deep-gp', 1);
    if (!Array.isArray(json.layers) || json.layers.length < 1 || json.layers.length > 10) throw new ShapeError(`${where}: field 'layers' must be an array of 1 to 10 layers, got ${describeValue(json.layers)}`);
    const layers: LayerParams[] = [];
    let dIn = -1;
    json.layers.forEach((lj, l) => {
      const f = `layers.${l}`;
      if (typeof lj !== 'object' || lj === null || Array.isArray(lj)) throw new DomainError(`${where}: field '${f}' must be an object, got ${describeValue(lj)}`);
      const Z = readMatrix(where, `${f}.Z`, lj.Z, dIn > 0 ? { columns: dIn } : {});
      const d = Z.columns;
      const m = Z.rows;
      const qMu = readMatrix(where, `${f}.qMu`, lj.qMu, { rows: m });
      const dOut = qMu.columns;
      const last = l === json.layers.length - 1;
      if (last && dOut !== 1) throw new ShapeError(`${where}: field '${f}.qMu' must have 1 column (the last layer), got ${dOut}`);
      if (!Array.isArray(lj.qSqrt) || lj.qSqrt.length !== dOut) throw new ShapeError(`${where}: field '${f}.qSqrt' must hold ${dOut} matrices of ${m}×${m}, got ${describeValue(lj.qSqrt)}`);
      const qSqrt = new Float64Array(dOut * m * m);
      lj.qSqrt.forEach((Lt, t) => {
        qSqrt.set(readMatrix(where, `${f}.qSqrt.${t}`, Lt, { rows: m, columns: m }).data, t * m * m);
      });
      let W: Float64Array | null = null;
      if (last) {
        if (lj.meanFunction !== null) throw new DomainError(`${where}: field '${f}.meanFunction' must be null (the last layer has zero mean), got ${describeValue(lj.meanFunction)}`);
      } else W = readMatrix(where, `${f}.meanFunction`, lj.meanFunction, { rows: d, columns: dOut }).data;
      const variance = readNumber(where, `${f}.variance`, lj.variance);
      const lengthScale = readVector(where, `${f}.lengthScale`, lj.lengthScale, { length: d });
      const p: LayerParams = { dIn: d, dOut, m, variance, lengthScale, Z: Z.data, qMu: qMu.data, qSqrt, W };
      checkLayer(where, f, p);
      layers.push(p);
      dIn = dOut;
    });
    const pos = (k: 'noise' | 'yStd' | 'jitter') => {
      const v = json[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0) || (k === 'jitter' && v >= 1)) throw new DomainError(`${where}: field '${k}' must be a finite number > 0${k === 'jitter' ? ' and < 1' : ''}, got ${describeValue(v)}`);
      return v;
    };
    const yMean = readNumber(where, 'yMean', json.yMean);
    const jitter = pos('jitter');
    for (const [l, p] of layers.entries()) {
      try {
        inducingFactor(p, jitter);
      } catch (e) {
        throw new DomainError(`${where}: field 'layers.${l}': K_mm of the inducing inputs is not positive definite (${(e as Error).message})`);
      }
    }
    return new DeepGPModel(layers, pos('noise'), jitter, yMean, pos('yStd'), readFitReport(where, json.report));
  }
}

/** Linear mean function dIn → dOut: identity, top principal directions of X (dIn > dOut) or identity padded with zeros. */
function meanFunction(X: Points, dOut: number): Float64Array {
  const { n, d } = X;
  const W = new Float64Array(d * dOut);
  if (d <= dOut) {
    for (let j = 0; j < d; j++) W[j * dOut + j] = 1;
    return W;
  }
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j] = (mu[j] as number) + (X.data[i * d + j] as number) / n;
  const C = new Matrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += ((X.data[i * d + a] as number) - (mu[a] as number)) * ((X.data[i * d + b] as number) - (mu[b] as number));
      C.set(a, b, s / n);
      C.set(b, a, s / n);
    }
  }
  const e = new EigenvalueDecomposition(C, { assumeSymmetric: true });
  const order = e.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]);
  const V = e.eigenvectorMatrix;
  for (let t = 0; t < dOut; t++) {
    const col = (order[t] as readonly [number, number])[1];
    // sign: largest-magnitude entry positive (deterministic)
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(V.get(j, col)) > Math.abs(big)) big = V.get(j, col);
    const sgn = big < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) W[j * dOut + t] = sgn * V.get(j, col);
  }
  return W;
}

function times(X: Points, W: Float64Array, dOut: number): Points {
  const out = new Float64Array(X.n * dOut);
  for (let i = 0; i < X.n; i++) {
    for (let t = 0; t < dOut; t++) {
      let s = 0;
      for (let j = 0; j < X.d; j++) s += (X.data[i * X.d + j] as number) * (W[j * dOut + t] as number);
      out[i * dOut + t] = s;
    }
  }
  return { data: out, n: X.n, d: dOut };
}

function columnStd(X: Points): Float64Array {
  const s = new Float64Array(X.d);
  for (let j = 0; j < X.d; j++) {
    let mu = 0;
    for (let i = 0; i < X.n; i++) mu += (X.data[i * X.d + j] as number) / X.n;
    let v = 0;
    for (let i = 0; i < X.n; i++) v += ((X.data[i * X.d + j] as number) - mu) ** 2 / X.n;
    const sd = Math.sqrt(v);
    s[j] = sd > 1e-12 && Number.isFinite(sd) ? sd : 1;
  }
  return s;
}

/** The initial layers (see the module comment). */
function initLayers(X: Points, Z1: Points, L: number, hidden: number, yVar: number): LayerParams[] {
  const layers: LayerParams[] = [];
  let Xr = X;
  let Z = Z1;
  const m = Z1.n;
  for (let l = 0; l < L; l++) {
    const last = l === L - 1;
    const dIn = Xr.d;
    const dOut = last ? 1 : hidden;
    const sd = columnStd(Xr);
    let meanVar = 0;
    for (const v of sd) meanVar += (v * v) / dIn;
    const lengthScale = sd.map((v) => v * Math.sqrt(dIn));
    const variance = last ? yVar : meanVar;
    const W = last ? null : meanFunction(Xr, dOut);
    const base: LayerParams = { dIn, dOut, m, variance, lengthScale, Z: Z.data, qMu: new Float64Array(m * dOut), qSqrt: new Float64Array(dOut * m * m), W };
    const factor = last ? 1 : 1e-5;
    for (let t = 0; t < dOut; t++) for (let i = 0; i < m; i++) base.qSqrt[t * m * m + i * m + i] = factor;
    layers.push(base);
    if (!last && W) {
      Xr = times(Xr, W, dOut);
      Z = times(Z, W, dOut);
    }
  }
  return layers;
}

interface DeepGPProblem {
  o: ReturnType<typeof OPTIONS.parse>;
  X: Points;
  y: Float64Array;
  yMean: number;
  yStd: number;
  layers: LayerParams[];
  noise0: number;
  rng: Rng;
  batch: number;
  /** log of the smallest noise variance allowed (1e-6 × the targets' variance). */
  logNoiseMin: number;
}

function prepare(where: string, Xin: unknown, yin: unknown, options: FitDeepGPOptions | undefined): DeepGPProblem {
  const o = OPTIONS.parse(options);
  const X = readPoints(Xin, where, 'X');
  const yRaw = readVector(where, 'y', yin, { length: X.n });
  const rng = resolveRng(where, o, 0);
  let Z: Points;
  if (o.inducing === undefined || typeof o.inducing === 'number') Z = kmeansInducing(X, Math.min(o.inducing ?? 100, X.n), rng);
  else {
    Z = readPoints(o.inducing, where, 'options.inducing');
    if (Z.d !== X.d) throw new ShapeError(`${where}: option 'inducing' must have ${X.d} columns (columns of X), got ${Z.d}`);
  }
  const m = Z.n;
  const hidden = o.hiddenDims ?? Math.min(30, X.d);
  const batch = Math.min(o.batchSize ?? 1000, X.n);
  const N = batch * o.samples;
  const wMax = o.layers > 1 ? Math.max(hidden, 1) : 1;
  checkMemory(where, `the ${m}×${N} blocks of ${o.layers} layers (batch ${batch} × ${o.samples} samples)`, 8 * o.layers * (N * m * (8 + 2 * wMax) + 6 * wMax * m * m), {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'fewer inducing points, samples or a smaller batch',
  });
  let mean = 0;
  let std = 1;
  if (o.normalizeY) {
    for (const v of yRaw) mean += v / X.n;
    let v2 = 0;
    for (const v of yRaw) v2 += (v - mean) ** 2 / X.n;
    std = Math.sqrt(v2) > 0 && Number.isFinite(Math.sqrt(v2)) ? Math.sqrt(v2) : 1;
  }
  const y = yRaw.map((v) => (v - mean) / std);
  let yVar = 0;
  let yMu = 0;
  for (const v of y) yMu += v / X.n;
  for (const v of y) yVar += (v - yMu) ** 2 / X.n;
  if (!(yVar > 0) || !Number.isFinite(yVar)) yVar = Math.max(1e-12, yMu * yMu) || 1;
  const noise0 = o.noise ?? 0.1 * yVar;
  const layers = initLayers(X, Z, o.layers, hidden, yVar);
  return { o, X, y, yMean: mean, yStd: std, layers, noise0, rng, batch, logNoiseMin: Math.min(Math.log(1e-6 * yVar), Math.log(noise0)) };
}

function* deepGPLoop(p: DeepGPProblem): FitLoop<DeepGPModel> {
  const { o, X, y, rng, batch } = p;
  const clock = stopwatch();
  const n = X.n;
  const layout: ParamLayout = layoutOf(p.layers, o.learnInducing);
  const x = pack(p.layers, p.noise0, layout);
  const adam = createAdam({ lr: o.learningRate });
  let current = { layers: p.layers, noise: p.noise0 };
  const steps = Math.ceil(n / batch);
  const trace: number[] = [];
  const order = Array.from({ length: n }, (_, i) => i);
  let iteration = 0;
  const model = (reason: FitReport['reason']) =>
    new DeepGPModel(current.layers, current.noise, o.jitter, p.yMean, p.yStd, makeFitReport({ reason, iterations: iteration, elapsedMs: clock(), trace }));
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let s = 0; s < steps; s++) {
      const idx = order.slice(s * batch, Math.min(n, (s + 1) * batch));
      const eps = drawEps(current.layers, idx.length * o.samples, rng);
      const r = boundAndGradient(current.layers, current.noise, layout, o.jitter, { X: X.data, d: X.d, y, n, idx, samples: o.samples, eps });
      for (let i = 0; i < r.gradient.length; i++) r.gradient[i] = -(r.gradient[i] as number) / n;
      adam.step(x, r.gradient);
      for (const i of layout.logKernel) x[i] = Math.min(20, Math.max(-20, x[i] as number));
      x[x.length - 1] = Math.max(p.logNoiseMin, x[x.length - 1] as number);
      current = unpack(x, current.layers, layout);
      iteration++;
      trace.push(-r.value / n);
      o.onProgress?.({ iteration, objective: -r.value / n, epoch, elapsedMs: clock() });
      yield () => model('aborted');
    }
  }
  return model('completed');
}

/**
 * Deep GP regression by doubly stochastic variational inference (Salimbeni & Deisenroth 2017): `layers` layers of
 * SVGPs (ARD-RBF kernels), Adam on minibatches of the bound with `samples` reparameterised samples per point;
 * `epochs` passes, report reason `'completed'`, `iterations` = Adam steps, `trace` = −bound/n per step.
 * @example const m = fitDeepGP(X, y, { layers: 2, inducing: 50, epochs: 500, seed: 1 }); m.predict(Xs).mean
 * @throws ShapeError / DomainError / NonFiniteError for bad X, y or options; ResourceError; AbortError (partial: the
 *   model at the current step).
 */
export function fitDeepGP(X: PointsInput, y: ArrayLike<number>, options: FitDeepGPOptions = {}): DeepGPModel {
  const p = prepare('fitDeepGP', X, y, options);
  return runFit('fitDeepGP', deepGPLoop(p), { signal: p.o.signal });
}

/** {@link fitDeepGP} that yields to the event loop every 50 ms; same options and result. */
export async function fitDeepGPAsync(X: PointsInput, y: ArrayLike<number>, options: FitDeepGPOptions = {}): Promise<DeepGPModel> {
  const p = prepare('fitDeepGPAsync', X, y, options);
  return runFitAsync('fitDeepGPAsync', deepGPLoop(p), { signal: p.o.signal });
}

/** @internal a model's layers as plain arrays (for the tests). */
export function layerParamsOf(j: DeepGPModelJSON): LayerParams[] {
  return j.layers.map((lj) => {
    const m = lj.Z.length;
    const dIn = (lj.Z[0] as number[]).length;
    const dOut = (lj.qMu[0] as number[]).length;
    return {
      dIn,
      dOut,
      m,
      variance: lj.variance,
      lengthScale: Float64Array.from(lj.lengthScale),
      Z: Float64Array.from(lj.Z.flat()),
      qMu: Float64Array.from(lj.qMu.flat()),
      qSqrt: Float64Array.from(lj.qSqrt.flat(2)),
      W: lj.meanFunction ? Float64Array.from(lj.meanFunction.flat()) : null,
    };
  });
}
