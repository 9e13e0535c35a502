/**
 * Shared argument validators. Each throws a typed {@link NotesError} naming the function (`where`),
 * the argument and what was expected, before any work is done. Inner kernels assume clean input.
 */
import { describeValue } from './describe.js';
import { AbortError, DomainError, NonFiniteError, ShapeError } from './errors.js';

/** Something with `rows`/`columns` and `get(i, j)` (an ml-matrix `Matrix`). */
export interface MatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

function describe(x: number): string {
  return Number.isNaN(x) ? 'NaN' : String(x);
}

/** Throws {@link NonFiniteError} if `value` (a number, an array of numbers or a matrix) holds NaN or ±Infinity. */
export function assertFinite(
  where: string,
  name: string,
  value: number | ArrayLike<number> | MatrixLike | ArrayLike<ArrayLike<number>>,
): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${describe(value)}`);
    }
    return;
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' || typeof value === 'boolean') {
      throw new DomainError(`${where}: argument '${name}' must be finite numbers, got ${describeValue(value)}`);
    }
    throw new NonFiniteError(`${where}: argument '${name}' must be finite numbers, got ${describeValue(value)}`);
  }
  if (!isMatrixLike(value) && typeof (value as { length?: unknown }).length !== 'number') {
    throw new DomainError(`${where}: argument '${name}' must be finite numbers, got ${describeValue(value)}`);
  }
  if (isMatrixLike(value)) {
    for (let i = 0; i < value.rows; i++) {
      for (let j = 0; j < value.columns; j++) {
        const v = value.get(i, j);
        if (!Number.isFinite(v)) {
          throw new NonFiniteError(
            `${where}: argument '${name}' must be finite, got ${describe(v)} at [${i}, ${j}]`,
          );
        }
      }
    }
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const v = value[i] as number | ArrayLike<number>;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${describe(v)} at [${i}]`);
      }
    } else if (v === null || v === undefined) {
      // JSON turns NaN into null: a null entry is a non-finite number
      throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${String(v)} at [${i}]`);
    } else if (typeof v !== 'object' || typeof (v as { length?: unknown }).length !== 'number') {
      throw new DomainError(`${where}: argument '${name}' must hold finite numbers, got ${describeValue(v)} at [${i}]`);
    } else {
      for (let j = 0; j < v.length; j++) {
        if (typeof v[j] !== 'number') {
          throw new DomainError(`${where}: argument '${name}' must hold numbers, got ${describeValue(v[j])} at [${i}, ${j}]`);
        }
        if (!Number.isFinite(v[j])) {
          throw new NonFiniteError(
            `${where}: argument '${name}' must be finite, got ${describe(v[j] as number)} at [${i}, ${j}]`,
          );
        }
      }
    }
  }
}

/** True when `x` looks like an ml-matrix `Matrix`. */
export function isMatrixLike(x: unknown): x is MatrixLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as MatrixLike).rows === 'number' &&
    typeof (x as MatrixLike).columns === 'number' &&
    typeof (x as MatrixLike).get === 'function'
  );
}

/** Throws {@link ShapeError} unless `value.length === expected`. `what` explains the expectation, e.g. "rows of X". */
export function assertLength(
  where: string,
  name: string,
  value: ArrayLike<unknown>,
  expected: number,
  what?: string,
): void {
  requireSized(where, name, value);
  if (value.length !== expected) {
    const why = what ? ` (${what})` : '';
    throw new ShapeError(`${where}: argument '${name}' must have length ${expected}${why}, got ${value.length}`);
  }
}

function requireSized(where: string, name: string, value: unknown): void {
  if (isMatrixLike(value)) return;
  if (value === null || typeof value !== 'object' || typeof (value as { length?: unknown }).length !== 'number') {
    throw new ShapeError(`${where}: argument '${name}' must be an array, got ${describeValue(value)}`);
  }
}

function requireMatrix(where: string, name: string, value: unknown): void {
  if (!isMatrixLike(value)) throw new ShapeError(`${where}: argument '${name}' must be a matrix, got ${describeValue(value)}`);
}

/** Throws {@link ShapeError} if `value` is empty. */
export function assertNonEmpty(where: string, name: string, value: ArrayLike<unknown> | MatrixLike): void {
  requireSized(where, name, value);
  const size = isMatrixLike(value) ? value.rows * value.columns : value.length;
  if (size === 0) throw new ShapeError(`${where}: argument '${name}' must not be empty`);
}

/** Throws {@link ShapeError} unless the matrix has the given dimensions (`undefined` leaves one free). */
export function assertShape(
  where: string,
  name: string,
  value: MatrixLike,
  rows: number | undefined,
  columns: number | undefined,
): void {
  requireMatrix(where, name, value);
  if ((rows !== undefined && value.rows !== rows) || (columns !== undefined && value.columns !== columns)) {
    const want = `${rows ?? 'any'}×${columns ?? 'any'}`;
    throw new ShapeError(`${where}: argument '${name}' must be ${want}, got ${value.rows}×${value.columns}`);
  }
}

/** Throws {@link ShapeError} unless the matrix is square. */
export function assertSquare(where: string, name: string, value: MatrixLike): void {
  requireMatrix(where, name, value);
  if (value.rows !== value.columns) {
    throw new ShapeError(`${where}: argument '${name}' must be square, got ${value.rows}×${value.columns}`);
  }
}

function assertNumber(where: string, name: string, value: unknown): void {
  if (typeof value !== 'number') throw new DomainError(`${where}: argument '${name}' must be a number, got ${describeValue(value)}`);
  if (!Number.isFinite(value)) throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${describeValue(value)}`);
}

