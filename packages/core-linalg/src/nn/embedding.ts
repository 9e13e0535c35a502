/**
 * Embedding table.
 */
import { ops, Tensor } from '../autodiff/index.js';
import { assertInteger, DomainError } from '../errors/index.js';
import { type InitOptions, rngOf } from './init.js';
import { Module, type ModuleJSON, readModuleConfig, SIZE_RULE } from './module.js';

/**
 * Lookup table $E \in \mathbb R^{V \times d}$: `forward(ids)` returns rows $E_{\text{id}_i}$ as [n, d]
 * (`ops.indexSelect` on axis 0; the gradient scatter-adds into the used rows). Rows start as N(0, 1).
 */
export class Embedding extends Module {
  readonly kind = 'Embedding';
  protected readonly config: { numEmbeddings: number; dim: number };
  /** Table [V, d]. */
  readonly weight: Tensor;

  /** @throws DomainError unless the sizes are positive integers. */
  constructor(numEmbeddings: number, dim: number, options: Omit<InitOptions, 'init'> = {}) {
    super();
    assertInteger('Embedding', 'numEmbeddings', numEmbeddings, 1);
    assertInteger('Embedding', 'dim', dim, 1);
    this.config = { numEmbeddings, dim };
    const rng = rngOf(options);
    const w = Tensor.zeros([numEmbeddings, dim]);
    for (let i = 0; i < w.size; i++) w.data[i] = rng.normal();
    this.weight = this.param('weight', w);
  }

  /** Rows for `ids` (integers in [0, V)). @throws DomainError for an out-of-range id. */
  forward(ids: ArrayLike<number>): Tensor {
    const V = this.config.numEmbeddings;
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i];
      if (!Number.isInteger(v) || v < 0 || v >= V) {
        throw new DomainError(`Embedding.forward: argument 'ids' must hold integers in [0, ${V}), got ${v} at index ${i}`);
      }
    }
    return ops.indexSelect(this.weight, 0, ids);
  }

  /** Rebuilds a table from {@link Module.toJSON} output. */
  static fromJSON(json: ModuleJSON): Embedding {
    const c = readModuleConfig<Embedding['config']>('Embedding', json, { numEmbeddings: SIZE_RULE, dim: SIZE_RULE });
    return new Embedding(c.numEmbeddings, c.dim).loadJSON(json);
  }
}
