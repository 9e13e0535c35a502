/**
 * Adversarial training (notes: GAN — "Gan Algorithm": alternate the critic's ascent steps and the
 * generator's descent step), one loop behind {@link trainGAN} and {@link trainGANAsync}.
 */
import {
  type Activation,
  createAdamOptimizer,
  defineOptions,
  DomainError,
  type FitLoop,
  type FitProgress,
  makeFitReport,
  MLP,
  ops,
  type Rng,
  readMatrix,
  resolveRng,
  runFit,
  runFitAsync,
  stopwatch,
  Tensor,
  variableGrads,
} from '@notes/core-linalg';
import { F_DIVERGENCES, type FDivergenceName } from '../fdivergence/index.js';
import { createSpectralNormState, type SpectralNormState } from '../lipschitz/index.js';
import { type CriticFeatures, criticForward, criticForwardWithInputGradient, generate, generatorInput, latent, powerStep } from './critic.js';
import { gradientPenalty, meanSquaredNorm } from './penalty.js';
import { adversarialLosses, GAN_OBJECTIVES, type GanObjective } from './losses.js';
import { GANModel } from './model.js';

/** What `onProgress` receives from {@link trainGAN}. */
export interface GANProgress extends FitProgress {
  /** Generator steps done. */
  readonly iteration: number;
  /** The critic's value V on the last batch (what it maximises; see `adversarialLosses`). */
  readonly objective: number;
  readonly criticLoss: number;
  readonly generatorLoss: number;
}

