/**
 * A small causal sequence model (notes: Hyena Hierarchy, self-attention operator, 记忆力): token embedding →
 * N blocks of (LayerNorm → Hyena or attention mixer → residual → LayerNorm → MLP → residual) → LayerNorm →
 * readout, trained by next-token cross-entropy over the whole sequence.
 */
import {
  createAdamOptimizer,
  crossEntropyWithLogitsLoss,
  DomainError,
  defineOptions,
  describeValue,
  Embedding,
  type FitLoop,
  type FitProgress,
  type FitReport,
  LayerNorm,
  Linear,
  Module,
  type ModuleJSON,
  makeFitReport,
  NonFiniteError,
  noGrad,
  ops,
  permutation,
  type Rng,
  readFitReport,
  readLabels,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  shapeStr,
  stopwatch,
  Tensor,
  variableGrads,
} from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { CausalSelfAttention } from '../hyena/attention.js';
import { HyenaOperator } from '../hyena/operator.js';
import { sinusoidalEncoding } from '../memory/attention-logits.js';
import { memoryProfile } from '../memory/profile.js';
import { checkLayerMemory, MEMORY_RULE, readModuleJSON, readTensor, rejectExtraParams } from '../validate.js';
import { readSequences } from './recall.js';

/** The token mixer of every block. */
export type SequenceMixer = 'hyena' | 'attention';

/** Architecture of a {@link SequenceModel} (stored in its JSON). */
export interface SequenceArchitecture {
  /** Token ids 0..vocabulary−1. */
  readonly vocabulary: number;
  /** Longest input the model reads (the Hyena filters are defined on 0..maxLength−1). */
  readonly maxLength: number;
  /**
   * Hyena only: the filters' positional grid (position t is encoded as t/gridLength), when it differs from
   * `maxLength`; absent means `maxLength`. Set when a model is extended to longer inputs (`init` with a larger
   * `maxLength`), so the filters keep the shape they were trained with.
   */
  readonly gridLength?: number;
  readonly mixer: SequenceMixer;
  readonly layers: number;
  readonly width: number;
  /** Hyena order N (unused by attention). */
  readonly order: number;
  /** Attention heads (unused by Hyena). */
  readonly heads: number;
  /** Hidden width of each MLP = mlpRatio · width. */
  readonly mlpRatio: number;
  /** Adds a sinusoidal positional encoding to the token embeddings. */
  readonly positional: boolean;
  /** Integer seed of the initial weights. */
  readonly seed: number;
}

/** Options of {@link fitSequenceModel} and {@link fitSequenceModelAsync}. */
export interface SequenceModelOptions {
  /** Token mixer. @defaultValue 'hyena' */
  mixer?: SequenceMixer;
  /** Number of blocks. @defaultValue 2 */
  layers?: number;
  /** Model width. @defaultValue 64 */
  width?: number;
  /** Hyena order N. @defaultValue 2 */
  order?: number;
  /**
   * Attention heads (must divide width). A single head of width 64 learns associative recall far more slowly
   * (PyTorch reference of this architecture at L = 32, vocabulary 20, 600 steps of 32: 45 % with 1 head vs
   * 96 % with 4), hence the default. @defaultValue 4 when 4 divides `width`, else 1
   */
  heads?: number;
  /** MLP hidden width as a multiple of `width`. @defaultValue 2 */
  mlpRatio?: number;
  /** Sinusoidal positional encoding added to the embeddings. @defaultValue true for attention, false for Hyena */
  positional?: boolean;
  /** Number of token ids. @defaultValue largest token in the data + 1 */
  vocabulary?: number;
  /** Passes over the sequences. @defaultValue 10 */
  epochs?: number;
  /** Sequences per optimiser step (gradients averaged). @defaultValue 8 */
  batchSize?: number;
  /** Peak Adam learning rate (linear warm-up over the first `warmup` share of steps, then `lrSchedule` decay to `lrFinal`). @defaultValue 3e-3 */
  lr?: number;
  /**
   * Decay of the learning rate after the warm-up, from `lr` to `lrFinal` (reached at the end of the last step):
   * `'cosine'` (half a cosine period), `'linear'`, or `'constant'` (stays at `lr`; `lrFinal` is then ignored).
   * @defaultValue 'cosine'
   */
  lrSchedule?: 'cosine' | 'linear' | 'constant';
  /** Learning rate the decay reaches at the end of the last step (at most `lr`). @defaultValue 0.1 · lr */
  lrFinal?: number;
  /** Share of the steps (0–1) spent on the linear warm-up from lr/warm-up steps to `lr`; 0 starts at `lr`. @defaultValue 0.1 */
  warmup?: number;
  /** Decoupled (AdamW) weight decay. @defaultValue 0 */
  weightDecay?: number;
  /** Global gradient-norm clip. @defaultValue 1 */
  clipNorm?: number;
  /** Seed of the initial weights and of the shuffling (instead of `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator for the initial weights and the shuffling (instead of `seed`). */
  rng?: Rng;
  /** Called every `progressEvery` steps with {@link SequenceFitProgress}. */
  onProgress?: (info: SequenceFitProgress) => void;
  /** @defaultValue 1 */
  progressEvery?: number;
  /** Stops between steps with `AbortError` whose `partial` is the model so far (report reason `'aborted'`). */
  signal?: AbortSignal;
  /** Budget of the taped attention scores per sequence (see `CausalSelfAttention`). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
  /**
   * Longest input of the model (the Hyena filters are defined on 0..maxLength−1); at least the data's length.
   * Set it above the data's length to train on short sequences first and continue on long ones with `init`.
   * @defaultValue the data's (longest) input length L
   */
  maxLength?: number;
  /**
   * Hyena only: length of the filters' positional grid (position t is encoded as t/gridLength, windowed by
   * $e^{-\alpha t/\mathrm{gridLength}}$); positions past it extrapolate. When continuing (`init`) with a larger
   * `maxLength` it is the initial model's grid (its `gridLength`, else its `maxLength`). A model whose
   * filters were trained on a grid of 256 recalls at 2,048 without training there, while the same weights
   * stretched onto a grid of 4,096 do not (README). @defaultValue maxLength
   */
  gridLength?: number;
  /**
   * Continue training from this model's weights (a curriculum: short sequences first, then long ones). Its
   * architecture is kept: architecture options (`mixer`, `layers`, `width`, `order`, `heads`, `mlpRatio`,
   * `positional`, `vocabulary`, `gridLength`) must be absent or equal to it, and the data must fit its
   * vocabulary. `maxLength` may be absent (the data must fit the initial model's), equal, or larger: the model
   * is extended to longer inputs, its Hyena filters keeping their grid (see `gridLength`). The optimiser state
   * starts afresh.
   */
  init?: SequenceModel;
}

