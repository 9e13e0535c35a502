/**
 * Hyena Algorithm 2 (Hyena Filter; notes: Hyena filter):
 * $$h_t = \mathrm{Window}(t)\cdot(\mathrm{FFN}\circ\mathrm{PositionalEncoding})(t)$$
 * The positional encoding of position t is $(t/L_{max}, \cos(2\pi k t/L_{max}), \sin(2\pi k t/L_{max}))_{k=1..K}$
 * (Poli et al. 2023, Appendix), the FFN has sine activations $\sin(\omega\,\cdot)$, the window is an
 * exponential decay $e^{-\alpha_d t/L_{max}}$ with a per-channel rate spread from slow to fast, and each filter
 * is normalised to unit L1 norm. The notes write the FFN as $\mathbb R^{D_e}\to\mathbb R^{ND_e}$; the reshape
 * to $N\times D\times L$ that follows needs $\mathbb R^{D_e}\to\mathbb R^{ND}$, which is what is built here.
 */
import { assertInteger, createRng, DomainError, Linear, Module, type ModuleJSON, ops, ShapeError, Tensor } from '@notes/core-linalg';

/** Options of {@link HyenaFilter}. */
export interface HyenaFilterOptions {
  /** Model width D (filters per order). */
  width: number;
  /** Order N (number of filters per channel). */
  order: number;
  /** Longest sequence the filter is defined on. */
  maxLength: number;
  /** Positional-encoding size $D_e = 1 + 2K$ (odd, ≥ 3). @defaultValue 7 */
  embeddingDim?: number;
  /** Hidden width of the FFN. @defaultValue 16 */
  hidden?: number;
  /** Frequency ω of the sine activation. @defaultValue 10 */
  omega?: number;
  /** Slowest and fastest decay rates α of the window. @defaultValue [1, 30] */
  decay?: [number, number];
  /** Seed of the initial weights. @defaultValue 0 */
  seed?: number;
}

const DEFAULTS = { embeddingDim: 7, hidden: 16, omega: 10, decay: [1, 30] as [number, number], seed: 0 };

/** Positional encoding [L, D_e] of positions 0..L−1 on the grid of `maxLength` (constant, not trained). */
export function hyenaPositionalEncoding(length: number, maxLength: number, embeddingDim: number): Tensor {
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
  protected readonly config: Required<HyenaFilterOptions>;
  readonly layers: Linear[];

  /** @throws DomainError on non-integer sizes or an even/too small embedding size. */
  constructor(options: HyenaFilterOptions) {
    super();
    const config = { ...DEFAULTS, ...options };
    const where = 'HyenaFilter';
    assertInteger(where, 'width', config.width, 1);
    assertInteger(where, 'order', config.order, 1);
    assertInteger(where, 'maxLength', config.maxLength, 1);
    assertInteger(where, 'hidden', config.hidden, 1);
    assertInteger(where, 'embeddingDim', config.embeddingDim, 3);
    if (config.embeddingDim % 2 === 0) {
      throw new DomainError(`${where}: option 'embeddingDim' must be odd (1 + 2K), got ${config.embeddingDim}`);
    }
    this.config = config;
    const rng = createRng(config.seed);
    const { embeddingDim: De, hidden: H, order: N, width: D } = config;
    this.layers = [
      this.child('fc1', new Linear(De, H, { rng })),
      this.child('fc2', new Linear(H, H, { rng })),
      this.child('fc3', new Linear(H, N * D, { rng })),
    ];
  }

  /**
   * The filters $h^1, \dots, h^N$ on positions $0..L-1$, each [D, L], windowed and L1-normalised.
   * @throws ShapeError if `length` exceeds `maxLength`.
   */
  forward(length: number): Tensor[] {
    const { maxLength, embeddingDim, omega, decay, order: N, width: D } = this.config;
    assertInteger('HyenaFilter.forward', 'length', length, 1);
    if (length > maxLength) {
      throw new ShapeError(`HyenaFilter.forward: sequence length ${length} exceeds the filter's maxLength ${maxLength}`);
    }
    let z = hyenaPositionalEncoding(length, maxLength, embeddingDim);
    const [fc1, fc2, fc3] = this.layers as [Linear, Linear, Linear];
    z = ops.sin(ops.mul(fc1.forward(z), omega));
    z = ops.sin(ops.mul(fc2.forward(z), omega));
    const h = ops.permute(ops.reshape(fc3.forward(z), [length, N, D]), [1, 2, 0]); // [N, D, L]
    const windowData = new Float64Array(D * length);
    for (let d = 0; d < D; d++) {
      const alpha = D === 1 ? decay[0] : decay[0] * (decay[1] / decay[0]) ** (d / (D - 1));
      for (let t = 0; t < length; t++) windowData[d * length + t] = Math.exp((-alpha * t) / maxLength);
    }
    const windowed = ops.mul(h, new Tensor(windowData, [D, length]));
    const normalised = ops.div(windowed, ops.add(ops.sum(ops.abs(windowed), -1, true), 1e-12));
    return Array.from({ length: N }, (_, n) => ops.reshape(ops.slice(normalised, 0, n, n + 1), [D, length]));
  }

  /** Rebuilds the layer with bit-identical weights. */
  static fromJSON(json: ModuleJSON): HyenaFilter {
    return new HyenaFilter(json.config as unknown as HyenaFilterOptions).loadJSON(json);
  }
}

/** Factory form of {@link HyenaFilter} (Algorithm 2). */
export function hyenaFilter(options: HyenaFilterOptions): HyenaFilter {
  return new HyenaFilter(options);
}
