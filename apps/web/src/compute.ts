/**
 * The computations behind every panel, as plain functions of plain JSON inputs returning plain JSON outputs.
 * The Web Worker (`worker.ts`) runs them in the page; the browser test (`test/browser.test.ts`) runs the same
 * functions in Node on the inputs the page recorded and compares the numbers. Each function takes an
 * `AbortSignal` (passed to the package's async fit) and a `progress` callback (posted to the page).
 */
import type { CRFJSON } from '@notes/crf';
import { withPortableMath } from './portable-math';

/** Posts intermediate results to the page (throttled by the worker unless `force`). */
export type Progress = (info: Record<string, unknown>, force?: boolean) => void;

/** Context of one run. */
export interface RunContext {
  signal: AbortSignal;
  progress: Progress;
  /** Loads the tagger JSON (fetch in the page, readFile in Node). */
  loadTagger?: () => Promise<unknown>;
  /** Loads the VAE panel's digits, `data/digits-14.json` of the site (fetch in the page, readFile in Node). */
  loadDigits?: () => Promise<unknown>;
}

// ---------------------------------------------------------------- GP regression

/** Input of the GP panel. */
export interface GPInput {
  points: [number, number][];
  kernel: 'rbf' | 'matern52' | 'periodic' | 'rq';
  restarts: number;
  seed: number;
  samples: number;
}

/** GP regression (notes: GP Regression): fitGPAsync, posterior mean/std on a grid, posterior samples. */
export async function runGP(input: GPInput, ctx: RunContext) {
  const { constant, fitGPAsync, matern, periodic, product, rationalQuadratic, rbf, sum, white } = await import('@notes/gp');
  const base =
    input.kernel === 'rbf'
      ? rbf({ lengthScale: 1 })
      : input.kernel === 'matern52'
        ? matern({ nu: 2.5, lengthScale: 1 })
        : input.kernel === 'periodic'
          ? periodic({ lengthScale: 1, periodicity: 3 })
          : rationalQuadratic({ lengthScale: 1, alpha: 1 });
  const X = input.points.map((p) => [p[0]]);
  const y = input.points.map((p) => p[1]);
  const model = await fitGPAsync(X, y, {
    kernel: sum(product(constant(1), base), white(0.05)),
    restarts: input.restarts,
    seed: input.seed,
    normalizeY: true,
    signal: ctx.signal,
    onProgress: (p) => ctx.progress({ iteration: p.iteration, logMarginalLikelihood: p.logMarginalLikelihood, restart: p.restart }),
  });
  const xs = Array.from({ length: 121 }, (_, i) => -5 + (10 * i) / 120);
  const grid = xs.map((x) => [x]);
  const pred = model.predict(grid);
  const draws = input.samples > 0 ? model.samplePosterior(grid, { n: input.samples, seed: input.seed }).to2DArray() : [];
  return {
    xs,
    mean: Array.from(pred.mean),
    std: Array.from(pred.std),
    samples: draws,
    logMarginalLikelihood: model.logMarginalLikelihood,
    kernel: String(model.kernel),
    iterations: model.report.iterations,
    reason: model.report.reason,
  };
}

// ---------------------------------------------------------------- optimal transport

/** Input of the OT panel. */
export interface OTInput {
  n: number;
  m: number;
  seed: number;
  /** ε as a fraction of max M. */
  regFraction: number;
}

/** Sinkhorn vs exact OT (notes: Optimal transport): emd and sinkhornAsync between two seeded clouds. */
export async function runOT(input: OTInput, ctx: RunContext) {
  const { createRng } = await import('@notes/core-linalg');
  const { costMatrix, emdAsync, sinkhornAsync } = await import('@notes/gan');
  const rng = createRng(input.seed);
  const x = Array.from({ length: input.n }, (_, i) => {
    const c = i % 2 === 0 ? -2 : 2;
    return [c + 0.5 * rng.normal(), 0.5 * rng.normal()];
  });
  const y = Array.from({ length: input.m }, (_, j) => {
    const t = (2 * Math.PI * j) / input.m;
    return [3 * Math.cos(t) + 0.1 * rng.normal(), 3 * Math.sin(t) + 0.1 * rng.normal()];
  });
  const a = new Array(input.n).fill(1 / input.n);
  const b = new Array(input.m).fill(1 / input.m);
  const M = costMatrix(x, y, 'sqeuclidean');
  const exact = await emdAsync(a, b, M, { signal: ctx.signal });
  const reg = input.regFraction * M.max();
  const ent = await sinkhornAsync(a, b, M, { reg, tol: 1e-9, maxIterations: 100000, signal: ctx.signal });
  const entries = (P: { get(i: number, j: number): number }) => {
    const out: [number, number, number][] = [];
    for (let i = 0; i < input.n; i++) for (let j = 0; j < input.m; j++) out.push([i, j, P.get(i, j)]);
    return out;
  };
  return {
    x,
    y,
    reg,
    exactCost: exact.cost,
    sinkhornCost: ent.cost,
    marginalError: ent.marginalError,
    sinkhornIterations: ent.report.iterations,
    exactPlan: entries(exact.plan).filter((e) => e[2] > 0),
    sinkhornPlan: entries(ent.plan).filter((e) => e[2] > 1e-4 / (input.n * input.m)),
  };
}

