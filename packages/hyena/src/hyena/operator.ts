/**
 * Hyena Algorithm 3 (Forward; notes: Hyena Hierarchy · 算法): projection (Algorithm 1), implicit
 * long filters (Algorithm 2), the order-N recurrence, and an output projection — all on core Tensors, so
 * every parameter has gradients.
 */
import { assertFinite, assertInteger, Linear, Module, type ModuleJSON, ops, ShapeError, shapeStr, type Tensor } from '@notes/core-linalg';
import { HyenaFilter, type HyenaFilterOptions } from './filter.js';
import { assertNoOverflow } from './finite.js';
import { HyenaProjection } from './projection.js';
import { recurrence } from './recurrence.js';

/** Options of {@link HyenaOperator}. */
export interface HyenaOperatorOptions extends Omit<HyenaFilterOptions, 'seed'> {
  /** Taps of the short depthwise filter of the projection. @defaultValue 3 */
  shortKernel?: number;
  /** Seed of every initial weight. @defaultValue 0 */
  seed?: number;
}

const DEFAULTS = { shortKernel: 3, seed: 0 } satisfies Required<Pick<HyenaOperatorOptions, 'shortKernel' | 'seed'>>;

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
  protected readonly config: HyenaOperatorOptions & Record<string, unknown>;
  readonly projection: HyenaProjection;
  readonly filter: HyenaFilter;
  readonly outProjection: Linear;

  /** @throws DomainError on invalid sizes. */
  constructor(options: HyenaOperatorOptions) {
    super();
    const seed = options.seed ?? DEFAULTS.seed;
    assertInteger('HyenaOperator', 'seed', seed, 0);
    this.config = { ...options, seed };
    const { width, order } = options;
    this.projection = this.child('projection', new HyenaProjection({ width, order, shortKernel: options.shortKernel ?? DEFAULTS.shortKernel, seed }));
    this.filter = this.child('filter', new HyenaFilter({ ...options, seed: seed + 1 }));
    this.outProjection = this.child('outProjection', new Linear(width, width, { seed: seed + 2 }));
  }

  /** Forward pass keeping the intermediate streams. */
  forwardDetailed(u: Tensor): HyenaForward {
    const where = 'HyenaOperator.forward';
    const { width, maxLength } = this.config;
    if (u.rank !== 2 || u.shape[1] !== width) {
      throw new ShapeError(`${where}: input must be [L, ${width}], got ${shapeStr(u.shape)}`);
    }
    const L = u.shape[0] as number;
    if (L === 0) throw new ShapeError(`${where}: input must have at least one position, got ${shapeStr(u.shape)}`);
    if (L > maxLength) throw new ShapeError(`${where}: sequence length ${L} exceeds maxLength ${maxLength}`);
    assertFinite(where, 'u', u.data);
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

  /** Rebuilds the operator with bit-identical weights. */
  static fromJSON(json: ModuleJSON): HyenaOperator {
    return new HyenaOperator(json.config as unknown as HyenaOperatorOptions).loadJSON(json);
  }
}

/** Factory form of {@link HyenaOperator} (Algorithm 3). */
export function hyenaOperator(options: HyenaOperatorOptions): HyenaOperator {
  return new HyenaOperator(options);
}
