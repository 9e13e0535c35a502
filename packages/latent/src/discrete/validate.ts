/**
 * Argument readers shared by the estimators of "Discrete Latent Variables" and the reparameterised
 * samplers: every bad argument gets a typed `NotesError` naming it, and results that overflow float64
 * are reported instead of returned as NaN/±Infinity.
 * @internal
 */
import { DomainError, describeValue, NonFiniteError, type RandomnessOptions, readNumber, type Rng } from '@notes/core-linalg';

/** Largest count argument (samples, draws, categories, contexts) accepted. */
export const MAX_COUNT = 1e7;

/** A generator from core's `createRng` (an object with `uniform` and `normal`). @internal */
export function readRng(where: string, rng: unknown, name = 'rng'): Rng {
  if (!isGenerator(rng)) {
    throw new DomainError(`${where}: argument '${name}' must be a generator from createRng, got ${describeValue(rng)}`);
  }
  return rng;
}

/** Option rules of the conventions' randomness (`seed` or `rng`) for the estimators' option tables. @internal */
export const RANDOMNESS_RULES = {
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
} as const;

function isGenerator(x: unknown): x is Rng {
  return typeof x === 'object' && x !== null && typeof (x as Rng).uniform === 'function' && typeof (x as Rng).normal === 'function';
}

/**
 * The raw options of an estimator called as `f(…, rng, options?)` (a generator in the position of the original
 * API; it becomes option `rng`) or as `f(…, options?)` with option `seed` or `rng` (docs/conventions.md). Parse the
 * result with the function's option table, then `resolveRng(where, parsed, 0)`.
 * @throws DomainError when the third argument is neither a generator nor an options object, when a generator is
 * given both ways, or when options follow an options object.
 * @internal
 */
export function randomnessArgs<T extends RandomnessOptions>(where: string, rngOrOptions: unknown, options: unknown): T | undefined {
  if (isGenerator(rngOrOptions)) {
    if (options === undefined) return { rng: rngOrOptions } as T;
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new DomainError(`${where}: argument 'options' must be an object, got ${describeValue(options)}`);
    }
    if ('seed' in options || 'rng' in options) {
      throw new DomainError(`${where}: a generator was given as argument 'rng'; give option 'seed' or 'rng' only without it`);
    }
    return { ...options, rng: rngOrOptions } as T;
  }
  if (rngOrOptions === undefined || (typeof rngOrOptions === 'object' && rngOrOptions !== null && !Array.isArray(rngOrOptions))) {
    if (options !== undefined) {
      throw new DomainError(`${where}: give either a generator and then options, or the options alone (with 'seed' or 'rng'); got two options arguments`);
    }
    return rngOrOptions as T | undefined;
  }
  throw new DomainError(`${where}: argument 'rng' must be a generator from createRng or an options object (with 'seed' or 'rng'), got ${describeValue(rngOrOptions)}`);
}

/** An integer in [min, max] (argument or option). @internal */
export function readCount(where: string, name: string, v: unknown, min: number, max = MAX_COUNT, kind = 'argument'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new DomainError(`${where}: ${kind} '${name}' must be an integer in [${min}, ${max}], got ${describeValue(v)}`);
  }
  return v;
}

/** A finite number > 0. @internal */
export function readPositive(where: string, name: string, v: unknown, kind = 'argument'): number {
  if (kind === 'argument') readNumber(where, name, v);
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
    throw new DomainError(`${where}: ${kind} '${name}' must be a finite number > 0, got ${describeValue(v)}`);
  }
  return v;
}

/** Throws {@link NonFiniteError} when a computed number overflowed. @internal */
export function assertFiniteResult(where: string, what: string, values: ArrayLike<number> | number): void {
  const arr = typeof values === 'number' ? [values] : values;
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i])) {
      throw new NonFiniteError(`${where}: ${what} is ${arr[i]} (float64 overflow or underflow); rescale the arguments`);
    }
  }
}
