/**
 * Hyena Algorithm 2 (Hyena Filter; notes: Hyena filter):
 * $$h_t = \mathrm{Window}(t)\cdot(\mathrm{FFN}\circ\mathrm{PositionalEncoding})(t)$$
 * The positional encoding of position t is $(t/L_{max}, \cos(2\pi k t/L_{max}), \sin(2\pi k t/L_{max}))_{k=1..K}$
 * ($L_{max}$ is the grid length, `gridLength`, by default `maxLength`)
 * (Poli et al. 2023, Appendix), the FFN has sine activations $\sin(\omega\,\cdot)$, the window is an
 * exponential decay $e^{-\alpha_d t/L_{max}}$ with a per-channel rate spread from slow to fast, and each filter
 * is normalised to unit L1 norm. The notes write the FFN as $\mathbb R^{D_e}\to\mathbb R^{ND_e}$; the reshape
 * to $N\times D\times L$ that follows needs $\mathbb R^{D_e}\to\mathbb R^{ND}$, which is what is built here.
 */
import { assertInteger, checkMemory, createRng, DomainError, defineOptions, isRecording, Linear, Module, type ModuleJSON, matmul, matmulTransA, ops, type Rng, ShapeError, Tensor } from '@notes/core-linalg';
import { checkLayerMemory, readModuleJSON, rejectExtraParams, SEED_RULES } from '../validate.js';
import { layerConfig } from './projection.js';

/** Options of {@link HyenaFilter}. */
export interface HyenaFilterOptions {
  /** Model width D (filters per order). */
  width: number;
  /** Order N (number of filters per channel). */
  order: number;
  /** Longest sequence the filter is defined on. */
  maxLength: number;
  /**
   * Length of the positional grid: position t is encoded as t/gridLength and windowed by
   * $e^{-\alpha t/\mathrm{gridLength}}$. Below `maxLength` the filter reaches past its grid (the encoding's linear
   * term exceeds 1, the sines repeat, the window keeps decaying): a model trained with filters on a grid of L
   * can read longer inputs with the same filter shape near the origin. @defaultValue maxLength
   */
  gridLength?: number;
  /** Positional-encoding size $D_e = 1 + 2K$ (odd, ≥ 3). @defaultValue 7 */
  embeddingDim?: number;
  /** Hidden width of the FFN. @defaultValue 16 */
  hidden?: number;
  /** Frequency ω of the sine activation. @defaultValue 10 */
  omega?: number;
  /** Slowest and fastest decay rates α of the window. @defaultValue [1, 30] */
  decay?: [number, number];
  /** Seed of the initial weights (instead of `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator whose next draw seeds the initial weights (instead of `seed`). */
  rng?: Rng;
}

const isDecay = (v: unknown): boolean =>
  Array.isArray(v) && v.length === 2 && v.every((r) => typeof r === 'number' && Number.isFinite(r) && r > 0);

/** Option rules of the filter (shared with {@link HyenaOperator}). @internal */
export const FILTER_RULES = {
  width: { type: 'integer', min: 1, doc: 'model width D (required)' },
  order: { type: 'integer', min: 1, doc: 'order N (required)' },
  maxLength: { type: 'integer', min: 1, doc: 'longest sequence (required)' },
  gridLength: { type: 'integer', min: 1, doc: 'length of the positional grid (default maxLength)' },
  embeddingDim: { type: 'integer', min: 3, default: 7, doc: 'positional-encoding size 1 + 2K (odd)' },
  hidden: { type: 'integer', min: 1, default: 16, doc: 'hidden width of the FFN' },
  omega: { type: 'number', greaterThan: 0, default: 10, doc: 'frequency of the sine activation' },
  decay: { type: 'custom', expected: 'two finite numbers > 0 [slowest, fastest]', check: isDecay, default: [1, 30] as [number, number], doc: 'decay rates of the window' },
  ...SEED_RULES,
} as const;

const OPTIONS = defineOptions<HyenaFilterOptions>()('HyenaFilter', FILTER_RULES);

/** Added to every L1 norm so an all-zero filter normalises to 0 instead of NaN (both paths). */
const L1_EPS = 1e-12;

/** Constant inputs of {@link HyenaFilter.forward} for one length (never trained, never mutated). */
interface FilterConstants {
  length: number;
  encodingT: Tensor;
  window: Tensor;
  ones: Tensor;
}

/**
 * Positional encoding [L, D_e] of positions 0..L−1 on the grid of `maxLength` (constant, not trained; L may
 * exceed `maxLength`: then t/maxLength > 1 and the sines repeat).
 * @throws DomainError unless the sizes are positive integers and `embeddingDim` is odd and ≥ 3;
 *   ResourceError for a table above 2 GiB.
 */