// ---------------------------------------------------------------- DPMM

/** Input of the DPMM panel. */
export interface DPMMInput {
  alpha: number;
  priorVariance: number;
  sweeps: number;
  n: number;
  seed: number;
}

/** Four seeded 2-D blobs. */
export async function dpmmData(n: number, seed: number) {
  const { createRng, sampleNormal } = await import('@notes/core-linalg');
  const rng = createRng(seed);
  const centers = [
    [-3, -3],
    [-3, 3],
    [3, -3],
    [3, 3],
  ];
  const X: number[][] = [];
  for (let i = 0; i < n; i++) X.push(centers[i % 4]!.map((m) => sampleNormal(rng, m, 0.8)));
  return X;
}

/** DPMM with Gibbs sampling (notes): collapsed Gibbs, known kernel covariance, Normal base of the chosen variance. */
export async function runDPMM(input: DPMMInput, ctx: RunContext) {
  const { fitDPMMAsync } = await import('@notes/bayes');
  const X = await dpmmData(input.n, input.seed);
  const v = input.priorVariance;
  const model = await fitDPMMAsync(X, {
    alpha: input.alpha,
    base: { type: 'normal', mean: [0, 0], covariance: [[v, 0], [0, v]], noiseCovariance: [[0.64, 0], [0, 0.64]] },
    iterations: input.sweeps,
    burnIn: Math.floor(input.sweeps / 3),
    seed: input.seed,
    signal: ctx.signal,
    onProgress: (p) => ctx.progress({ iteration: p.iteration, numClusters: p.numClusters, logJoint: p.objective }),
  });
  return {
    X,
    assignments: Array.from(model.mapAssignments),
    numClustersTrace: [...model.numClustersTrace],
    sweeps: model.report.iterations,
  };
}

// ---------------------------------------------------------------- CRF tagging

/** Input of the tagging panel. */
export interface TagInput {
  sentence: string;
}

/** Splits a sentence into Brown-like tokens (words, numbers, punctuation). */
export function tokenize(sentence: string): string[] {
  return sentence.match(/[A-Za-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]/g) ?? [];
}

let taggerCache: Promise<import('@notes/crf').CRFModel> | undefined;

/** Linear CRF (notes: Linear CRF): the Brown-trained tagger, Viterbi tags and per-token marginal probabilities. */
export async function runTag(input: TagInput, ctx: RunContext) {
  const { CRFModel } = await import('@notes/crf');
  if (!ctx.loadTagger) throw new Error('runTag: no tagger loader');
  const load = ctx.loadTagger;
  taggerCache ??= load().then((file) => CRFModel.fromJSON((file as { model: CRFJSON }).model));
  const model = await taggerCache;
  ctx.signal.throwIfAborted();
  const tokens = tokenize(input.sentence);
  if (tokens.length === 0) return { tokens, tags: [], confidence: [], logPartition: 0 };
  const tags = model.predict(tokens);
  const marg = model.marginals(tokens);
  const labels = model.labels;
  const confidence = tags.map((t, i) => marg.get(i, labels.indexOf(t)));
  return { tokens, tags, confidence, logPartition: model.logPartition(tokens) };
}

// ---------------------------------------------------------------- Bayesian optimisation

/** Input of the BO panel. */
export interface BOInput {
  steps: number;
  seed: number;
  acquisition: 'ei' | 'pi' | 'lcb';
}

