/**
 * Variational RNN (notes: "Variational RNN"; Chung et al. 2015) and its baseline without latents.
 *
 * VRNN, per step t with GRU state $h_{t-1}$:
 * prior $p(z_t\mid h_{t-1}) = \mathcal N(\mu^{0}_t, \operatorname{diag}\sigma^{0\,2}_t)$ from an MLP on $h_{t-1}$;
 * encoder $q(z_t\mid x_t, h_{t-1}) = \mathcal N(\mu^{z}_t, \operatorname{diag}\sigma^{z\,2}_t)$ from an MLP on $[\varphi^x(x_t), h_{t-1}]$;
 * decoder $p(x_t\mid z_t, h_{t-1}) = \mathcal N(\mu^x_t, \operatorname{diag}\sigma^{x\,2}_t)$ from an MLP on $[\varphi^z(z_t), h_{t-1}]$ with a
 * floored variance $\sigma^{x\,2} = e^{v} + \sigma^2_{\min}$;
 * recurrence $h_t = \mathrm{GRU}([\varphi^x(x_t), \varphi^z(z_t)], h_{t-1})$.
 * ELBO $= \sum_t \mathbb E_q[\log p(x_t\mid z_{\le t}, x_{<t})] - \mathrm{KL}(q(z_t\mid\cdot)\,\|\,p(z_t\mid h_{t-1}))$ with the per-step KL
 * between diagonal Gaussians in closed form ({@link klDiagonalGaussians}). The importance-weighted
 * `logLikelihood` runs k particles with $\log w = \sum_t \log p(x_t\mid\cdot) + \log p(z_t\mid h_{t-1}) - \log q(z_t\mid\cdot)$.
 *
 * Baseline {@link fitRNNGaussian}: the same GRU on $\varphi^x(x_{t-1})$ predicting $\mathcal N(x_t\mid\mu_t,\sigma^2_t)$ from $h_{t-1}$.
 */
import {
  createAdamOptimizer,
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  type FitReport,
  GRUCell,
  makeFitReport,
  MLP,
  NonFiniteError,
  type ModuleJSON,
  noGrad,
  ops,
  type Rng,
  readNumber,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  stopwatch,
  Tensor,
  variableGrads,
} from '@notes/core-linalg';
import { readEnvelope, readFinite, readInt, readReport } from '../util/json.js';
import { logMeanExp } from '../vae/vae.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * $\mathrm{KL}(\mathcal N(\mu_q, e^{v_q})\,\|\,\mathcal N(\mu_p, e^{v_p})) = \tfrac12\sum_j\big(v_p - v_q + (e^{v_q} + (\mu_q-\mu_p)^2)e^{-v_p} - 1\big)$ per row.
 * @throws NonFiniteError when it overflows float64.
 */
export function klDiagonalGaussians(muQ: Tensor, logVarQ: Tensor, muP: Tensor, logVarP: Tensor): Tensor {
  const t = ops.div(ops.add(ops.exp(logVarQ), ops.square(ops.sub(muQ, muP))), ops.exp(logVarP));
  const kl = ops.mul(0.5, ops.sum(ops.sub(ops.add(ops.sub(logVarP, logVarQ), t), 1), -1));
  for (let i = 0; i < kl.size; i++) {
    if (!Number.isFinite(kl.data[i])) throw new NonFiniteError(`klDiagonalGaussians: the divergence of row ${i} overflows float64`);
  }
  return kl;
}

/** $\log\mathcal N(x\mid\mu, \operatorname{diag}\sigma^2)$ summed over the last axis. */
function logNormal(x: Tensor, mu: Tensor, variance: Tensor): Tensor {
  return ops.mul(-0.5, ops.sum(ops.add(ops.add(ops.div(ops.square(ops.sub(x, mu)), variance), ops.log(variance)), LOG_2PI), -1));
}

/** Sequences: an array of sequences, each T×D (all of the same length T and width D). */
export type SequenceData = readonly (readonly (readonly number[])[])[];