/** What `onProgress` receives; `objective` is the step's mean next-token cross-entropy (nats per token). */
export interface SequenceFitProgress extends FitProgress {
  /** Epoch (1-based) the step belongs to. */
  readonly epoch: number;
}

const OPTIONS = defineOptions<SequenceModelOptions>()('fitSequenceModel', {
  mixer: { type: 'enum', values: ['hyena', 'attention'], default: 'hyena', doc: 'token mixer' },
  layers: { type: 'integer', min: 1, max: 64, default: 2, doc: 'number of blocks' },
  width: { type: 'integer', min: 1, max: 4096, default: 64, doc: 'model width' },
  order: { type: 'integer', min: 1, max: 16, default: 2, doc: 'Hyena order N' },
  heads: { type: 'integer', min: 1, max: 4096, doc: 'attention heads (default 4 when 4 divides width, else 1)' },
  mlpRatio: { type: 'integer', min: 1, max: 16, default: 2, doc: 'MLP hidden width / width' },
  positional: { type: 'boolean', doc: 'sinusoidal positional encoding' },
  vocabulary: { type: 'integer', min: 2, max: 1_000_000, doc: 'number of token ids' },
  epochs: { type: 'integer', min: 1, max: 1_000_000, default: 10, doc: 'passes over the data' },
  batchSize: { type: 'integer', min: 1, max: 1_000_000, default: 8, doc: 'sequences per step' },
  lr: { type: 'number', greaterThan: 0, max: 10, default: 3e-3, doc: 'peak learning rate' },
  lrSchedule: { type: 'enum', values: ['cosine', 'linear', 'constant'], default: 'cosine', doc: 'decay after the warm-up' },
  lrFinal: { type: 'number', min: 0, max: 10, doc: 'learning rate at the last step (default 0.1 · lr)' },
  warmup: { type: 'number', min: 0, max: 1, default: 0.1, doc: 'share of the steps in the warm-up' },
  weightDecay: { type: 'number', min: 0, max: 1, default: 0, doc: 'AdamW weight decay' },
  clipNorm: { type: 'number', greaterThan: 0, default: 1, doc: 'gradient-norm clip' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed' },
  rng: { type: 'rng', doc: 'generator' },
  onProgress: { type: 'function', doc: 'progress callback' },
  progressEvery: { type: 'integer', min: 1, default: 1, doc: 'steps between progress calls' },
  signal: { type: 'signal', doc: 'AbortSignal' },
  maxMemoryBytes: MEMORY_RULE,
  maxLength: { type: 'integer', min: 1, max: 1 << 24, doc: 'longest input of the model' },
  gridLength: { type: 'integer', min: 1, max: 1 << 24, doc: 'Hyena filters: length of the positional grid' },
  init: { type: 'custom', expected: 'a SequenceModel', check: (v) => v instanceof SequenceModel, doc: 'model to continue training' },
});

type Parsed = ReturnType<typeof OPTIONS.parse>;

const PROFILE = defineOptions<{ position?: number; token?: number }>()('SequenceModel.memoryProfile', {
  position: { type: 'integer', min: 0, doc: 'position t (default L − 1)' },
  token: { type: 'integer', min: 0, doc: 'logit whose dependence is measured (default the prediction)' },
});

/** One block: x + mixer(LN(x)), then + MLP(LN(·)). */
interface Block {
  ln1: LayerNorm;
  mixer: HyenaOperator | CausalSelfAttention;
  ln2: LayerNorm;
  fc1: Linear;
  fc2: Linear;
}

/** The network as a core `Module` (weights, JSON); built by {@link fitSequenceModel}. @internal */
export class SequenceNet extends Module {
  readonly kind = 'SequenceNet';
  protected readonly config: Record<string, unknown>;
  readonly arch: SequenceArchitecture;
  readonly embedding: Embedding;
  readonly blocks: Block[] = [];
  readonly lnF: LayerNorm;
  readonly readout: Linear;
  private pe: { length: number; table: Tensor } | null = null;

  constructor(arch: SequenceArchitecture, maxMemoryBytes?: number) {
    super();
    this.arch = Object.freeze({ ...arch });
    this.config = { ...arch };
    const { vocabulary: V, width: W, layers, mixer, order, heads, maxLength, gridLength, mlpRatio, seed } = arch;
    checkLayerMemory('fitSequenceModel', V * W * 2 + layers * (2 * mlpRatio * W * W + 4 * W * W + 2 * order * W * maxLength));
    if (mixer === 'attention' && W % heads !== 0) throw new DomainError(`fitSequenceModel: option 'heads' (${heads}) must divide 'width' (${W})`);
    // Embedding rows N(0, 1) (the LayerNorm of each block fixes their scale).
    this.embedding = this.child('embedding', new Embedding(V, W, { seed }));
    for (let l = 0; l < layers; l++) {
      const s = seed + 10 * (l + 1);
      const mix =
        mixer === 'hyena'
          ? new HyenaOperator({ width: W, order, maxLength, ...(gridLength !== undefined ? { gridLength } : {}), seed: s })
          : new CausalSelfAttention({ width: W, heads, seed: s, ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}) });
      this.blocks.push({
        ln1: this.child(`block${l}.ln1`, new LayerNorm(W)),
        mixer: this.child(`block${l}.mixer`, mix),
        ln2: this.child(`block${l}.ln2`, new LayerNorm(W)),
        fc1: this.child(`block${l}.fc1`, new Linear(W, mlpRatio * W, { seed: s + 4 })),
        fc2: this.child(`block${l}.fc2`, new Linear(mlpRatio * W, W, { seed: s + 5 })),
      });
    }
    this.lnF = this.child('lnF', new LayerNorm(W));
    this.readout = this.child('readout', new Linear(W, V, { seed: seed + 3 }));
    // Every linear weight [in, out] from core's Glorot-uniform U(±√(6/(in+out))) to U(±1/√in) (PyTorch's
    // default): smaller residual writes and attention logits at the start. With Glorot's larger weights a
    // PyTorch replica of this model stayed on the recall plateau (33 % after 640 steps of 32 sequences,
    // L = 32, vocabulary 20, 4 heads) where the U(±1/√in) start reached 95 %.
    for (const [name, t] of this.namedParameters()) {
      if (!name.endsWith('.weight') || name === 'embedding.weight' || t.rank !== 2) continue;
      const [fanIn, fanOut] = t.shape as [number, number];
      const f = 1 / Math.sqrt(fanIn) / Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < t.data.length; i++) t.data[i] = (t.data[i] as number) * f;
    }
  }

  embed(tokens: Int32Array): Tensor {
    const x = this.embedding.forward(tokens);
    if (!this.arch.positional) return x;
    const L = tokens.length;
    if (this.pe?.length !== L) {
      const m = sinusoidalEncoding(L, this.arch.width);
      this.pe = { length: L, table: new Tensor(Float64Array.from(m.to1DArray()), [L, this.arch.width]) };
    }
    return ops.add(x, this.pe.table);
  }

  /**
   * Embeddings [B·L, width] of B token sequences of length L stored back to back in `tokens` (B·L ids),
   * each sequence with its own positional encoding.
   */
  embedBatch(tokens: Int32Array, batch: number): Tensor {
    const x = this.embedding.forward(tokens);
    if (!this.arch.positional) return x;
    const L = tokens.length / batch;
    if (this.pe?.length !== L) this.embed(tokens.subarray(0, L)); // builds the [L, width] table
    const table = (this.pe as { table: Tensor }).table.data;
    const tiled = new Float64Array(tokens.length * this.arch.width);
    for (let b = 0; b < batch; b++) tiled.set(table, b * table.length);
    return ops.add(x, new Tensor(tiled, x.shape));
  }

  /**
   * Residual stream after block `upTo` (all blocks by default). With `batch` B given, `x` holds B sequences of
   * equal length stacked as [B·L, width] and the mixers run their batched training path (`forwardBatch`; they
   * keep the sequences apart, everything else acts on each row); without it, `x` is one sequence [L, width].
   */
  hidden(x: Tensor, upTo = this.blocks.length, batch?: number): Tensor {
    let h = x;
    for (const b of this.blocks.slice(0, upTo)) {
      const u = b.ln1.forward(h);
      h = ops.add(h, batch === undefined ? b.mixer.forward(u) : b.mixer.forwardBatch(u, batch));
      h = ops.add(h, b.fc2.forward(b.fc1.forward(b.ln2.forward(h), 'relu')));
    }
    return h;
  }

  /** Logits [L, vocabulary] (or [B·L, vocabulary] for B stacked sequences, see {@link SequenceNet.hidden}). */
  logits(x: Tensor, batch?: number): Tensor {
    return this.readout.forward(this.lnF.forward(this.hidden(x, this.blocks.length, batch)));
  }
}

