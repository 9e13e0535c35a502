/**
 * Variational autoencoder (notes: "VAE" — ELBO, encoder $q(z\mid x,\phi)$, decoder $p(x\mid z,\theta)$, the
 * "VAE Algorithm" minibatch estimator; "Stochastic gradient", "Reparameterization trick") with the
 * importance-weighted bound of Burda, Grosse & Salakhutdinov (IWAE, 2016).
 *
 * Encoder: an MLP $x\mapsto(\mu_\phi(x), \log\sigma^2_\phi(x))$; $q(z\mid x) = \mathcal N(\mu, \operatorname{diag}\sigma^2)$.
 * Reparameterisation: $z = \mu + \sigma\odot\varepsilon$, $\varepsilon\sim\mathcal N(0, I)$.
 * Decoder: an MLP $z\mapsto$ Bernoulli logits $\ell$ ($\log p(x\mid z) = \sum_j x_j\ell_j - \operatorname{softplus}(\ell_j)$)
 * or Gaussian mean and log-variance per pixel.
 *
 * ELBO per data point: $\mathcal L = \frac1k\sum_{s}\log p(x\mid z_s) - \mathrm{KL}(q(z\mid x)\,\|\,\mathcal N(0,I))$ with the
 * analytic $\mathrm{KL} = \tfrac12\sum_j(\mu_j^2 + \sigma_j^2 - 1 - \log\sigma_j^2) \ge 0$. **The notes print this
 * term with the wrong sign** (their formula is $-\mathrm{KL}$, i.e. $\tfrac12\sum_j(1+\log\sigma_j^2-\mu_j^2-\sigma_j^2)$, written as
 * the KL itself); the ELBO subtracts the non-negative KL above ({@link klDiagonalGaussian}, tested against Monte Carlo).
 *
 * IWAE: $\mathcal L_k = \mathbb E\big[\log\tfrac1k\sum_s w_s\big]$ with $\log w_s = \log p(x\mid z_s) + \log p(z_s) - \log q(z_s\mid x)$;
 * gradients flow through the log-mean-exp of all k weights (no detached weights), so the per-sample
 * gradient is $\sum_s \tilde w_s\nabla\log w_s$ with normalised $\tilde w_s$. $\mathcal L_1 = $ ELBO $\le\mathcal L_k\le\mathcal L_{k+1}\le\log p(x)$ in expectation.
 */
import {
  DomainError,
  defineOptions,
  NonFiniteError,
  type FitLoop,
  type FitProgress,
  type FitReport,
  makeFitReport,
  MLP,
  type ModuleJSON,
  noGrad,
  ops,
  type Rng,
  readNumber,
  resolveRng,
  runFit,
  runFitAsync,
  stopwatch,
  Tensor,
  createAdamOptimizer,
  variableGrads,
} from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { denseToMatrix, type MatrixInput, readData } from '../util/data.js';
import { readEnum, readEnvelope, readInt, readReport } from '../util/json.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Likelihood of the decoder. */
export type VAELikelihood = 'bernoulli' | 'gaussian';

/** Progress of {@link fitVAE} (after every epoch). */
export interface VAEProgress extends FitProgress {
  /** Mean negative training bound per data point over the epoch (minimised; the ELBO or the IWAE bound, as trained). */
  readonly objective: number;
  /** Minibatch steps so far. */
  readonly steps: number;
}

