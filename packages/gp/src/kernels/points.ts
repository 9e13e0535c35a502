/**
 * Input points as a contiguous row-major block. Public functions accept an ml-matrix `Matrix`, a
 * `number[][]` (rows are points) or, for 1-D inputs, a flat `ArrayLike<number>` (one point per entry);
 * they convert once with {@link toPoints} and hot loops then work on `Float64Array`s.
 */
import { type MatrixLike, ShapeError, assertFinite, fromRowMajor, isMatrixLike } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** Inputs accepted at public boundaries: a matrix (rows are points), rows of numbers, or 1-D points. */
export type PointsInput = Matrix | MatrixLike | ArrayLike<ArrayLike<number>> | ArrayLike<number>;

/** `n` points of dimension `d`, stored row-major in `data` (length `n·d`). */
export interface Points {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
}

/**
 * Validates and copies `X` into {@link Points}. Throws `ShapeError` on ragged/empty rows and
 * `NonFiniteError` on NaN/±Infinity, naming `where` and `name`.
 */
export function toPoints(X: PointsInput, where: string, name: string, allowEmpty = false): Points {
  if (isMatrixLike(X)) {
    const n = X.rows;
    const d = X.columns;
    if (!allowEmpty && (n === 0 || d === 0)) throw new ShapeError(`${where}: argument '${name}' must not be empty`);
    assertFinite(where, name, X);
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = X.get(i, j);
    return { data, n, d };
  }
  const rows = X as ArrayLike<number | ArrayLike<number>>;
  const n = rows.length;
  if (n === 0) {
    if (allowEmpty) return { data: new Float64Array(0), n: 0, d: 0 };
    throw new ShapeError(`${where}: argument '${name}' must not be empty`);
  }
  if (typeof rows[0] === 'number') {
    for (let i = 0; i < n; i++) {
      if (typeof rows[i] !== 'number') {
        throw new ShapeError(`${where}: argument '${name}' mixes numbers and rows (entry ${i})`);
      }
    }
    assertFinite(where, name, rows as ArrayLike<number>);
    return { data: Float64Array.from(rows as ArrayLike<number>), n, d: 1 };
  }
  const d = (rows[0] as ArrayLike<number>).length;
  if (d === 0) throw new ShapeError(`${where}: argument '${name}' must have at least one column, got 0`);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as ArrayLike<number>;
    if (typeof r !== 'object' || r === null || r.length !== d) {
      const got = typeof r === 'object' && r !== null ? r.length : typeof r;
      throw new ShapeError(`${where}: argument '${name}' must be rectangular: row ${i} has ${got} entries, row 0 has ${d}`);
    }
    for (let j = 0; j < d; j++) data[i * d + j] = r[j];
  }
  assertFinite(where, name, data);
  return { data, n, d };
}

/** Row-major `rows × cols` block → ml-matrix `Matrix` (core's `fromRowMajor`). */
export function toMatrixOut(data: Float64Array, rows: number, cols: number): Matrix {
  return fromRowMajor(data, rows, cols);
}

/** Throws `ShapeError` unless both point sets have dimension `d`. */
export function assertSameDim(where: string, a: Points, b: Points): void {
  if (a.d !== b.d) {
    throw new ShapeError(`${where}: argument 'Y' must have ${a.d} columns (columns of X), got ${b.d}`);
  }
}