/** Result of {@link SequenceModel.evaluate}. */
export interface SequenceEvaluation {
  /** Mean next-token cross-entropy over every position (nats). */
  readonly loss: number;
  /** Share of sequences whose last prediction (the answer of associative recall) is right. */
  readonly lastAccuracy: number;
  /** Share of all next-token predictions that are right. */
  readonly tokenAccuracy: number;
}

/** What {@link SequenceModel.toJSON} returns. */
export interface SequenceModelJSON {
  kind: 'SequenceModel';
  version: 1;
  net: ModuleJSON;
  report: FitReport;
}

/**
 * A trained causal sequence model (frozen; returned by {@link fitSequenceModel}). Its methods never change it, but
 * {@link SequenceModel.namedParameters} hands out the live weight tensors (for gradients): writing into them changes
 * the model, so it is not immutable in the sense of docs/conventions.md §1. Inputs are token ids
 * `[L]` with L ≤ `maxLength`; outputs at position t depend on tokens 0..t only.
 */
export class SequenceModel {
  readonly kind = 'SequenceModel';
  /** Architecture (also in the JSON). */
  readonly architecture: SequenceArchitecture;
  /** `{ converged, reason: 'completed' | 'aborted', iterations (optimiser steps), elapsedMs, trace (loss per step) }`. */
  readonly report: FitReport;
  readonly #net: SequenceNet;

