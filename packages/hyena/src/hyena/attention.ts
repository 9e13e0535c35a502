/**
 * Causal self-attention with the same interface as {@link HyenaOperator} (notes: self-attention operator):
 * $$y = \mathrm{softmax}\!\left(\tfrac{1}{\sqrt{d_h}}\,u M_q M_k^\top u^\top + \text{mask}\right) u M_v$$
 * per head, heads concatenated and projected. The mask puts $-\infty$ (here $-10^{30}$) above the
 * diagonal so position t attends to positions ≤ t. Time and memory O(L² D).
 */
import { checkMemory, DomainError, defineOptions, isRecording, Linear, Module, type ModuleJSON, ops, type Rng, ShapeError, shapeStr, Tensor } from '@notes/core-linalg';
import { checkLayerMemory, MEMORY_RULE, readModuleJSON, readTensor, rejectExtraParams, SEED_RULES } from '../validate.js';
import { layerConfig } from './projection.js';
import { causalAttentionKernel } from './attention-kernel.js';
import { assertNoOverflow } from './finite.js';

/** Query rows per block of scores in {@link CausalSelfAttention.forward}. */
const BLOCK = 128;

/** Additive mask [i1 − i0, i1] of query rows i0..i1−1: −1e30 where key j > query i, else 0. */
function causalMask(i0: number, i1: number): Tensor {
  const rows = i1 - i0;
  const mask = new Float64Array(rows * i1);
  for (let r = 0; r < rows; r++) mask.fill(-1e30, r * i1 + i0 + r + 1, (r + 1) * i1);
  return new Tensor(mask, [rows, i1]);
}

/** Options of {@link CausalSelfAttention}. */
export interface CausalSelfAttentionOptions {
  /** Model width D. */
  width: number;
  /** Number of heads (must divide D). @defaultValue 1 */
  heads?: number;
  /** Seed of the initial weights (instead of `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator whose next draw seeds the initial weights (instead of `seed`). */
  rng?: Rng;
  /**
   * Budget in bytes of the [H, L, L] scores a forward pass keeps on an autodiff tape (about 32·H·L² bytes
   * for the masked scores, softmax and mask of every block). @defaultValue 2 GiB
   */
  maxMemoryBytes?: number;
}

const OPTIONS = defineOptions<CausalSelfAttentionOptions>()('CausalSelfAttention', {
  width: { type: 'integer', min: 1, doc: 'model width D (required)' },
  heads: { type: 'integer', min: 1, default: 1, doc: 'number of heads (divides width)' },
  ...SEED_RULES,
  maxMemoryBytes: MEMORY_RULE,
});

/** Multi-head causal self-attention, [L, D] → [L, D]. */
export class CausalSelfAttention extends Module {
  readonly kind = 'CausalSelfAttention';
  protected readonly config: Required<Omit<CausalSelfAttentionOptions, 'rng' | 'maxMemoryBytes'>> & { maxMemoryBytes?: number };
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly outProjection: Linear;

  /**
   * @throws DomainError unless width, heads are positive integers, `heads` divides `width`, and seed is a
   *   non-negative integer; for an unknown option (naming the closest) or both `seed` and `rng`.
   */
  constructor(options: CausalSelfAttentionOptions) {
    super();
    const config = layerConfig(OPTIONS, options, ['width']) as unknown as CausalSelfAttention['config'];
    if (config.width % config.heads !== 0) {
      throw new DomainError(`CausalSelfAttention: 'heads' (${config.heads}) must divide 'width' (${config.width})`);
    }
    this.config = config;
    const D = config.width;
    checkLayerMemory('CausalSelfAttention', 4 * D * (D + 1));
    this.query = this.child('query', new Linear(D, D, { seed: config.seed, bias: false }));
    this.key = this.child('key', new Linear(D, D, { seed: config.seed + 1, bias: false }));
    this.value = this.child('value', new Linear(D, D, { seed: config.seed + 2, bias: false }));
    this.outProjection = this.child('outProjection', new Linear(D, D, { seed: config.seed + 3 }));
  }

  /**
   * Queries are processed in blocks of {@link BLOCK} rows: block $[i_0, i_1)$ scores only the keys $0..i_1-1$
   * it may see. Masked entries contribute exactly $e^{-10^{30}-m} = 0$ to the softmax, so this equals the full
   * [H, L, L] computation up to rounding while doing about half the work and holding one [H, BLOCK, L] block
   * of scores at a time. Without an autodiff tape recording (e.g. under `noGrad`) the blocks run in
   * {@link causalAttentionKernel}, which never forms the masked scores; with one, through differentiable ops.
   * @throws ShapeError if `u` is not [L, D]; NonFiniteError on NaN/±Infinity; DomainError if a huge `u`
   *   overflows the scores; ResourceError when the taped scores exceed `maxMemoryBytes`.
   */
  forward(u: Tensor): Tensor {
    const { width: D, heads: H } = this.config;
    readTensor('CausalSelfAttention.forward', 'u', u);
    if (u.rank !== 2 || u.shape[1] !== D || u.shape[0] === 0) {
      throw new ShapeError(`CausalSelfAttention.forward: input must be [L, ${D}] with L ≥ 1, got ${shapeStr(u.shape)}`);
    }
    const L = u.shape[0] as number;
    const dh = D / H;
    const split = (t: Tensor) => ops.permute(ops.reshape(t, [L, H, dh]), [1, 0, 2]); // [H, L, dh]
    const q = split(this.query.forward(u));
    const k = split(this.key.forward(u));
    const v = split(this.value.forward(u));
    let mixed: Tensor; // [H, L, dh]
    if (!isRecording([q, k, v])) {
      mixed = new Tensor(causalAttentionKernel(q.data, k.data, v.data, H, L, dh, BLOCK), [H, L, dh]);
    } else {
      checkMemory('CausalSelfAttention.forward', `the taped ${H}×${L}×${L} attention scores`, 32 * H * L * L, {
        ...(this.config.maxMemoryBytes !== undefined ? { maxMemoryBytes: this.config.maxMemoryBytes } : {}),
        alternative: 'a HyenaOperator (O(L log L)) or shorter sequences',
      });
      mixed = this.#taped(q, k, v, L, dh);
    }
    const y = this.outProjection.forward(ops.reshape(ops.permute(mixed, [1, 0, 2]), [L, D]));
    assertNoOverflow('CausalSelfAttention.forward', 'u', y.data);
    return y;
  }

