/**
 * Box-bound helpers for projected quasi-Newton methods.
 * @internal
 */
import { DomainError, NonFiniteError, ShapeError } from '../errors/index.js';

/** Validated box $[l, u]$; entries may be ±Infinity (unbounded), never NaN. */
export interface Box {
  lower: Float64Array;
  upper: Float64Array;
  bounded: boolean;
}

function readBound(where: string, name: string, v: ArrayLike<number> | undefined, n: number, fill: number): Float64Array {
  const out = new Float64Array(n).fill(fill);
  if (v === undefined) return out;
  if (v === null || typeof v !== 'object' || v.length !== n) {
    const got = v === null || typeof v !== 'object' ? typeof v : `length ${v.length}`;
    throw new ShapeError(`${where}: argument '${name}' must have length ${n} (length of x0), got ${got}`);
  }
  for (let i = 0; i < n; i++) {
    const b = v[i] as number;
    if (typeof b !== 'number' || Number.isNaN(b)) {
      throw new NonFiniteError(`${where}: argument '${name}' must hold numbers or ±Infinity, got ${String(b)} at [${i}]`);
    }
    out[i] = b;
  }
  return out;
}

/**
 * Reads `options.lower` / `options.upper` into a {@link Box} of length n (missing = ±Infinity).
 * @throws ShapeError for a wrong length; NonFiniteError for NaN; DomainError if lower > upper somewhere
 *   or a coordinate has no finite feasible value.
 */
export function readBox(
  where: string,
  lower: ArrayLike<number> | undefined,
  upper: ArrayLike<number> | undefined,
  n: number,
): Box {
  const l = readBound(where, 'options.lower', lower, n, Number.NEGATIVE_INFINITY);
  const u = readBound(where, 'options.upper', upper, n, Number.POSITIVE_INFINITY);
  let bounded = false;
  for (let i = 0; i < n; i++) {
    if (l[i]! > u[i]!) {
      throw new DomainError(`${where}: bounds must satisfy lower <= upper, got lower[${i}] = ${l[i]} > upper[${i}] = ${u[i]}`);
    }
    if (l[i] === Number.POSITIVE_INFINITY || u[i] === Number.NEGATIVE_INFINITY) {
      throw new DomainError(`${where}: bounds at [${i}] leave no finite feasible value`);
    }
    if (Number.isFinite(l[i]!) || Number.isFinite(u[i]!)) bounded = true;
  }
  return { lower: l, upper: u, bounded };
}

/** $P(x)_i = \min(\max(x_i, l_i), u_i)$, in place. */
export function projectInPlace(x: Float64Array, box: Box): void {
  if (!box.bounded) return;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < box.lower[i]!) x[i] = box.lower[i]!;
    else if (v > box.upper[i]!) x[i] = box.upper[i]!;
  }
}

/**
 * Marks coordinates held at a bound because the gradient pushes outward:
 * $x_i = l_i,\ g_i > 0$ or $x_i = u_i,\ g_i < 0$.
 */
export function activeSet(x: Float64Array, g: Float64Array, box: Box, out: Uint8Array): void {
  for (let i = 0; i < x.length; i++) {
    out[i] = box.bounded && ((x[i]! <= box.lower[i]! && g[i]! > 0) || (x[i]! >= box.upper[i]! && g[i]! < 0)) ? 1 : 0;
  }
}

/** Largest α ≥ 0 with $l \le x + \alpha d \le u$ (Infinity if unbounded along d). */
export function maxFeasibleStep(x: Float64Array, d: Float64Array, box: Box): number {
  let amax = Number.POSITIVE_INFINITY;
  if (!box.bounded) return amax;
  for (let i = 0; i < x.length; i++) {
    const di = d[i]!;
    if (di < 0 && Number.isFinite(box.lower[i]!)) amax = Math.min(amax, (box.lower[i]! - x[i]!) / di);
    else if (di > 0 && Number.isFinite(box.upper[i]!)) amax = Math.min(amax, (box.upper[i]! - x[i]!) / di);
  }
  return Math.max(amax, 0);
}