interface Seq {
  N: number;
  T: number;
  D: number;
  /** [T][N×D] */
  steps: Float64Array[];
}

function readSequences(where: string, S: unknown, D0?: number): Seq {
  if (!Array.isArray(S) || S.length === 0) throw new ShapeError(`${where}: argument 'sequences' must be a non-empty array of T×D sequences`);
  const N = S.length;
  let T = -1;
  let D = -1;
  const flat: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    if (!(i in S)) throw new ShapeError(`${where}: argument 'sequences' has a hole at [${i}]`);
    const seq = S[i];
    if (!Array.isArray(seq)) throw new ShapeError(`${where}: argument 'sequences[${i}]' must be an array of steps`);
    if (T < 0) T = seq.length;
    if (seq.length !== T || T < 1) throw new ShapeError(`${where}: every sequence must have the same length ≥ 1 (sequence 0 has ${T}, sequence ${i} has ${seq.length})`);
    const rows = seq.map((r, t) => {
      if (!Array.isArray(r) && !ArrayBuffer.isView(r)) throw new ShapeError(`${where}: argument 'sequences[${i}][${t}]' must be an array of numbers`);
      return r as ArrayLike<number>;
    });
    if (D < 0) D = rows[0]?.length ?? 0;
    for (let t = 0; t < T; t++) {
      const r = rows[t] as ArrayLike<number>;
      if (r.length !== D || D < 1) throw new ShapeError(`${where}: every step must have the same width ≥ 1 (got ${r.length} at [${i}][${t}], expected ${D})`);
      for (let j = 0; j < D; j++) {
        const v = r[j];
        if (typeof v !== 'number') throw new DomainError(`${where}: argument 'sequences' must hold numbers, got ${typeof v} at [${i}][${t}][${j}]`);
        if (!Number.isFinite(v)) throw new DomainError(`${where}: argument 'sequences' must be finite, got ${v} at [${i}][${t}][${j}]`);
      }
    }
    flat.push(Float64Array.from(rows.flatMap((r) => Array.from(r))));
  }
  if (D0 !== undefined && D !== D0) throw new ShapeError(`${where}: steps must have ${D0} values (the fitted width), got ${D}`);
  const steps = Array.from({ length: T }, (_, t) => {
    const a = new Float64Array(N * D);
    for (let i = 0; i < N; i++) a.set((flat[i] as Float64Array).subarray(t * D, (t + 1) * D), i * D);
    return a;
  });
  return { N, T, D, steps };
}

/** Architecture of a VRNN / RNN baseline. @internal */
export interface Arch {
  kind: 'vrnn' | 'rnn';
  dimension: number;
  latentDim: number;
  hidden: number;
  features: number;
  minVariance: number;
}

/** The networks of a VRNN / RNN baseline. @internal */
export interface Nets {
  phiX: MLP;
  phiZ: MLP | null;
  prior: MLP | null;
  encoder: MLP | null;
  decoder: MLP;
  gru: GRUCell;
}

/** Fresh networks for an architecture. @internal */
export function buildNets(a: Arch, rng: Rng): Nets {
  const F = a.features;
  const H = a.hidden;
  const L = a.latentDim;
  const D = a.dimension;
  if (a.kind === 'rnn') {
    return {
      phiX: new MLP([D, F, F], { rng }),
      phiZ: null,
      prior: null,
      encoder: null,
      decoder: new MLP([H, F, 2 * D], { rng }),
      gru: new GRUCell(F, H, { rng }),
    };
  }
  return {
    phiX: new MLP([D, F, F], { rng }),
    phiZ: new MLP([L, F], { rng }),
    prior: new MLP([H, F, 2 * L], { rng }),
    encoder: new MLP([F + H, F, 2 * L], { rng }),
    decoder: new MLP([F + H, F, 2 * D], { rng }),
    gru: new GRUCell(2 * F, H, { rng }),
  };
}