  /**
   * Attention over B sequences of equal length L at once (the training path of the sequence model): `u` is
   * [B·L, D], the B inputs [L, D] stacked, and so is the output. The projections are single [B·L, D]
   * products; scores, softmax and the weighted sums run batched over the B·H (sequence, head) pairs, each
   * sequence attending only to its own earlier positions. Equals {@link CausalSelfAttention.forward} of each
   * sequence up to rounding (tested to 1e-12).
   * @throws ShapeError unless `u` is [B·L, D]; ResourceError when the taped scores exceed `maxMemoryBytes`.
   * @internal
   */
  forwardBatch(u: Tensor, batch: number): Tensor {
    const { width: D, heads: H } = this.config;
    const rows = u.shape[0] as number;
    if (u.rank !== 2 || u.shape[1] !== D || !Number.isInteger(batch) || batch < 1 || rows % batch !== 0 || rows === 0) {
      throw new ShapeError(`CausalSelfAttention.forward: batched input must be [B·L, ${D}] with B = ${batch}, got ${shapeStr(u.shape)}`);
    }
    const L = rows / batch;
    const dh = D / H;
    const split = (t: Tensor) => ops.reshape(ops.permute(ops.reshape(t, [batch, L, H, dh]), [0, 2, 1, 3]), [batch * H, L, dh]);
    const q = split(this.query.forward(u));
    const k = split(this.key.forward(u));
    const v = split(this.value.forward(u));
    let mixed: Tensor; // [B·H, L, dh]
    if (!isRecording([q, k, v])) {
      mixed = new Tensor(causalAttentionKernel(q.data, k.data, v.data, batch * H, L, dh, BLOCK), [batch * H, L, dh]);
    } else {
      checkMemory('CausalSelfAttention.forward', `the taped ${batch}×${H}×${L}×${L} attention scores`, 32 * batch * H * L * L, {
        ...(this.config.maxMemoryBytes !== undefined ? { maxMemoryBytes: this.config.maxMemoryBytes } : {}),
        alternative: 'a HyenaOperator (O(L log L)), smaller batches or shorter sequences',
      });
      mixed = this.#taped(q, k, v, L, dh);
    }
    const merged = ops.reshape(ops.permute(ops.reshape(mixed, [batch, H, L, dh]), [0, 2, 1, 3]), [rows, D]);
    const y = this.outProjection.forward(merged);
    assertNoOverflow('CausalSelfAttention.forward', 'u', y.data);
    return y;
  }

  /** Masked softmax attention of [G, L, dh] queries, keys and values on the tape, in blocks of query rows. */
  #taped(q: Tensor, k: Tensor, v: Tensor, L: number, dh: number): Tensor {
    const qs = ops.mul(q, 1 / Math.sqrt(dh));
    const kT = ops.transpose(k); // [G, dh, L]
    const blocks: Tensor[] = [];
    for (let i0 = 0; i0 < L; i0 += BLOCK) {
      const i1 = Math.min(L, i0 + BLOCK);
      const whole = i0 === 0 && i1 === L;
      const scores = ops.matmul(whole ? qs : ops.slice(qs, 1, i0, i1), whole ? kT : ops.slice(kT, 2, 0, i1)); // [G, i1−i0, i1]
      const p = ops.softmax(ops.add(scores, causalMask(i0, i1)), -1);
      blocks.push(ops.matmul(p, whole ? v : ops.slice(v, 1, 0, i1))); // [G, i1−i0, dh]
    }
    return blocks.length === 1 ? (blocks[0] as Tensor) : ops.concat(blocks, 1);
  }

  /**
   * Rebuilds the layer with bit-identical weights.
   * @throws DomainError naming the field for a malformed envelope, config or extra weight; ShapeError or
   *   NonFiniteError for a mis-shaped or non-finite weight.
   */
  static fromJSON(json: ModuleJSON): CausalSelfAttention {
    const j = readModuleJSON('CausalSelfAttention.fromJSON', json, 'CausalSelfAttention');
    const m = new CausalSelfAttention(j.config as unknown as CausalSelfAttentionOptions);
    rejectExtraParams('CausalSelfAttention.fromJSON', j, m.namedParameters().map(([n]) => n));
    return m.loadJSON(j);
  }
}
