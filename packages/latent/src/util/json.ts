/**
 * Field validation for the `fromJSON` of every model of @notes/latent (docs/conventions.md §7): each
 * reader names the field it rejects and throws a typed `DomainError`/`ShapeError` (never a raw
 * `TypeError` from a `null` or a missing array).
 */
import { DomainError, describeValue, type FitReport, readFitReport, readVector, ShapeError } from '@notes/core-linalg';

/** Validates the envelope (`kind`, `version`) and returns the object. */
export function readEnvelope(where: string, json: unknown, kind: string, version: number): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
  }
  const o = json as Record<string, unknown>;
  if (o.kind !== kind || o.version !== version) {
    throw new DomainError(
      `${where}: argument 'json' must have kind '${kind}' and version ${version}, got kind ${describeValue(o.kind)} and version ${describeValue(o.version)}`,
    );
  }
  return o;
}

/** An integer field in [min, max]. */
export function readInt(where: string, o: Record<string, unknown>, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new DomainError(`${where}: field '${field}' must be an integer in [${min}, ${max}], got ${describeValue(v)}`);
  }
  return v;
}

/** A finite number field with optional inclusive/exclusive lower bound. */
export function readFinite(where: string, o: Record<string, unknown>, field: string, bound?: { min?: number; greaterThan?: number }): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DomainError(`${where}: field '${field}' must be a finite number, got ${describeValue(v)}`);
  if (bound?.min !== undefined && !(v >= bound.min)) throw new DomainError(`${where}: field '${field}' must be >= ${bound.min}, got ${v}`);
  if (bound?.greaterThan !== undefined && !(v > bound.greaterThan)) {
    throw new DomainError(`${where}: field '${field}' must be > ${bound.greaterThan}, got ${v}`);
  }
  return v;
}

/** A boolean field. */
export function readBool(where: string, o: Record<string, unknown>, field: string): boolean {
  const v = o[field];
  if (typeof v !== 'boolean') throw new DomainError(`${where}: field '${field}' must be a boolean, got ${describeValue(v)}`);
  return v;
}

/** One of fixed strings. */
export function readEnum<T extends string>(where: string, o: Record<string, unknown>, field: string, values: readonly T[]): T {
  const v = o[field];
  if (!values.includes(v as T)) throw new DomainError(`${where}: field '${field}' must be one of ${values.join(', ')}, got ${describeValue(v)}`);
  return v as T;
}

/** An array of finite numbers of the given length (with optional lower bounds on every entry). */
export function readArray(
  where: string,
  o: Record<string, unknown>,
  field: string,
  length: number,
  bound?: { min?: number; greaterThan?: number },
): Float64Array {
  const v = readVector(where, `json.${field}`, o[field], { length, minLength: 0 });
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if ((bound?.min !== undefined && !(x >= bound.min)) || (bound?.greaterThan !== undefined && !(x > bound.greaterThan))) {
      const want = bound?.min !== undefined ? `>= ${bound.min}` : `> ${bound?.greaterThan}`;
      throw new DomainError(`${where}: field '${field}' must hold numbers ${want}, got ${x} at [${i}]`);
    }
  }
  return v;
}

/** Mixture weights: non-negative, summing to 1 (to 1e-9 · K). */
export function readWeights(where: string, o: Record<string, unknown>, field: string, K: number): Float64Array {
  const w = readArray(where, o, field, K, { min: 0 });
  let s = 0;
  for (const v of w) s += v;
  if (!(Math.abs(s - 1) <= 1e-9 * Math.max(1, K))) throw new DomainError(`${where}: field '${field}' must sum to 1, got ${s}`);
  return w;
}

/** Checks that `a` (row-major d×d blocks, `count` of them from `offset`) is exactly symmetric. */
export function assertSymmetricBlocks(where: string, field: string, a: Float64Array, count: number, d: number): void {
  for (let k = 0; k < count; k++) {
    const o = k * d * d;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        if (a[o + i * d + j] !== a[o + j * d + i]) throw new DomainError(`${where}: field '${field}' block ${k} must be symmetric, [${i}, ${j}] ≠ [${j}, ${i}]`);
      }
    }
  }
}

/** The `report` field, through core's `readFitReport`. */
export function readReport(where: string, o: Record<string, unknown>): FitReport {
  return readFitReport(where, o.report);
}

/** An array of numbers of any length (e.g. a trace), with null read as NaN only where `allowNull`. */
export function readNumberList(where: string, o: Record<string, unknown>, field: string): number[] {
  const v = o[field];
  if (!Array.isArray(v)) throw new ShapeError(`${where}: field '${field}' must be an array of numbers, got ${describeValue(v)}`);
  return v.map((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new DomainError(`${where}: field '${field}' must hold finite numbers, got ${describeValue(x)} at [${i}]`);
    return x;
  });
}

/** An object-valued field (a nested record of a model's JSON). */
export function asObject(where: string, field: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new DomainError(`${where}: field '${field}' must be an object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  }
  return v as Record<string, unknown>;
}

/** How a non-array (or an array of the wrong length) is named in a message. */
export function describeLength(v: unknown): string {
  return Array.isArray(v) ? `an array of length ${v.length}` : v === null ? 'null' : typeof v;
}

/** An array field of exactly `length` finite numbers, given as the value itself (nested paths like `layers[2].loc`). */
export function readNumbers(where: string, field: string, v: unknown, length: number): Float64Array {
  if (!Array.isArray(v) || v.length !== length) {
    throw new ShapeError(`${where}: field '${field}' must be an array of ${length} numbers, got ${describeLength(v)}`);
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new DomainError(`${where}: field '${field}[${i}]' must be a finite number, got ${JSON.stringify(x)}`);
    }
    out[i] = x;
  }
  return out;
}