/** The networks of {@link Nets} by name (the RNN baseline has no φᶻ, prior or encoder). @internal */
export function netList(n: Nets): [string, MLP | GRUCell][] {
  return (
    [
      ['phiX', n.phiX],
      ['phiZ', n.phiZ],
      ['prior', n.prior],
      ['encoder', n.encoder],
      ['decoder', n.decoder],
      ['gru', n.gru],
    ] as [string, MLP | GRUCell | null][]
  ).filter((e): e is [string, MLP | GRUCell] => e[1] !== null);
}

/**
 * Per-sequence bounds for N sequences replicated k times (`noise`: T tensors [k·N, L], or null for the RNN):
 * returns `{ elbo: [k·N] (Σ_t log p − KL), logW: [k·N] (Σ_t log p + log p(z) − log q) }`. @internal
 */
export function sequenceBounds(n: Nets, a: Arch, steps: Tensor[], noise: Tensor[] | null): { elbo: Tensor; logW: Tensor } {
  const M = steps[0]?.shape[0] as number;
  const L = a.latentDim;
  const D = a.dimension;
  let h = n.gru.initialState(M);
  let elbo: Tensor = Tensor.zeros([M]);
  let logW: Tensor = Tensor.zeros([M]);
  for (let t = 0; t < steps.length; t++) {
    const x = steps[t] as Tensor;
    if (a.kind === 'rnn') {
      const out = n.decoder.forward(h);
      const variance = ops.add(ops.exp(ops.slice(out, 1, D, 2 * D)), a.minVariance);
      const lp = logNormal(x, ops.slice(out, 1, 0, D), variance);
      elbo = ops.add(elbo, lp);
      logW = ops.add(logW, lp);
      h = n.gru.forward(n.phiX.forward(x), h);
      continue;
    }
    const fx = n.phiX.forward(x);
    const pr = (n.prior as MLP).forward(h);
    const muP = ops.slice(pr, 1, 0, L);
    const lvP = ops.slice(pr, 1, L, 2 * L);
    const en = (n.encoder as MLP).forward(ops.concat([fx, h], 1));
    const muQ = ops.slice(en, 1, 0, L);
    const lvQ = ops.slice(en, 1, L, 2 * L);
    const eps = (noise as Tensor[])[t] as Tensor;
    const z = ops.add(muQ, ops.mul(ops.exp(ops.mul(0.5, lvQ)), eps));
    const fz = (n.phiZ as MLP).forward(z);
    const out = n.decoder.forward(ops.concat([fz, h], 1));
    const variance = ops.add(ops.exp(ops.slice(out, 1, D, 2 * D)), a.minVariance);
    const lp = logNormal(x, ops.slice(out, 1, 0, D), variance);
    const kl = klDiagonalGaussians(muQ, lvQ, muP, lvP);
    elbo = ops.add(elbo, ops.sub(lp, kl));
    // log p(z|h) − log q(z|x,h) (the 2π terms cancel)
    const lpz = ops.mul(-0.5, ops.sum(ops.add(ops.div(ops.square(ops.sub(z, muP)), ops.exp(lvP)), lvP), -1));
    const lqz = ops.mul(-0.5, ops.sum(ops.add(ops.square(eps), lvQ), -1));
    logW = ops.add(logW, ops.add(lp, ops.sub(lpz, lqz)));
    h = n.gru.forward(ops.concat([fx, fz], 1), h);
  }
  return { elbo, logW };
}

function tile(a: Float64Array, k: number, N: number, D: number): Tensor {
  const out = new Float64Array(k * N * D);
  for (let s = 0; s < k; s++) out.set(a, s * N * D);
  return new Tensor(out, [k * N, D]);
}

function noiseFor(rng: Rng, T: number, M: number, L: number): Tensor[] {
  return Array.from({ length: T }, () => {
    const d = new Float64Array(M * L);
    for (let i = 0; i < d.length; i++) d[i] = rng.normal();
    return new Tensor(d, [M, L]);
  });
}