/** Options of {@link fitVAE}. */
export interface VAEOptions {
  /** Latent dimension. @defaultValue 20 */
  latentDim?: number;
  /** Hidden layer sizes of the encoder (the decoder uses them reversed). @defaultValue [400] */
  hidden?: readonly number[];
  /** Hidden activation. @defaultValue 'tanh' */
  activation?: 'tanh' | 'relu' | 'softplus';
  /** Decoder likelihood; 'bernoulli' needs data in [0, 1]. @defaultValue 'bernoulli' */
  likelihood?: VAELikelihood;
  /** 'elbo' (the VAE bound, averaged over `samples`) or 'iwae' (the importance-weighted bound with k = `samples`). @defaultValue 'elbo' */
  objective?: 'elbo' | 'iwae';
  /** Samples of z per data point (k of IWAE). @defaultValue 1 */
  samples?: number;
  /** Passes over the data. @defaultValue 10 */
  epochs?: number;
  /** Minibatch size. @defaultValue 100 */
  batchSize?: number;
  /** Adam learning rate. @defaultValue 1e-3 */
  lr?: number;
  /** Dynamic binarisation: every epoch, x_j is redrawn as Bernoulli(x_j) (Bernoulli likelihood only). @defaultValue false */
  binarize?: boolean;
  /** Seed (initial weights, shuffling, noise). Give `seed` or `rng`, not both. @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng`. */
  rng?: Rng;
  /** Called after every epoch. */
  onProgress?: (info: VAEProgress) => void;
  /** Stops between minibatches with `AbortError` (partial: the current model, reason 'aborted'). */
  signal?: AbortSignal;
}

/** Option table of {@link fitVAE}. */
export const VAE_OPTIONS = defineOptions<VAEOptions>()('fitVAE', {
  latentDim: { type: 'integer', min: 1, max: 10_000, default: 20 },
  hidden: {
    type: 'custom',
    expected: 'an array of integers in [1, 100000]',
    check: (v) => Array.isArray(v) && v.every((h, i) => i in v && Number.isInteger(h) && h >= 1 && h <= 100_000),
    default: [400],
  },
  activation: { type: 'enum', values: ['tanh', 'relu', 'softplus'], default: 'tanh' },
  likelihood: { type: 'enum', values: ['bernoulli', 'gaussian'], default: 'bernoulli' },
  objective: { type: 'enum', values: ['elbo', 'iwae'], default: 'elbo' },
  samples: { type: 'integer', min: 1, max: 10_000, default: 1 },
  epochs: { type: 'integer', min: 1, max: 1e6, default: 10 },
  batchSize: { type: 'integer', min: 1, max: 1e6, default: 100 },
  lr: { type: 'number', greaterThan: 0, max: 10, default: 1e-3 },
  binarize: { type: 'boolean', default: false },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
});

/**
 * $\mathrm{KL}(\mathcal N(\mu,\operatorname{diag}e^{v})\,\|\,\mathcal N(0,I)) = \tfrac12\sum_j(\mu_j^2 + e^{v_j} - 1 - v_j)$ per row
 * (rows of `mu`, `logVar`: [B, L] → [B]). The notes print the negative of this (their "KL" is $-\mathrm{KL}$); this is the
 * non-negative divergence the ELBO subtracts.
 * @throws NonFiniteError when it overflows float64.
 */
export function klDiagonalGaussian(mu: Tensor, logVar: Tensor): Tensor {
  const kl = ops.diagGaussianKL(mu, logVar); // one fused op with a hand-written backward pass (core)
  for (let i = 0; i < kl.size; i++) {
    if (!Number.isFinite(kl.data[i])) throw new NonFiniteError(`klDiagonalGaussian: the divergence of row ${i} overflows float64 (|μ| or log σ² too large)`);
  }
  return kl;
}

/** $\log\frac1k\sum_s e^{a_s}$ over axis 0, stable for weights spanning any range (max-shifted log-sum-exp). */
export function logMeanExp(a: Tensor): Tensor {
  return ops.sub(ops.logSumExp(a, 0), Math.log(a.shape[0] as number));
}

/** The architecture of a VAE. @internal */
interface VAEConfig {
  dimension: number;
  latentDim: number;
  hidden: number[];
  activation: 'tanh' | 'relu' | 'softplus';
  likelihood: VAELikelihood;
}

/**
 * Per-data-point bounds for a batch `x` [B, D] with fixed noise `eps` [k, B, L]: returns
 * `{ elbo: [B], iwae: [B] }` (tensors on the tape when recording). `elbo` averages the k reconstruction terms and
 * subtracts the analytic KL; `iwae` is the log-mean-exp of the k importance weights. @internal
 */
