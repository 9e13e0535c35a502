/**
 * The trained GAN: generator and critic, how it was trained, its losses and report; immutable and
 * serialisable (docs/conventions.md §1, §7).
 */
import {
  type Activation,
  DomainError,
  describeValue,
  type FitReport,
  fromRowMajor,
  MLP,
  type ModuleJSON,
  noGrad,
  type RandomnessOptions,
  readFitReport,
  readMatrix,
  resolveRng,
  Tensor,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { F_DIVERGENCES, type FDivergenceName } from '../fdivergence/index.js';
import type { SpectralNormState } from '../lipschitz/index.js';
import { type CriticFeatures, criticForward, generate, generatorInput, latent } from './critic.js';
import { GAN_OBJECTIVES, type GanObjective } from './losses.js';
import { parseRefineOptions, type RatioSource, type RefinedSample, type RefineOptions, runRefinement, runRefinementAsync } from './refine.js';

/** What {@link GANModel.toJSON} returns. */
export interface GANModelJSON {
  kind: 'GANModel';
  version: 3;
  objective: GanObjective;
  divergence: FDivergenceName;
  activation: Activation;
  latentDim: number;
  dataDim: number;
  /** PacGAN packing degree: the critic's input is `pack` samples concatenated. */
  pack: number;
  generator: ModuleJSON;
  critic: ModuleJSON;
  /** Persistent power-iteration vectors of the critic's layers, or null without spectral normalisation. */
  spectralStates: { u: number[]; steps: number }[] | null;
  /** The critic's Fourier matrix 2π·F [dataDim·pack, m] row-major, or null without `criticFeatures` (v3). */
  criticFeatures: number[] | null;
  /** The generator's Fourier matrix 2π·F_g [latentDim, m] row-major, or null without `generatorFeatures` (v3). */
  generatorFeatures: number[] | null;
  /** Per-column mean and standard deviation of the training data's standardisation (0 and 1 without it) (v3). */
  shift: number[];
  scale: number[];
  losses: { critic: number[]; generator: number[] };
  report: FitReport;
}

/** Fields of a {@link GANModel}. @internal */
export interface GANModelFields {
  objective: GanObjective;
  divergence: FDivergenceName;
  activation: Activation;
  latentDim: number;
  dataDim: number;
  pack: number;
  generator: MLP;
  critic: MLP;
  spectralStates: readonly SpectralNormState[] | null;
  /** 2π·F [dataDim·pack, m] row-major, or null. */
  features: Float64Array | null;
  /** 2π·F_g [latentDim, m] row-major, or null. */
  generatorFeatures: Float64Array | null;
  shift: Float64Array;
  scale: Float64Array;
  losses: { critic: Float64Array; generator: Float64Array };
  report: FitReport;
}

const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'softplus', 'identity'];

/**
 * A trained GAN (from {@link trainGAN}): `sample` draws from the generator G(z), z ~ N(0, I);
 * `discriminate` evaluates the critic. Frozen; the networks are private copies.
 */
export class GANModel {
  /** The training objective. */
  readonly objective: GanObjective;
  /** The f-divergence of the 'f-gan' objective (kept for the others, unused). */
  readonly divergence: FDivergenceName;
  /** Hidden activation of both networks. */
  readonly activation: Activation;
  /** Dimension of the latent code z ~ N(0, I). */
  readonly latentDim: number;
  /** Dimension of the data (columns of the training matrix). */
  readonly dataDim: number;
  /** PacGAN packing degree (1: none): the critic's input is `pack` samples concatenated. */
  readonly pack: number;
  /** Critic and generator loss after each generator step (the critic's: its last update of that step). */
  readonly losses: { readonly critic: Float64Array; readonly generator: Float64Array };
  /** `reason: 'completed'` after all steps; `iterations` = generator steps. */
  readonly report: FitReport;
  readonly #generator: MLP;
  readonly #critic: MLP;
  readonly #states: readonly SpectralNormState[] | null;
  readonly #features: CriticFeatures | null;
  readonly #zFeatures: CriticFeatures | null;
  readonly #shift: Float64Array;
  readonly #scale: Float64Array;

