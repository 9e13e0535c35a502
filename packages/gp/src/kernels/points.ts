/**
 * Input points as a contiguous row-major block. Public functions accept an ml-matrix `Matrix`, a
 * `number[][]` or rows of typed arrays (rows are points) or, for 1-D inputs, a flat array of numbers (one
 * point per entry, read as a column); they convert once with core's `readMatrix` and hot loops then work
 * on `Float64Array`s.
 */
import { type MatrixLike, ShapeError, fromRowMajor, readMatrix } from '@notes/core-linalg';
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
 * Reads `X` into fresh {@link Points} with core's `readMatrix` (a flat vector is a column of 1-D points).
 * @throws ShapeError (null, scalars, ragged/nested rows, holes, empty), DomainError (non-numbers, quoted
 *   with their type), NonFiniteError (NaN/±Infinity), each naming `where`, `name` and the position.
 * @internal
 */
export function readPoints(X: unknown, where: string, name: string): Points {
  const m = readMatrix(where, name, X, { vector: 'column' });
  return { data: m.data, n: m.rows, d: m.columns };
}

/** Row-major `rows × cols` block → ml-matrix `Matrix` (core's `fromRowMajor`). */
export function toMatrixOut(data: Float64Array, rows: number, cols: number): Matrix {
  return fromRowMajor(data, rows, cols);
}

/** Throws `ShapeError` unless both point sets have dimension `d`. */
export function assertSameDim(where: string, a: Points, b: Points, name = 'Y'): void {
  if (a.d !== b.d) {
    throw new ShapeError(`${where}: argument '${name}' must have ${a.d} columns (columns of X), got ${b.d}`);
  }
}
