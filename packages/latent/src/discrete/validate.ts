/**
 * Argument readers shared by the estimators of "Discrete Latent Variables" and the reparameterised
 * samplers: every bad argument gets a typed `NotesError` naming it, and results that overflow float64
 * are reported instead of returned as NaN/±Infinity.
 * @internal
 */
import { DomainError, describeValue, NonFiniteError, readNumber, type Rng } from '@notes/core-linalg';

/** Largest count argument (samples, draws, categories, contexts) accepted. */
export const MAX_COUNT = 1e7;

/** A generator from core's `createRng` (an object with `uniform` and `normal`). @internal */
export function readRng(where: string, rng: unknown, name = 'rng'): Rng {
  if (
    typeof rng !== 'object' ||
    rng === null ||
    typeof (rng as { uniform?: unknown }).uniform !== 'function' ||
    typeof (rng as { normal?: unknown }).normal !== 'function'
  ) {
    throw new DomainError(`${where}: argument '${name}' must be a generator from createRng, got ${describeValue(rng)}`);
  }
  return rng as Rng;
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
