/**
 * Causal self-attention with the same interface as {@link HyenaOperator} (notes: self-attention operator):
 * $$y = \mathrm{softmax}\!\left(\tfrac{1}{\sqrt{d_h}}\,u M_q M_k^\top u^\top + \text{mask}\right) u M_v$$
 * per head, heads concatenated and projected. The mask puts $-\infty$ (here $-10^{30}$) above the
 * diagonal so position t attends to positions ≤ t. Time and memory O(L² D).
 */
import { assertFinite, assertInteger, DomainError, Linear, Module, type ModuleJSON, ops, ShapeError, shapeStr, Tensor } from '@notes/core-linalg';

/** Options of {@link CausalSelfAttention}. */
export interface CausalSelfAttentionOptions {
  /** Model width D. */
  width: number;
  /** Number of heads (must divide D). @defaultValue 1 */
  heads?: number;
  /** Seed of the initial weights. @defaultValue 0 */
  seed?: number;
}

/** Multi-head causal self-attention, [L, D] → [L, D]. */
export class CausalSelfAttention extends Module {
  readonly kind = 'CausalSelfAttention';
  protected readonly config: Required<CausalSelfAttentionOptions>;
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly outProjection: Linear;

  /** @throws DomainError unless `heads` divides `width`. */
  constructor(options: CausalSelfAttentionOptions) {
    super();
    const config = { heads: 1, seed: 0, ...options };
    assertInteger('CausalSelfAttention', 'width', config.width, 1);
    assertInteger('CausalSelfAttention', 'heads', config.heads, 1);
    if (config.width % config.heads !== 0) {
      throw new DomainError(`CausalSelfAttention: 'heads' (${config.heads}) must divide 'width' (${config.width})`);
    }
    this.config = config;
    const D = config.width;
    this.query = this.child('query', new Linear(D, D, { seed: config.seed, bias: false }));
    this.key = this.child('key', new Linear(D, D, { seed: config.seed + 1, bias: false }));
    this.value = this.child('value', new Linear(D, D, { seed: config.seed + 2, bias: false }));
    this.outProjection = this.child('outProjection', new Linear(D, D, { seed: config.seed + 3 }));
  }

  /** @throws ShapeError if `u` is not [L, D]; NonFiniteError on NaN/±Infinity. */
  forward(u: Tensor): Tensor {
    const { width: D, heads: H } = this.config;
    if (u.rank !== 2 || u.shape[1] !== D) {
      throw new ShapeError(`CausalSelfAttention.forward: input must be [L, ${D}], got ${shapeStr(u.shape)}`);
    }
    assertFinite('CausalSelfAttention.forward', 'u', u.data);
    const L = u.shape[0] as number;
    const dh = D / H;
    const split = (t: Tensor) => ops.permute(ops.reshape(t, [L, H, dh]), [1, 0, 2]); // [H, L, dh]
    const q = split(this.query.forward(u));
    const k = split(this.key.forward(u));
    const v = split(this.value.forward(u));
    const mask = new Float64Array(L * L);
    for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) mask[i * L + j] = -1e30;
    const scores = ops.add(ops.mul(ops.matmul(q, ops.transpose(k)), 1 / Math.sqrt(dh)), new Tensor(mask, [L, L]));
    const mixed = ops.matmul(ops.softmax(scores, -1), v); // [H, L, dh]
    return this.outProjection.forward(ops.reshape(ops.permute(mixed, [1, 0, 2]), [L, D]));
  }

  /** Rebuilds the layer with bit-identical weights. */
  static fromJSON(json: ModuleJSON): CausalSelfAttention {
    return new CausalSelfAttention(json.config as unknown as CausalSelfAttentionOptions).loadJSON(json);
  }
}