/** Progress of {@link fitVRNN} / {@link fitRNNGaussian} (after every epoch). */
export interface VRNNProgress extends FitProgress {
  /** Mean negative bound per step over the epoch (VRNN: −ELBO/T; RNN: NLL/T), minimised. */
  readonly objective: number;
}

/** Options of {@link fitVRNN} and {@link fitRNNGaussian}. */
export interface VRNNOptions {
  /** Latent dimension (VRNN only). @defaultValue 2 */
  latentDim?: number;
  /** GRU state size. @defaultValue 16 */
  hidden?: number;
  /** Width of the feature nets φˣ, φᶻ and of the hidden layers. @defaultValue 16 */
  features?: number;
  /** Floor added to the output variance σ². @defaultValue 1e-4 */
  minVariance?: number;
  /** Passes over the sequences. @defaultValue 20 */
  epochs?: number;
  /** Sequences per minibatch. @defaultValue 16 */
  batchSize?: number;
  /** Adam learning rate. @defaultValue 3e-3 */
  lr?: number;
  /** Clip the global gradient norm. @defaultValue 10 */
  clipNorm?: number;
  /** Seed. Give `seed` or `rng`, not both. @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng`. */
  rng?: Rng;
  /** Called after every epoch. */
  onProgress?: (info: VRNNProgress) => void;
  /** Stops between minibatches with `AbortError` (partial: the current model). */
  signal?: AbortSignal;
}