export function hyenaPositionalEncoding(length: number, maxLength: number, embeddingDim: number): Tensor {
  const where = 'hyenaPositionalEncoding';
  assertInteger(where, 'length', length, 1);
  assertInteger(where, 'maxLength', maxLength, 1);
  assertInteger(where, 'embeddingDim', embeddingDim, 3);
  if (embeddingDim % 2 === 0) throw new DomainError(`${where}: argument 'embeddingDim' must be odd (1 + 2K), got ${embeddingDim}`);
  checkMemory(where, `the ${length}×${embeddingDim} encoding`, 8 * length * embeddingDim);
  const K = (embeddingDim - 1) / 2;
  const data = new Float64Array(length * embeddingDim);
  for (let t = 0; t < length; t++) {
    data[t * embeddingDim] = t / maxLength;
    for (let k = 1; k <= K; k++) {
      const angle = (2 * Math.PI * k * t) / maxLength;
      data[t * embeddingDim + 2 * k - 1] = Math.cos(angle);
      data[t * embeddingDim + 2 * k] = Math.sin(angle);
    }
  }
  return new Tensor(data, [length, embeddingDim]);
}

/** Algorithm 2 as a layer; `forward(L)` returns the N implicit filters, each [D, L]. */
export class HyenaFilter extends Module {
  readonly kind = 'HyenaFilter';
  protected readonly config: Required<Omit<HyenaFilterOptions, 'rng' | 'gridLength'>> & { gridLength?: number };
  readonly layers: Linear[];
  private cache: FilterConstants | null = null;

  /**
   * @throws DomainError on non-integer sizes or seed, an even/too small embedding size, an `omega` or
   *   `decay` rate that is not a finite positive number, an unknown option (naming the closest), or both
   *   `seed` and `rng`.
   */
  constructor(options: HyenaFilterOptions) {
    super();
    const config = layerConfig(OPTIONS, options, ['width', 'order', 'maxLength']) as unknown as Required<Omit<HyenaFilterOptions, 'rng' | 'gridLength'>> & { gridLength?: number };
    if (config.gridLength === undefined) delete config.gridLength;
    const where = 'HyenaFilter';
    if (config.embeddingDim % 2 === 0) {
      throw new DomainError(`${where}: option 'embeddingDim' must be odd (1 + 2K), got ${config.embeddingDim}`);
    }
    config.decay = [config.decay[0], config.decay[1]];
    this.config = config;
    const rng = createRng(config.seed);
    const { embeddingDim: De, hidden: H, order: N, width: D } = config;
    // weights, plus the [N·D, maxLength] window and filters a forward pass at full length builds
    checkLayerMemory(where, (De + 1) * H + (H + 1) * H + (H + 1) * N * D + 2 * N * D * config.maxLength);
    this.layers = [
      this.child('fc1', new Linear(De, H, { rng })),
      this.child('fc2', new Linear(H, H, { rng })),
      this.child('fc3', new Linear(H, N * D, { rng })),
    ];
  }

  /**
   * The filters $h^1, \dots, h^N$ on positions $0..L-1$, each [D, L], windowed and L1-normalised.
   * The FFN runs in the transposed layout ($z^\top \leftarrow \sin(\omega(W^\top z^\top + b))$, positions
   * along the last axis), so its [N·D, L] output needs no transpose; the L1 norms are a matrix–vector product
   * with a vector of ones. The positional encoding and window depend only on L and are kept for the last L.
   * Without an autodiff tape recording (e.g. under `noGrad`) the same formulas run as fused loops.
   * @throws ShapeError if `length` exceeds `maxLength`.
   */
  forward(length: number): Tensor[] {
    const { maxLength, omega, order: N, width: D } = this.config;
    assertInteger('HyenaFilter.forward', 'length', length, 1);
    if (length > maxLength) {
      throw new ShapeError(`HyenaFilter.forward: sequence length ${length} exceeds the filter's maxLength ${maxLength}`);
    }
    const { encodingT, window, ones } = this.constants(length);
    if (!isRecording(this.parameters())) return this.forwardDirect(length, encodingT.data, window.data);
    let z = encodingT; // [D_e, L]
    for (const [i, layer] of this.layers.entries()) {
      const out = layer.weight.shape[1] as number;
      z = ops.matmul(ops.transpose(layer.weight), z);
      if (layer.bias) z = ops.add(z, ops.reshape(layer.bias, [out, 1]));
      if (i < this.layers.length - 1) z = ops.sin(ops.mul(z, omega));
    }
    const windowed = ops.mul(z, window); // [N·D, L]
    // |w| = sign(w)·w with sign(w) held constant: the same values and the same derivative as abs.
    const sign = new Float64Array(windowed.size);
    for (let i = 0; i < sign.length; i++) sign[i] = Math.sign(windowed.data[i] as number);
    const norms = ops.matmul(ops.mul(windowed, new Tensor(sign, windowed.shape)), ones); // [N·D, 1]
    const normalised = ops.div(windowed, ops.add(norms, L1_EPS));
    return Array.from({ length: N }, (_, n) => ops.slice(normalised, 0, n * D, (n + 1) * D));
  }

