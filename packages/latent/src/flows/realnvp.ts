/**
 * RealNVP normalizing flow (notes: Normalizing Flows; Dinh, Sohl-Dickstein & Bengio 2017) fitted by
 * maximum likelihood with Adam on minibatches.
 */
import {
  checkMemory,
  createAdamOptimizer,
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  type FitReport,
  makeFitReport,
  MLP,
  type MatrixData,
  NonFiniteError,
  noGrad,
  ops,
  permutation,
  type Rng,
  readFitReport,
  readMatrix,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  stopwatch,
  Tensor,
  variableGrads,
} from '@notes/core-linalg';
import { asObject, describeLength, readNumbers } from '../util/json.js';
import type { Matrix } from 'ml-matrix';
import {
  type BaseDistribution,
  baseParameters,
  createBase,
  createFlowLayers,
  type FlowConfig,
  type FlowLayer,
  flowForward,
  flowInverse,
  flowLogProb,
  flowParameters,
  initActNorm,
} from './layers.js';

/** Progress of {@link fitRealNVP}: after every epoch. */
export interface RealNVPProgress extends FitProgress {
  /** Epochs completed (same as `iteration`). */
  readonly epoch: number;
  /** Mean negative log-likelihood per row over the epoch's minibatches, in nats (same as `objective`). */
  readonly nll: number;
}

/** Options of {@link fitRealNVP} and {@link fitRealNVPAsync}. */
export interface RealNVPOptions {
  /** Number of affine coupling layers (masks alternate between them). @defaultValue 8 */
  couplings?: number;
  /** Width of each hidden layer of a coupling's conditioner MLP. @defaultValue 64 */
  hiddenUnits?: number;
  /** Hidden layers of each conditioner MLP. @defaultValue 2 */
  hiddenLayers?: number;
  /** Activation of the conditioners' hidden layers. @defaultValue 'relu' */
  activation?: 'relu' | 'tanh';
  /**
   * Bound c of every log-scale: s = c·tanh(ŝ/c), so each coupling scales a coordinate by a factor in
   * (e^{-c}, e^{c}) and its log-det is bounded by c per transformed coordinate. @defaultValue 3
   */
  scaleClamp?: number;
  /** An ActNorm layer (data-initialised per-coordinate affine map) before every coupling. @defaultValue true */
  actNorm?: boolean;
  /**
   * Base distribution: `'normal'` = N(0, I); `'mixture'` = a learned mixture of `baseComponents` diagonal
   * Gaussians, initialised by k-means (k-means++ seeding, 20 Lloyd steps) on the images z = f(x) of the
   * training rows: centroids, per-cluster s.d. (≥ 0.05) and cluster fractions.
   * @defaultValue 'normal'
   */
  base?: 'normal' | 'mixture';
  /** Components of the mixture base. @defaultValue 8 */
  baseComponents?: number;
  /** Passes over the data. @defaultValue 100 */
  epochs?: number;
  /**
   * Rows per minibatch (the last one of an epoch may be smaller). A step costs time roughly in proportion to
   * the batch, so a smaller batch buys more steps for the CPU: on the 2-D bench densities batch 64 at
   * `learningRate` 1e-3 with the cosine schedule (4× the steps) fitted better and less seed-dependently than
   * batch 256 at 3e-3, for 1.05–1.9× the CPU time (diagnosis loop 84 against 80 CPU s, bench fits 90–107 against
   * 55–57 s; package README, flows targets). @defaultValue 256
   */
  batchSize?: number;
  /** Adam step size (3e-3 and above made the 2-D bench fits seed-dependent; see `batchSize`). @defaultValue 1e-3 */
  learningRate?: number;
  /**
   * Step-size schedule: `'constant'`, or `'cosine'` annealing from `learningRate` to 0 over all steps,
   * lr_t = lr·(1 + cos(π t/T))/2. @defaultValue 'constant'
   */
  learningRateSchedule?: 'constant' | 'cosine';
  /** Gradient-norm clipping of every Adam step (Infinity: none). @defaultValue 100 */
  clipNorm?: number;
  /** Decoupled weight decay of Adam. @defaultValue 0 */
  weightDecay?: number;
  /**
   * Polyak averaging: decay d of an exponential moving average of the iterates θ₁…θ_t after each Adam step,
   * debiased as Adam's moments, θ̄ = Σ_s (1 − d)·d^{t−s}·θ_s / (1 − d^t), so the initial parameters get no
   * weight. With d > 0 the returned flow (and an abort's partial) carries θ̄ instead of the last iterate;
   * 0 turns averaging off. @defaultValue 0
   */
  averaging?: number;
  /** Seed of the initialisation and of the minibatch order. @defaultValue 0 */
  seed?: number;
  /** A generator from `createRng` instead of `seed`. */
  rng?: Rng;
  /** Called after every epoch. */
  onProgress?: (info: RealNVPProgress) => void;
  /** Stops the fit at the next minibatch with an `AbortError` whose `partial` is the flow so far. */
  signal?: AbortSignal;
}