/** Bayesian optimisation on Branin (notes: Bayesian optimization): `steps` ask/tell rounds, then the acquisition surface. */
export async function runBO(input: BOInput, ctx: RunContext) {
  // portable exp/log/log10/sin/cos (see portable-math.ts): the engines' built-ins differ by an ulp in ~5–10 % of
  // arguments and the acquisition maximiser amplifies that; with these the worker and Node compute the same thing
  return withPortableMath(() => runBOSteps(input, ctx));
}

async function runBOSteps(input: BOInput, ctx: RunContext) {
  const { BayesianOptimizer, branin } = await import('@notes/gp');
  const opt = new BayesianOptimizer(branin.bounds, { acquisition: input.acquisition, seed: input.seed });
  const points: [number, number, number][] = [];
  const best: number[] = [];
  for (let e = 1; e <= input.steps; e++) {
    const x = await opt.askAsync({ signal: ctx.signal });
    const f = branin.f(x);
    opt.tell(x, f);
    points.push([x[0]!, x[1]!, f]);
    best.push(opt.best!.y);
    ctx.progress({ step: e, x1: x[0], x2: x[1], f, best: opt.best!.y });
  }
  const G = 30;
  const surface: number[] = [];
  for (let j = 0; j < G; j++) {
    for (let i = 0; i < G; i++) {
      ctx.signal.throwIfAborted();
      surface.push(opt.acquisitionAt([-5 + (15 * (i + 0.5)) / G, (15 * (j + 0.5)) / G]));
    }
  }
  return { points, best, surface, grid: G, regret: opt.best!.y - branin.minimum };
}

// ---------------------------------------------------------------- FFT vs direct convolution

/** Input of the convolution panel. */
export interface ConvInput {
  length: number;
  kernelLength: number;
  seed: number;
}

/** Convolution theorem (notes: 卷积和卷积定理): direct and FFT convolution, their agreement and timings. */
export async function runConv(input: ConvInput, ctx: RunContext) {
  const { convolve, createRng, sampleNormalArray } = await import('@notes/core-linalg');
  const rng = createRng(input.seed);
  const x = sampleNormalArray(rng, input.length);
  const h = sampleNormalArray(rng, input.kernelLength);
  const time = (f: () => Float64Array) => {
    const t0 = performance.now();
    const r = f();
    return { r, ms: performance.now() - t0 };
  };
  const d = time(() => convolve(x, h, { method: 'direct' }));
  ctx.signal.throwIfAborted();
  const f = time(() => convolve(x, h, { method: 'fft' }));
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < d.r.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(d.r[i]! - f.r[i]!));
    scale = Math.max(scale, Math.abs(d.r[i]!));
  }
  return {
    head: Array.from(d.r.slice(0, 64)),
    fftHead: Array.from(f.r.slice(0, 64)),
    outputLength: d.r.length,
    relativeDifference: maxDiff / scale,
    directMs: d.ms,
    fftMs: f.ms,
  };
}

// ---------------------------------------------------------------- conjugate updating

/** Input of the conjugate panel. */
export interface ConjugateInput {
  alpha: number;
  beta: number;
  flips: string;
}

/** Conjugate distribution (notes): Beta–Bernoulli posterior after the typed flips (H = 1, T = 0). */
export async function runConjugate(input: ConjugateInput, _ctx: RunContext) {
  const { betaBernoulli } = await import('@notes/bayes');
  const data = [...input.flips.toUpperCase()].filter((c) => c === 'H' || c === 'T').map((c) => (c === 'H' ? 1 : 0));
  const prior = betaBernoulli({ alpha: input.alpha, beta: input.beta });
  const post = prior.update(data);
  const ps = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  return {
    n: data.length,
    heads: data.reduce((s: number, v) => s + v, 0),
    params: { ...post.params },
    mean: post.mean(),
    predictiveHeads: Math.exp(post.predictive().logPmf(1)),
    logEvidence: prior.logMarginalLikelihood(data),
    ps,
    prior: ps.map((p) => Math.exp(prior.logDensity(p))),
    posterior: ps.map((p) => Math.exp(post.logDensity(p))),
  };
}

// ---------------------------------------------------------------- SSM memory profile

/** Input of the SSM panel. */
export interface SSMInput {
  /** State size n of both systems. */
  stateSize: number;
  /** Sequence length L (the profile is taken at t = L − 1). */
  length: number;
  /** Step of the diagonal system's zero-order hold. */
  dt: number;
  seed: number;
}