  /** @internal Use {@link fitSequenceModel} or {@link SequenceModel.fromJSON}. */
  constructor(net: SequenceNet, report: FitReport) {
    if (!(net instanceof SequenceNet)) throw new DomainError(`SequenceModel: build models with fitSequenceModel or SequenceModel.fromJSON, got ${describeValue(net)}`);
    this.#net = net;
    this.architecture = net.arch;
    this.report = report;
    Object.freeze(this);
  }

  #tokens(where: string, tokens: unknown): Int32Array {
    const t = readLabels(where, 'tokens', tokens, { classes: this.architecture.vocabulary });
    if (t.length > this.architecture.maxLength) {
      throw new ShapeError(`${where}: argument 'tokens' has ${t.length} positions, above the model's maxLength ${this.architecture.maxLength}`);
    }
    return t;
  }

  /**
   * `[name, tensor]` of every weight: the live tensors the model computes with (for gradients with respect
   * to the weights, e.g. `variableGrads(() => loss(model), tensors)`); changing their entries changes the model.
   */
  namedParameters(): [string, Tensor][] {
    return this.#net.namedParameters();
  }

  /** Token embeddings (plus positional encoding) [L, width]; differentiable with respect to the weights. */
  embed(tokens: ArrayLike<number>): Tensor {
    return this.#net.embed(this.#tokens('SequenceModel.embed', tokens));
  }

  /**
   * Logits [L, vocabulary] from embedded input `x` [L, width] (as {@link SequenceModel.embed} returns):
   * the differentiable map used for the causality and memory checks (∂logits_t/∂x_s = 0 for s > t).
   * @throws ShapeError unless `x` is [L, width] with 1 ≤ L ≤ maxLength; NonFiniteError on NaN.
   */
  forwardEmbedded(x: Tensor): Tensor {
    const where = 'SequenceModel.forwardEmbedded';
    readTensor(where, 'x', x, 2);
    const { width, maxLength } = this.architecture;
    if (x.shape[1] !== width || (x.shape[0] as number) < 1 || (x.shape[0] as number) > maxLength) {
      throw new ShapeError(`${where}: argument 'x' must be [L, ${width}] with 1 ≤ L ≤ ${maxLength}, got ${shapeStr(x.shape)}`);
    }
    return this.#net.logits(x);
  }

  /** Logits [L, vocabulary] of next-token predictions (differentiable with respect to the weights). */
  logits(tokens: ArrayLike<number>): Tensor {
    const t = this.#tokens('SequenceModel.logits', tokens);
    return this.#net.logits(this.#net.embed(t));
  }

  /**
   * Next-token predictions for every position: the most likely token and the probabilities
   * (softmax of the logits), [L, vocabulary].
   * @throws DomainError/ShapeError for tokens out of range or longer than maxLength.
   */
  predict(tokens: ArrayLike<number>): { next: Int32Array; probabilities: Matrix } {
    const t = this.#tokens('SequenceModel.predict', tokens);
    const z = noGrad(() => this.#net.logits(this.#net.embed(t)));
    const [L, V] = z.shape as [number, number];
    const next = new Int32Array(L);
    const P = new Matrix(L, V);
    for (let i = 0; i < L; i++) {
      let m = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let v = 0; v < V; v++) {
        const a = z.data[i * V + v] as number;
        if (a > m) {
          m = a;
          arg = v;
        }
      }
      let s = 0;
      for (let v = 0; v < V; v++) s += Math.exp((z.data[i * V + v] as number) - m);
      for (let v = 0; v < V; v++) P.set(i, v, Math.exp((z.data[i * V + v] as number) - m) / s);
      next[i] = arg;
    }
    return { next, probabilities: P };
  }

  /**
   * Loss and accuracies on sequences of L + 1 tokens (inputs 0..L−1, targets 1..L), e.g.
   * `associativeRecall(...)` data: `lastAccuracy` is the recall accuracy.
   * @throws as {@link fitSequenceModel} for malformed sequences.
   */
  evaluate(data: ArrayLike<number>[] | { sequences: readonly ArrayLike<number>[] }): SequenceEvaluation {
    const { sequences } = readSequences('SequenceModel.evaluate', 'data', data, this.architecture.vocabulary, true);
    let loss = 0;
    let last = 0;
    let right = 0;
    let total = 0;
    for (const s of sequences) {
      const L = s.length - 1;
      const input = s.subarray(0, L);
      const target = s.subarray(1);
      const z = noGrad(() => this.logits(input));
      loss += noGrad(() => crossEntropyWithLogitsLoss(z, target)).data[0] as number;
      const V = z.shape[1] as number;
      for (let i = 0; i < L; i++) {
        let arg = 0;
        for (let v = 1; v < V; v++) if ((z.data[i * V + v] as number) > (z.data[i * V + arg] as number)) arg = v;
        if (arg === target[i]) {
          right++;
          if (i === L - 1) last++;
        }
      }
      total += L;
    }
    return Object.freeze({ loss: loss / sequences.length, lastAccuracy: last / sequences.length, tokenAccuracy: right / total });
  }

  /**
   * The notes' memory profile (记忆力) of the whole model at one input: $m_n = \sum_d |\partial z_{t,c}/\partial x_{t-n,d}|$,
   * n = 0..t, of logit c at position t with respect to the embedded input x (core autodiff).
   * @param options.position - t. @defaultValue L − 1
   * @param options.token - logit c. @defaultValue the predicted token at t
   */
  memoryProfile(tokens: ArrayLike<number>, options: { position?: number; token?: number } = {}): Float64Array {
    const t = this.#tokens('SequenceModel.memoryProfile', tokens);
    const o = PROFILE.parse(options);
    const position = o.position ?? t.length - 1;
    if (position >= t.length) throw new DomainError(`SequenceModel.memoryProfile: option 'position' must be < ${t.length}, got ${position}`);
    if (o.token !== undefined && o.token >= this.architecture.vocabulary) {
      throw new DomainError(`SequenceModel.memoryProfile: option 'token' must be < ${this.architecture.vocabulary}, got ${o.token}`);
    }
    const token = o.token ?? (this.predict(t).next[position] as number);
    const x = noGrad(() => this.#net.embed(t));
    return memoryProfile((u) => this.#net.logits(u), new Tensor(x.data.slice(), x.shape), position, { outputChannel: token });
  }

  /**
   * Pre-softmax attention logits $q_i^\top k_j$ of block `layer`, averaged over heads (the notes' [bos]
   * experiment), −Infinity above the diagonal, and per row the logit to position 0 minus the row mean over j ≤ i.
   * @throws DomainError for a Hyena model or a layer out of range.
   */
  attentionLogits(tokens: ArrayLike<number>, layer = 0): { logits: Matrix; bosExcess: Float64Array } {
    const where = 'SequenceModel.attentionLogits';
    const t = this.#tokens(where, tokens);
    if (this.architecture.mixer !== 'attention') throw new DomainError(`${where}: the model's mixer is '${this.architecture.mixer}', not attention`);
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.architecture.layers) {
      throw new DomainError(`${where}: argument 'layer' must be an integer in [0, ${this.architecture.layers}), got ${describeValue(layer)}`);
    }
    const L = t.length;
    const { width: W, heads: H } = this.architecture;
    const dh = W / H;
    const block = this.#net.blocks[layer] as Block;
    const attn = block.mixer as CausalSelfAttention;
    const u = noGrad(() => block.ln1.forward(this.#net.hidden(this.#net.embed(t), layer)));
    const q = noGrad(() => attn.query.forward(u)).data;
    const k = noGrad(() => attn.key.forward(u)).data;
    const logits = new Matrix(L, L);
    const bosExcess = new Float64Array(L);
    for (let i = 0; i < L; i++) {
      let mean = 0;
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let h = 0; h < H; h++) for (let c = h * dh; c < (h + 1) * dh; c++) s += (q[i * W + c] as number) * (k[j * W + c] as number);
        logits.set(i, j, s / H);
        mean += s / H / (i + 1);
      }
      bosExcess[i] = logits.get(i, 0) - mean;
      for (let j = i + 1; j < L; j++) logits.set(i, j, Number.NEGATIVE_INFINITY);
    }
    return { logits, bosExcess };
  }

  /** Plain JSON: architecture and weights (`net`, numbers exact) and the report. */
  toJSON(): SequenceModelJSON {
    return { kind: 'SequenceModel', version: 1, net: this.#net.toJSON(), report: { ...this.report, ...(this.report.trace ? { trace: [...this.report.trace] } : {}) } };
  }

  /**
   * Rebuilds a model from {@link SequenceModel.toJSON} output; validates every field (kind, version, the
   * architecture, every weight's shape and finiteness, no extra weights, the report: reason `'completed'` or
   * `'aborted'`, one finite loss per step in `trace`).
   * @throws DomainError/ShapeError/NonFiniteError naming the field.
   */
  static fromJSON(json: SequenceModelJSON): SequenceModel {
    const where = 'SequenceModel.fromJSON';
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new DomainError(`${where}: argument 'json' must be an object from toJSON(), got ${describeValue(json)}`);
    }
    if (json.kind !== 'SequenceModel') throw new DomainError(`${where}: field 'kind' must be 'SequenceModel', got ${describeValue(json.kind)}`);
    if (json.version !== 1) throw new DomainError(`${where}: field 'version' must be 1, got ${describeValue(json.version)}`);
    const netJson = readModuleJSON(where, json.net, 'SequenceNet');
    const arch = readArchitecture(where, netJson.config);
    const net = new SequenceNet(arch);
    rejectExtraParams(where, netJson, net.namedParameters().map(([n]) => n));
    net.loadJSON(netJson);
    const report = readFitReport(where, json.report);
    // a training run stops 'completed' (converged: true) or 'aborted' (false), with one loss per optimiser step
    if ((report.reason !== 'completed' && report.reason !== 'aborted') || report.converged !== (report.reason === 'completed')) {
      throw new DomainError(`${where}: field 'report.reason' must be 'completed' (converged true) or 'aborted' (converged false), got ${describeValue(report.reason)} with converged ${report.converged}`);
    }
    const trace = report.trace;
    if (trace === undefined || trace.length !== report.iterations || !trace.every(Number.isFinite)) {
      throw new DomainError(`${where}: field 'report.trace' must hold one finite loss per optimiser step (report.iterations = ${report.iterations})`);
    }
    return new SequenceModel(net, report);
  }
}