/** Option table of {@link fitVRNN} / {@link fitRNNGaussian}. */
export const VRNN_OPTIONS = defineOptions<VRNNOptions>()('fitVRNN', {
  latentDim: { type: 'integer', min: 1, max: 1000, default: 2 },
  hidden: { type: 'integer', min: 1, max: 10_000, default: 16 },
  features: { type: 'integer', min: 1, max: 10_000, default: 16 },
  minVariance: { type: 'number', greaterThan: 0, default: 1e-4 },
  epochs: { type: 'integer', min: 1, max: 1e6, default: 20 },
  batchSize: { type: 'integer', min: 1, max: 1e6, default: 16 },
  lr: { type: 'number', greaterThan: 0, max: 10, default: 3e-3 },
  clipNorm: { type: 'number', greaterThan: 0, default: 10 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
});

/** Serialised {@link VRNNModel}. */
export interface VRNNJSON {
  kind: 'vrnn' | 'rnn-gaussian';
  version: 1;
  dimension: number;
  latentDim: number;
  hidden: number;
  features: number;
  minVariance: number;
  nets: Record<string, ModuleJSON>;
  report: FitReport;
}

/** A trained VRNN (or, `kind === 'rnn'`, the GRU baseline without latents). Immutable. */
export class VRNNModel {
  /** 'vrnn' or 'rnn' (the baseline). */
  readonly kind: 'vrnn' | 'rnn';
  /** Width D of each step. */
  readonly dimension: number;
  /** Latent dimension (VRNN). */
  readonly latentDim: number;
  /** GRU state size. */
  readonly hidden: number;
  /** Feature width. */
  readonly features: number;
  /** Floor of the output variance. */
  readonly minVariance: number;
  /** `'completed'`; `trace` = mean negative bound per step per epoch. */
  readonly report: FitReport;
  readonly #nets: Nets;
  readonly #arch: Arch;

  /** @internal use `fitVRNN`, `fitRNNGaussian` or `fromJSON`. */
  constructor(a: Arch, nets: Record<string, ModuleJSON>, report: FitReport) {
    this.kind = a.kind;
    this.dimension = a.dimension;
    this.latentDim = a.latentDim;
    this.hidden = a.hidden;
    this.features = a.features;
    this.minVariance = a.minVariance;
    this.report = report;
    this.#arch = { ...a };
    const get = (name: string) => {
      const j = nets[name];
      if (j === undefined) throw new DomainError(`VRNNModel: network '${name}' is missing`);
      return j;
    };
    const built = buildNets(a, resolveRng('VRNNModel', {}, 0));
    this.#nets = {
      phiX: MLP.fromJSON(get('phiX')),
      phiZ: built.phiZ ? MLP.fromJSON(get('phiZ')) : null,
      prior: built.prior ? MLP.fromJSON(get('prior')) : null,
      encoder: built.encoder ? MLP.fromJSON(get('encoder')) : null,
      decoder: MLP.fromJSON(get('decoder')),
      gru: GRUCell.fromJSON(get('gru')),
    };
    // the loaded networks must have the declared shapes
    for (const [name, m] of netList(built)) {
      const mine = netList(this.#nets).find((e) => e[0] === name)?.[1];
      const shapes = (x: MLP | GRUCell) => x.parameters().map((p) => p.shape.join('x')).join(',');
      if (!mine || shapes(mine) !== shapes(m)) throw new DomainError(`VRNNModel: network '${name}' does not match the declared sizes`);
    }
    Object.freeze(this);
  }

  #bounds(where: string, sequences: unknown, samples: number, seed: number): { elbo: Float64Array; ll: Float64Array } {
    const s = readSequences(where, sequences, this.dimension);
    const rng = resolveRng(where, { seed }, 0);
    const k = samples;
    return noGrad(() => {
      const steps = s.steps.map((a) => tile(a, k, s.N, s.D));
      const noise = this.kind === 'vrnn' ? noiseFor(rng, s.T, k * s.N, this.latentDim) : null;
      const r = sequenceBounds(this.#nets, this.#arch, steps, noise);
      const elbo = new Float64Array(s.N);
      for (let j = 0; j < k; j++) for (let i = 0; i < s.N; i++) elbo[i] = (elbo[i] as number) + (r.elbo.data[j * s.N + i] as number) / k;
      const ll = logMeanExp(ops.reshape(r.logW, [k, s.N])).data;
      for (let i = 0; i < s.N; i++) {
        if (!Number.isFinite(elbo[i]) || !Number.isFinite(ll[i])) throw new DomainError(`${where}: the bound of sequence ${i} overflows float64; rescale the data`);
      }
      return { elbo, ll: Float64Array.from(ll) };
    });
  }

  /** Mean ELBO per step (VRNN; the exact log-likelihood per step for the RNN baseline), `samples` draws per sequence. */
  elbo(sequences: SequenceData, options: { samples?: number; seed?: number } = {}): number {
    const o = EVAL.parse(options);
    const T = (sequences?.[0]?.length ?? 1) || 1;
    const e = this.#bounds('VRNNModel.elbo', sequences, o.samples ?? 1, o.seed ?? 0).elbo;
    return e.reduce((a, b) => a + b, 0) / e.length / T;
  }

  /** Importance-weighted log-likelihood per step, k = `samples` particles (default 100), with its standard error over sequences. */
  logLikelihood(sequences: SequenceData, options: { samples?: number; seed?: number } = {}): { mean: number; standardError: number } {
    const o = EVAL.parse(options);
    const T = (sequences?.[0]?.length ?? 1) || 1;
    const v = this.#bounds('VRNNModel.logLikelihood', sequences, o.samples ?? 100, o.seed ?? 0).ll.map((x) => x / T);
    const n = v.length;
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
    return Object.freeze({ mean, standardError: sd / Math.sqrt(n) });
  }

  /** Generates `count` sequences of `length` steps by ancestral sampling (prior → decoder → GRU). */
  generate(length: number, options: { count?: number; seed?: number } = {}): number[][][] {
    readNumber('VRNNModel.generate', 'length', length);
    if (!Number.isInteger(length) || length < 1 || length > 1e6) throw new DomainError(`VRNNModel.generate: argument 'length' must be an integer in [1, 1000000], got ${length}`);
    const o = GEN.parse(options);
    const N = o.count ?? 1;
    const rng = resolveRng('VRNNModel.generate', { seed: o.seed ?? 0 }, 0);
    const { dimension: D, latentDim: L } = this;
    const n = this.#nets;
    const out: number[][][] = Array.from({ length: N }, () => []);
    noGrad(() => {
      let h = n.gru.initialState(N);
      for (let t = 0; t < length; t++) {
        let outp: Tensor;
        let fz: Tensor | null = null;
        if (this.kind === 'vrnn') {
          const pr = (n.prior as MLP).forward(h);
          const z = ops.add(ops.slice(pr, 1, 0, L), ops.mul(ops.exp(ops.mul(0.5, ops.slice(pr, 1, L, 2 * L))), noiseFor(rng, 1, N, L)[0] as Tensor));
          fz = (n.phiZ as MLP).forward(z);
          outp = n.decoder.forward(ops.concat([fz, h], 1));
        } else {
          outp = n.decoder.forward(h);
        }
        const x = new Float64Array(N * D);
        for (let i = 0; i < N; i++) {
          for (let j = 0; j < D; j++) {
            const mu = outp.data[i * 2 * D + j] as number;
            const v = Math.exp(outp.data[i * 2 * D + D + j] as number) + this.minVariance;
            x[i * D + j] = mu + Math.sqrt(v) * rng.normal();
          }
          (out[i] as number[][]).push(Array.from(x.subarray(i * D, (i + 1) * D)));
        }
        const xt = new Tensor(x, [N, D]);
        const fx = n.phiX.forward(xt);
        h = n.gru.forward(fz ? ops.concat([fx, fz], 1) : fx, h);
      }
    });
    return out;
  }

  /** Plain JSON (every network in core's module format). */
  toJSON(): VRNNJSON {
    const nets: Record<string, ModuleJSON> = {};
    for (const [name, m] of netList(this.#nets)) nets[name] = m.toJSON();
    return {
      kind: this.kind === 'vrnn' ? 'vrnn' : 'rnn-gaussian',
      version: 1,
      dimension: this.dimension,
      latentDim: this.latentDim,
      hidden: this.hidden,
      features: this.features,
      minVariance: this.minVariance,
      nets,
      report: this.report,
    };
  }

  /** Rebuilds a model, validating every field and every network's shapes and weights. @throws DomainError/ShapeError naming the field. */
  static fromJSON(json: VRNNJSON): VRNNModel {
    const where = 'VRNNModel.fromJSON';
    const kind = (json as { kind?: unknown })?.kind === 'rnn-gaussian' ? 'rnn-gaussian' : 'vrnn';
    const o = readEnvelope(where, json, kind, 1);
    const a: Arch = {
      kind: kind === 'vrnn' ? 'vrnn' : 'rnn',
      dimension: readInt(where, o, 'dimension', 1),
      latentDim: readInt(where, o, 'latentDim', 1),
      hidden: readInt(where, o, 'hidden', 1),
      features: readInt(where, o, 'features', 1),
      minVariance: readFinite(where, o, 'minVariance', { greaterThan: 0 }),
    };
    const nets = o.nets;
    if (typeof nets !== 'object' || nets === null || Array.isArray(nets)) throw new DomainError(`${where}: field 'nets' must be an object`);
    return new VRNNModel(a, nets as Record<string, ModuleJSON>, readReport(where, o));
  }
}

const EVAL = defineOptions<{ samples?: number; seed?: number }>()('VRNNModel', {
  samples: { type: 'integer', min: 1, max: 100_000 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
});
const GEN = defineOptions<{ count?: number; seed?: number }>()('VRNNModel.generate', {
  count: { type: 'integer', min: 1, max: 100_000 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
});

function prepare(where: string, kind: 'vrnn' | 'rnn', S: unknown, options: VRNNOptions | undefined): FitLoop<VRNNModel> {
  const o = VRNN_OPTIONS.parse(options);
  const s = readSequences(where, S);
  const rng = resolveRng(where, o, 0);
  const a: Arch = { kind, dimension: s.D, latentDim: o.latentDim, hidden: o.hidden, features: o.features, minVariance: o.minVariance };
  const nets = buildNets(a, rng);
  const params = netList(nets).flatMap(([, m]) => m.parameters());
  const adam = createAdamOptimizer(params, { lr: o.lr, clipNorm: o.clipNorm });
  const clock = stopwatch();
  const trace: number[] = [];
  const toModel = (reason: 'completed' | 'aborted', epochs: number) => {
    const j: Record<string, ModuleJSON> = {};
    for (const [name, m] of netList(nets)) j[name] = m.toJSON();
    return new VRNNModel(a, j, makeFitReport({ reason, iterations: epochs, elapsedMs: clock(), trace }));
  };
  const B = Math.min(o.batchSize, s.N);
  return (function* (): FitLoop<VRNNModel> {
    const order = Int32Array.from({ length: s.N }, (_, i) => i);
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      for (let i = s.N - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      let total = 0;
      for (let b0 = 0; b0 < s.N; b0 += B) {
        const b = Math.min(B, s.N - b0);
        const steps = s.steps.map((a0) => {
          const x = new Float64Array(b * s.D);
          for (let r = 0; r < b; r++) x.set(a0.subarray((order[b0 + r] as number) * s.D, ((order[b0 + r] as number) + 1) * s.D), r * s.D);
          return new Tensor(x, [b, s.D]);
        });
        const noise = kind === 'vrnn' ? noiseFor(rng, s.T, b, a.latentDim) : null;
        const { value, grads } = variableGrads(() => ops.neg(ops.div(ops.mean(sequenceBounds(nets, a, steps, noise).elbo), s.T)), params);
        if (!Number.isFinite(value)) throw new DomainError(`${where}: the training bound became ${value} at epoch ${epoch}; lower 'lr' or rescale the data`);
        adam.step(grads);
        total += value * b;
        const ep = epoch - 1;
        yield () => toModel('aborted', ep);
      }
      trace.push(total / s.N);
      o.onProgress?.({ iteration: epoch, objective: total / s.N, elapsedMs: clock() });
    }
    return toModel('completed', o.epochs);
  })();
}

/**
 * Trains a VRNN (Chung et al. 2015) on equal-length sequences by Adam on the ELBO (minibatches of sequences,
 * one reparameterised sample per step). Returns the model; `report.trace` = −ELBO per step per epoch.
 * @throws ShapeError/DomainError for ragged or non-finite sequences and bad options; AbortError (partial: the current model).
 */
export function fitVRNN(sequences: SequenceData, options?: VRNNOptions): VRNNModel {
  return runFit('fitVRNN', prepare('fitVRNN', 'vrnn', sequences, options), { signal: options?.signal });
}

/** {@link fitVRNN} on the asynchronous driver. @throws (rejects with) the errors of {@link fitVRNN}. */
export async function fitVRNNAsync(sequences: SequenceData, options?: VRNNOptions): Promise<VRNNModel> {
  return runFitAsync('fitVRNNAsync', prepare('fitVRNNAsync', 'vrnn', sequences, options), { signal: options?.signal });
}

/**
 * The baseline without latents: the same GRU on φˣ(x_{t−1}) with a Gaussian output N(x_t | μ(h_{t−1}), σ²(h_{t−1}) + floor),
 * trained by maximum likelihood. `latentDim` is ignored. Its `elbo` is the exact log-likelihood per step.
 */
export function fitRNNGaussian(sequences: SequenceData, options?: VRNNOptions): VRNNModel {
  return runFit('fitRNNGaussian', prepare('fitRNNGaussian', 'rnn', sequences, options), { signal: options?.signal });
}

/** {@link fitRNNGaussian} on the asynchronous driver (the same loop). @throws (rejects with) the errors of {@link fitRNNGaussian}. */
export async function fitRNNGaussianAsync(sequences: SequenceData, options?: VRNNOptions): Promise<VRNNModel> {
  return runFitAsync('fitRNNGaussianAsync', prepare('fitRNNGaussianAsync', 'rnn', sequences, options), { signal: options?.signal });
}