/**
 * State-Space model · 记忆力 (notes): the kernels h_n = C Āⁿ B̄ of HiPPO-LegS (bilinear, dt = 1/L) and a diagonal
 * S4D-Real system (ZOH, dt), and the memory profile |∂y(t)/∂u(t−n)| by reverse-mode autodiff, which equals |h_n|.
 */
export async function runSSM(input: SSMInput, ctx: RunContext) {
  const { Tensor, createRng, sampleNormalArray } = await import('@notes/core-linalg');
  const { diagonalSSM, discretize, hippoLegS, memoryProfile, ssmKernel, ssmOperator } = await import('@notes/hyena');
  const L = input.length;
  const t = L - 1;
  const u = Tensor.fromArray(sampleNormalArray(createRng(input.seed), L));
  const systems = [
    { name: 'HiPPO-LegS (bilinear, dt = 1/L)', ssm: discretize(hippoLegS(input.stateSize), { dt: 1 / L, method: 'bilinear' }) },
    { name: `diagonal S4D-Real (ZOH, dt = ${input.dt})`, ssm: discretize(diagonalSSM(input.stateSize), { dt: input.dt }) },
  ];
  const out: { name: string; kernel: number[]; profile: number[]; relativeDifference: number }[] = [];
  for (const { name, ssm } of systems) {
    ctx.signal.throwIfAborted();
    const h = Array.from(ssmKernel(ssm, L), Math.abs);
    const profile = Array.from(memoryProfile(ssmOperator(ssm), u, t));
    let worst = 0;
    for (let n = 0; n <= t; n++) worst = Math.max(worst, Math.abs(profile[n]! - h[n]!));
    // max |autodiff − formula| / max |h|
    out.push({ name, kernel: h, profile, relativeDifference: worst / Math.max(...h) });
    ctx.progress({ system: name });
  }
  return { t, systems: out };
}

// ---------------------------------------------------------------- GAN on the ring

/** Input of the GAN panel. */
export interface GANInput {
  objective: 'non-saturating' | 'minimax' | 'wgan';
  steps: number;
  /** Snapshots drawn while it trains (the last is the final model). */
  frames: number;
  seed: number;
}

/** Generator steps of each frame: steps·k/frames, k = 1..frames (distinct, ≥ 1). */
export function ganFrameSteps(steps: number, frames: number): number[] {
  const out = new Set<number>();
  for (let k = 1; k <= frames; k++) out.add(Math.max(1, Math.round((steps * k) / frames)));
  return [...out];
}

/**
 * GAN (notes): a GAN trained with trainGANAsync on the ring of 8 Gaussians (σ = 0.05, 2,000 points); losses per
 * step stream to the page. Frames while it trains: trainGAN is deterministic for a seed and, with its constant
 * learning rate, nothing in a step depends on the total number of steps, so the model after k steps of a long run
 * is the model of a k-step run of the same seed; each frame is such a run (it costs the frames' steps once more,
 * e.g. 1.5× the training for 2 earlier frames at 1/3 and 2/3), and `framesArePrefixes` checks that each frame's
 * loss trace equals the start of the final one. Then 600 generated points and the PacGAN mode metrics.
 */
export async function runGAN(input: GANInput, ctx: RunContext) {
  const { modeCoverage, ringModes, sampleMixture, trainGANAsync } = await import('@notes/gan');
  const modes = ringModes();
  const sd = 0.05;
  const data = sampleMixture(modes, sd, 2000, { seed: input.seed + 1 });
  const train = async (steps: number, onLoss: (c: number, g: number, step: number) => void) =>
    trainGANAsync(data, {
      objective: input.objective,
      steps,
      seed: input.seed,
      ...(input.objective === 'wgan' ? { spectralNorm: true } : {}),
      progressEvery: 2,
      signal: ctx.signal,
      onProgress: (p) => onLoss(p.criticLoss, p.generatorLoss, p.iteration),
    });
  const schedule = ganFrameSteps(input.steps, input.frames);
  const frames: { steps: number; samples: number[][]; criticLoss: number[] }[] = [];
  for (const k of schedule.slice(0, -1)) {
    const c: number[] = [];
    const m = await train(k, (cl) => c.push(cl));
    const samples = m.sample(300, { seed: input.seed + 2 }).to2DArray();
    frames.push({ steps: k, samples, criticLoss: c });
    ctx.progress({ frame: frames.length, frameSteps: k, samples }, true);
  }
  const criticLoss: number[] = [];
  const generatorLoss: number[] = [];
  const model = await train(input.steps, (c, g, step) => {
    criticLoss.push(c);
    generatorLoss.push(g);
    ctx.progress({ iteration: step, criticLoss: c, generatorLoss: g });
  });
  const gen = model.sample(600, { seed: input.seed + 2 });
  const cov = modeCoverage(gen, modes, sd);
  return {
    samples: gen.to2DArray(),
    frames: frames.map((f) => ({ steps: f.steps, samples: f.samples })),
    framesArePrefixes: frames.every((f) => f.criticLoss.every((v, i) => v === criticLoss[i])),
    modes,
    criticLoss,
    generatorLoss,
    modesCaptured: cov.modesCaptured,
    highQualityFraction: cov.highQualityFraction,
    reverseKl: cov.reverseKl,
    steps: model.report.iterations,
  };
}