const ARCH = defineOptions<SequenceArchitecture>()('SequenceModel.fromJSON', {
  vocabulary: { type: 'integer', min: 2, max: 1_000_000 },
  maxLength: { type: 'integer', min: 1 },
  mixer: { type: 'enum', values: ['hyena', 'attention'] },
  layers: { type: 'integer', min: 1, max: 64 },
  width: { type: 'integer', min: 1, max: 4096 },
  order: { type: 'integer', min: 1, max: 16 },
  heads: { type: 'integer', min: 1 },
  mlpRatio: { type: 'integer', min: 1, max: 16 },
  positional: { type: 'boolean' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  gridLength: { type: 'integer', min: 1 },
});

function readArchitecture(where: string, config: unknown): SequenceArchitecture {
  const a = ARCH.parse(config as SequenceArchitecture);
  for (const key of Object.keys(ARCH.spec)) {
    if (key !== 'gridLength' && (a as Record<string, unknown>)[key] === undefined) throw new DomainError(`${where}: field 'net.config.${key}' is missing`);
  }
  if (a.gridLength === undefined) delete (a as { gridLength?: number }).gridLength;
  else if (a.mixer !== 'hyena') throw new DomainError(`${where}: field 'net.config.gridLength' applies to the Hyena mixer only`);
  return a as SequenceArchitecture;
}

/** Learning-rate schedule of {@link fitSequenceModel} (its defaults: 10 % warm-up, cosine decay to 10 % of the peak). @internal */
export interface LrSchedule {
  kind: 'cosine' | 'linear' | 'constant';
  /** Learning rate at the end of training as a share of the peak. */
  finalRatio: number;
  /** Share of the steps in the linear warm-up. */
  warmup: number;
}

/**
 * Learning rate of step `step` (0-based) of `total`: linear warm-up over ⌊warmup · total⌋ steps (step k gets
 * peak·(k+1)/warm), then the decay from `peak` towards finalRatio · peak by half a cosine or a straight line in
 * p = (step − warm)/(total − warm), which reaches 1 at the end of the last step. The defaults give bit for bit the
 * schedule of the earlier releases. @internal
 */
export function schedule(step: number, total: number, peak: number, s: LrSchedule = { kind: 'cosine', finalRatio: 0.1, warmup: 0.1 }): number {
  const warm = s.warmup > 0 ? Math.max(1, Math.floor(s.warmup * total)) : 0;
  if (step < warm) return (peak * (step + 1)) / warm;
  if (s.kind === 'constant') return peak;
  const p = Math.min(1, (step - warm) / Math.max(1, total - warm));
  const shape = s.kind === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * p)) : 1 - p;
  const r = s.finalRatio;
  return peak * (r + (1 - r) * shape);
}