/** Throws {@link DomainError} unless `value > 0` (and finite). */
export function assertPositive(where: string, name: string, value: number): void {
  assertNumber(where, name, value);
  if (!(value > 0)) throw new DomainError(`${where}: argument '${name}' must be > 0, got ${value}`);
}

/** Throws {@link DomainError} unless `value >= 0` (and finite). */
export function assertNonNegative(where: string, name: string, value: number): void {
  assertNumber(where, name, value);
  if (!(value >= 0)) throw new DomainError(`${where}: argument '${name}' must be >= 0, got ${value}`);
}

/**
 * Throws {@link DomainError} unless `value` is a safe integer ($|v| \le 2^{53}-1$, so counts like 1e300
 * that no loop or allocation could honour are rejected) in `[min, max]`.
 */
export function assertInteger(
  where: string,
  name: string,
  value: number,
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = `${Number.isFinite(min) ? min : '-∞'}..${Number.isFinite(max) ? max : '∞'}`;
    throw new DomainError(`${where}: argument '${name}' must be an integer in ${range}, got ${describeValue(value)}`);
  }
}

/** Throws {@link DomainError} unless `value` is in the closed interval `[lo, hi]`. */
export function assertInRange(where: string, name: string, value: number, lo: number, hi: number): void {
  assertNumber(where, name, value);
  if (value < lo || value > hi) {
    throw new DomainError(`${where}: argument '${name}' must be in [${lo}, ${hi}], got ${value}`);
  }
}

/**
 * Throws unless `p` is a probability vector: finite, non-negative entries summing to 1 within `tol`.
 * @defaultValue tol = 1e-8
 */
export function assertProbabilityVector(where: string, name: string, p: ArrayLike<number>, tol = 1e-8): void {
  assertNonEmpty(where, name, p);
  assertFinite(where, name, p);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (v < 0) throw new DomainError(`${where}: argument '${name}' must be non-negative, got ${v} at [${i}]`);
    sum += v;
  }
  if (Math.abs(sum - 1) > tol) {
    throw new DomainError(`${where}: argument '${name}' must sum to 1 (±${tol}), got ${sum}`);
  }
}

/** Throws {@link AbortError} if the signal has been aborted. Call it between iterations of long fits. */
export function throwIfAborted(where: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(`${where}: aborted by the caller's AbortSignal`);
}