// ---------------------------------------------------------------- RealNVP density

/** Input of the flow panel. */
export interface FlowInput {
  epochs: number;
  couplings: number;
  n: number;
  seed: number;
}

/**
 * Normalising flows (notes: RealNVP): fitRealNVPAsync on seeded two-moons data; the learned density log p(x) on a
 * 36×36 grid, 300 samples, and the training NLL per epoch.
 */
export async function runFlow(input: FlowInput, ctx: RunContext) {
  const { createRng } = await import('@notes/core-linalg');
  const { fitRealNVPAsync } = await import('@notes/latent');
  const rng = createRng(input.seed);
  const X = Array.from({ length: input.n }, () => {
    const t = Math.PI * rng.uniform();
    const upper = rng.uniform() < 0.5;
    return [(upper ? Math.cos(t) : 1 - Math.cos(t)) + 0.06 * rng.normal(), (upper ? Math.sin(t) : 0.5 - Math.sin(t)) + 0.06 * rng.normal()];
  });
  const nll: number[] = [];
  const flow = await fitRealNVPAsync(X, {
    couplings: input.couplings,
    hiddenUnits: 32,
    hiddenLayers: 2,
    epochs: input.epochs,
    batchSize: 100,
    learningRate: 3e-3,
    seed: input.seed,
    signal: ctx.signal,
    onProgress: (p) => {
      nll.push(p.nll);
      ctx.progress({ epoch: p.epoch, nll: p.nll });
    },
  });
  const G = 36;
  const grid: number[][] = [];
  for (let j = 0; j < G; j++) for (let i = 0; i < G; i++) grid.push([-1.5 + (4 * (i + 0.5)) / G, -1 + (2.5 * (j + 0.5)) / G]);
  const logDensity = Array.from(flow.logProb(grid));
  return { X, nll, grid: G, logDensity, samples: flow.sample(300, { seed: input.seed + 1 }).to2DArray(), epochs: flow.report.iterations };
}

// ---------------------------------------------------------------- VAE latent walk

/** Input of the VAE panel. */
export interface VAEInput {
  /** Training images (the first n of the site's 600 digits, 14×14). */
  n: number;
  epochs: number;
  /** Hidden units of the one hidden layer of encoder and decoder. */
  hidden: number;
  /** Latent points per side of the decoded grid. */
  grid: number;
  seed: number;
}

/** The site's digits file (scripts/prepare-assets.mjs). */
interface DigitsFile {
  size: number;
  labels: number[];
  images: number[][];
}

/**
 * VAE (notes: VAE): fitVAEAsync (Bernoulli decoder, 2-D latent, tanh MLPs, Adam) on n 14×14 digits; then the
 * latent walk — the decoder's means at a grid of latent points z ∈ [−2.5, 2.5]² — and the posterior means of the
 * training digits, by label.
 */