  /** @internal use {@link trainGAN} or {@link GANModel.fromJSON}. */
  constructor(f: GANModelFields) {
    this.objective = f.objective;
    this.divergence = f.divergence;
    this.activation = f.activation;
    this.latentDim = f.latentDim;
    this.dataDim = f.dataDim;
    this.pack = f.pack;
    this.#generator = f.generator;
    this.#critic = f.critic;
    this.#states = f.spectralStates ? Object.freeze(f.spectralStates.map((s) => Object.freeze({ u: Float64Array.from(s.u), steps: s.steps }))) : null;
    const m = f.features ? f.features.length / (f.dataDim * f.pack) : 0;
    this.#features = f.features ? { frequencies: new Tensor(Float64Array.from(f.features), [f.dataDim * f.pack, m]) } : null;
    const mg = f.generatorFeatures ? f.generatorFeatures.length / f.latentDim : 0;
    this.#zFeatures = f.generatorFeatures ? { frequencies: new Tensor(Float64Array.from(f.generatorFeatures), [f.latentDim, mg]) } : null;
    this.#shift = Float64Array.from(f.shift);
    this.#scale = Float64Array.from(f.scale);
    this.losses = Object.freeze({ critic: Float64Array.from(f.losses.critic), generator: Float64Array.from(f.losses.generator) });
    this.report = f.report;
    Object.freeze(this);
  }

  /** Number of random Fourier frequencies of the critic's input (0: the critic reads x). */
  get criticFeatures(): number {
    return this.#features ? this.#features.frequencies.shape[1]! : 0;
  }

  /** Number of random Fourier frequencies of the generator's latent input (0: the generator reads z). */
  get generatorFeatures(): number {
    return this.#zFeatures ? this.#zFeatures.frequencies.shape[1]! : 0;
  }

  /** Whether the model was trained on standardised data (samples are mapped back). */
  get standardized(): boolean {
    return this.#shift.some((v) => v !== 0) || this.#scale.some((v) => v !== 1);
  }

  /** Whether the critic is spectrally normalised. */
  get spectralNorm(): boolean {
    return this.#states !== null;
  }

