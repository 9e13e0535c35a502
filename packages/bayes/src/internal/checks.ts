/**
 * Support checks for observations, throwing DomainError naming the argument and the first bad index.
 * @internal
 */
import { type DenseMatrix, DomainError, describeValue, NonFiniteError, readMatrix, readNumber, readVector, ShapeError } from '@notes/core-linalg';

/** Reads a vector and checks every entry with `ok`, describing the support as `what`. */
export function readSupported(
  where: string,
  name: string,
  x: ArrayLike<number>,
  ok: (v: number) => boolean,
  what: string,
): Float64Array {
  const v = readVector(where, name, x, { minLength: 0 });
  for (let i = 0; i < v.length; i++) {
    if (!ok(v[i] as number)) {
      throw new DomainError(`${where}: argument '${name}' must contain ${what}, got ${v[i]} at [${i}]`);
    }
  }
  return v;
}

/**
 * Reads a parameter value passed to a model's `logDensity`: a number, not NaN (NonFiniteError); ±Infinity is
 * accepted (the density there is 0, its log −∞).
 */
export function readTheta(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number') throw new DomainError(`${where}: argument '${name}' must be a number, got ${describeValue(v)}`);
  if (Number.isNaN(v)) throw new NonFiniteError(`${where}: argument '${name}' must not be NaN`);
  return v;
}

/** Reads a d×d matrix parameter (a precision Λ) given to `logDensity` / `logLikelihood`. */
export function readSquare(where: string, name: string, v: unknown, d: number): DenseMatrix {
  return readMatrix(where, name, v, { rows: d, columns: d });
}

/** Reads a `{ mu, Lambda }` parameter of dimension d. */
export function readMeanPrecision(where: string, v: unknown, d: number): { mu: Float64Array; lam: Float64Array } {
  if (typeof v !== 'object' || v === null) throw new DomainError(`${where}: argument 'theta' must be { mu, Lambda }, got ${describeValue(v)}`);
  const t = v as { mu?: unknown; Lambda?: unknown };
  return { mu: readVector(where, 'theta.mu', t.mu, { length: d }), lam: readSquare(where, 'theta.Lambda', t.Lambda, d).data };
}

/** 0/1 observations. */
export const isBinary = (v: number): boolean => v === 0 || v === 1;
/** Non-negative integer counts. */
export const isCount = (v: number): boolean => Number.isInteger(v) && v >= 0;
/** Strictly positive reals. */
export const isPositive = (v: number): boolean => v > 0;

/**
 * Checks a parameter value passed to a model's `logLikelihood`: NaN/±Infinity is a NonFiniteError
 * naming it (the likelihood would otherwise be NaN). Values outside the parameter space are the
 * caller's business; the likelihoods return `-Infinity` for them.
 */
export function readParam(where: string, name: string, v: number): number {
  readNumber(where, name, v);
  return v;
}

/**
 * Reads a probability vector θ of length `k` for a categorical/multinomial likelihood: ShapeError on
 * the wrong length, NonFiniteError on NaN/±Infinity; returns `null` when θ is off the simplex
 * (a negative entry or a sum differing from 1 by more than 1e-9), whose likelihood is `-Infinity`.
 */
export function readSimplex(where: string, name: string, p: ArrayLike<number>, k: number): Float64Array | null {
  const v = readVector(where, name, p);
  if (v.length !== k) throw new ShapeError(`${where}: argument '${name}' must have length ${k}, got ${v.length}`);
  let s = 0;
  for (const x of v) {
    if (x < 0) return null;
    s += x;
  }
  return Math.abs(s - 1) > 1e-9 ? null : v;
}
