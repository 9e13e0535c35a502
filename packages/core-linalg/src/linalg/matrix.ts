/**
 * Conversions between the public 2-D types (ml-matrix `Matrix`, core's `RowMajorMatrix`, or `number[][]`) and
 * the contiguous row-major `Float64Array`s the hot kernels work on.
 */
import { Matrix } from 'ml-matrix';
import {
  NonFiniteError,
  ShapeError,
  isMatrixLike,
  assertInteger,
  checkMemory,
  readVector,
  DEFAULT_MAX_MEMORY_BYTES,
  type MatrixLike,
} from '../errors/index.js';

/**
 * Anything accepted where a matrix is expected at a public boundary: an ml-matrix `Matrix`, core's
 * `RowMajorMatrix` (what `CholeskyFactor.L`, `solveMatrix` and `inverse` return), any other object with
 * `rows`, `columns` and `get(i, j)` (`MatrixLike`), or a rectangular `number[][]`.
 */
export type MatrixInput = Matrix | MatrixLike | number[][];

/**
 * Validates a matrix argument (rectangular, finite) and returns a fresh copy as an ml-matrix `Matrix`.
 * The caller's data is never aliased, so the result may be modified freely.
 *
 * @param A - a `Matrix`, a `RowMajorMatrix` (any `MatrixLike`) or a rectangular `number[][]`.
 * @param where - function name used in error messages. @defaultValue `'toMatrix'`
 * @param name - argument name used in error messages. @defaultValue `'A'`
 * @throws ShapeError if `A` is not a matrix or its rows have different lengths.
 * @throws NonFiniteError if an entry is NaN or ±Infinity.
 * @example toMatrix([[1, 2], [3, 4]]).get(1, 0) // 3
 */
export function toMatrix(A: MatrixInput, where = 'toMatrix', name = 'A'): Matrix {
  const { data, rows, cols } = toRowMajor(A, where, name);
  return fromRowMajor(data, rows, cols);
}

/**
 * Validates a matrix argument and copies it into a row-major `Float64Array`.
 * @internal used by the linalg kernels; exported for other core folders through `index.ts`.
 * @throws ShapeError for a non-matrix, ragged rows or a `MatrixLike` whose sizes are not integers ≥ 0;
 * NonFiniteError for NaN/±Infinity entries; ResourceError if a `MatrixLike`'s copy exceeds the memory budget.
 */
export function toRowMajor(
  A: MatrixInput,
  where = 'toRowMajor',
  name = 'A',
): { data: Float64Array; rows: number; cols: number } {
  if (isMatrixLike(A)) {
    const rows = A.rows;
    const cols = A.columns;
    // any MatrixLike is accepted, so its sizes are checked here (a RangeError from the allocation is not a typed error)
    if (!Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(cols) || cols < 0) {
      throw new ShapeError(`${where}: argument '${name}' must have integer rows and columns >= 0, got ${String(rows)}×${String(cols)}`);
    }
    if (8 * rows * cols > DEFAULT_MAX_MEMORY_BYTES) checkMemory(where, `a ${rows}×${cols} copy of '${name}'`, 8 * rows * cols);
    const data = new Float64Array(rows * cols);
    const M: MatrixLike = A;
    for (let i = 0; i < rows; i++) {
      const off = i * cols;
      for (let j = 0; j < cols; j++) {
        const v = M.get(i, j);
        if (!Number.isFinite(v)) {
          throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${String(v)} at [${i}, ${j}]`);
        }
        data[off + j] = v;
      }
    }
    return { data, rows, cols };
  }
  if (!Array.isArray(A)) {
    throw new ShapeError(`${where}: argument '${name}' must be a Matrix or number[][], got ${typeof A}`);
  }
  const rows = A.length;
  const first = A[0];
  const cols = rows === 0 ? 0 : first && typeof first === 'object' ? first.length : -1;
  if (cols < 0) {
    throw new ShapeError(`${where}: argument '${name}' must be a Matrix or number[][] (rows are arrays), got ${typeof first}`);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = A[i];
    if (!row || typeof row !== 'object' || row.length !== cols) {
      throw new ShapeError(
        `${where}: argument '${name}' must be rectangular; row 0 has ${cols} entries, row ${i} has ${row && typeof row === 'object' ? row.length : 'none'}`,
      );
    }
    const off = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = row[j] as number;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${String(v)} at [${i}, ${j}]`);
      }
      data[off + j] = v;
    }
  }
  return { data, rows, cols };
}

/**
 * Builds a `Matrix` from row-major data (copied).
 * @throws DomainError unless `rows`, `cols` are integers >= 0; ShapeError unless `data` is an array of
 * `rows·cols` numbers; NonFiniteError for NaN/±Infinity; ResourceError above the memory budget.
 */
export function fromRowMajor(data: ArrayLike<number>, rows: number, cols: number): Matrix {
  assertInteger('fromRowMajor', 'rows', rows, 0);
  assertInteger('fromRowMajor', 'cols', cols, 0);
  if (8 * rows * cols > DEFAULT_MAX_MEMORY_BYTES) checkMemory('fromRowMajor', `a ${rows}×${cols} matrix`, 8 * rows * cols);
  readVector('fromRowMajor', 'data', data, { length: rows * cols, minLength: 0 });
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const off = i * cols;
    for (let j = 0; j < cols; j++) M.set(i, j, data[off + j] as number);
  }
  return M;
}

/**
 * Validates a vector argument (non-empty unless `allowEmpty`, finite, optional length) and copies it.
 * @internal
 */
export function toVector(
  x: ArrayLike<number>,
  where: string,
  name: string,
  length?: number,
  what?: string,
): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new ShapeError(`${where}: argument '${name}' must be an array of numbers, got ${x === null ? 'null' : typeof x}`);
  }
  if (length !== undefined && x.length !== length) {
    const why = what ? ` (${what})` : '';
    throw new ShapeError(`${where}: argument '${name}' must have length ${length}${why}, got ${x.length}`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${String(v)} at [${i}]`);
    }
    out[i] = v;
  }
  return out;
}
