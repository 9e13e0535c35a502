/**
 * Multi-layer perceptron.
 */
import { ops, type Tensor } from '../autodiff/index.js';
import type { LinearActivation } from '../autodiff/ops/matmul.js';
import { DomainError, describeValue } from '../errors/index.js';
import { type InitKind, type InitOptions, rngOf } from './init.js';
import { Linear } from './linear.js';
import { Module, type ModuleJSON, readModuleConfig } from './module.js';

/** Activation functions by name. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'softplus' | 'identity';

const ACTIVATIONS: Record<Activation, (x: Tensor) => Tensor> = {
  relu: ops.relu,
  tanh: ops.tanh,
  sigmoid: ops.sigmoid,
  softplus: ops.softplus,
  identity: (x) => x,
};

/** Activations that {@link Linear.forward} applies inside its op. */
const FUSED: ReadonlySet<Activation> = new Set<Activation>(['identity', 'tanh', 'sigmoid', 'relu']);

/** Options of {@link MLP}. */
export interface MLPOptions extends InitOptions {
  /** Hidden activation. @defaultValue 'relu' */
  activation?: Activation;
  /** Activation after the last layer. @defaultValue 'identity' */
  outputActivation?: Activation;
}

/**
 * $f(x) = a_{out}(W_L\,a(\cdots a(W_1 x + b_1)\cdots) + b_L)$ for layer sizes
 * `[in, hidden..., out]`. Hidden weights use He init for ReLU and Glorot otherwise (overridable).
 * @example new MLP([2, 8, 1], { activation: 'tanh', seed: 0 }).forward(Tensor.zeros([5, 2])).shape // [5, 1]
 */
export class MLP extends Module {
  readonly kind = 'MLP';
  protected readonly config: { sizes: number[]; activation: Activation; outputActivation: Activation };
  /** The layers, input first. */
  readonly layers: readonly Linear[];

  /** @throws DomainError for fewer than two sizes, a non-positive size or an unknown activation. */
  constructor(sizes: readonly number[], options: MLPOptions = {}) {
    super();
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new DomainError(`MLP: argument 'sizes' must be an array [in, hidden..., out] of at least two sizes, got ${describeValue(sizes)}`);
    }
    for (let i = 0; i < sizes.length; i++) {
      if (!(i in sizes) || !Number.isSafeInteger(sizes[i]) || (sizes[i] as number) < 1) {
        throw new DomainError(`MLP: argument 'sizes' must hold integers >= 1, got ${describeValue(sizes[i])} at [${i}]`);
      }
    }
    if (typeof options !== 'object' || options === null) throw new DomainError(`MLP: argument 'options' must be an object, got ${describeValue(options)}`);
    const activation = options.activation ?? 'relu';
    const outputActivation = options.outputActivation ?? 'identity';
    for (const a of [activation, outputActivation]) {
      if (typeof a !== 'string' || !Object.hasOwn(ACTIVATIONS, a)) {
        throw new DomainError(`MLP: unknown activation ${describeValue(a)} (use ${Object.keys(ACTIVATIONS).join(', ')})`);
      }
    }
    this.config = { sizes: [...sizes], activation, outputActivation };
    const rng = rngOf(options);
    const init: InitKind = options.init ?? (activation === 'relu' ? 'he' : 'glorot');
    const layers: Linear[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(this.child(`layer${i}`, new Linear(sizes[i], sizes[i + 1], { rng, init: i + 2 < sizes.length ? init : 'glorot' })));
    }
    this.layers = layers;
  }

  /** Applies the layers to `x` [..., in]. @throws ShapeError naming both shapes on a size mismatch. */
  forward(x: Tensor): Tensor {
    let h = x;
    this.layers.forEach((layer, i) => {
      const name = i + 1 < this.layers.length ? this.config.activation : this.config.outputActivation;
      // tanh, sigmoid, relu and identity run inside the layer's op (ops.linear's fused activation: same values)
      if (FUSED.has(name)) h = layer.forward(h, name as LinearActivation);
      else h = ACTIVATIONS[name](layer.forward(h));
    });
    return h;
  }

  /** Rebuilds an MLP from {@link Module.toJSON} output. */
  static fromJSON(json: ModuleJSON): MLP {
    const act = { type: 'enum', values: Object.keys(ACTIVATIONS) } as const;
    const c = readModuleConfig<MLP['config']>('MLP', json, {
      sizes: {
        type: 'custom',
        expected: 'an array of at least two integers >= 1',
        check: (v) => Array.isArray(v) && v.length >= 2 && v.every((d, i) => i in v && Number.isSafeInteger(d) && d >= 1),
      },
      activation: act,
      outputActivation: act,
    });
    return new MLP(c.sizes, { activation: c.activation, outputActivation: c.outputActivation }).loadJSON(json);
  }
}