interface Prepared {
  sequences: Int32Array[];
  o: Parsed;
  arch: SequenceArchitecture;
  rng: Rng;
  init?: SequenceModel;
}

function prepare(where: string, data: unknown, options: SequenceModelOptions | undefined): Prepared {
  const o = OPTIONS.parse(options);
  const init = o.init;
  if (o.lrFinal !== undefined && o.lrFinal > o.lr) {
    throw new DomainError(`${where}: option 'lrFinal' (${o.lrFinal}) must not exceed 'lr' (${o.lr})`);
  }
  const { sequences, vocabulary } = readSequences(where, 'data', data, o.vocabulary ?? init?.architecture.vocabulary, true);
  const rng = resolveRng(where, { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.rng !== undefined ? { rng: o.rng } : {}) }, 0);
  const seed = o.rng !== undefined ? Math.floor(rng.uniform() * 2 ** 31) : (o.seed ?? 0);
  const dataLength = Math.max(...sequences.map((s) => s.length)) - 1;
  if (init !== undefined) {
    const a = init.architecture;
    for (const key of ['mixer', 'layers', 'width', 'order', 'heads', 'mlpRatio', 'positional', 'vocabulary'] as const) {
      const given = (options as Record<string, unknown> | undefined)?.[key];
      if (given !== undefined && given !== a[key]) {
        throw new DomainError(`${where}: option '${key}' (${describeValue(given)}) differs from the architecture of 'init' (${describeValue(a[key])}); leave it out`);
      }
    }
    const grid = a.mixer === 'hyena' ? (a.gridLength ?? a.maxLength) : undefined;
    if (o.gridLength !== undefined && o.gridLength !== grid) {
      throw new DomainError(`${where}: option 'gridLength' (${o.gridLength}) differs from the filter grid of 'init' (${describeValue(grid)}); leave it out`);
    }
    if (o.maxLength !== undefined && o.maxLength < a.maxLength) {
      throw new DomainError(`${where}: option 'maxLength' (${o.maxLength}) must be at least the maxLength ${a.maxLength} of 'init' (a larger one extends the model)`);
    }
    const maxLength = o.maxLength ?? a.maxLength;
    if (dataLength > maxLength) throw new ShapeError(`${where}: the data's sequences have ${dataLength} input positions, above the maxLength ${maxLength} of 'init' (give a larger 'maxLength' to extend the model)`);
    const arch: SequenceArchitecture = maxLength === a.maxLength ? a : { ...a, maxLength, ...(grid !== undefined ? { gridLength: grid } : {}) };
    return { sequences, o, arch, rng, init };
  }
  if (o.maxLength !== undefined && o.maxLength < dataLength) {
    throw new DomainError(`${where}: option 'maxLength' (${o.maxLength}) must be at least the data's input length ${dataLength}`);
  }
  if (o.gridLength !== undefined && o.mixer !== 'hyena') throw new DomainError(`${where}: option 'gridLength' applies to the Hyena mixer only`);
  const arch: SequenceArchitecture = {
    ...(o.gridLength !== undefined ? { gridLength: o.gridLength } : {}),
    vocabulary,
    maxLength: o.maxLength ?? dataLength,
    mixer: o.mixer,
    layers: o.layers,
    width: o.width,
    order: o.order,
    heads: o.heads ?? (o.width % 4 === 0 ? 4 : 1),
    mlpRatio: o.mlpRatio,
    positional: o.positional ?? o.mixer === 'attention',
    seed,
  };
  return { sequences, o, arch, rng };
}