/** Options of {@link trainGAN} and {@link trainGANAsync}. */
export interface TrainGANOptions {
  /** Training objective. @defaultValue 'non-saturating' */
  objective?: GanObjective;
  /** f-divergence of the 'f-gan' objective. @defaultValue 'jensen-shannon' */
  divergence?: FDivergenceName;
  /** Dimension of the latent code z ~ N(0, I). @defaultValue 2 */
  latentDim?: number;
  /** Hidden layer sizes of the generator. @defaultValue [64, 64] */
  generatorHidden?: readonly number[];
  /** Hidden layer sizes of the critic. @defaultValue [64, 64] */
  criticHidden?: readonly number[];
  /** Hidden activation of both networks. @defaultValue 'relu' */
  activation?: Activation;
  /** Generator updates. @defaultValue 2000 */
  steps?: number;
  /** Critic updates per generator update. @defaultValue 1 (5 for 'wgan') */
  nCritic?: number;
  /** Real and fake samples per update. @defaultValue 128 */
  batchSize?: number;
  /** Adam learning rate of the generator. @defaultValue 1e-3 */
  lrGenerator?: number;
  /** Adam learning rate of the critic. @defaultValue 1e-3 */
  lrCritic?: number;
  /**
   * Learning-rate schedule of both optimisers: 'constant', or 'linear' decay from the given rates to 0 at
   * the last step (damps the optimiser noise that spreads samples around the modes). @defaultValue 'constant'
   */
  lrSchedule?: 'constant' | 'linear';
  /** Adam β1 of both optimisers. @defaultValue 0.5 */
  beta1?: number;
  /** Adam β2 of both optimisers. @defaultValue 0.999 */
  beta2?: number;
  /**
   * PacGAN packing (Lin et al. 2018): the critic sees `pack` samples at once, concatenated into one
   * input of dimension pack·d (all real or all generated), which penalises a generator that drops modes.
   * Each update uses batchSize·pack samples of each kind. @defaultValue 1 (no packing)
   */
  pack?: number;
  /**
   * Exponential moving average of the generator's weights, ŵ ← βŵ + (1 − β)w after every generator
   * step with β_t = min(β, (1 + t)/(10 + t)); the returned model samples from the averaged generator,
   * which damps the optimiser's oscillation around the modes. 0 turns it off. @defaultValue 0
   */
  emaDecay?: number;
  /**
   * R1 penalty weight γ: the critic minimises −V + (γ/2)·E_P‖∇ₓt(x)‖² on the real batch (Mescheder et
   * al. 2018), with ∇ₓt of the MLP critic in closed form (see `criticForwardWithInputGradient`).
   * @defaultValue 0
   */
  r1?: number;
  /**
   * WGAN-GP penalty weight λ: the critic minimises −V + λ·E(‖∇ₓt(x̂)‖ − 1)² at random interpolates x̂
   * of real and generated (packed) samples (Gulrajani et al. 2017). @defaultValue 0
   */
  gradientPenalty?: number;
  /**
   * Random Fourier features of the critic's input: the critic sees φ(x) = [x, sin(2π xF), cos(2π xF)]
   * (d·pack + 2m values) for a fixed random frequency matrix F [d·pack, m] with N(0, featureScale²) entries, drawn
   * once from the seed (Rahimi & Recht 2007; Tancik et al. 2020). A ReLU MLP on raw 2-D inputs learns
   * high-frequency functions slowly (spectral bias): alone on the 25-Gaussian grid against uniform noise,
   * a 2×64 critic reached 83 % accuracy after 3,000 Adam steps, on 32 frequencies 99 % after 500. R1 and
   * WGAN-GP differentiate through φ in closed form. 0 turns it off (the critic sees x). @defaultValue 0
   */
  criticFeatures?: number;
  /**
   * Standard deviation of the critic's Fourier frequencies F, in cycles per unit of the critic's input
   * (of the standardised data with `standardize`): about 1/(mode spacing). @defaultValue 1
   */
  criticFeatureScale?: number;
  /**
   * Random Fourier features of the latent code: the generator reads ψ(z) = [z, sin(2π zF_g), cos(2π zF_g)]
   * (latentDim + 2m values) for a fixed F_g [latentDim, m] with N(0, generatorFeatureScale²) entries,
   * drawn once from the seed; `sample` uses the same F_g. It lets the generator be nearly constant on
   * many small modes and steep between them early in training (spectral bias again; see
   * `criticFeatures`). 0 turns it off. @defaultValue 0
   */
  generatorFeatures?: number;
  /** Standard deviation of the generator's Fourier frequencies F_g, in cycles per unit of z. @defaultValue 1 */
  generatorFeatureScale?: number;
  /**
   * Train on the data shifted and scaled to zero mean and unit standard deviation per column; the model
   * maps samples back (x = G(z)·sd + mean) and standardises what `discriminate` reads, so the learning
   * rates, penalty weights and `featureScale` do not depend on the data's units. @defaultValue false
   */
  standardize?: boolean;
  /** Spectrally normalise the critic's weights (persistent power iteration). @defaultValue true for 'wgan' without a gradient penalty, else false */
  spectralNorm?: boolean;
  /** Power-iteration steps per critic update. @defaultValue 1 */
  powerIterations?: number;
  /**
   * Critic calibration after training (Discriminator Rejection Sampling, Azadi et al. 2019): this many
   * more Adam steps of the critic alone against the final (frozen) generator, on the objective's critic
   * loss without `r1`/`gradientPenalty`, so that the critic approaches the optimum for this generator and
   * its density ratio (`GANModel.logDensityRatio`, `sampleRefined`) means something: at the end of a GAN
   * run the critic sits near D = ½ (the generator has just fooled it). The generator, `sample` and the
   * losses trace are unchanged by it. Needs a critic with a density ratio (not 'wgan', not the
   * total-variation f-GAN, no packing). @defaultValue 0
   */
  calibrationSteps?: number;
  /** Adam learning rate (constant) of the calibration steps. @defaultValue lrCritic */
  calibrationLr?: number;
  /** Real and generated samples per calibration step. @defaultValue batchSize */
  calibrationBatchSize?: number;
  /** Seed of initialisation, batches and latent codes (or `rng`). @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng` instead of `seed`. */
  rng?: Rng;
  /** Called every `progressEvery` generator steps with {@link GANProgress}. */
  onProgress?: (info: GANProgress) => void;
  /** Generator steps between two `onProgress` calls. @defaultValue 50 */
  progressEvery?: number;
  /** Stops training with an AbortError whose partial is the model so far. */
  signal?: AbortSignal;
}