const OPTIONS = defineOptions<RealNVPOptions>()('fitRealNVP', {
  couplings: { type: 'integer', min: 1, max: 256, default: 8, doc: 'number of affine coupling layers' },
  hiddenUnits: { type: 'integer', min: 1, max: 4096, default: 64, doc: 'width of the conditioner hidden layers' },
  hiddenLayers: { type: 'integer', min: 1, max: 8, default: 2, doc: 'hidden layers of each conditioner' },
  activation: { type: 'enum', values: ['relu', 'tanh'], default: 'relu', doc: 'conditioner activation' },
  scaleClamp: { type: 'number', greaterThan: 0, max: 20, default: 3, doc: 'bound c of s = c·tanh(ŝ/c)' },
  actNorm: { type: 'boolean', default: true, doc: 'ActNorm before every coupling' },
  base: { type: 'enum', values: ['normal', 'mixture'], default: 'normal', doc: 'base distribution' },
  baseComponents: { type: 'integer', min: 1, max: 256, default: 8, doc: 'components of the mixture base' },
  epochs: { type: 'integer', min: 1, max: 1_000_000, default: 100, doc: 'passes over the data' },
  batchSize: { type: 'integer', min: 1, default: 256, doc: 'rows per minibatch' },
  learningRate: { type: 'number', greaterThan: 0, default: 1e-3, doc: 'Adam step size' },
  learningRateSchedule: { type: 'enum', values: ['constant', 'cosine'], default: 'constant', doc: 'step-size schedule' },
  clipNorm: { type: 'number', greaterThan: 0, allowInfinity: true, default: 100, doc: 'gradient-norm clipping' },
  weightDecay: { type: 'number', min: 0, default: 0, doc: 'decoupled weight decay' },
  averaging: { type: 'number', min: 0, lessThan: 1, default: 0, doc: 'EMA decay of the parameters (0: off)' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of init and batch order' },
  rng: { type: 'rng', doc: 'generator instead of seed' },
  onProgress: { type: 'function', doc: 'called after every epoch' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

/** Options of {@link FlowModel.sample}. */
export interface FlowSampleOptions {
  /** Seed of the base draws. @defaultValue 0 */
  seed?: number;
  /** A generator from `createRng` instead of `seed`. */
  rng?: Rng;
}

const SAMPLE_OPTIONS = defineOptions<FlowSampleOptions>()('FlowModel.sample', {
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of the base draws' },
  rng: { type: 'rng', doc: 'generator instead of seed' },
});

/** JSON form of a {@link FlowModel} (`kind: 'RealNVP'`, `version: 1`). */
export interface FlowModelJSON {
  kind: 'RealNVP';
  version: 1;
  config: FlowConfig;
  /** Per layer: ActNorm `{ type, loc, logScale }` or coupling `{ type, params }` (the conditioner's tensors in order). */
  layers: ({ type: 'actnorm'; loc: number[]; logScale: number[] } | { type: 'coupling'; params: number[][] })[];
  /** The base: `{ type: 'normal' }`, or the mixture's `logits` (K), `means` and `logScales` (K·D, row-major). */
  base: { type: 'normal' } | { type: 'mixture'; logits: number[]; means: number[]; logScales: number[] };
  report: FitReport;
}

function checkFinite(where: string, what: string, data: Float64Array, columns: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new NonFiniteError(
        `${where}: ${what} is not finite (${data[i]}) at row ${Math.floor(i / columns)}; the input is outside the range the flow can represent in float64`,
      );
    }
  }
}

function copyBase(base: BaseDistribution): BaseDistribution {
  if (base.type === 'normal') return { type: 'normal' };
  const c = (t: Tensor) => new Tensor(t.data.slice(), t.shape);
  return { type: 'mixture', logits: c(base.logits), means: c(base.means), logScales: c(base.logScales) };
}

function copyLayers(layers: readonly FlowLayer[]): FlowLayer[] {
  return layers.map((layer): FlowLayer => {
    if (layer.type === 'actnorm') {
      return {
        type: 'actnorm',
        loc: new Tensor(layer.loc.data.slice(), layer.loc.shape),
        logScale: new Tensor(layer.logScale.data.slice(), layer.logScale.shape),
      };
    }
    return { type: 'coupling', mask: layer.mask.slice(), net: MLP.fromJSON(layer.net.toJSON()) };
  });
}

/**
 * A fitted RealNVP flow: an invertible map z = f(x) from data to a standard normal base, with
 * log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x|. Immutable; built by {@link fitRealNVP} or
 * {@link FlowModel.fromJSON}.
 */
export class FlowModel {
  /** Data dimension D. */
  readonly dimension: number;
  /** Architecture (couplings, conditioner size, scale clamp, ActNorm). */
  readonly config: FlowConfig;
  /** How the fit ended (`'completed'` after all epochs; trace = mean NLL per epoch). */
  readonly report: FitReport;
  readonly #layers: readonly FlowLayer[];
  readonly #base: BaseDistribution;

  /** @internal Use {@link fitRealNVP} or {@link FlowModel.fromJSON}. The layers and base are copied. */
  constructor(config: FlowConfig, layers: readonly FlowLayer[], report: FitReport, base: BaseDistribution = createBase(config)) {
    this.config = Object.freeze({ ...config });
    this.dimension = config.dimension;
    this.report = report;
    this.#layers = Object.freeze(copyLayers(layers));
    this.#base = copyBase(base);
    Object.freeze(this);
  }

  #read(where: string, name: string, X: unknown): Tensor {
    const m = readMatrix(where, name, X, { columns: this.dimension });
    return new Tensor(m.data, [m.rows, m.columns]);
  }

  /**
   * Log-density log p(x) of each row of `X` (n × D), in nats.
   * @throws ShapeError/DomainError for bad `X`; NonFiniteError if a row is so extreme that the density
   * overflows float64.
   */
  logProb(X: MatrixData): Float64Array {
    const x = this.#read('FlowModel.logProb', 'X', X);
    const lp = noGrad(() => flowLogProb(this.#layers, x, this.config.scaleClamp, this.#base)).data.slice();
    checkFinite('FlowModel.logProb', 'log p(x)', lp, 1);
    return lp;
  }

  /**
   * The forward map z = f(x) of each row and its log|det ∂f/∂x| (a Float64Array of length n).
   * @throws as {@link FlowModel.logProb}.
   */
  forward(X: MatrixData): { z: Matrix; logDet: Float64Array } {
    const x = this.#read('FlowModel.forward', 'X', X);
    const { z, logDet } = noGrad(() => flowForward(this.#layers, x, this.config.scaleClamp));
    checkFinite('FlowModel.forward', 'z', z.data, this.dimension);
    checkFinite('FlowModel.forward', 'log-det', logDet.data, 1);
    return { z: z.toMatrix(), logDet: logDet.data.slice() };
  }

  /**
   * The inverse map x = f⁻¹(z) of each row of `Z` (n × D).
   * @throws ShapeError/DomainError for bad `Z`; NonFiniteError when the result overflows float64.
   */
  inverse(Z: MatrixData): Matrix {
    const z = this.#read('FlowModel.inverse', 'Z', Z);
    const x = flowInverse(this.#layers, z, this.config.scaleClamp);
    checkFinite('FlowModel.inverse', 'x', x.data, this.dimension);
    return x.toMatrix();
  }

  /**
   * `n` draws x = f⁻¹(z), z ~ N(0, I), as an n × D matrix.
   * @throws DomainError for a bad `n` or options.
   */
  sample(n: number, options: FlowSampleOptions = {}): Matrix {
    if (!Number.isInteger(n) || n < 1) throw new DomainError(`FlowModel.sample: argument 'n' must be an integer >= 1, got ${String(n)}`);
    const o = SAMPLE_OPTIONS.parse(options);
    // the draws, the inverse pass's intermediate tensors (a few per layer) and the result
    checkMemory('FlowModel.sample', `${n}×${this.dimension} samples`, 8 * n * this.dimension * 16, { alternative: 'a smaller n per call' });
    const rng = resolveRng('FlowModel.sample', o, 0);
    const D = this.dimension;
    const z = new Float64Array(n * D);
    const base = this.#base;
    if (base.type === 'normal') {
      for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    } else {
      // pick a component from softmax(logits), then z = μ_k + σ_k ⊙ ε
      const K = base.logits.size;
      let m = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) m = Math.max(m, base.logits.data[k] as number);
      const w = Array.from(base.logits.data, (v) => Math.exp(v - m));
      const total = w.reduce((a, b) => a + b, 0);
      for (let i = 0; i < n; i++) {
        let u = rng.uniform() * total;
        let k = K - 1;
        for (let j = 0; j < K; j++) {
          u -= w[j] as number;
          if (u < 0) {
            k = j;
            break;
          }
        }
        for (let j = 0; j < D; j++) {
          z[i * D + j] = (base.means.data[k * D + j] as number) + Math.exp(base.logScales.data[k * D + j] as number) * rng.normal();
        }
      }
    }
    const x = flowInverse(this.#layers, new Tensor(z, [n, this.dimension]), this.config.scaleClamp);
    checkFinite('FlowModel.sample', 'x', x.data, this.dimension);
    return x.toMatrix();
  }

  /** @internal The layers (copies), for tests of the log-det against the autodiff Jacobian. */
  layersForTesting(): FlowLayer[] {
    return copyLayers(this.#layers);
  }

  /** Plain JSON (`kind: 'RealNVP'`, `version: 1`); {@link FlowModel.fromJSON} restores it exactly. */
  toJSON(): FlowModelJSON {
    return {
      kind: 'RealNVP',
      version: 1,
      config: { ...this.config },
      layers: this.#layers.map((layer) =>
        layer.type === 'actnorm'
          ? { type: 'actnorm' as const, loc: Array.from(layer.loc.data), logScale: Array.from(layer.logScale.data) }
          : { type: 'coupling' as const, params: layer.net.parameters().map((p) => Array.from(p.data)) },
      ),
      base:
        this.#base.type === 'normal'
          ? { type: 'normal' as const }
          : {
              type: 'mixture' as const,
              logits: Array.from(this.#base.logits.data),
              means: Array.from(this.#base.means.data),
              logScales: Array.from(this.#base.logScales.data),
            },
      report: this.report,
    };
  }

  /**
   * Restores a model from {@link FlowModel.toJSON}, validating every field (kind, version, the
   * architecture's ranges, layer types and order, every parameter's length and finiteness, the report).
   * @throws DomainError/ShapeError naming the bad field.
   */
  static fromJSON(json: unknown): FlowModel {
    const where = 'FlowModel.fromJSON';
    const j = asObject(where, 'json', json);
    if (j.kind !== 'RealNVP') throw new DomainError(`${where}: field 'kind' must be 'RealNVP', got ${JSON.stringify(j.kind)}`);
    if (j.version !== 1) throw new DomainError(`${where}: field 'version' must be 1, got ${JSON.stringify(j.version)}`);
    const c = asObject(where, 'config', j.config);
    const int = (name: string, min: number, max: number): number => {
      const v = c[name];
      if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
        throw new DomainError(`${where}: field 'config.${name}' must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
      }
      return v as number;
    };
    const config: FlowConfig = {
      dimension: int('dimension', 2, 1 << 20),
      couplings: int('couplings', 1, 256),
      hiddenUnits: int('hiddenUnits', 1, 4096),
      hiddenLayers: int('hiddenLayers', 1, 8),
      activation: ((): 'relu' | 'tanh' => {
        if (c.activation !== 'relu' && c.activation !== 'tanh') {
          throw new DomainError(`${where}: field 'config.activation' must be 'relu' or 'tanh', got ${JSON.stringify(c.activation)}`);
        }
        return c.activation;
      })(),
      scaleClamp: ((): number => {
        const v = c.scaleClamp;
        if (typeof v !== 'number' || !(v > 0) || !(v <= 20)) {
          throw new DomainError(`${where}: field 'config.scaleClamp' must be a number in (0, 20], got ${JSON.stringify(v)}`);
        }
        return v;
      })(),
      actNorm: ((): boolean => {
        if (typeof c.actNorm !== 'boolean') throw new DomainError(`${where}: field 'config.actNorm' must be a boolean, got ${JSON.stringify(c.actNorm)}`);
        return c.actNorm;
      })(),
      base: ((): 'normal' | 'mixture' => {
        if (c.base !== 'normal' && c.base !== 'mixture') {
          throw new DomainError(`${where}: field 'config.base' must be 'normal' or 'mixture', got ${JSON.stringify(c.base)}`);
        }
        return c.base;
      })(),
      baseComponents: int('baseComponents', 1, 256),
    };
    const layers = createFlowLayers(config, resolveRng(where, {}, 0));
    if (!Array.isArray(j.layers) || j.layers.length !== layers.length) {
      throw new ShapeError(`${where}: field 'layers' must be an array of ${layers.length} layers, got ${describeLength(j.layers)}`);
    }
    layers.forEach((layer, i) => {
      const lj = asObject(where, `layers[${i}]`, (j.layers as unknown[])[i]);
      if (lj.type !== layer.type) throw new DomainError(`${where}: field 'layers[${i}].type' must be '${layer.type}', got ${JSON.stringify(lj.type)}`);
      if (layer.type === 'actnorm') {
        layer.loc.data.set(readNumbers(where, `layers[${i}].loc`, lj.loc, config.dimension));
        layer.logScale.data.set(readNumbers(where, `layers[${i}].logScale`, lj.logScale, config.dimension));
      } else {
        const params = layer.net.parameters();
        if (!Array.isArray(lj.params) || lj.params.length !== params.length) {
          throw new ShapeError(`${where}: field 'layers[${i}].params' must be an array of ${params.length} arrays, got ${describeLength(lj.params)}`);
        }
        params.forEach((p, k) => {
          p.data.set(readNumbers(where, `layers[${i}].params[${k}]`, (lj.params as unknown[])[k], p.size));
        });
      }
    });
    const base = createBase(config);
    const bj = asObject(where, 'base', j.base);
    if (bj.type !== config.base) throw new DomainError(`${where}: field 'base.type' must be '${config.base}', got ${JSON.stringify(bj.type)}`);
    if (base.type === 'mixture') {
      base.logits.data.set(readNumbers(where, 'base.logits', bj.logits, base.logits.size));
      base.means.data.set(readNumbers(where, 'base.means', bj.means, base.means.size));
      base.logScales.data.set(readNumbers(where, 'base.logScales', bj.logScales, base.logScales.size));
    }
    return new FlowModel(config, layers, readFitReport(where, j.report), base);
  }
}


type ParsedRealNVP = ReturnType<typeof OPTIONS.parse>;

/**
 * Mixture-base initialisation on the rows of z (n × D): k-means++ seeding (D² sampling), 20 Lloyd steps;
 * means = centroids, logScales = log of each cluster's per-coordinate s.d. (at least 0.05), logits = log of
 * the cluster fractions (an empty cluster keeps weight 1/n at a seed row).
 */
function initMixtureBase(base: Extract<BaseDistribution, { type: 'mixture' }>, z: Float64Array, n: number, D: number, rng: Rng): void {
  const K = base.logits.size;
  const c = new Float64Array(K * D);
  const d2 = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const dist = (i: number, k: number) => {
    let s = 0;
    for (let j = 0; j < D; j++) s += ((z[i * D + j] as number) - (c[k * D + j] as number)) ** 2;
    return s;
  };
  for (let k = 0; k < K; k++) {
    let pick = Math.min(n - 1, Math.floor(rng.uniform() * n));
    if (k > 0) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        d2[i] = Math.min(d2[i] as number, dist(i, k - 1));
        total += d2[i] as number;
      }
      let u = rng.uniform() * total;
      for (let i = 0; i < n && total > 0; i++) {
        u -= d2[i] as number;
        if (u < 0) {
          pick = i;
          break;
        }
      }
    }
    c.set(z.subarray(pick * D, (pick + 1) * D), k * D);
  }
  const assign = new Int32Array(n);
  const count = new Float64Array(K);
  const sum = new Float64Array(K * D);
  const sq = new Float64Array(K * D);
  for (let it = 0; it <= 20; it++) {
    count.fill(0);
    sum.fill(0);
    sq.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (dist(i, k) < dist(i, best)) best = k;
      assign[i] = best;
      count[best] = (count[best] as number) + 1;
      for (let j = 0; j < D; j++) {
        const v = z[i * D + j] as number;
        sum[best * D + j] = (sum[best * D + j] as number) + v;
        sq[best * D + j] = (sq[best * D + j] as number) + v * v;
      }
    }
    if (it === 20) break;
    for (let k = 0; k < K; k++) {
      if ((count[k] as number) > 0) for (let j = 0; j < D; j++) c[k * D + j] = (sum[k * D + j] as number) / (count[k] as number);
    }
  }
  for (let k = 0; k < K; k++) {
    const m = Math.max(1, count[k] as number);
    base.logits.data[k] = Math.log(m / n);
    for (let j = 0; j < D; j++) {
      const mean = (c[k * D + j] as number);
      const v = (count[k] as number) > 1 ? (sq[k * D + j] as number) / m - ((sum[k * D + j] as number) / m) ** 2 : 0.25;
      base.means.data[k * D + j] = mean;
      base.logScales.data[k * D + j] = 0.5 * Math.log(Math.max(v, 0.0025));
    }
  }
}

function prepare(where: string, X: unknown, options: RealNVPOptions | undefined) {
  const o = OPTIONS.parse(options);
  const data = readMatrix(where, 'X', X, { minRows: 2, minColumns: 2 });
  const rng = resolveRng(where, o, 0);
  return { o, data, rng };
}

function* realNVPLoop(data: { rows: number; columns: number; data: Float64Array }, o: ParsedRealNVP, rng: Rng): FitLoop<FlowModel> {
  const clock = stopwatch();
  const config: FlowConfig = {
    dimension: data.columns,
    couplings: o.couplings,
    hiddenUnits: o.hiddenUnits,
    hiddenLayers: o.hiddenLayers,
    activation: o.activation,
    scaleClamp: o.scaleClamp,
    actNorm: o.actNorm,
    base: o.base,
    baseComponents: o.baseComponents,
  };
  const n = data.rows;
  const D = data.columns;
  const layers = createFlowLayers(config, rng);
  if (config.actNorm) initActNorm(layers, new Tensor(data.data, [n, D]), config.scaleClamp);
  const base = createBase(config);
  if (base.type === 'mixture') {
    // the untrained flow is the ActNorm standardisation: initialise the base by k-means on z = f(x)
    const z = noGrad(() => flowForward(layers, new Tensor(data.data, [n, D]), config.scaleClamp).z);
    initMixtureBase(base, z.data, n, D, rng);
  }
  const params = [...flowParameters(layers), ...baseParameters(base)];
  const opt = createAdamOptimizer(params, { lr: o.learningRate, clipNorm: o.clipNorm, weightDecay: o.weightDecay });
  const bs = Math.min(o.batchSize, n);
  const totalSteps = o.epochs * Math.ceil(n / bs);
  let step = 0;
  const trace: number[] = [];
  // debiased moving average (as Adam's moments): θ̄ = Σ_s (1 − d)·d^{t−s}·θ_s / (1 − d^t), no weight on θ₀
  const avg = o.averaging > 0 ? params.map((p) => new Float64Array(p.size)) : null;
  let avgWeight = 0; // 1 − d^t
  // the model with the averaged parameters swapped in (FlowModel copies them), the iterate restored after
  const build = (reason: 'aborted' | 'completed', epochs: number): FlowModel => {
    const report = makeFitReport({ reason, iterations: epochs, elapsedMs: clock(), trace });
    if (avg === null || avgWeight === 0) return new FlowModel(config, layers, report, base);
    const current = params.map((p) => p.data.slice());
    params.forEach((p, k) => {
      const a = avg[k] as Float64Array;
      for (let i = 0; i < a.length; i++) p.data[i] = (a[i] as number) / avgWeight;
    });
    const model = new FlowModel(config, layers, report, base);
    params.forEach((p, k) => {
      p.data.set(current[k] as Float64Array);
    });
    return model;
  };
  const partial = (epochs: number) => () => build('aborted', epochs);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = permutation(rng, n);
    let total = 0;
    for (let start = 0; start < n; start += bs) {
      const m = Math.min(bs, n - start);
      const xb = new Float64Array(m * D);
      for (let i = 0; i < m; i++) xb.set(data.data.subarray((order[start + i] as number) * D, ((order[start + i] as number) + 1) * D), i * D);
      const x = new Tensor(xb, [m, D]);
      const { value, grads } = variableGrads(() => ops.neg(ops.mean(flowLogProb(layers, x, config.scaleClamp, base))), params);
      if (!Number.isFinite(value)) {
        throw new NonFiniteError(`fitRealNVP: the minibatch negative log-likelihood became ${value} at epoch ${epoch}; lower 'learningRate' or 'scaleClamp'`);
      }
      if (o.learningRateSchedule === 'cosine') opt.lr = Math.max(1e-300, o.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps)));
      opt.step(grads);
      if (avg !== null) {
        const d = o.averaging;
        params.forEach((p, k) => {
          const a = avg[k] as Float64Array;
          for (let i = 0; i < a.length; i++) a[i] = d * (a[i] as number) + (1 - d) * (p.data[i] as number);
        });
        avgWeight = 1 - d * (1 - avgWeight);
      }
      step++;
      total += value * m;
      yield partial(epoch - 1);
    }
    const nll = total / n;
    trace.push(nll);
    o.onProgress?.({ iteration: epoch, epoch, objective: nll, nll, elapsedMs: clock() });
  }
  return build('completed', o.epochs);
}

/**
 * Fits a RealNVP flow to the rows of `X` (n × D, D ≥ 2) by maximum likelihood: Adam on minibatches of
 * the mean negative log-likelihood
 * $$-\tfrac1{|B|}\sum_{x\in B}\Big[\log\mathcal N(f_\theta(x);0,I) + \sum_{\text{layers}} \textstyle\sum_j s_j(x)\Big].$$
 *
 * Architecture: `couplings` affine coupling layers with alternating checkerboard masks over the
 * coordinates (layer l keeps the coordinates j with j + l even), each preceded by an ActNorm layer
 * (optional, data-initialised to standardise its input). Each conditioner is a core `MLP`
 * D → hiddenUnits × hiddenLayers → 2D whose last layer starts at zero, so the untrained flow is the
 * ActNorm standardisation. Log-scales are soft-clamped, s = c·tanh(ŝ/c) with c = `scaleClamp`
 * (Dinh et al. use a learned scale times tanh; a fixed c keeps every layer's Jacobian within
 * (e^{-c}, e^{c}) per coordinate, which keeps deep stacks and far-away inputs finite).
 *
 * Progress: after each epoch, `objective` = mean NLL per row in nats over that epoch's minibatches.
 * The report is `'completed'` after `epochs` epochs; `trace` holds the per-epoch objective.
 * Abort: `AbortError.partial` is the flow after the last finished minibatch.
 * @throws ShapeError/DomainError for bad `X` or options (before any work); NonFiniteError if the
 * objective becomes non-finite.
 * @example
 * const flow = fitRealNVP(X, { couplings: 8, epochs: 200, seed: 1 });
 * flow.logProb([[0, 0.5]]); flow.sample(100, { seed: 2 });
 */
export function fitRealNVP(X: MatrixData, options?: RealNVPOptions): FlowModel {
  const { o, data, rng } = prepare('fitRealNVP', X, options);
  return runFit('fitRealNVP', realNVPLoop(data, o, rng), o);
}

/** Async twin of {@link fitRealNVP} (same options and result); yields to the event loop every ~50 ms. */
export async function fitRealNVPAsync(X: MatrixData, options?: RealNVPOptions): Promise<FlowModel> {
  const { o, data, rng } = prepare('fitRealNVPAsync', X, options);
  return runFitAsync('fitRealNVPAsync', realNVPLoop(data, o, rng), o);
}
