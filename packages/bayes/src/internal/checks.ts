/**
 * Support checks for observations, throwing DomainError naming the argument and the first bad index.
 * @internal
 */
import { DomainError } from '@notes/core-linalg';
import { readVector } from './input.js';

/** Reads a vector and checks every entry with `ok`, describing the support as `what`. */
export function readSupported(
  where: string,
  name: string,
  x: ArrayLike<number>,
  ok: (v: number) => boolean,
  what: string,
): Float64Array {
  const v = readVector(where, name, x);
  for (let i = 0; i < v.length; i++) {
    if (!ok(v[i] as number)) {
      throw new DomainError(`${where}: argument '${name}' must contain ${what}, got ${v[i]} at [${i}]`);
    }
  }
  return v;
}

/** 0/1 observations. */
export const isBinary = (v: number): boolean => v === 0 || v === 1;
/** Non-negative integer counts. */
export const isCount = (v: number): boolean => Number.isInteger(v) && v >= 0;
/** Strictly positive reals. */
export const isPositive = (v: number): boolean => v > 0;
