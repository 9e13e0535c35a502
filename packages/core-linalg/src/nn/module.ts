/**
 * `Module`: a trainable layer with named parameters (requiresGrad tensors), child modules, and
 * exact JSON round-trip of its configuration and weights.
 */
import { DomainError, describeValue, NonFiniteError, type OptionRule, parseOptions, ShapeError } from '../errors/index.js';
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

function checkDocument(where: string, kind: string, json: unknown): asserts json is ModuleJSON {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DomainError(`${where}: argument 'json' must be an object from toJSON(), got ${describeValue(json)}`);
  }
  const j = json as Record<string, unknown>;
  if (j.kind !== kind) throw new DomainError(`${where}: field 'kind' must be '${kind}', got ${describeValue(j.kind)}`);
  if (j.version !== 1) throw new DomainError(`${where}: field 'version' must be 1, got ${describeValue(j.version)}`);
}

/**
 * @internal Validates the document of a layer's `fromJSON` (`kind`, `version`, a `config` object) and
 * reads its `config` against `spec`: unknown keys, a missing key and a value its rule rejects each throw
 * `DomainError` naming the field.
 */
export function readModuleConfig<T>(kind: string, json: unknown, spec: Record<string, OptionRule>): T {
  const where = `${kind}.fromJSON`;
  checkDocument(where, kind, json);
  const config = (json as { config?: unknown }).config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new DomainError(`${where}: field 'config' must be an object, got ${describeValue(config)}`);
  }
  const out = parseOptions(`${where}: config`, spec as never, config as never) as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (out[key] === undefined) throw new DomainError(`${where}: field 'config.${key}' is missing`);
  }
  return out as T;
}

/** Rules shared by the layers' configs. */
export const SIZE_RULE = { type: 'integer', min: 1 } as const satisfies OptionRule;

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
    const where = `${this.kind}.fromJSON`;
    checkDocument(where, this.kind, json);
    const params = json.params as unknown;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new DomainError(`${where}: field 'params' must be an object, got ${describeValue(params)}`);
    }
    const names = new Set(this.namedParameters().map(([n]) => n));
    for (const key of Object.keys(params)) {
      if (!names.has(key)) throw new DomainError(`${where}: unknown parameter '${key}' in field 'params'`);
    }
    for (const [n, t] of this.namedParameters()) {
      const p = (params as Record<string, unknown>)[n] as ParameterJSON | undefined;
      if (typeof p !== 'object' || p === null || !Array.isArray(p.shape) || !Array.isArray(p.data)) {
        throw new ShapeError(`${where}: parameter '${n}' must be { shape, data } with shape ${shapeStr(t.shape)}, got ${describeValue(p)}`);
      }
      if (p.data.length !== t.size || p.shape.length !== t.shape.length || p.shape.some((d, i) => d !== t.shape[i])) {
        throw new ShapeError(`${where}: parameter '${n}' must have shape ${shapeStr(t.shape)} and ${t.size} values, got ${shapeStr(p.shape)} with ${p.data.length}`);
      }
      for (let i = 0; i < p.data.length; i++) {
        if (!(i in p.data)) throw new ShapeError(`${where}: parameter '${n}' has a hole at index ${i}`);
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
