/**
 * Hyena Algorithm 1 (Projection; notes: Hyena Hierarchy · 算法): a linear map of every position to
 * (N+1)·D features, a short causal depthwise convolution along the sequence, and a split into
 * $v, x^1, \dots, x^N \in \mathbb R^{D\times L}$.
 */
import { assertInteger, createRng, Linear, Module, type ModuleJSON, ops, ShapeError, shapeStr, Tensor } from '@notes/core-linalg';

/** Options of {@link HyenaProjection}. */
export interface HyenaProjectionOptions {
  /** Model width D. */
  width: number;
  /** Order N of the operator (number of gates x^n). */
  order: number;
  /** Taps of the short causal depthwise filter. @defaultValue 3 */
  shortKernel?: number;
  /** Seed of the initial weights. @defaultValue 0 */
  seed?: number;
}

/** The streams Algorithm 1 returns, each [D, L]. */
export interface HyenaStreams {
  v: Tensor;
  x: Tensor[];
}

/** Algorithm 1 as a layer: `Linear(D → (N+1)D)`, then a causal depthwise filter of `shortKernel` taps. */
export class HyenaProjection extends Module {
  readonly kind = 'HyenaProjection';
  protected readonly config: Required<HyenaProjectionOptions>;
  readonly linear: Linear;
  /** Short depthwise filter, [(N+1)D, shortKernel]; tap 0 multiplies the current position. */
  readonly shortFilter: Tensor;

  /** @throws DomainError unless width, order and shortKernel are positive integers. */
  constructor(options: HyenaProjectionOptions) {
    super();
    const config = { shortKernel: 3, seed: 0, ...options };
    assertInteger('HyenaProjection', 'width', config.width, 1);
    assertInteger('HyenaProjection', 'order', config.order, 1);
    assertInteger('HyenaProjection', 'shortKernel', config.shortKernel, 1);
    this.config = config;
    const { width: D, order: N, shortKernel: K } = config;
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
   * @throws ShapeError naming the shapes if `u` is not [L, D].
   */
  forward(u: Tensor): HyenaStreams {
    const { width: D, order: N } = this.config;
    if (u.rank !== 2 || u.shape[1] !== D) {
      throw new ShapeError(`HyenaProjection.forward: input must be [L, ${D}], got ${shapeStr(u.shape)}`);
    }
    const z = ops.fftConv1d(ops.transpose(this.linear.forward(u)), this.shortFilter); // [(N+1)D, L]
    const streams = Array.from({ length: N + 1 }, (_, n) => ops.slice(z, 0, n * D, (n + 1) * D));
    return { v: streams[0] as Tensor, x: streams.slice(1) };
  }

  /** Rebuilds the layer with bit-identical weights. */
  static fromJSON(json: ModuleJSON): HyenaProjection {
    return new HyenaProjection(json.config as unknown as HyenaProjectionOptions).loadJSON(json);
  }
}

/** Factory form of {@link HyenaProjection} (Algorithm 1). */
export function hyenaProjection(options: HyenaProjectionOptions): HyenaProjection {
  return new HyenaProjection(options);
}
