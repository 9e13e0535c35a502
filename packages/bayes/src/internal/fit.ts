/**
 * Small helpers shared by the fits of @notes/bayes: randomness arguments, the power-of-two data scale
 * and JSON field readers for `fromJSON`.
 * @internal
 */
import { DomainError, describeValue, type RandomnessOptions, type Rng, resolveRng, ShapeError } from '@notes/core-linalg';

/** A generator, or `{ seed }` / `{ rng }` (core's `resolveRng`); the positional randomness argument of a sampler. */
export type RngInput = Rng | RandomnessOptions;

/** True for a generator from core's `createRng` (anything with `uniform` and `normal` methods). */
function isRng(v: unknown): v is Rng {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { uniform?: unknown }).uniform === 'function' &&
    typeof (v as { normal?: unknown }).normal === 'function'
  );
}

/**
 * The generator to use: `r` itself when it is a generator, else `resolveRng(where, r, defaultSeed)`
 * (`{ seed }`, `{ rng }` or `{}`/`undefined` for the default seed).
 * @throws DomainError for anything else, or both `seed` and `rng`.
 */
export function rngOf(where: string, r: unknown, defaultSeed = 0): Rng {
  if (isRng(r)) return r;
  if (r !== undefined && (typeof r !== 'object' || r === null || Array.isArray(r) || ArrayBuffer.isView(r))) {
    throw new DomainError(`${where}: argument 'rng' must be a generator from createRng or { seed } / { rng }, got ${describeValue(r)}`);
  }
  const o = (r ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'seed' && k !== 'rng') throw new DomainError(`${where}: unknown option '${k}' of argument 'rng'; use { seed } or { rng }`);
  }
  return resolveRng(where, o as RandomnessOptions, defaultSeed);
}

/**
 * The power of two nearest to the root-mean-square deviation of the columns of row-major data (1 when the
 * data are constant). Fits divide the data (and their scale-dependent priors) by it and multiply the result
 * back: exact in floating point, so data scaled by 2^k fit exactly like unit-scale data and data near
 * 1e-150 or 1e150 run with unit-scale numbers.
 */
export function powerOfTwoScale(data: Float64Array, n: number, d: number): number {
  let ss = 0;
  let count = 0;
  for (let a = 0; a < d; a++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += (data[i * d + a] as number) / n;
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs((data[i * d + a] as number) - m));
    if (!(big > 0)) continue;
    // scaled by the column's largest deviation first, so squares neither overflow nor underflow
    let s = 0;
    for (let i = 0; i < n; i++) s += (((data[i * d + a] as number) - m) / big) ** 2;
    ss += Math.log2(big) + 0.5 * Math.log2(s / n);
    count += 1;
  }
  if (count === 0) return 1;
  return 2 ** Math.round(ss / count);
}

/** Reads a JSON field that must be a finite number satisfying `ok` (described by `what`). */
export function jsonNumber(where: string, field: string, v: unknown, what = 'a finite number', ok: (x: number) => boolean = () => true): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new DomainError(`${where}: field '${field}' must be ${what}, got ${describeValue(v)}`);
  }
  return v;
}

/** Reads a JSON field that must be an integer in [min, max]. */
export function jsonInteger(where: string, field: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return jsonNumber(where, field, v, `an integer in [${min}, ${max}]`, (x) => Number.isInteger(x) && x >= min && x <= max);
}

/** Reads a JSON array of finite numbers of the given length, each satisfying `ok`. */
export function jsonNumbers(
  where: string,
  field: string,
  v: unknown,
  length: number | undefined,
  what = 'finite numbers',
  ok: (x: number) => boolean = () => true,
): number[] {
  if (!Array.isArray(v)) throw new DomainError(`${where}: field '${field}' must be an array of ${what}, got ${describeValue(v)}`);
  if (length !== undefined && v.length !== length) {
    throw new ShapeError(`${where}: field '${field}' must have length ${length}, got ${v.length}`);
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || !ok(x)) {
      throw new DomainError(`${where}: field '${field}[${i}]' must be ${what}, got ${describeValue(x)}`);
    }
  }
  return v as number[];
}

/** Checks that `json` is an object of the given kind and version. */
export function jsonHeader(where: string, json: unknown, kind: string, version: number): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
  }
  const j = json as Record<string, unknown>;
  if (j.kind !== kind) throw new DomainError(`${where}: field 'kind' must be '${kind}', got ${describeValue(j.kind)}`);
  if (j.version !== version) throw new DomainError(`${where}: field 'version' must be ${version}, got ${describeValue(j.version)}`);
  return j;
}