export async function runVAE(input: VAEInput, ctx: RunContext) {
  const { fitVAEAsync } = await import('@notes/latent');
  if (!ctx.loadDigits) throw new Error('runVAE: no digits loader');
  const file = (await ctx.loadDigits()) as DigitsFile;
  ctx.signal.throwIfAborted();
  const X = file.images.slice(0, input.n).map((img) => img.map((v) => v / 255));
  const labels = file.labels.slice(0, input.n);
  const objective: number[] = [];
  const vae = await fitVAEAsync(X, {
    latentDim: 2,
    hidden: [input.hidden],
    epochs: input.epochs,
    batchSize: 50,
    lr: 3e-3,
    seed: input.seed,
    signal: ctx.signal,
    onProgress: (p) => {
      objective.push(p.objective);
      ctx.progress({ epoch: p.iteration, objective: p.objective });
    },
  });
  const G = input.grid;
  const span = 2.5;
  const Z: number[][] = [];
  // row 0 at the top: z2 decreasing down the rows, z1 increasing along a row
  for (let r = 0; r < G; r++) for (let c = 0; c < G; c++) Z.push([-span + (2 * span * c) / (G - 1), span - (2 * span * r) / (G - 1)]);
  const decoded = vae.decode(Z).to2DArray();
  const means = vae.encode(X).mean.to2DArray();
  return {
    size: file.size,
    grid: G,
    span,
    decoded,
    latent: means.map((m, i) => [m[0]!, m[1]!, labels[i]!]),
    objective,
    epochs: vae.report.iterations,
  };
}

// ---------------------------------------------------------------- Hyena associative recall

/** Input of the recall panel. */
export interface RecallInput {
  /** Key and value tokens V (keys 0..V/2−1, values V/2..V−1). */
  vocabulary: number;
  /** Model input length L (even). */
  length: number;
  /** Training sequences (one epoch = count / 8 optimiser steps). */
  count: number;
  epochs: number;
  width: number;
  seed: number;
}

/**
 * Hyena (notes: Hyena Hierarchy · 记忆力): fitSequenceModelAsync (2 Hyena blocks) on associative-recall
 * sequences; recall accuracy on 200 held-out sequences for the trained and the untrained model (same initial
 * weights), and the memory profile m_n = Σ_d |∂z_{t,c}/∂x_{t−n,d}| of both at the query of one test sequence.
 */
export async function runRecall(input: RecallInput, ctx: RunContext) {
  const { associativeRecall, fitSequenceModelAsync } = await import('@notes/hyena');
  const { vocabulary: V, length: L } = input;
  const train = associativeRecall({ vocabulary: V, length: L, count: input.count, seed: input.seed });
  const test = associativeRecall({ vocabulary: V, length: L, count: 200, seed: input.seed + 1 });
  // vocabulary: the V key/value tokens and [bos] (= V), as the data would give it
  const options = { mixer: 'hyena', layers: 2, width: input.width, vocabulary: V + 1, batchSize: 8, lr: 5e-3, seed: input.seed } as const;
  // the same initial weights, not trained (one step at a negligible learning rate)
  const untrained = await fitSequenceModelAsync(associativeRecall({ vocabulary: V, length: L, count: 1, seed: input.seed }), { ...options, lr: 1e-12, signal: ctx.signal });
  const loss: number[] = [];
  const model = await fitSequenceModelAsync(train, {
    ...options,
    epochs: input.epochs,
    progressEvery: 5,
    signal: ctx.signal,
    onProgress: (p) => {
      loss.push(p.objective);
      ctx.progress({ step: p.iteration, epoch: p.epoch, loss: p.objective });
    },
  });
  const trained = model.evaluate(test);
  const before = untrained.evaluate(test);
  const example = test.sequences[0]!;
  const tokens = example.subarray(0, L);
  const predicted = model.predict(tokens).next[L - 1]!;
  // lags n at which the query key occurred among the pairs (t − n = its position)
  const keyLags: number[] = [];
  for (let i = 1; i < L - 1; i += 2) if (tokens[i] === tokens[L - 1]) keyLags.push(L - 1 - i);
  return {
    sequence: Array.from(example),
    answer: test.answers[0]!,
    predicted,
    keyLags,
    profile: Array.from(model.memoryProfile(tokens)),
    profileUntrained: Array.from(untrained.memoryProfile(tokens)),
    accuracy: trained.lastAccuracy,
    accuracyUntrained: before.lastAccuracy,
    testLoss: trained.loss,
    chance: 1 / (V - Math.floor(V / 2)),
    loss,
    steps: model.report.iterations,
  };
}

/** Every panel's computation by id. */
export const computations = {
  gp: runGP,
  ot: runOT,
  dpmm: runDPMM,
  tag: runTag,
  bo: runBO,
  conv: runConv,
  conjugate: runConjugate,
  ssm: runSSM,
  gan: runGAN,
  flow: runFlow,
  vae: runVAE,
  recall: runRecall,
} as const;

/** Panel ids. */
export type PanelId = keyof typeof computations;
