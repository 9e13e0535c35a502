/**
 * Fully connected layer.
 */
import { ops, shapeStr, Tensor } from '../autodiff/index.js';
import type { LinearActivation } from '../autodiff/ops/matmul.js';
import { assertInteger, ShapeError, DomainError, describeValue } from '../errors/index.js';
import { type InitOptions, initWeight, rngOf } from './init.js';
import { Module, type ModuleJSON, readModuleConfig, SIZE_RULE } from './module.js';

/** Options of {@link Linear}. */
export interface LinearOptions extends InitOptions {
  /** Add a bias vector. @defaultValue true */
  bias?: boolean;
}

/**
 * $y = xW + b$ with $W \in \mathbb R^{n_{in}\times n_{out}}$, applied to the last axis of `x`
 * ([..., in] → [..., out]). Weights Glorot-uniform (or He-normal), bias zero.
 * @example const layer = new Linear(3, 2, { seed: 1 }); layer.forward(Tensor.zeros([4, 3])).shape // [4, 2]
 */
export class Linear extends Module {
  readonly kind = 'Linear';
  protected readonly config: { inFeatures: number; outFeatures: number; bias: boolean };
  /** Weight [in, out]. */
  readonly weight: Tensor;
  /** Bias [out], or null. */
  readonly bias: Tensor | null;

  /** @throws DomainError unless the sizes are positive integers. */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    assertInteger('Linear', 'inFeatures', inFeatures, 1);
    assertInteger('Linear', 'outFeatures', outFeatures, 1);
    const bias = options.bias ?? true;
    if (typeof bias !== 'boolean') throw new DomainError(`Linear: option 'bias' must be a boolean, got ${describeValue(bias)}`);
    this.config = { inFeatures, outFeatures, bias };
    const rng = rngOf(options);
    this.weight = this.param('weight', initWeight(options.init ?? 'glorot', rng, [inFeatures, outFeatures], inFeatures, outFeatures));
    this.bias = bias ? this.param('bias', Tensor.zeros([outFeatures])) : null;
  }

  /**
   * $y = a(xW + b)$ for `x` [..., in]; `activation` (default `'identity'`) is applied inside the same op
   * (`ops.linear`'s fused bias and activation: the values of `ops.tanh(layer.forward(x))`, one op fewer).
   * @throws ShapeError naming both shapes if the last axis of `x` is not `inFeatures`.
   * @throws DomainError for an unknown activation.
   */
  forward(x: Tensor, activation: LinearActivation = 'identity'): Tensor {
    const { inFeatures, outFeatures } = this.config;
    if (x.rank < 1 || x.shape[x.rank - 1] !== inFeatures) {
      throw new ShapeError(`Linear.forward: input ${shapeStr(x.shape)} does not match weight ${shapeStr(this.weight.shape)} (last axis must be ${inFeatures})`);
    }
    // ops.linear takes [m, k] and [B, m, k] directly (one GEMM over B·m rows, bias and activation in place); other ranks are flattened
    const direct = x.rank === 2 || x.rank === 3;
    const flat = direct ? x : ops.reshape(x, [-1, inFeatures]);
    const y = ops.linear(flat, this.weight, this.bias, activation);
    return direct ? y : ops.reshape(y, [...x.shape.slice(0, -1), outFeatures]);
  }

  /** Rebuilds a layer from {@link Module.toJSON} output (weights bit-identical). */
  static fromJSON(json: ModuleJSON): Linear {
    const c = readModuleConfig<Linear['config']>('Linear', json, { inFeatures: SIZE_RULE, outFeatures: SIZE_RULE, bias: { type: 'boolean' } });
    return new Linear(c.inFeatures, c.outFeatures, { bias: c.bias }).loadJSON(json);
  }
}
