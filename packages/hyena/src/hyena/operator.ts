/**
 * Hyena Algorithm 3 (Forward; notes: Hyena Hierarchy · 算法): projection (Algorithm 1), implicit
 * long filters (Algorithm 2), the order-N recurrence, and an output projection — all on core Tensors, so
 * every parameter has gradients.
 */
import { defineOptions, Linear, Module, type ModuleJSON, ops, type Rng, ShapeError, shapeStr, type Tensor } from '@notes/core-linalg';
import { readModuleJSON, readTensor, rejectExtraParams } from '../validate.js';
import { FILTER_RULES, HyenaFilter, type HyenaFilterOptions } from './filter.js';
import { assertNoOverflow } from './finite.js';
import { HyenaProjection, layerConfig } from './projection.js';
import { recurrence } from './recurrence.js';
import { fusedHyenaMix, fusedShortFilter, GEMM_MAX_LENGTH } from './fused.js';

/** Short filters up to this many taps go through the fused op in {@link HyenaOperator.forwardBatch}. */
const FUSED_MAX_TAPS = 16;

/** Options of {@link HyenaOperator}. */
export interface HyenaOperatorOptions extends Omit<HyenaFilterOptions, 'seed' | 'rng'> {
  /** Taps of the short depthwise filter of the projection. @defaultValue 3 */
  shortKernel?: number;
  /** Seed of every initial weight (instead of `rng`): projection `seed`, filter `seed + 1`, output `seed + 2`. @defaultValue 0 */
  seed?: number;
  /** Generator whose next draw is used as `seed` (instead of `seed`). */
  rng?: Rng;
}

const OPTIONS = defineOptions<HyenaOperatorOptions>()('HyenaOperator', {
  ...FILTER_RULES,
  shortKernel: { type: 'integer', min: 1, default: 3, doc: 'taps of the short depthwise filter' },
});

/** Everything one forward pass computes (for inspection and for the matrix-form check). */
export interface HyenaForward {
  /** Value stream v, [D, L]. */
  v: Tensor;
  /** Gates x^1..x^N, each [D, L]. */
  x: Tensor[];
  /** Long filters h^1..h^N, each [D, L]. */
  h: Tensor[];
  /** $z^{N+1}$ before the output projection, [D, L]. */
  mixed: Tensor;
  /** Output, [L, D]. */
  output: Tensor;
}

/** The order-N Hyena operator $u \in \mathbb R^{L\times D} \mapsto y \in \mathbb R^{L\times D}$. */
export class HyenaOperator extends Module {
  readonly kind = 'HyenaOperator';
  protected readonly config: Required<Omit<HyenaOperatorOptions, 'rng' | 'gridLength'>> & { gridLength?: number };
  readonly projection: HyenaProjection;
  readonly filter: HyenaFilter;
  readonly outProjection: Linear;

  /** @throws DomainError on invalid sizes, an unknown option (naming the closest) or both `seed` and `rng`. */
  constructor(options: HyenaOperatorOptions) {
    super();
    const config = layerConfig(OPTIONS, options, ['width', 'order', 'maxLength']) as unknown as Required<Omit<HyenaOperatorOptions, 'rng' | 'gridLength'>> & { gridLength?: number };
    this.config = config;
    if (config.gridLength === undefined) delete (config as { gridLength?: number }).gridLength;
    const { width, order, seed, shortKernel, maxLength, gridLength, embeddingDim, hidden, omega, decay } = config;
    this.projection = this.child('projection', new HyenaProjection({ width, order, shortKernel, seed }));
    this.filter = this.child('filter', new HyenaFilter({ width, order, maxLength, ...(gridLength !== undefined ? { gridLength } : {}), embeddingDim, hidden, omega, decay, seed: seed + 1 }));
    this.outProjection = this.child('outProjection', new Linear(width, width, { seed: seed + 2 }));
  }

  /** Forward pass keeping the intermediate streams. */
  forwardDetailed(u: Tensor): HyenaForward {
    const where = 'HyenaOperator.forward';
    const { width, maxLength } = this.config;
    readTensor(where, 'u', u);
    if (u.rank !== 2 || u.shape[1] !== width) {
      throw new ShapeError(`${where}: input must be [L, ${width}], got ${shapeStr(u.shape)}`);
    }
    const L = u.shape[0] as number;
    if (L === 0) throw new ShapeError(`${where}: input must have at least one position, got ${shapeStr(u.shape)}`);
    if (L > maxLength) throw new ShapeError(`${where}: sequence length ${L} exceeds maxLength ${maxLength}`);
    const { v, x } = this.projection.forward(u);
    const h = this.filter.forward(L);
    const mixed = recurrence(v, x, h, where, 'u'); // streams finite and of matching shapes by construction
    const output = this.outProjection.forward(ops.transpose(mixed));
    assertNoOverflow(where, 'u', output.data);
    return { v, x, h, mixed, output };
  }

