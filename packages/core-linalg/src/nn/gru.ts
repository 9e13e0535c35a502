/**
 * Gated recurrent unit cell.
 */
import { ops, shapeStr, Tensor } from '../autodiff/index.js';
import { assertInteger, ShapeError } from '../errors/index.js';
import { type InitOptions, glorotUniform, rngOf } from './init.js';
import { Module, type ModuleJSON, readModuleConfig, SIZE_RULE } from './module.js';

/**
 * One GRU step (Cho et al., 2014; PyTorch's gate layout):
 * $r = \sigma(xW_{r} + b_{r} + hU_{r} + c_{r})$, $z = \sigma(xW_{z} + b_{z} + hU_{z} + c_{z})$,
 * $n = \tanh(xW_{n} + b_{n} + r \odot (hU_{n} + c_{n}))$, $h' = (1 - z)\odot n + z \odot h$.
 * The three gates share one input matrix [in, 3H] and one hidden matrix [H, 3H].
 */
export class GRUCell extends Module {
  readonly kind = 'GRUCell';
  protected readonly config: { inputSize: number; hiddenSize: number };
  /** Input weights [in, 3H] (gates r, z, n). */
  readonly weightIh: Tensor;
  /** Hidden weights [H, 3H]. */
  readonly weightHh: Tensor;
  /** Input bias [3H]. */
  readonly biasIh: Tensor;
  /** Hidden bias [3H]. */
  readonly biasHh: Tensor;

  /** @throws DomainError unless the sizes are positive integers. */
  constructor(inputSize: number, hiddenSize: number, options: InitOptions = {}) {
    super();
    assertInteger('GRUCell', 'inputSize', inputSize, 1);
    assertInteger('GRUCell', 'hiddenSize', hiddenSize, 1);
    this.config = { inputSize, hiddenSize };
    const rng = rngOf(options);
    const H3 = 3 * hiddenSize;
    this.weightIh = this.param('weightIh', glorotUniform(rng, [inputSize, H3], inputSize, hiddenSize));
    this.weightHh = this.param('weightHh', glorotUniform(rng, [hiddenSize, H3], hiddenSize, hiddenSize));
    this.biasIh = this.param('biasIh', Tensor.zeros([H3]));
    this.biasHh = this.param('biasHh', Tensor.zeros([H3]));
  }

  /** A zero hidden state [batch, H]. */
  initialState(batch: number): Tensor {
    return Tensor.zeros([batch, this.config.hiddenSize]);
  }

  /**
   * Next hidden state for input `x` [B, in] and state `h` [B, H].
   * @throws ShapeError naming both shapes on a mismatch.
   */
  forward(x: Tensor, h: Tensor): Tensor {
    const { inputSize: I, hiddenSize: H } = this.config;
    if (x.rank !== 2 || x.shape[1] !== I || h.rank !== 2 || h.shape[1] !== H || h.shape[0] !== x.shape[0]) {
      throw new ShapeError(`GRUCell.forward: input ${shapeStr(x.shape)} and state ${shapeStr(h.shape)} must be [B,${I}] and [B,${H}]`);
    }
    const gi = ops.add(ops.matmul(x, this.weightIh), this.biasIh);
    const gh = ops.add(ops.matmul(h, this.weightHh), this.biasHh);
    const r = ops.sigmoid(ops.add(ops.slice(gi, 1, 0, H), ops.slice(gh, 1, 0, H)));
    const z = ops.sigmoid(ops.add(ops.slice(gi, 1, H, 2 * H), ops.slice(gh, 1, H, 2 * H)));
    const n = ops.tanh(ops.add(ops.slice(gi, 1, 2 * H, 3 * H), ops.mul(r, ops.slice(gh, 1, 2 * H, 3 * H))));
    // h' = n + z ⊙ (h − n)
    return ops.add(n, ops.mul(z, ops.sub(h, n)));
  }

  /** Rebuilds a cell from {@link Module.toJSON} output. */
  static fromJSON(json: ModuleJSON): GRUCell {
    const c = readModuleConfig<GRUCell['config']>('GRUCell', json, { inputSize: SIZE_RULE, hiddenSize: SIZE_RULE });
    return new GRUCell(c.inputSize, c.hiddenSize).loadJSON(json);
  }
}
