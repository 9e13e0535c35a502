/**
 * `RowMajorMatrix`: core's own dense-matrix return type, a small read-only wrapper around one row-major
 * `Float64Array`. Used where importing ml-matrix would cost more than the function itself (a browser page that
 * imports only `cholesky` must not download ml-matrix's 69 KiB): {@link CholeskyFactor}'s `L`, `solveMatrix`
 * and `inverse` return it. It has no ml-matrix dependency.
 */
import { DomainError, NonFiniteError, ShapeError } from '../errors/errors.js';
import type { DenseMatrix } from '../errors/inputs.js';
import type { MatrixLike } from '../errors/validate.js';
import { type MatrixInput, toRowMajor } from './matrix.js';

function checkIndex(where: string, name: string, i: number, size: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= size) {
    throw new DomainError(`RowMajorMatrix.${where}: argument '${name}' must be an integer in 0..${size - 1}, got ${String(i)}`);
  }
}

/**
 * A dense `rows × columns` matrix stored row-major in one `Float64Array`: entry (i, j) is `data[i * columns + j]`.
 *
 * - Accepted back everywhere a matrix is: it has `rows`, `columns` and `get(i, j)` (it is a `MatrixLike`), so
 *   `readMatrix`, every core function taking a `MatrixInput` and every @notes fit read it like an ml-matrix
 *   `Matrix`. `new Matrix(m.to2DArray())` converts it to ml-matrix when its methods are wanted.
 * - The object is frozen (`rows`, `columns`, `data` cannot be reassigned). The entries in `data` are not frozen
 *   (a typed array cannot be): core never keeps a reference to a matrix it returns (each `CholeskyFactor.L`,
 *   `solveMatrix` and `inverse` call builds a fresh one), so the caller owns it; modifying it changes nothing else.
 * - Method names and meanings follow ml-matrix's read methods (`get`, `getRow`, `getColumn`, `to1DArray`,
 *   `to2DArray`); vectors come back as `Float64Array` copies.
 * - `JSON.stringify` writes it as an array of rows (`toJSON`), which reads back as a matrix.
 *
 * @example
 * const L = cholesky([[4, 2], [2, 3]]).L; // RowMajorMatrix 2×2
 * L.get(1, 1);      // √2
 * L.to2DArray();    // [[2, 0], [1, 1.414…]]
 * L.data;           // Float64Array [2, 0, 1, 1.414…]
 */
export class RowMajorMatrix implements MatrixLike, DenseMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly columns: number;
  /** The entries, row-major: (i, j) is `data[i * columns + j]`; length `rows · columns`. */
  readonly data: Float64Array;

  /**
   * Wraps `data` (used as is, not copied) as a `rows × columns` matrix and freezes the object.
   * To build one from any matrix input with validation and a copy, use {@link RowMajorMatrix.from}.
   * @throws DomainError unless `rows` and `columns` are integers ≥ 0.
   * @throws ShapeError unless `data` is a `Float64Array` of length `rows · columns`.
   * @throws NonFiniteError if an entry is NaN or ±Infinity.
   */
  constructor(rows: number, columns: number, data: Float64Array) {
    if (!Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(columns) || columns < 0) {
      throw new DomainError(`RowMajorMatrix: 'rows' and 'columns' must be integers >= 0, got ${String(rows)}×${String(columns)}`);
    }
    if (!(data instanceof Float64Array) || data.length !== rows * columns) {
      const got = data instanceof Float64Array ? `length ${data.length}` : typeof data;
      throw new ShapeError(`RowMajorMatrix: argument 'data' must be a Float64Array of length ${rows * columns} (${rows}×${columns}), got ${got}`);
    }
    for (let k = 0; k < data.length; k++) {
      if (!Number.isFinite(data[k])) {
        const at = `[${Math.floor(k / columns)}, ${k % columns}]`;
        throw new NonFiniteError(`RowMajorMatrix: argument 'data' must be finite, got ${String(data[k])} at ${at}`);
      }
    }
    this.rows = rows;
    this.columns = columns;
    this.data = data;
    Object.freeze(this);
  }

  /**
   * A validated copy of any {@link MatrixInput}: an ml-matrix `Matrix`, a `RowMajorMatrix`, anything with
   * `rows`, `columns`, `get(i, j)`, or an array of rows.
   * @throws ShapeError for a non-matrix, ragged rows or a `MatrixLike` whose `rows`/`columns` are not integers ≥ 0;
   * NonFiniteError for NaN/±Infinity entries; ResourceError if the copy would exceed the memory budget.
   * @example RowMajorMatrix.from([[1, 2], [3, 4]]).get(1, 0) // 3
   */
  static from(A: MatrixInput): RowMajorMatrix {
    const { data, rows, cols } = toRowMajor(A, 'RowMajorMatrix.from', 'A');
    return new RowMajorMatrix(rows, cols, data);
  }

  /**
   * Entry (i, j).
   * @throws DomainError unless `0 ≤ i < rows` and `0 ≤ j < columns` are integers.
   */
  get(i: number, j: number): number {
    if (!(i >= 0 && i < this.rows && j >= 0 && j < this.columns && Number.isInteger(i) && Number.isInteger(j))) {
      checkIndex('get', 'i', i, this.rows);
      checkIndex('get', 'j', j, this.columns);
    }
    return this.data[i * this.columns + j] as number;
  }

  /** Row i as a new `Float64Array`. @throws DomainError for an index out of range. */
  getRow(i: number): Float64Array {
    checkIndex('getRow', 'i', i, this.rows);
    return this.data.slice(i * this.columns, (i + 1) * this.columns);
  }

  /** Column j as a new `Float64Array`. @throws DomainError for an index out of range. */
  getColumn(j: number): Float64Array {
    checkIndex('getColumn', 'j', j, this.columns);
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.columns + j] as number;
    return out;
  }

  /** All entries, row-major, as a new `Float64Array` (a copy of `data`). */
  to1DArray(): Float64Array {
    return this.data.slice();
  }

  /** The rows as new `number[][]`. */
  to2DArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.columns, (i + 1) * this.columns)));
    return out;
  }

  /** JSON form: the array of rows ({@link RowMajorMatrix.to2DArray}), which every matrix argument accepts back. */
  toJSON(): number[][] {
    return this.to2DArray();
  }
}
