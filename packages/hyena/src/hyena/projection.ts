/**
 * Hyena Algorithm 1 (Projection; notes: Hyena Hierarchy · 算法): a linear map of every position to
 * (N+1)·D features, a short causal depthwise convolution along the sequence, and a split into
 * $v, x^1, \dots, x^N \in \mathbb R^{D\times L}$.
 */
import { createRng, DomainError, defineOptions, isRecording, Linear, Module, type ModuleJSON, matmul, ops, type Rng, ShapeError, shapeStr, Tensor } from '@notes/core-linalg';
import { checkLayerMemory, layerSeed, readModuleJSON, readTensor, rejectExtraParams, SEED_RULES } from '../validate.js';
import { assertNoOverflow, fftConvNoOverflow } from './finite.js';

/** Options of {@link HyenaProjection}. */
export interface HyenaProjectionOptions {
  /** Model width D. */
  width: number;
  /** Order N of the operator (number of gates x^n). */
  order: number;
  /** Taps of the short causal depthwise filter. @defaultValue 3 */
  shortKernel?: number;
  /** Seed of the initial weights (instead of `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator whose next draw seeds the initial weights (instead of `seed`). */
  rng?: Rng;
}

const OPTIONS = defineOptions<HyenaProjectionOptions>()('HyenaProjection', {
  width: { type: 'integer', min: 1, doc: 'model width D (required)' },
  order: { type: 'integer', min: 1, doc: 'order N (required)' },
  shortKernel: { type: 'integer', min: 1, default: 3, doc: 'taps of the short causal depthwise filter' },
  ...SEED_RULES,
});

/**
 * Parses layer options with `parser`, requires `required` keys, and resolves `seed`/`rng` to the integer
 * seed kept in the config (so `toJSON` stays plain data).
 * @internal
 */
export function layerConfig<T extends { seed?: number; rng?: Rng }>(
  parser: { where: string; parse(o: T | null | undefined): Readonly<Record<string, unknown>> },
  options: T,
  required: readonly string[],
): Record<string, unknown> & { seed: number } {
  const where = parser.where;
  if (options === undefined || options === null) throw new DomainError(`${where}: argument 'options' is required ({ ${required.join(', ')}, ... })`);
  const o = parser.parse(options);
  for (const key of required) if (o[key] === undefined) throw new DomainError(`${where}: option '${key}' is required`);
  const seed = layerSeed(where, o as { seed?: number; rng?: Rng });
  const { rng: _rng, ...rest } = o;
  return { ...rest, seed };
}

/** The streams Algorithm 1 returns, each [D, L]. */
export interface HyenaStreams {
  v: Tensor;
  x: Tensor[];
}

/** Short filters up to this many taps are applied by the direct sum rather than by FFT. */
const DIRECT_MAX_TAPS = 16;

/**
 * Causal depthwise convolution $y_{c,t} = \sum_{k=0}^{\min(K-1,t)} h_{c,k}\, z_{c,t-k}$ of `z` [C, L] with
 * `h` [C, K], as K shifted, tap-scaled copies of `z` (differentiable through core ops); `z` may also be
 * [B, C, L] (B sequences, each convolved on its own).
 */
function causalDepthwiseDirect(z: Tensor, h: Tensor): Tensor {
  const axis = z.rank - 1;
  const L = z.shape[axis] as number;
  const K = h.shape[1] as number;
  let y = ops.mul(z, ops.slice(h, 1, 0, 1));
  for (let k = 1; k < Math.min(K, L); k++) {
    const shifted = ops.concat([Tensor.zeros([...z.shape.slice(0, axis), k]), ops.slice(z, axis, 0, L - k)], axis);
    y = ops.add(y, ops.mul(shifted, ops.slice(h, 1, k, k + 1)));
  }
  return y;
}

/**
 * The same projection without an autodiff tape, fused: $z = uW$ on core's matmul kernel, then
 * $y_{c,t} = \sum_{k \le \min(K-1,t)} h_{c,k}\,(z_{t-k,c} + b_c)$ written straight into the [C, L] layout.
 */
function projectDirect(u: Float64Array, W: Float64Array, b: Float64Array | null, h: Float64Array, L: number, D: number, C: number, K: number): Float64Array {
  const z = matmul(u, W, L, D, C); // [L, C]
  if (b) for (let t = 0; t < L; t++) for (let c = 0; c < C; c++) z[t * C + c] = (z[t * C + c] as number) + (b[c] as number);
  const y = new Float64Array(C * L);
  for (let t = 0; t < L; t++) {
    const taps = Math.min(K - 1, t);
    for (let c = 0; c < C; c++) {
      let s = (h[c * K] as number) * (z[t * C + c] as number);
      for (let k = 1; k <= taps; k++) s += (h[c * K + k] as number) * (z[(t - k) * C + c] as number);
      y[c * L + t] = s;
    }
  }
  return y;
}

/** Algorithm 1 as a layer: `Linear(D → (N+1)D)`, then a causal depthwise filter of `shortKernel` taps. */
export class HyenaProjection extends Module {
  readonly kind = 'HyenaProjection';
  protected readonly config: Required<Omit<HyenaProjectionOptions, 'rng'>>;
  readonly linear: Linear;
  /** Short depthwise filter, [(N+1)D, shortKernel]; tap 0 multiplies the current position. */
  readonly shortFilter: Tensor;