function* fitLoop(p: Prepared): FitLoop<SequenceModel> {
  const clock = stopwatch();
  const { sequences, o, arch, rng } = p;
  const net = new SequenceNet(arch, o.maxMemoryBytes);
  if (p.init) net.loadJSON(p.init.toJSON().net);
  const params = net.parameters();
  const opt = createAdamOptimizer(params, { lr: o.lr, weightDecay: o.weightDecay, clipNorm: o.clipNorm });
  // Sequences of each length form their own batches (one [B·L] tape per step); with one length this is the
  // plain shuffled split into batches of B.
  const groups = new Map<number, number[]>();
  sequences.forEach((s, i) => {
    const g = groups.get(s.length);
    if (g) g.push(i);
    else groups.set(s.length, [i]);
  });
  const members = [...groups.values()];
  const n = sequences.length;
  const B = Math.min(o.batchSize, n);
  const perEpoch = members.reduce((a, g) => a + Math.ceil(g.length / B), 0);
  const total = perEpoch * o.epochs;
  const lrPlan: LrSchedule = { kind: o.lrSchedule, finalRatio: o.lrFinal === undefined ? 0.1 : o.lrFinal / o.lr, warmup: o.warmup };
  const trace: number[] = [];
  const snapshot = (reason: 'aborted' | 'completed') => {
    const copy = new SequenceNet(arch, o.maxMemoryBytes).loadJSON(net.toJSON());
    return new SequenceModel(copy, makeFitReport({ reason, iterations: trace.length, elapsedMs: clock(), trace }));
  };
  let step = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const batches: Int32Array[] = [];
    for (const g of members) {
      const order = permutation(rng, g.length);
      for (let b0 = 0; b0 < g.length; b0 += B) batches.push(order.subarray(b0, Math.min(g.length, b0 + B)).map((k) => g[k] as number));
    }
    // several lengths: their batches in random order
    const batchOrder = members.length > 1 ? permutation(rng, batches.length) : batches.map((_, k) => k);
    for (const bi of batchOrder) {
      const batch = batches[bi] as Int32Array;
      // The batch as one [B·L, ·] forward pass and one tape: the mean next-token loss over all B·L positions is
      // the mean of the sequences' mean losses (a batch holds one length), so its gradient is the batch average.
      const L = (sequences[batch[0] as number] as Int32Array).length - 1;
      const inputs = new Int32Array(batch.length * L);
      const targets = new Int32Array(batch.length * L);
      batch.forEach((idx, b) => {
        const s = sequences[idx] as Int32Array;
        inputs.set(s.subarray(0, L), b * L);
        targets.set(s.subarray(1), b * L);
      });
      const { value: loss, grads } = variableGrads(() => crossEntropyWithLogitsLoss(net.logits(net.embedBatch(inputs, batch.length), batch.length), targets), params);
      if (!Number.isFinite(loss)) {
        throw new NonFiniteError(`fitSequenceModel: the loss became ${loss} at step ${step + 1}; lower 'lr' or 'clipNorm'`);
      }
      opt.lr = schedule(step, total, o.lr, lrPlan);
      opt.step(grads);
      step++;
      trace.push(loss);
      if (o.onProgress && (step % o.progressEvery === 0 || step === total)) {
        o.onProgress({ iteration: step, objective: loss, elapsedMs: clock(), epoch });
      }
      yield () => snapshot('aborted');
    }
  }
  return new SequenceModel(net, makeFitReport({ reason: 'completed', iterations: step, elapsedMs: clock(), trace }));
}