export function vaeBounds(encoder: MLP, decoder: MLP, cfg: VAEConfig, x: Tensor, eps: Tensor): { elbo: Tensor; iwae: Tensor } {
  const B = x.shape[0] as number;
  const L = cfg.latentDim;
  const D = cfg.dimension;
  const k = eps.shape[0] as number;
  const enc = encoder.forward(x);
  const mu = ops.slice(enc, 1, 0, L);
  const logVar = ops.slice(enc, 1, L, 2 * L);
  const sd = ops.exp(ops.mul(0.5, logVar));
  const z = ops.add(mu, ops.mul(sd, eps)); // [k, B, L]
  const out = decoder.forward(ops.reshape(z, [k * B, L]));
  let logPx: Tensor; // [k, B]
  if (cfg.likelihood === 'bernoulli') {
    // Σ_j x_j ℓ_j − softplus(ℓ_j) as one fused op (x [B, D] repeated over the k samples)
    logPx = ops.bernoulliLogLikelihood(x, ops.reshape(out, [k, B, D]));
  } else {
    const o = ops.reshape(out, [k, B, 2 * D]);
    const mean = ops.slice(o, 2, 0, D);
    const lv = ops.slice(o, 2, D, 2 * D);
    const r2 = ops.div(ops.square(ops.sub(x, mean)), ops.exp(lv));
    logPx = ops.mul(-0.5, ops.sum(ops.add(ops.add(r2, lv), LOG_2PI), -1));
  }
  const kl = klDiagonalGaussian(mu, logVar); // [B]
  const elbo = ops.sub(ops.mean(logPx, 0), kl);
  // log p(z) − log q(z|x) = −½Σ z² + ½Σ ε² + ½Σ log σ²   (the 2π terms cancel)
  const logPz = ops.mul(-0.5, ops.sum(ops.square(z), -1));
  const logQz = ops.mul(-0.5, ops.sum(ops.add(ops.square(eps), logVar), -1));
  const logW = ops.add(logPx, ops.sub(logPz, logQz)); // [k, B]
  return { elbo, iwae: logMeanExp(logW) };
}

function normalNoise(rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = rng.normal();
  return new Tensor(d, shape);
}

/** Serialised {@link VAEModel}. */
export interface VAEJSON {
  kind: 'vae';
  version: 1;
  dimension: number;
  latentDim: number;
  hidden: number[];
  activation: 'tanh' | 'relu' | 'softplus';
  likelihood: VAELikelihood;
  encoder: ModuleJSON;
  decoder: ModuleJSON;
  report: FitReport;
}

/** An importance-sampled estimate of $\log p(x)$ per data point, with its standard error. */
export interface VAELogLikelihood {
  /** Mean over the data of the k-sample estimate $\log\frac1k\sum_s w_s$ (a lower bound in expectation, tight as k grows). */
  readonly mean: number;
  /** Standard error of `mean` over the data points. */
  readonly standardError: number;
  /** The per-data-point estimates. */
  readonly perSample: Float64Array;
}

/** A trained VAE. Immutable (the networks are copied from JSON, never exposed). */
export class VAEModel {
  /** Data dimension D. */
  readonly dimension: number;
  /** Latent dimension L. */
  readonly latentDim: number;
  /** Encoder hidden sizes (the decoder uses them reversed). */
  readonly hidden: readonly number[];
  /** Hidden activation. */
  readonly activation: 'tanh' | 'relu' | 'softplus';
  /** Decoder likelihood. */
  readonly likelihood: VAELikelihood;
  /** `'completed'` after all epochs (or `'aborted'` in an abort's partial); `trace` = mean negative bound per epoch. */
  readonly report: FitReport;
  readonly #encoder: MLP;
  readonly #decoder: MLP;
  readonly #cfg: VAEConfig;

  /** @internal use `fitVAE` or `fromJSON`. */
  constructor(cfg: VAEConfig, encoder: ModuleJSON, decoder: ModuleJSON, report: FitReport) {
    this.dimension = cfg.dimension;
    this.latentDim = cfg.latentDim;
    this.hidden = Object.freeze([...cfg.hidden]);
    this.activation = cfg.activation;
    this.likelihood = cfg.likelihood;
    this.report = report;
    this.#cfg = { ...cfg, hidden: [...cfg.hidden] };
    this.#encoder = MLP.fromJSON(encoder);
    this.#decoder = MLP.fromJSON(decoder);
    Object.freeze(this);
  }