const isSizes = (v: unknown) => Array.isArray(v) && v.length <= 16 && v.every((d, i) => i in v && Number.isSafeInteger(d) && d >= 1 && d <= 4096);

const OPTIONS = defineOptions<TrainGANOptions>()('trainGAN', {
  objective: { type: 'enum', values: GAN_OBJECTIVES, default: 'non-saturating', doc: 'training objective' },
  divergence: { type: 'enum', values: Object.keys(F_DIVERGENCES) as FDivergenceName[], default: 'jensen-shannon', doc: 'f-GAN divergence' },
  latentDim: { type: 'integer', min: 1, max: 4096, default: 2, doc: 'latent dimension' },
  generatorHidden: { type: 'custom', expected: 'an array of at most 16 integers in [1, 4096]', check: isSizes, default: [64, 64] },
  criticHidden: { type: 'custom', expected: 'an array of at most 16 integers in [1, 4096]', check: isSizes, default: [64, 64] },
  activation: { type: 'enum', values: ['relu', 'tanh', 'sigmoid', 'softplus', 'identity'], default: 'relu', doc: 'hidden activation' },
  steps: { type: 'integer', min: 1, max: 1e7, default: 2000, doc: 'generator updates' },
  nCritic: { type: 'integer', min: 1, max: 100, doc: 'critic updates per generator update' },
  batchSize: { type: 'integer', min: 1, max: 1e5, default: 128, doc: 'samples per update' },
  lrGenerator: { type: 'number', greaterThan: 0, max: 10, default: 1e-3 },
  lrCritic: { type: 'number', greaterThan: 0, max: 10, default: 1e-3 },
  lrSchedule: { type: 'enum', values: ['constant', 'linear'], default: 'constant', doc: 'learning-rate schedule' },
  pack: { type: 'integer', min: 1, max: 64, default: 1, doc: 'PacGAN packing degree' },
  emaDecay: { type: 'number', min: 0, lessThan: 1, default: 0, doc: 'generator weight averaging' },
  r1: { type: 'number', min: 0, max: 1e6, default: 0, doc: 'R1 penalty weight' },
  gradientPenalty: { type: 'number', min: 0, max: 1e6, default: 0, doc: 'WGAN-GP penalty weight' },
  beta1: { type: 'number', min: 0, lessThan: 1, default: 0.5 },
  beta2: { type: 'number', min: 0, lessThan: 1, default: 0.999 },
  criticFeatures: { type: 'integer', min: 0, max: 4096, default: 0, doc: 'random Fourier frequencies of the critic input' },
  criticFeatureScale: { type: 'number', greaterThan: 0, max: 1e6, default: 1, doc: 'critic Fourier frequency standard deviation' },
  generatorFeatures: { type: 'integer', min: 0, max: 4096, default: 0, doc: 'random Fourier frequencies of the latent code' },
  generatorFeatureScale: { type: 'number', greaterThan: 0, max: 1e6, default: 1, doc: 'generator Fourier frequency standard deviation' },
  standardize: { type: 'boolean', default: false, doc: 'train on standardised data' },
  calibrationSteps: { type: 'integer', min: 0, max: 1e7, default: 0, doc: 'critic steps against the frozen generator after training' },
  calibrationLr: { type: 'number', greaterThan: 0, max: 10, doc: 'calibration learning rate' },
  calibrationBatchSize: { type: 'integer', min: 1, max: 1e5, doc: 'samples per calibration step' },
  spectralNorm: { type: 'boolean' },
  powerIterations: { type: 'integer', min: 1, max: 1000, default: 1 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  progressEvery: { type: 'integer', min: 1, default: 50 },
  signal: { type: 'signal' },
});

interface Setup {
  X: Float64Array;
  n: number;
  d: number;
  /** Per-column mean and standard deviation the data were standardised by (0 and 1 without `standardize`). */
  shift: Float64Array;
  scale: Float64Array;
  o: ReturnType<typeof OPTIONS.parse>;
  rng: Rng;
}

function setup(where: string, data: unknown, options: TrainGANOptions | undefined): Setup {
  const o = OPTIONS.parse(options);
  const rng = resolveRng(where, o as { seed?: number; rng?: Rng }, 0);
  const m = readMatrix(where, 'data', data, { vector: 'column' });
  if (m.rows < 2) throw new DomainError(`${where}: argument 'data' must have at least 2 rows, got ${m.rows}`);
  const n = m.rows;
  const d = m.columns;
  const shift = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  let X = m.data;
  if (o.standardize) {
    X = new Float64Array(m.data);
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += X[i * d + j]!;
      mean /= n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (X[i * d + j]! - mean) ** 2;
      const sd = Math.sqrt(ss / n);
      if (!(sd > 0) || !Number.isFinite(sd)) throw new DomainError(`${where}: option 'standardize' needs every column of 'data' to vary with a finite spread; column ${j} has standard deviation ${sd}`);
      shift[j] = mean;
      scale[j] = sd;
      for (let i = 0; i < n; i++) X[i * d + j] = (X[i * d + j]! - mean) / sd;
    }
  }
  if (o.calibrationSteps > 0) {
    const why =
      o.objective === 'wgan'
        ? "a WGAN critic gives no density ratio to calibrate"
        : o.objective === 'f-gan' && o.divergence === 'total-variation'
          ? "the total-variation critic f'(r) = ½·sign(r − 1) gives no density ratio"
          : o.pack > 1
            ? 'a packed critic scores packs, not single samples'
            : null;
    if (why) throw new DomainError(`${where}: option 'calibrationSteps' needs a critic with a density ratio; ${why}`);
  }
  return { X, n, d, shift, scale, o, rng };
}