/**
 * Trains a causal sequence model by next-token cross-entropy over every position of every sequence
 * (a last-token-only loss gives too little signal to learn recall). `data` is an array of token sequences
 * (each of length L + 1: inputs 0..L−1, targets 1..L) or `associativeRecall(...)` output. Sequences may differ
 * in length: each batch holds sequences of one length (split per length, batches in random order), so one
 * model can be trained on several lengths at once. Adam with warm-up and cosine decay, gradients averaged over
 * `batchSize` sequences and clipped to `clipNorm`.
 *
 * `report`: `reason: 'completed'` after `epochs` passes, `iterations` = optimiser steps, `trace` = mean
 * loss of each step (nats per token). Progress: `objective` = the step's loss.
 * @throws DomainError for bad options (unknown key naming the closest) or tokens out of range; ShapeError for
 *   empty data or sequences shorter than 2; NonFiniteError if training diverges; AbortError (partial: the model so far, report
 *   reason `'aborted'`) when `signal` fires; ResourceError above the memory budget.
 * @example
 * const data = associativeRecall({ vocabulary: 20, length: 64, count: 256, seed: 1 });
 * const model = fitSequenceModel(data, { mixer: 'hyena', layers: 2, width: 64, epochs: 20 });
 * model.evaluate(associativeRecall({ vocabulary: 20, length: 64, count: 100, seed: 2 })).lastAccuracy;
 */
export function fitSequenceModel(data: ArrayLike<number>[] | { sequences: readonly ArrayLike<number>[] }, options?: SequenceModelOptions): SequenceModel {
  const p = prepare('fitSequenceModel', data, options);
  return runFit('fitSequenceModel', fitLoop(p), p.o.signal !== undefined ? { signal: p.o.signal } : {});
}

/**
 * {@link fitSequenceModel} that yields to the event loop at least every 50 ms (one optimiser step at most
 * between checks of `signal`): same options, same model for the same seed.
 * @throws (rejects with) the errors of {@link fitSequenceModel}.
 */
export async function fitSequenceModelAsync(
  data: ArrayLike<number>[] | { sequences: readonly ArrayLike<number>[] },
  options?: SequenceModelOptions,
): Promise<SequenceModel> {
  const p = prepare('fitSequenceModelAsync', data, options);
  return runFitAsync('fitSequenceModelAsync', fitLoop(p), p.o.signal !== undefined ? { signal: p.o.signal } : {});
}