  #read(where: string, X: unknown): Tensor {
    const D = readData(where, 'X', X);
    if (D.d !== this.dimension) throw new DomainError(`${where}: argument 'X' must have ${this.dimension} columns, got ${D.d}`);
    if (this.likelihood === 'bernoulli') {
      for (let t = 0; t < D.data.length; t++) {
        const v = D.data[t] as number;
        if (v < 0 || v > 1) throw new DomainError(`${where}: argument 'X' must hold values in [0, 1] for a Bernoulli likelihood, got ${v}`);
      }
    }
    return new Tensor(D.data, [D.n, D.d]);
  }

  #perPoint(where: string, X: unknown, samples: number, seed: number, which: 'elbo' | 'iwae'): Float64Array {
    const x = this.#read(where, X);
    const rng = resolveRng(where, { seed }, 0);
    const n = x.shape[0] as number;
    const out = new Float64Array(n);
    const B = Math.max(1, Math.min(n, Math.floor(20_000 / samples)));
    noGrad(() => {
      for (let s = 0; s < n; s += B) {
        const b = Math.min(B, n - s);
        const xb = ops.slice(x, 0, s, s + b);
        const r = vaeBounds(this.#encoder, this.#decoder, this.#cfg, xb, normalNoise(rng, [samples, b, this.latentDim]));
        out.set(r[which].data, s);
      }
    });
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(out[i])) throw new DomainError(`${where}: the bound of row ${i} is ${out[i]} (float64 overflow); rescale the data`);
    }
    return out;
  }

  /**
   * Mean ELBO per data point, estimated with `samples` draws of z per point (analytic KL).
   * @throws ShapeError/DomainError/NonFiniteError for bad X (wrong width, values outside [0, 1] for Bernoulli).
   */
  elbo(X: MatrixInput, options: { samples?: number; seed?: number } = {}): number {
    const o = EVAL_OPTIONS.parse(options);
    const v = this.#perPoint('VAEModel.elbo', X, o.samples ?? 1, o.seed ?? 0, 'elbo');
    return v.reduce((a, b) => a + b, 0) / v.length;
  }

  /**
   * Importance-sampled $\log p(x)$: per point $\log\frac1k\sum_{s=1}^k p(x,z_s)/q(z_s\mid x)$ with k = `samples`
   * (default 1000), averaged over the data with its standard error.
   */
  logLikelihood(X: MatrixInput, options: { samples?: number; seed?: number } = {}): VAELogLikelihood {
    const o = EVAL_OPTIONS.parse(options);
    const v = this.#perPoint('VAEModel.logLikelihood', X, o.samples ?? 1000, o.seed ?? 0, 'iwae');
    const n = v.length;
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const variance = n > 1 ? v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
    return Object.freeze({ mean, standardError: Math.sqrt(variance / n), perSample: v });
  }

  /** Posterior means and log-variances of q(z|x), n×L each. */
  encode(X: MatrixInput): { mean: Matrix; logVariance: Matrix } {
    const x = this.#read('VAEModel.encode', X);
    const L = this.latentDim;
    const enc = noGrad(() => this.#encoder.forward(x));
    const n = x.shape[0] as number;
    const mean = new Matrix(n, L);
    const logVariance = new Matrix(n, L);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < L; j++) {
        mean.set(i, j, enc.data[i * 2 * L + j] as number);
        logVariance.set(i, j, enc.data[i * 2 * L + L + j] as number);
      }
    }
    return { mean, logVariance };
  }

  /** Decoder means: Bernoulli probabilities σ(ℓ) or Gaussian means, one row per latent row (n×D). */
  decode(Z: MatrixInput): Matrix {
    const D = readData('VAEModel.decode', 'Z', Z);
    if (D.d !== this.latentDim) throw new DomainError(`VAEModel.decode: argument 'Z' must have ${this.latentDim} columns, got ${D.d}`);
    const out = noGrad(() => this.#decoder.forward(new Tensor(D.data, [D.n, D.d])));
    const d = this.dimension;
    const w = this.likelihood === 'bernoulli' ? d : 2 * d;
    const M = new Matrix(D.n, d);
    for (let i = 0; i < D.n; i++) {
      for (let j = 0; j < d; j++) {
        const v = out.data[i * w + j] as number;
        M.set(i, j, this.likelihood === 'bernoulli' ? 1 / (1 + Math.exp(-v)) : v);
      }
    }
    return M;
  }

  /** decode(encode(X).mean): the mean reconstruction of each row. */
  reconstruct(X: MatrixInput): Matrix {
    return this.decode(this.encode(X).mean);
  }

  /** `n` draws z ~ N(0, I) decoded to their means (n×D). */
  sample(n: number, options: { seed?: number; rng?: Rng } = {}): Matrix {
    readNumber('VAEModel.sample', 'n', n);
    if (!Number.isInteger(n) || n < 1 || n > 1e6) throw new DomainError(`VAEModel.sample: argument 'n' must be an integer in [1, 1000000], got ${n}`);
    const rng = resolveRng('VAEModel.sample', options ?? {}, 0);
    const Z = normalNoise(rng, [n, this.latentDim]);
    return this.decode(denseToMatrix(Z.data, n, this.latentDim));
  }

  /** Plain JSON (the two MLPs in core's module format). */
  toJSON(): VAEJSON {
    return {
      kind: 'vae',
      version: 1,
      dimension: this.dimension,
      latentDim: this.latentDim,
      hidden: [...this.hidden],
      activation: this.activation,
      likelihood: this.likelihood,
      encoder: this.#encoder.toJSON(),
      decoder: this.#decoder.toJSON(),
      report: this.report,
    };
  }

  /**
   * Rebuilds a model, validating every field (sizes, the networks' shapes and finite weights via core's
   * `MLP.fromJSON`, that the networks match the declared architecture, the report).
   * @throws DomainError/ShapeError naming the field.
   */
  static fromJSON(json: VAEJSON): VAEModel {
    const where = 'VAEModel.fromJSON';
    const o = readEnvelope(where, json, 'vae', 1);
    const dimension = readInt(where, o, 'dimension', 1);
    const latentDim = readInt(where, o, 'latentDim', 1);
    const hidden = o.hidden;
    if (!Array.isArray(hidden) || !hidden.every((h) => Number.isInteger(h) && h >= 1)) {
      throw new DomainError(`${where}: field 'hidden' must be an array of integers >= 1`);
    }
    const activation = readEnum(where, o, 'activation', ['tanh', 'relu', 'softplus'] as const);
    const likelihood = readEnum(where, o, 'likelihood', ['bernoulli', 'gaussian'] as const);
    const cfg: VAEConfig = { dimension, latentDim, hidden: hidden as number[], activation, likelihood };
    const enc = MLP.fromJSON(o.encoder as ModuleJSON);
    const dec = MLP.fromJSON(o.decoder as ModuleJSON);
    const want = architecture(cfg);
    const same = (m: MLP, sizes: number[]) => {
      const c = (m.toJSON() as unknown as { config: { sizes: number[]; activation: string } }).config;
      return c.sizes.length === sizes.length && c.sizes.every((s, i) => s === sizes[i]) && c.activation === activation;
    };
    if (!same(enc, want.encoder) || !same(dec, want.decoder)) throw new DomainError(`${where}: fields 'encoder'/'decoder' do not match dimension, latentDim, hidden and activation`);
    return new VAEModel(cfg, o.encoder as ModuleJSON, o.decoder as ModuleJSON, readReport(where, o));
  }
}

