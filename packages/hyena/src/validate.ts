/**
 * Input readers shared by the modules of @notes/hyena, on top of core's converters (`readMatrix`,
 * `readVector`, `defineOptions`, `resolveRng`): tensors, SSM records, module JSON and layer seeds.
 * @internal
 */
import {
  assertFinite,
  checkMemory,
  DomainError,
  describeValue,
  type ModuleJSON,
  type Rng,
  readMatrix,
  readVector,
  ShapeError,
  shapeStr,
  Tensor,
  resolveRng,
} from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

/**
 * Checks that `value` is a core `Tensor` of the given rank (if any) with finite entries.
 * @throws ShapeError for a non-tensor or a wrong rank; NonFiniteError for NaN/±Infinity.
 * @internal
 */
export function readTensor(where: string, name: string, value: unknown, rank?: number): Tensor {
  if (!(value instanceof Tensor)) {
    throw new ShapeError(`${where}: argument '${name}' must be a Tensor, got ${describeValue(value)}`);
  }
  if (rank !== undefined && value.rank !== rank) {
    throw new ShapeError(`${where}: argument '${name}' must be a rank-${rank} Tensor, got shape ${shapeStr(value.shape)}`);
  }
  assertFinite(where, name, value.data);
  return value;
}

/** The fields every SSM record has (continuous or discrete). */
interface SSMRecord {
  readonly A: Matrix;
  readonly B: Float64Array;
  readonly C: Float64Array;
  readonly D: number;
}

/**
 * Validates an SSM record (from {@link continuousSSM}, {@link discreteSSM} or {@link discretize}, or built
 * by hand): `A` square n×n, `B`, `C` of length n, `D` finite, all finite.
 * @throws ShapeError/DomainError/NonFiniteError naming the field.
 * @internal
 */
export function readSSMRecord(where: string, name: string, value: unknown, kind: 'continuous' | 'discrete'): SSMRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DomainError(`${where}: argument '${name}' must be a ${kind} SSM, got ${describeValue(value)}`);
  }
  const s = value as Record<string, unknown>;
  if (s.kind !== kind) {
    throw new DomainError(`${where}: argument '${name}' must be a ${kind} SSM (kind '${kind}'), got kind ${describeValue(s.kind)}`);
  }
  const A = readMatrix(where, `${name}.A`, s.A);
  if (A.rows !== A.columns) throw new ShapeError(`${where}: '${name}.A' must be square, got ${A.rows}×${A.columns}`);
  const n = A.rows;
  const B = readVector(where, `${name}.B`, s.B, { length: n });
  const C = readVector(where, `${name}.C`, s.C, { length: n });
  if (typeof s.D !== 'number') throw new DomainError(`${where}: '${name}.D' must be a number, got ${describeValue(s.D)}`);
  assertFinite(where, `${name}.D`, s.D);
  const rows = Array.from({ length: n }, (_, i) => Array.from(A.data.subarray(i * n, (i + 1) * n)));
  return { A: new Matrix(rows), B, C, D: s.D };
}

/**
 * Checks the envelope of a module's JSON (`{ kind, version: 1, config, params }`) before the module is
 * rebuilt from `config` and `loadJSON` checks each weight.
 * @throws DomainError naming the field.
 * @internal
 */
export function readModuleJSON(where: string, json: unknown, kind: string): ModuleJSON {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DomainError(`${where}: argument 'json' must be an object from toJSON(), got ${describeValue(json)}`);
  }
  const j = json as Record<string, unknown>;
  if (j.kind !== kind) throw new DomainError(`${where}: field 'kind' must be '${kind}', got ${describeValue(j.kind)}`);
  if (j.version !== 1) throw new DomainError(`${where}: field 'version' must be 1, got ${describeValue(j.version)}`);
  for (const field of ['config', 'params'] as const) {
    const v = j[field];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new DomainError(`${where}: field '${field}' must be an object, got ${describeValue(v)}`);
    }
  }
  const params = j.params as Record<string, unknown>;
  for (const [pn, p] of Object.entries(params)) {
    if (typeof p !== 'object' || p === null || !Array.isArray((p as { data?: unknown }).data) || !Array.isArray((p as { shape?: unknown }).shape)) {
      throw new DomainError(`${where}: field 'params.${pn}' must be { shape: number[], data: number[] }, got ${describeValue(p)}`);
    }
  }
  return json as ModuleJSON;
}

/** Fails when a module's JSON holds weights the rebuilt module does not have. @internal */
export function rejectExtraParams(where: string, json: ModuleJSON, known: readonly string[]): void {
  const names = new Set(known);
  for (const pn of Object.keys(json.params)) {
    if (!names.has(pn)) throw new DomainError(`${where}: field 'params.${pn}' is not a weight of this module`);
  }
}

/**
 * The integer seed of a layer's initial weights from `{ seed, rng }` (either, not both): `seed` as given
 * (default 0) or, with `rng`, one draw from it; the seed is stored in the layer's config so `toJSON`
 * stays plain data.
 * @throws DomainError when both are given or either is malformed.
 * @internal
 */
export function layerSeed(where: string, options: { seed?: number | undefined; rng?: Rng | undefined }): number {
  const rng = resolveRng(where, { ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.rng !== undefined ? { rng: options.rng } : {}) }, 0);
  if (options.rng !== undefined) return Math.floor(rng.uniform() * 2 ** 31);
  return options.seed ?? 0;
}

/** Option rules shared by every layer: an integer seed and a generator. @internal */
export const SEED_RULES = {
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of the initial weights (default 0)' },
  rng: { type: 'rng', doc: 'generator from createRng; one draw seeds the weights (instead of seed)' },
} as const;

/** Rule of the memory budget option. @internal */
export const MEMORY_RULE = {
  type: 'number',
  greaterThan: 0,
  doc: 'budget in bytes of the O(L²) allocations (default 2 GiB)',
} as const;

/**
 * Memory guard of a layer's constructor: `count` numbers (weights, their gradients and optimiser state
 * take a few times this; the guard counts 8 bytes × 4 per number).
 * @throws ResourceError above the 2 GiB default budget.
 * @internal
 */
export function checkLayerMemory(where: string, count: number): void {
  checkMemory(where, `${count} weights`, 32 * count, { alternative: 'smaller sizes' });
}