  /**
   * n samples G(z), z ~ N(0, I_latentDim), as an n×dataDim Matrix; the same seed gives the same samples.
   * @throws DomainError for n not an integer in [1, 1e7] or bad seed/rng.
   */
  sample(n: number, options: RandomnessOptions = {}): Matrix {
    const where = 'GANModel.sample';
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1e7) {
      throw new DomainError(`${where}: argument 'n' must be an integer in [1, 1e7], got ${describeValue(n)}`);
    }
    const rng = resolveRng(where, options, 0);
    const x = Float64Array.from(generate(this.#generator, generatorInput(latent(rng, n, this.latentDim), this.#zFeatures)).data);
    const d = this.dataDim;
    if (this.standardized) for (let i = 0; i < x.length; i++) x[i] = x[i]! * this.#scale[i % d]! + this.#shift[i % d]!;
    return fromRowMajor(x, n, d);
  }

  /**
   * The critic on the rows of X: D(x) = σ(t(x)) ∈ (0, 1) for 'minimax' and 'non-saturating', g_f(t(x))
   * (the f-GAN activation, in dom f*) for 'f-gan', the raw critic t(x) for 'wgan'. With packing, each row
   * of X is `pack` samples concatenated (dataDim·pack columns) and gets one value.
   * @throws ShapeError/NonFiniteError/DomainError for X that is not an n×dataDim finite matrix.
   */
  discriminate(X: unknown): Float64Array {
    const m = readMatrix('GANModel.discriminate', 'X', X, { columns: this.dataDim * this.pack, vector: this.dataDim * this.pack === 1 ? 'column' : 'error' });
    const x = Float64Array.from(m.data);
    const d = this.dataDim;
    if (this.standardized) for (let i = 0; i < x.length; i++) x[i] = (x[i]! - this.#shift[i % d]!) / this.#scale[i % d]!;
    const t = noGrad(() => criticForward(this.#critic, this.activation, new Tensor(x, [m.rows, m.columns]), this.#states, this.#features));
    const out = new Float64Array(m.rows);
    const act = F_DIVERGENCES[this.divergence].activation;
    for (let i = 0; i < m.rows; i++) {
      const v = t.data[i]!;
      out[i] = this.objective === 'wgan' ? v : this.objective === 'f-gan' ? act(v) : 1 / (1 + Math.exp(-v));
    }
    return out;
  }

  /**
   * Why this model's critic gives no density ratio, or null when it does (see {@link GANModel.logDensityRatio}).
   */
  get densityRatioUnavailable(): string | null {
    if (this.objective === 'wgan') return "a WGAN critic maximises E_P t − E_Q t over 1-Lipschitz t; it is not a function of p_data/p_g, so it gives no density ratio";
    if (this.objective === 'f-gan' && this.divergence === 'total-variation') return "the total-variation critic f'(r) = ½·sign(r − 1) only tells whether r > 1; it gives no density ratio";
    if (this.pack > 1) return `a packed critic (pack ${this.pack}) scores ${this.pack} samples at once; it gives the ratio of packs, not of single samples`;
    return null;
  }

  /** log r(x) from the raw critic t on standardised rows (see logDensityRatio). */
  #logRatioRaw(x: Float64Array, rows: number): Float64Array {
    const t = noGrad(() => criticForward(this.#critic, this.activation, new Tensor(x, [rows, this.dataDim]), this.#states, this.#features)).data;
    const out = new Float64Array(rows);
    const obj = this.objective;
    const dv = this.divergence;
    for (let i = 0; i < rows; i++) {
      const v = t[i]!;
      // log (f')⁻¹(g_f(t)) in closed form of the raw output (finite for every finite t; see logDensityRatio)
      out[i] =
        obj !== 'f-gan' || dv === 'jensen-shannon' || dv === 'reverse-kl'
          ? v
          : dv === 'kl'
            ? v - 1
            : dv === 'hellinger'
              ? 2 * v
              : // pearson: g_f(t) = t, r = 1 + t/2, clipped at 0 (t ≤ −2 is below f'(0) = −2: no mass of p_data)
                v > -2
                ? Math.log1p(v / 2)
                : Number.NEGATIVE_INFINITY;
    }
    return out;
  }

  #requireRatio(where: string): void {
    const why = this.densityRatioUnavailable;
    if (why) throw new DomainError(`${where}: ${why} (objective '${this.objective}'${this.objective === 'f-gan' ? `, divergence '${this.divergence}'` : ''})`);
  }

  /**
   * The density ratio the critic implies, log r(x) = log p_data(x)/p_g(x), on the rows of X: if the critic
   * were optimal, D*(x) = p_data/(p_data + p_g) gives r = D/(1 − D) = e^{t} for the minimax and
   * non-saturating logit t, and an f-GAN critic T* = f'(r) gives r = (f')⁻¹(T) (`logDensityRatio` of the
   * f-divergences: KL t − 1, reverse KL and JS t, Hellinger 2t, Pearson log(1 + t/2), −∞ for t ≤ −2).
   * A trained critic only approximates it; see `calibrationSteps` of `trainGAN`.
   * @throws DomainError for a WGAN critic, the total-variation f-GAN or a packed critic (no ratio; see
   *   {@link GANModel.densityRatioUnavailable}); ShapeError/NonFiniteError/DomainError for a bad X.
   */
  logDensityRatio(X: unknown): Float64Array {
    const where = 'GANModel.logDensityRatio';
    this.#requireRatio(where);
    const m = readMatrix(where, 'X', X, { columns: this.dataDim, vector: this.dataDim === 1 ? 'column' : 'error' });
    const x = Float64Array.from(m.data);
    const d = this.dataDim;
    if (this.standardized) for (let i = 0; i < x.length; i++) x[i] = (x[i]! - this.#shift[i % d]!) / this.#scale[i % d]!;
    return this.#logRatioRaw(x, m.rows);
  }

  /**
   * n samples refined by the critic's density ratio (discriminator-driven sampling): 'rejection' (DRS,
   * Azadi et al. 2019) accepts a generator sample with probability min(1, r/M), 'metropolis' (MH-GAN,
   * Turner et al. 2019) runs an independence sampler with the generator as proposal; see `refineSamples`
   * for the options, the exactness conditions and the bound on proposals. The samples follow p_data only
   * as far as the critic's ratio is right: train with `calibrationSteps` (DRS's calibration of the critic
   * against the frozen generator) before refining. `sample` stays the raw generator.
   * @returns a frozen RefinedSample (`samples`, `proposals`, `acceptanceRate`, `logM`, …).
   * @throws DomainError for a critic without a density ratio (WGAN, total variation, packing), bad n or
   *   options; ConvergenceError when rejection's acceptance collapses below n/maxProposals.
   */
  sampleRefined(n: number, options?: RefineOptions): RefinedSample {
    const where = 'GANModel.sampleRefined';
    const { source, p } = this.#refinement(where, n, options);
    return this.#toDataUnits(runRefinement(where, source, p.n, p.o, p.rng));
  }

  /**
   * {@link GANModel.sampleRefined} on core's asynchronous driver: yields to the event loop every 50 ms, so an
   * AbortSignal (`signal` option) fired by a timer stops it between two blocks of proposals (AbortError,
   * `partial` = `{ proposals, accepted }`). Same samples as the sync call for the same seed.
   */
  async sampleRefinedAsync(n: number, options?: RefineOptions): Promise<RefinedSample> {
    const where = 'GANModel.sampleRefinedAsync';
    const { source, p } = this.#refinement(where, n, options);
    return this.#toDataUnits(await runRefinementAsync(where, source, p.n, p.o, p.rng));
  }

  /** The generator as a proposal and the critic's ratio, in the standardised space (the ratio is invariant to the affine map). */
  #refinement(where: string, n: number, options: RefineOptions | undefined) {
    this.#requireRatio(where);
    const p = parseRefineOptions(where, n, options);
    const source: RatioSource = {
      dim: this.dataDim,
      propose: (count, rng) => Float64Array.from(generate(this.#generator, generatorInput(latent(rng, count, this.latentDim), this.#zFeatures)).data),
      logRatio: (x, count) => this.#logRatioRaw(x, count),
    };
    return { source, p };
  }

  /** Maps refined samples back from the standardised space. */
  #toDataUnits(r: RefinedSample): RefinedSample {
    if (!this.standardized) return r;
    const d = this.dataDim;
    const x = Float64Array.from(r.samples.to1DArray());
    for (let i = 0; i < x.length; i++) x[i] = x[i]! * this.#scale[i % d]! + this.#shift[i % d]!;
    return Object.freeze({ ...r, samples: fromRowMajor(x, x.length / d, d) });
  }

  /** Plain JSON (numbers round-trip exactly). */
  toJSON(): GANModelJSON {
    return {
      kind: 'GANModel',
      version: 3,
      objective: this.objective,
      divergence: this.divergence,
      activation: this.activation,
      latentDim: this.latentDim,
      dataDim: this.dataDim,
      pack: this.pack,
      generator: this.#generator.toJSON(),
      critic: this.#critic.toJSON(),
      spectralStates: this.#states ? this.#states.map((s) => ({ u: Array.from(s.u), steps: s.steps })) : null,
      criticFeatures: this.#features ? Array.from(this.#features.frequencies.data) : null,
      generatorFeatures: this.#zFeatures ? Array.from(this.#zFeatures.frequencies.data) : null,
      shift: Array.from(this.#shift),
      scale: Array.from(this.#scale),
      losses: { critic: Array.from(this.losses.critic), generator: Array.from(this.losses.generator) },
      report: { ...this.report, ...(this.report.trace ? { trace: [...this.report.trace] } : {}) },
    };
  }

  /**
   * Rebuilds a model from {@link GANModel.toJSON}, validating every field (enums, sizes that chain:
   * generator latentDim → … → dataDim, critic dataDim → … → 1, finite weights and power-iteration
   * vectors of the right lengths, finite losses, the report).
   * @throws DomainError / ShapeError / NonFiniteError naming the field.
   */
  static fromJSON(json: unknown): GANModel {
    const where = 'GANModel.fromJSON';
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new DomainError(`${where}: argument 'json' must be an object from toJSON(), got ${describeValue(json)}`);
    }
    const j = json as Record<string, unknown>;
    const bad = (field: string, expected: string): never => {
      throw new DomainError(`${where}: field '${field}' must be ${expected}, got ${describeValue(j[field.split('.')[0]!])}`);
    };
    if (j.kind !== 'GANModel') bad('kind', "'GANModel'");
    if (j.version !== 1 && j.version !== 2 && j.version !== 3) bad('version', '1, 2 or 3');
    // version 1 (before packing) has no pack field: one sample per critic input
    if (j.version !== 1 && !(Number.isSafeInteger(j.pack) && (j.pack as number) >= 1)) bad('pack', 'an integer >= 1');
    const pack = j.version !== 1 ? (j.pack as number) : 1;
    if (!GAN_OBJECTIVES.includes(j.objective as GanObjective)) bad('objective', GAN_OBJECTIVES.join(', '));
    if (typeof j.divergence !== 'string' || !Object.hasOwn(F_DIVERGENCES, j.divergence)) bad('divergence', Object.keys(F_DIVERGENCES).join(', '));
    if (!ACTIVATIONS.includes(j.activation as Activation)) bad('activation', ACTIVATIONS.join(', '));
    for (const k of ['latentDim', 'dataDim']) if (!Number.isSafeInteger(j[k]) || (j[k] as number) < 1) bad(k, 'an integer >= 1');
    const generator = MLP.fromJSON(j.generator as ModuleJSON);
    const critic = MLP.fromJSON(j.critic as ModuleJSON);
    const gs = (j.generator as ModuleJSON).config.sizes as number[];
    const cs = (j.critic as ModuleJSON).config.sizes as number[];
    if (gs.at(-1) !== j.dataDim) bad('generator', 'sizes […, dataDim]');
    // version 3: Fourier features of the critic's input and the data's standardisation
    const d = j.dataDim as number;
    const finiteArray = (v: unknown, length?: number) =>
      Array.isArray(v) && (length === undefined || v.length === length) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    let features: Float64Array | null = null;
    let zFeatures: Float64Array | null = null;
    let shift = new Float64Array(d);
    let scale = new Float64Array(d).fill(1);
    if (j.version === 3) {
      if (j.criticFeatures !== null) {
        const v = j.criticFeatures;
        if (!finiteArray(v) || (v as number[]).length === 0 || (v as number[]).length % (d * pack) !== 0) {
          bad('criticFeatures', 'null or a non-empty array of finite numbers whose length is a multiple of dataDim·pack');
        }
        features = Float64Array.from(v as number[]);
      }
      if (j.generatorFeatures !== null) {
        const v = j.generatorFeatures;
        if (!finiteArray(v) || (v as number[]).length === 0 || (v as number[]).length % (j.latentDim as number) !== 0) {
          bad('generatorFeatures', 'null or a non-empty array of finite numbers whose length is a multiple of latentDim');
        }
        zFeatures = Float64Array.from(v as number[]);
      }
      if (!finiteArray(j.shift, d)) bad('shift', `${d} finite numbers`);
      if (!finiteArray(j.scale, d) || !(j.scale as number[]).every((v) => v > 0)) bad('scale', `${d} positive finite numbers`);
      shift = Float64Array.from(j.shift as number[]);
      scale = Float64Array.from(j.scale as number[]);
    }
    const generatorIn = (j.latentDim as number) + (zFeatures ? (2 * zFeatures.length) / (j.latentDim as number) : 0);
    if (gs[0] !== generatorIn) bad('generator', zFeatures ? 'sizes [latentDim + 2m, …, dataDim] for m Fourier frequencies' : 'sizes [latentDim, …, dataDim]');
    const criticIn = d * pack + (features ? (2 * features.length) / (d * pack) : 0);
    if (cs[0] !== criticIn || cs.at(-1) !== 1) bad('critic', features ? 'sizes [dataDim·pack + 2m, …, 1] for m Fourier frequencies' : 'sizes [dataDim·pack, …, 1]');
    let states: SpectralNormState[] | null = null;
    if (j.spectralStates !== null) {
      if (!Array.isArray(j.spectralStates) || j.spectralStates.length !== critic.layers.length) bad('spectralStates', `null or one state per critic layer (${critic.layers.length})`);
      states = (j.spectralStates as unknown[]).map((s, l) => {
        const st = s as { u?: unknown; steps?: unknown };
        const n = critic.layers[l]!.weight.shape[0]!;
        if (typeof st !== 'object' || st === null || !Array.isArray(st.u) || st.u.length !== n || !st.u.every((v) => typeof v === 'number' && Number.isFinite(v))) {
          throw new DomainError(`${where}: field 'spectralStates[${l}].u' must be ${n} finite numbers`);
        }
        if (!Number.isSafeInteger(st.steps) || (st.steps as number) < 0) throw new DomainError(`${where}: field 'spectralStates[${l}].steps' must be an integer >= 0`);
        return { u: Float64Array.from(st.u as number[]), steps: st.steps as number };
      });
    }
    const losses = j.losses as { critic?: unknown; generator?: unknown } | null;
    const readLosses = (k: 'critic' | 'generator'): Float64Array => {
      const v = losses?.[k];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new DomainError(`${where}: field 'losses.${k}' must be an array of finite numbers`);
      }
      return Float64Array.from(v as number[]);
    };
    return new GANModel({
      objective: j.objective as GanObjective,
      divergence: j.divergence as FDivergenceName,
      activation: j.activation as Activation,
      latentDim: j.latentDim as number,
      dataDim: j.dataDim as number,
      pack,
      generator,
      critic,
      spectralStates: states,
      features,
      generatorFeatures: zFeatures,
      shift,
      scale,
      losses: { critic: readLosses('critic'), generator: readLosses('generator') },
      report: readFitReport(where, j.report),
    });
  }
}