const EVAL_OPTIONS = defineOptions<{ samples?: number; seed?: number }>()('VAEModel', {
  samples: { type: 'integer', min: 1, max: 100_000 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
});

function architecture(cfg: VAEConfig): { encoder: number[]; decoder: number[] } {
  const out = cfg.likelihood === 'bernoulli' ? cfg.dimension : 2 * cfg.dimension;
  return {
    encoder: [cfg.dimension, ...cfg.hidden, 2 * cfg.latentDim],
    decoder: [cfg.latentDim, ...[...cfg.hidden].reverse(), out],
  };
}

function prepare(where: string, X: unknown, options: VAEOptions | undefined): FitLoop<VAEModel> {
  const o = VAE_OPTIONS.parse(options);
  const data = readData(where, 'X', X);
  if (o.likelihood === 'bernoulli') {
    for (let t = 0; t < data.data.length; t++) {
      const v = data.data[t] as number;
      if (v < 0 || v > 1) throw new DomainError(`${where}: argument 'X' must hold values in [0, 1] for likelihood 'bernoulli', got ${v} at [${Math.floor(t / data.d)}, ${t % data.d}]`);
    }
  } else if (o.binarize) {
    throw new DomainError(`${where}: option 'binarize' needs likelihood 'bernoulli'`);
  }
  const rng = resolveRng(where, o, 0);
  const cfg: VAEConfig = { dimension: data.d, latentDim: o.latentDim, hidden: [...o.hidden], activation: o.activation, likelihood: o.likelihood };
  const arch = architecture(cfg);
  const encoder = new MLP(arch.encoder, { activation: cfg.activation, rng });
  const decoder = new MLP(arch.decoder, { activation: cfg.activation, rng });
  const params = [...encoder.parameters(), ...decoder.parameters()];
  const adam = createAdamOptimizer(params, { lr: o.lr });
  const clock = stopwatch();
  const { n, d } = data;
  const B = Math.min(o.batchSize, n);
  const k = o.samples;
  const trace: number[] = [];
  const toModel = (reason: 'completed' | 'aborted', epochs: number) =>
    new VAEModel(cfg, encoder.toJSON(), decoder.toJSON(), makeFitReport({ reason, iterations: epochs, elapsedMs: clock(), trace }));
  return (function* (): FitLoop<VAEModel> {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    let steps = 0;
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      let total = 0;
      for (let s = 0; s < n; s += B) {
        const b = Math.min(B, n - s);
        const xb = new Float64Array(b * d);
        for (let r = 0; r < b; r++) {
          const src = (order[s + r] as number) * d;
          for (let c = 0; c < d; c++) {
            const v = data.data[src + c] as number;
            xb[r * d + c] = o.binarize ? (rng.uniform() < v ? 1 : 0) : v;
          }
        }
        const x = new Tensor(xb, [b, d]);
        const eps = normalNoise(rng, [k, b, cfg.latentDim]);
        const { value, grads } = variableGrads(() => {
          const r = vaeBounds(encoder, decoder, cfg, x, eps);
          return ops.neg(ops.mean(o.objective === 'iwae' ? r.iwae : r.elbo));
        }, params);
        if (!Number.isFinite(value)) throw new DomainError(`${where}: the training bound became ${value} at epoch ${epoch}; lower 'lr' or rescale the data`);
        adam.step(grads);
        steps += 1;
        total += value * b;
        const ep = epoch - 1;
        yield () => toModel('aborted', ep);
      }
      trace.push(total / n);
      o.onProgress?.({ iteration: epoch, objective: total / n, elapsedMs: clock(), steps });
    }
    return toModel('completed', o.epochs);
  })();
}

/**
 * Trains a VAE (or, with `objective: 'iwae'`, an importance-weighted autoencoder) by Adam on minibatches.
 * Returns the model; `report.reason` is `'completed'` and `report.trace` the mean negative bound per epoch.
 * @example const vae = fitVAE(X, { latentDim: 10, hidden: [200], epochs: 5, binarize: true, seed: 1 }); vae.logLikelihood(Xtest, { samples: 500 })
 * @throws ShapeError/DomainError/NonFiniteError for bad X (values outside [0, 1] for Bernoulli) or options;
 *   DomainError if the bound overflows; AbortError (partial: the current model).
 */
export function fitVAE(X: MatrixInput, options?: VAEOptions): VAEModel {
  return runFit('fitVAE', prepare('fitVAE', X, options), { signal: options?.signal });
}

/** {@link fitVAE} on the asynchronous driver (the same loop; yields every ~50 ms). @throws (rejects with) the errors of {@link fitVAE}. */
export async function fitVAEAsync(X: MatrixInput, options?: VAEOptions): Promise<VAEModel> {
  return runFitAsync('fitVAEAsync', prepare('fitVAEAsync', X, options), { signal: options?.signal });
}