/**
 * Trains a GAN on the rows of `data` (n×d): a generator MLP G: ℝ^latentDim → ℝ^d and a critic MLP
 * T: ℝ^d → ℝ, alternating `nCritic` Adam steps of the critic on −V and one Adam step of the generator
 * on its loss (objectives in `adversarialLosses`; notes: GAN — Gan Algorithm). With `spectralNorm`
 * each critic weight is divided by its spectral norm estimate, updated by one persistent power step per
 * critic update, so the critic is (about) 1-Lipschitz per layer as WGAN needs. `gradientPenalty`
 * (WGAN-GP) and `r1` penalise the critic's input gradient, written in closed form with forward ops
 * because core's autodiff has no second-order gradients (see `criticForwardWithInputGradient`); `pack`
 * feeds the critic PacGAN's packed samples; `emaDecay` returns an averaged generator.
 * @returns a frozen {@link GANModel}; `report.reason` 'completed' after `steps` generator updates.
 * @throws ShapeError/NonFiniteError/DomainError for bad data or options (before any work); AbortError
 *   (partial: the model so far) when `signal` is aborted from a callback.
 * @example const model = trainGAN(points, { objective: 'wgan', steps: 1000, seed: 1 }); model.sample(500, { seed: 2 });
 */
export function trainGAN(data: unknown, options?: TrainGANOptions): GANModel {
  const s = setup('trainGAN', data, options);
  return runFit('trainGAN', ganLoop(s), { signal: s.o.signal });
}

/**
 * {@link trainGAN} on core's asynchronous driver (yields to the event loop every 50 ms): an
 * AbortSignal fired by a timer or a button stops it within one generator step, rejecting with an
 * AbortError whose `partial` is the {@link GANModel} so far (`report.reason` 'aborted').
 */
