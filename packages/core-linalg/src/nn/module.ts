/**
 * `Module`: a trainable layer with named parameters (requiresGrad tensors), child modules, and
 * exact JSON round-trip of its configuration and weights.
 */
import { DomainError, NonFiniteError, ShapeError } from '../errors/index.js';
import { shapeStr, Tensor } from '../autodiff/index.js';

/** Serialised weights of one parameter. */
export interface ParameterJSON {
  shape: number[];
  data: number[];
}

/** What `Module.toJSON()` returns (plain JSON; numbers round-trip exactly). */
export interface ModuleJSON {
  kind: string;
  version: 1;
  config: Record<string, unknown>;
  params: Record<string, ParameterJSON>;
}

/**
 * Base class of the layers. Parameters are registered by name; `parameters()` lists them (children
 * included, registration order) for optimisers; `toJSON()` / `Module.loadJSON()` save and restore.
 */
export abstract class Module {
  /** Layer kind, stored in JSON (e.g. `'Linear'`). */
  abstract readonly kind: string;
  /** Constructor arguments, stored in JSON so `fromJSON` can rebuild the layer. */
  protected abstract readonly config: Record<string, unknown>;
  private readonly ownParams: [string, Tensor][] = [];
  private readonly children: [string, Module][] = [];

  /** Registers a parameter (made a requiresGrad leaf) and returns it. */
  protected param(name: string, init: Tensor): Tensor {
    const t = new Tensor(init.data, init.shape, { requiresGrad: true });
    this.ownParams.push([name, t]);
    return t;
  }

  /** Registers a child module and returns it. */
  protected child<M extends Module>(name: string, m: M): M {
    this.children.push([name, m]);
    return m;
  }

  /** `[dotted name, tensor]` of every parameter, children included. */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.ownParams];
    for (const [cn, c] of this.children) for (const [n, t] of c.namedParameters()) out.push([`${cn}.${n}`, t]);
    return out;
  }

  /** Every parameter tensor (for `variableGrads` and the optimisers). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Total number of scalar parameters. */
  parameterCount(): number {
    return this.parameters().reduce((s, t) => s + t.size, 0);
  }

  /** Configuration and a copy of every weight as plain JSON. */
  toJSON(): ModuleJSON {
    const params: Record<string, ParameterJSON> = {};
    for (const [n, t] of this.namedParameters()) params[n] = { shape: [...t.shape], data: Array.from(t.data) };
    return { kind: this.kind, version: 1, config: { ...this.config }, params };
  }

  /**
   * Copies weights from `json` into this module's parameters (same kind and shapes required).
   * @throws DomainError on a kind mismatch; ShapeError naming both shapes on a missing or mis-shaped weight;
   * NonFiniteError for a weight value that is not a finite number (JSON turns NaN into null).
   */
  loadJSON(json: ModuleJSON): this {
    if (json.kind !== this.kind) throw new DomainError(`${this.kind}.fromJSON: expected kind '${this.kind}', got '${json.kind}'`);
    for (const [n, t] of this.namedParameters()) {
      const p = json.params[n];
      if (p === undefined || p.data.length !== t.size || p.shape.join(',') !== t.shape.join(',')) {
        throw new ShapeError(`${this.kind}.fromJSON: parameter '${n}' must have shape ${shapeStr(t.shape)}, got ${p ? shapeStr(p.shape) : 'nothing'}`);
      }
      for (let i = 0; i < p.data.length; i++) {
        const v: unknown = p.data[i];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new NonFiniteError(`${this.kind}.fromJSON: parameter '${n}' must hold finite numbers, got ${String(v)} at index ${i}`);
        }
      }
      t.data.set(p.data);
    }
    return this;
  }
}
