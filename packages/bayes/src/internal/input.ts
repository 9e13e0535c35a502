/**
 * Boundary readers: turn caller data into validated, copied row-major arrays before any work.
 * @internal
 */
import {
  assertFinite,
  assertNonEmpty,
  DomainError,
  isMatrixLike,
  NonFiniteError,
  ShapeError,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** A matrix argument: an ml-matrix `Matrix` or an array of equal-length rows. */
export type MatrixInput = Matrix | ArrayLike<ArrayLike<number>>;

/** Row-major copy of a validated n×d data matrix. */
export interface Rows {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

/** Copies a matrix argument into a row-major array; throws ShapeError / NonFiniteError naming it. */
export function readRows(where: string, name: string, x: MatrixInput, allowEmpty = false): Rows {
  if (isMatrixLike(x)) {
    const n = x.rows;
    const d = x.columns;
    if (!allowEmpty && n === 0) throw new ShapeError(`${where}: argument '${name}' must not be empty`);
    assertFinite(where, name, x);
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = x.get(i, j);
    return { n, d, data };
  }
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') {
    throw new ShapeError(`${where}: argument '${name}' must be a Matrix or an array of rows`);
  }
  const n = x.length;
  if (!allowEmpty) assertNonEmpty(where, name, x);
  if (n === 0) return { n: 0, d: 0, data: new Float64Array(0) };
  const first = x[0];
  if (first === undefined || typeof first !== 'object') {
    throw new ShapeError(`${where}: argument '${name}' must be an array of rows (arrays of numbers)`);
  }
  const d = first.length;
  if (d === 0) throw new ShapeError(`${where}: argument '${name}' must have at least one column`);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = x[i] as ArrayLike<number>;
    if (row === undefined || row.length !== d) {
      throw new ShapeError(
        `${where}: argument '${name}' must be rectangular: row ${i} has length ${row?.length}, expected ${d}`,
      );
    }
    for (let j = 0; j < d; j++) {
      const v = row[j] as number;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const E = typeof v === 'number' ? NonFiniteError : DomainError;
        throw new E(`${where}: argument '${name}' must be finite, got ${v} at [${i}, ${j}]`);
      }
      data[i * d + j] = v;
    }
  }
  return { n, d, data };
}

/** Copies a vector argument; throws if it is not finite. */
export function readVector(where: string, name: string, x: ArrayLike<number>, allowEmpty = true): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new ShapeError(`${where}: argument '${name}' must be an array of numbers`);
  }
  if (!allowEmpty) assertNonEmpty(where, name, x);
  assertFinite(where, name, x);
  return Float64Array.from(x);
}

/** Reads a symmetric positive-definite d×d matrix argument (checks symmetry to 1e-9 relative). */
export function readSymmetric(where: string, name: string, x: MatrixInput, d?: number): Rows {
  const r = readRows(where, name, x);
  if (r.n !== r.d) throw new ShapeError(`${where}: argument '${name}' must be square, got ${r.n}×${r.d}`);
  if (d !== undefined && r.d !== d) {
    throw new ShapeError(`${where}: argument '${name}' must be ${d}×${d}, got ${r.n}×${r.d}`);
  }
  let scale = 0;
  for (let i = 0; i < r.d; i++) scale = Math.max(scale, Math.abs(r.data[i * r.d + i] as number));
  for (let i = 0; i < r.d; i++) {
    for (let j = 0; j < i; j++) {
      const a = r.data[i * r.d + j] as number;
      const b = r.data[j * r.d + i] as number;
      if (Math.abs(a - b) > 1e-9 * Math.max(1, scale)) {
        throw new DomainError(`${where}: argument '${name}' must be symmetric, got [${i}, ${j}] = ${a} ≠ ${b}`);
      }
    }
  }
  return r;
}