export async function trainGANAsync(data: unknown, options?: TrainGANOptions): Promise<GANModel> {
  const s = setup('trainGANAsync', data, options);
  return runFitAsync('trainGANAsync', ganLoop(s), { signal: s.o.signal });
}

function* ganLoop({ X, n, d, shift, scale, o, rng }: Setup): FitLoop<GANModel> {
  const clock = stopwatch();
  const objective = o.objective;
  const sn = o.spectralNorm ?? (objective === 'wgan' && o.gradientPenalty === 0);
  const pack = o.pack;
  const nCritic = o.nCritic ?? (objective === 'wgan' ? 5 : 1);
  const gen = new MLP([o.latentDim + 2 * o.generatorFeatures, ...(o.generatorHidden as number[]), d], { activation: o.activation, rng });
  const critic = new MLP([d * pack + 2 * o.criticFeatures, ...(o.criticHidden as number[]), 1], { activation: o.activation, rng });
  const genParams = gen.parameters();
  const ema = o.emaDecay > 0 ? genParams.map((p) => Float64Array.from(p.data)) : null;
  let states: SpectralNormState[] | null = sn ? critic.layers.map((l) => createSpectralNormState(l.weight.shape[0]!, rng)) : null;
  // drawn after the networks and power-iteration vectors, so that runs without features keep their streams
  const features: CriticFeatures | null =
    o.criticFeatures > 0
      ? { frequencies: new Tensor(Float64Array.from({ length: d * pack * o.criticFeatures }, () => 2 * Math.PI * o.criticFeatureScale * rng.normal()), [d * pack, o.criticFeatures]) }
      : null;
  const zFeatures: CriticFeatures | null =
    o.generatorFeatures > 0
      ? { frequencies: new Tensor(Float64Array.from({ length: o.latentDim * o.generatorFeatures }, () => 2 * Math.PI * o.generatorFeatureScale * rng.normal()), [o.latentDim, o.generatorFeatures]) }
      : null;
  const codes = (count: number) => generatorInput(latent(rng, count, o.latentDim), zFeatures);
  const adam = (lr: number, params: Tensor[]) => createAdamOptimizer(params, { lr, beta1: o.beta1, beta2: o.beta2 });
  const optC = adam(o.lrCritic, critic.parameters());
  const optG = adam(o.lrGenerator, gen.parameters());
  const B = o.batchSize;
  const lossOpts = { objective, divergence: o.divergence };
  const cTrace: number[] = [];
  const gTrace: number[] = [];
  const realBatch = (): Tensor => {
    const out = new Float64Array(B * pack * d);
    for (let b = 0; b < B * pack; b++) {
      const i = Math.min(n - 1, Math.floor(rng.uniform() * n));
      out.set(X.subarray(i * d, i * d + d), b * d);
    }
    return new Tensor(out, [B, pack * d]);
  };
  const generator = (): MLP => {
    const g = MLP.fromJSON(gen.toJSON());
    if (ema) for (const [i, p] of g.parameters().entries()) p.data.set(ema[i]!);
    return g;
  };
  const model = (reason: 'completed' | 'aborted', steps: number) =>
    new GANModel({
      objective,
      divergence: o.divergence,
      activation: o.activation,
      latentDim: o.latentDim,
      dataDim: d,
      pack,
      generator: generator(),
      critic: MLP.fromJSON(critic.toJSON()),
      spectralStates: states,
      features: features ? Float64Array.from(features.frequencies.data) : null,
      generatorFeatures: zFeatures ? Float64Array.from(zFeatures.frequencies.data) : null,
      shift,
      scale,
      losses: { critic: Float64Array.from(cTrace), generator: Float64Array.from(gTrace) },
      report: makeFitReport({ reason, iterations: steps, elapsedMs: clock(), trace: gTrace }),
    });
  let step = 0;
  const partial = () => model('aborted', step);
  let value = 0;
  for (step = 0; step < o.steps; ) {
    if (o.lrSchedule === 'linear') {
      // step s of S uses (1 − s/S)·lr: the last update is lr/S, never 0 (Adam requires lr > 0)
      const f = 1 - step / o.steps;
      optC.lr = o.lrCritic * f;
      optG.lr = o.lrGenerator * f;
    }
    let cLoss = 0;
    for (let k = 0; k < nCritic; k++) {
      if (states) states = powerStep(critic, states, o.powerIterations);
      const real = realBatch();
      const fake = ops.reshape(generate(gen, codes(B * pack)), [B, pack * d]);
      const eps = o.gradientPenalty > 0 ? Float64Array.from({ length: B }, () => rng.uniform()) : null;
      const st = states;
      let v = 0;
      const r = variableGrads(() => {
        let tReal: Tensor;
        let extra: Tensor | null = null;
        if (o.r1 > 0) {
          const out = criticForwardWithInputGradient(critic, o.activation, real, st, features);
          tReal = out.t;
          extra = ops.mul(meanSquaredNorm(out.grad), o.r1 / 2);
        } else {
          tReal = criticForward(critic, o.activation, real, st, features);
        }
        if (eps) {
          const gp = ops.mul(gradientPenalty(critic, o.activation, real, fake, eps, st, features), o.gradientPenalty);
          extra = extra ? ops.add(extra, gp) : gp;
        }
        const l = adversarialLosses(tReal, criticForward(critic, o.activation, fake, st, features), lossOpts);
        v = l.value.data[0]!;
        return extra ? ops.add(l.critic, extra) : l.critic;
      }, critic.parameters());
      optC.step(r.grads);
      cLoss = r.value;
      value = v;
    }
    const z = codes(B * pack);
    const st = states;
    const g = variableGrads(() => {
      const tFake = criticForward(critic, o.activation, ops.reshape(gen.forward(z), [B, pack * d]), st, features);
      // the generator loss does not depend on the real batch: a zero-size real term is not needed
      return adversarialLosses(tFake, tFake, lossOpts).generator;
    }, genParams);
    optG.step(g.grads);
    step++;
    if (ema) {
      const beta = Math.min(o.emaDecay, (1 + step) / (10 + step));
      genParams.forEach((p, i) => {
        const a = ema[i]!;
        for (let j = 0; j < a.length; j++) a[j] = beta * a[j]! + (1 - beta) * p.data[j]!;
      });
    }
    cTrace.push(cLoss);
    gTrace.push(g.value);
    if (o.onProgress && step % o.progressEvery === 0) {
      o.onProgress({ iteration: step, objective: value, criticLoss: cLoss, generatorLoss: g.value, elapsedMs: clock() });
    }
    yield partial;
  }
  if (o.calibrationSteps > 0) {
    // DRS calibration: the critic alone against the generator `sample` uses (the EMA average if any),
    // no penalty, a fresh Adam at a constant rate
    const frozen = generator();
    const Bc = o.calibrationBatchSize ?? B;
    const optCal = createAdamOptimizer(critic.parameters(), { lr: o.calibrationLr ?? o.lrCritic, beta1: o.beta1, beta2: o.beta2 });
    const realCal = (): Tensor => {
      const out = new Float64Array(Bc * d);
      for (let b = 0; b < Bc; b++) {
        const i = Math.min(n - 1, Math.floor(rng.uniform() * n));
        out.set(X.subarray(i * d, i * d + d), b * d);
      }
      return new Tensor(out, [Bc, d]);
    };
    for (let c = 0; c < o.calibrationSteps; c++) {
      if (states) states = powerStep(critic, states, o.powerIterations);
      const real = realCal();
      const fake = generate(frozen, codes(Bc));
      const st = states;
      const r = variableGrads(
        () => adversarialLosses(criticForward(critic, o.activation, real, st, features), criticForward(critic, o.activation, fake, st, features), lossOpts).critic,
        critic.parameters(),
      );
      optCal.step(r.grads);
      yield partial;
    }
  }
  return model('completed', step);
}