  /**
   * {@link HyenaFilter.forward} without an autodiff tape: the FFN on core's matmul kernel in the [L, ·]
   * layout, then window, L1 norms and the transpose to [N·D, L] in one pass (same formulas, rounding aside).
   */
  private forwardDirect(length: number, encodingT: Float64Array, window: Float64Array): Tensor[] {
    const { omega, order: N, width: D, embeddingDim } = this.config;
    const L = length;
    let width = embeddingDim;
    let z: Float64Array = new Float64Array(0);
    this.layers.forEach((layer, i) => {
      const out = layer.weight.shape[1] as number;
      // The positional encoding is cached as [D_e, L]: the first product is Eᵀ W.
      z = i === 0 ? matmulTransA(encodingT, layer.weight.data, L, width, out) : matmul(z, layer.weight.data, L, width, out);
      const b = layer.bias?.data;
      const last = i === this.layers.length - 1;
      for (let t = 0; t < L; t++) {
        for (let c = 0; c < out; c++) {
          const a = (z[t * out + c] as number) + (b ? (b[c] as number) : 0);
          z[t * out + c] = last ? a : Math.sin(a * omega);
        }
      }
      width = out;
    });
    const ND = N * D;
    const h = new Float64Array(ND * L);
    for (let r = 0; r < ND; r++) {
      let norm = 0;
      for (let t = 0; t < L; t++) {
        const w = (z[t * ND + r] as number) * (window[r * L + t] as number);
        h[r * L + t] = w;
        norm += Math.abs(w);
      }
      const scale = norm + L1_EPS;
      for (let t = 0; t < L; t++) h[r * L + t] = (h[r * L + t] as number) / scale;
    }
    return Array.from({ length: N }, (_, n) => new Tensor(h.slice(n * D * L, (n + 1) * D * L), [D, L]));
  }

  /**
   * Positional encoding [D_e, L], window [N·D, L] (the [D, L] window repeated for each order) and a ones
   * column [L, 1] for `length`, cached for the last length.
   */
  private constants(length: number): FilterConstants {
    if (this.cache?.length === length) return this.cache;
    const { maxLength, embeddingDim, decay, width: D, order: N } = this.config;
    const grid = this.config.gridLength ?? maxLength;
    const encoding = hyenaPositionalEncoding(length, grid, embeddingDim).data;
    const encodingT = new Float64Array(embeddingDim * length);
    for (let t = 0; t < length; t++) for (let e = 0; e < embeddingDim; e++) encodingT[e * length + t] = encoding[t * embeddingDim + e] as number;
    const windowData = new Float64Array(N * D * length);
    for (let d = 0; d < D; d++) {
      const alpha = D === 1 ? decay[0] : decay[0] * (decay[1] / decay[0]) ** (d / (D - 1));
      for (let t = 0; t < length; t++) windowData[d * length + t] = Math.exp((-alpha * t) / grid);
    }
    for (let n = 1; n < N; n++) windowData.copyWithin(n * D * length, 0, D * length);
    this.cache = {
      length,
      encodingT: new Tensor(encodingT, [embeddingDim, length]),
      window: new Tensor(windowData, [N * D, length]),
      ones: new Tensor(new Float64Array(length).fill(1), [length, 1]),
    };
    return this.cache;
  }

  /**
   * Rebuilds the layer with bit-identical weights.
   * @throws DomainError naming the field for a malformed envelope, config or extra weight; ShapeError or
   *   NonFiniteError for a mis-shaped or non-finite weight.
   */
  static fromJSON(json: ModuleJSON): HyenaFilter {
    const j = readModuleJSON('HyenaFilter.fromJSON', json, 'HyenaFilter');
    const m = new HyenaFilter(j.config as unknown as HyenaFilterOptions);
    rejectExtraParams('HyenaFilter.fromJSON', j, m.namedParameters().map(([n]) => n));
    return m.loadJSON(j);
  }
}

/** Factory form of {@link HyenaFilter} (Algorithm 2). */
export function hyenaFilter(options: HyenaFilterOptions): HyenaFilter {
  return new HyenaFilter(options);
}