  /**
   * $y = \mathrm{Linear}(z^{N+1})$ with $z^{n+1} = x^n \odot (h^n * z^n)$, $z^1 = v$.
   * @throws ShapeError if `u` is not [L, D] with 1 ≤ L ≤ `maxLength`; NonFiniteError on NaN/±Infinity;
   *   DomainError if a huge `u` overflows.
   */
  forward(u: Tensor): Tensor {
    return this.forwardDetailed(u).output;
  }

  /**
   * The operator on B sequences of equal length L at once (the training path of the sequence model): `u` is
   * [B·L, D], the B inputs [L, D] stacked, and so is the output. The filters are built once for all B
   * sequences, the projections are single [B·L, ·] products, and for L ≤ 128 the short filter, split and
   * recurrence run as one fused op with a hand-written backward pass (`fusedHyenaMix`); for longer L the
   * short filter is fused (`fusedShortFilter`) and the recurrence runs on core's `ops.fftConv1d`. Nothing
   * mixes positions of different sequences. Equals {@link HyenaOperator.forward} of each
   * sequence up to rounding (tested to 1e-12).
   * @throws ShapeError unless `u` is [B·L, D] with 1 ≤ L ≤ `maxLength`; DomainError if a huge `u` overflows.
   * @internal
   */
  forwardBatch(u: Tensor, batch: number): Tensor {
    const where = 'HyenaOperator.forward';
    const { width, maxLength } = this.config;
    const rows = u.shape[0] as number;
    if (u.rank !== 2 || u.shape[1] !== width || !Number.isInteger(batch) || batch < 1 || rows % batch !== 0 || rows === 0) {
      throw new ShapeError(`${where}: batched input must be [B·L, ${width}] with B = ${batch}, got ${shapeStr(u.shape)}`);
    }
    const L = rows / batch;
    if (L > maxLength) throw new ShapeError(`${where}: sequence length ${L} exceeds maxLength ${maxLength}`);
    const h = this.filter.forward(L);
    const { linear, shortFilter } = this.projection;
    let mixed: Tensor; // [B·L, D]
    if (this.config.shortKernel <= FUSED_MAX_TAPS && L <= GEMM_MAX_LENGTH) {
      mixed = fusedHyenaMix(linear.forward(u), shortFilter, h, batch, where);
    } else if (this.config.shortKernel <= FUSED_MAX_TAPS) {
      // long sequences: the fused short filter, then the recurrence on core's FFT convolution
      const D = width;
      const z = fusedShortFilter(linear.forward(u), shortFilter, batch, where); // [B, (N+1)D, L]
      const streams = Array.from({ length: this.config.order + 1 }, (_, n) => ops.slice(z, 1, n * D, (n + 1) * D));
      mixed = ops.reshape(ops.transpose(recurrence(streams[0] as Tensor, streams.slice(1), h, where, 'u')), [rows, width]);
    } else {
      const { v, x } = this.projection.forwardBatch(u, batch);
      mixed = ops.reshape(ops.transpose(recurrence(v, x, h, where, 'u')), [rows, width]);
    }
    const output = this.outProjection.forward(mixed);
    assertNoOverflow(where, 'u', output.data);
    return output;
  }

  /**
   * Rebuilds the operator with bit-identical weights.
   * @throws DomainError naming the field for a malformed envelope, config or extra weight; ShapeError or
   *   NonFiniteError for a mis-shaped or non-finite weight.
   */
  static fromJSON(json: ModuleJSON): HyenaOperator {
    const j = readModuleJSON('HyenaOperator.fromJSON', json, 'HyenaOperator');
    const m = new HyenaOperator(j.config as unknown as HyenaOperatorOptions);
    rejectExtraParams('HyenaOperator.fromJSON', j, m.namedParameters().map(([n]) => n));
    return m.loadJSON(j);
  }
}

/** Factory form of {@link HyenaOperator} (Algorithm 3). */
export function hyenaOperator(options: HyenaOperatorOptions): HyenaOperator {
  return new HyenaOperator(options);
}
