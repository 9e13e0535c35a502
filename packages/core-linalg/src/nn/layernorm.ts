/**
 * Layer normalisation.
 */
import { ops, shapeStr, Tensor } from '../autodiff/index.js';
import { assertInteger, assertPositive, ShapeError } from '../errors/index.js';
import { Module, type ModuleJSON, readModuleConfig, SIZE_RULE } from './module.js';

/**
 * $y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta$ over the last axis, with $\mu$ and
 * $\sigma^2$ (biased) computed per row (Ba, Kiros & Hinton, 2016). $\gamma = 1$, $\beta = 0$ initially.
 */
export class LayerNorm extends Module {
  readonly kind = 'LayerNorm';
  protected readonly config: { dim: number; eps: number };
  /** Scale γ [d]. */
  readonly gamma: Tensor;
  /** Shift β [d]. */
  readonly beta: Tensor;

  /**
   * @param eps - variance floor. @defaultValue 1e-5
   * @throws DomainError for a non-positive size or eps.
   */
  constructor(dim: number, eps = 1e-5) {
    super();
    assertInteger('LayerNorm', 'dim', dim, 1);
    assertPositive('LayerNorm', 'eps', eps);
    this.config = { dim, eps };
    this.gamma = this.param('gamma', Tensor.ones([dim]));
    this.beta = this.param('beta', Tensor.zeros([dim]));
  }

  /** Normalises `x` [..., d]. @throws ShapeError naming the shape if the last axis is not d. */
  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.config.dim) {
      throw new ShapeError(`LayerNorm.forward: input ${shapeStr(x.shape)} must end with ${this.config.dim}`);
    }
    const c = ops.sub(x, ops.mean(x, -1, true));
    const v = ops.mean(ops.square(c), -1, true);
    const xhat = ops.div(c, ops.sqrt(ops.add(v, this.config.eps)));
    return ops.add(ops.mul(xhat, this.gamma), this.beta);
  }

  /** Rebuilds a layer from {@link Module.toJSON} output. */
  static fromJSON(json: ModuleJSON): LayerNorm {
    const c = readModuleConfig<LayerNorm['config']>('LayerNorm', json, { dim: SIZE_RULE, eps: { type: 'number', greaterThan: 0 } });
    return new LayerNorm(c.dim, c.eps).loadJSON(json);
  }
}