  /**
   * @throws DomainError unless width, order and shortKernel are positive integers and seed a non-negative one,
   *   for an unknown option (naming the closest), or for both `seed` and `rng`.
   */
  constructor(options: HyenaProjectionOptions) {
    super();
    const config = layerConfig(OPTIONS, options, ['width', 'order']) as unknown as Required<Omit<HyenaProjectionOptions, 'rng'>>;
    this.config = config;
    const { width: D, order: N, shortKernel: K } = config;
    checkLayerMemory('HyenaProjection', (N + 1) * D * (D + K + 1));
    const rng = createRng(config.seed);
    this.linear = this.child('linear', new Linear(D, (N + 1) * D, { rng }));
    // Near-identity short filter: tap 0 = 1 plus small noise on the others, so the projection starts linear.
    const taps = new Float64Array((N + 1) * D * K);
    for (let c = 0; c < (N + 1) * D; c++) {
      for (let k = 0; k < K; k++) taps[c * K + k] = (k === 0 ? 1 : 0) + 0.1 * (rng.uniform() - 0.5);
    }
    this.shortFilter = this.param('shortFilter', new Tensor(taps, [(N + 1) * D, K]));
  }

  /**
   * $z = \mathrm{Linear}(u)$ on each position, $z \leftarrow \mathrm{DepthwiseConv1d}(h, z)$ (causal), split.
   * The linear map is computed directly in the [(N+1)D, L] layout ($z^\top = W^\top u^\top + b$, so only the
   * narrow [L, D] input is transposed), and the short filter, for up to {@link DIRECT_MAX_TAPS} taps, as the
   * direct sum $z_{c,t} = \sum_{k<K} h_{c,k}\, z_{c,t-k}$ (O(K L) per channel, no FFT); longer filters go
   * through `ops.fftConv1d`. Both are the same causal convolution up to rounding. Without an autodiff tape
   * recording (e.g. under `noGrad`), short filters take a fused loop instead (same sums, same order).
   * @throws ShapeError naming the shapes if `u` is not [L, D]; NonFiniteError on NaN/±Infinity in `u`;
   *   DomainError if a huge `u` overflows.
   */
  forward(u: Tensor): HyenaStreams {
    const where = 'HyenaProjection.forward';
    const { width: D, order: N, shortKernel: K } = this.config;
    readTensor(where, 'u', u);
    if (u.rank !== 2 || u.shape[1] !== D || u.shape[0] === 0) {
      throw new ShapeError(`${where}: input must be [L, ${D}] with L ≥ 1, got ${shapeStr(u.shape)}`);
    }
    const C = (N + 1) * D;
    const L = u.shape[0] as number;
    const { weight, bias } = this.linear;
    if (K <= DIRECT_MAX_TAPS && !isRecording(bias ? [u, weight, bias, this.shortFilter] : [u, weight, this.shortFilter])) {
      const y = projectDirect(u.data, weight.data, bias?.data ?? null, this.shortFilter.data, L, D, C, K);
      assertNoOverflow(where, 'u', y);
      const streams = Array.from({ length: N + 1 }, (_, n) => new Tensor(y.slice(n * D * L, (n + 1) * D * L), [D, L]));
      return { v: streams[0] as Tensor, x: streams.slice(1) };
    }
    let z = ops.matmul(ops.transpose(weight), ops.transpose(u)); // [(N+1)D, L]
    if (bias) z = ops.add(z, ops.reshape(bias, [C, 1]));
    z = K <= DIRECT_MAX_TAPS ? causalDepthwiseDirect(z, this.shortFilter) : fftConvNoOverflow(where, 'u', z, this.shortFilter);
    assertNoOverflow(where, 'u', z.data);
    const streams = Array.from({ length: N + 1 }, (_, n) => ops.slice(z, 0, n * D, (n + 1) * D));
    return { v: streams[0] as Tensor, x: streams.slice(1) };
  }

  /**
   * Algorithm 1 for B sequences of equal length at once (the training path of the sequence model): `u` is
   * [B·L, D], the B inputs [L, D] stacked; returns the streams as [B, D, L] tensors. The linear map runs as
   * one [B·L, D]·[D, (N+1)D] product, the short filter along each sequence's own positions (never across
   * sequences). Equals {@link HyenaProjection.forward} of each sequence up to rounding.
   * @internal
   */
  forwardBatch(u: Tensor, batch: number): HyenaStreams {
    const where = 'HyenaProjection.forward';
    const { width: D, order: N, shortKernel: K } = this.config;
    const L = (u.shape[0] as number) / batch;
    const C = (N + 1) * D;
    let z = ops.transpose(ops.reshape(this.linear.forward(u), [batch, L, C])); // [B, C, L]
    z = K <= DIRECT_MAX_TAPS ? causalDepthwiseDirect(z, this.shortFilter) : fftConvNoOverflow(where, 'u', z, this.shortFilter);
    assertNoOverflow(where, 'u', z.data);
    const streams = Array.from({ length: N + 1 }, (_, n) => ops.slice(z, 1, n * D, (n + 1) * D));
    return { v: streams[0] as Tensor, x: streams.slice(1) };
  }

  /**
   * Rebuilds the layer with bit-identical weights.
   * @throws DomainError naming the field for a malformed envelope, config or extra weight; ShapeError or
   *   NonFiniteError for a mis-shaped or non-finite weight.
   */
  static fromJSON(json: ModuleJSON): HyenaProjection {
    const j = readModuleJSON('HyenaProjection.fromJSON', json, 'HyenaProjection');
    const m = new HyenaProjection(j.config as unknown as HyenaProjectionOptions);
    rejectExtraParams('HyenaProjection.fromJSON', j, m.namedParameters().map(([n]) => n));
    return m.loadJSON(j);
  }
}

/** Factory form of {@link HyenaProjection} (Algorithm 1). */
export function hyenaProjection(options: HyenaProjectionOptions): HyenaProjection {
  return new HyenaProjection(options);
}
