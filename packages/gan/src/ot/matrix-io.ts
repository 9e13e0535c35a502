/**
 * Fast conversions between ml-matrix `Matrix` and rows of `Float64Array` for the O(n·m) OT inputs
 * and outputs. ml-matrix 6 keeps a plain `Matrix`'s entries in an undocumented field `data`, one
 * `Float64Array` per row; when that layout is present, its rows are checked and read in place (and
 * results are written into a new `Matrix`'s rows) instead of one `get(i, j)`/`set` call per entry. The
 * shortcut is taken only for an exact `Matrix` (prototype `Matrix.prototype`, `get` not overridden)
 * whose `data` has `rows` rows of `columns` entries, each a `Float64Array`; anything else (number[][],
 * views such as `MatrixTransposeView`, subclasses, a `data` whose rows are not `Float64Array`s of the
 * right length, a future ml-matrix layout) goes through core's validated `readMatrix` / `fromRowMajor`,
 * which read through `get`/`set` (reads: core's `readMatrix`, the one input converter). Either way the caller's matrix is only read and the checks and
 * messages are the same (`matrix-io.test.ts`).
 * @internal
 */
import { describeValue, fromRowMajor, NonFiniteError, readMatrix } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

function rowStore(M: unknown): Float64Array[] | null {
  if (!(M instanceof Matrix) || Object.getPrototypeOf(M) !== Matrix.prototype || M.get !== Matrix.prototype.get) {
    return null;
  }
  const d = (M as unknown as { data?: unknown }).data;
  if (!Array.isArray(d) || d.length !== M.rows) return null;
  for (const r of d) if (!(r instanceof Float64Array) || r.length !== M.columns) return null;
  return d as Float64Array[];
}

/**
 * The rows of a matrix argument after checking that every entry is finite: an exact `Matrix`'s own row
 * arrays (borrowed, read-only — nothing is copied; same checks and messages as core's `readMatrix`), or
 * otherwise views into the row-major copy made by core's `readMatrix` (`flat`). Callers must not write
 * to the rows. (Core's `readMatrix` reads a `Matrix` through `get(i, j)` and costs ≈ 45 ns per entry,
 * more than a 2000×2000 Sinkhorn solve, so the O(n·m) cost matrix of OT is borrowed instead.)
 */
export function readMatrixRows(
  M: unknown,
  where: string,
  name: string,
): { rows: readonly Float64Array[]; nRows: number; nCols: number; flat: Float64Array | null } {
  const store = rowStore(M);
  if (!store) {
    const { data, rows, columns: cols } = readMatrix(where, name, M, { minRows: 0, minColumns: 0 });
    const views = Array.from({ length: rows }, (_, i) => data.subarray(i * cols, i * cols + cols));
    return { rows: views, nRows: rows, nCols: cols, flat: data };
  }
  for (let i = 0; i < store.length; i++) {
    const r = store[i]!;
    if (allFinite(r)) continue;
    for (let j = 0; j < r.length; j++) {
      const v = r[j]!;
      if (v - v !== 0) {
        throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${describeValue(v)} at [${i}, ${j}]`);
      }
    }
  }
  // columns from the matrix: also right for 0×k, where there is no row to measure
  return { rows: store, nRows: store.length, nCols: (M as Matrix).columns, flat: null };
}

/**
 * Whether every entry of r is finite: x·0 is ±0 for finite x and NaN for ±∞ or NaN, so four running
 * sums of x·0 stay 0 exactly when all are finite (four, so that the adds do not wait on each other).
 */
function allFinite(r: Float64Array): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < r.length; j += 4) {
    s0 += r[j]! * 0;
    s1 += r[j + 1]! * 0;
    s2 += r[j + 2]! * 0;
    s3 += r[j + 3]! * 0;
  }
  for (; j < r.length; j++) s0 += r[j]! * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** A row-major copy of equal-length rows. */
export function flattenRows(rows: readonly Float64Array[], cols: number): Float64Array {
  const data = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) data.set(rows[i]!, i * cols);
  return data;
}

/**
 * A new rows×cols `Matrix` whose row i is written by `fillRow(i, row)` (rows in order 0, 1, …) into a
 * zeroed `Float64Array` of length cols — the matrix's own row when the fast layout is present, so an
 * O(n·m) result is written once instead of being formed and then copied.
 */
export function buildMatrix(rows: number, cols: number, fillRow: (i: number, row: Float64Array) => void): Matrix {
  const out = new Matrix(rows, cols);
  const store = rowStore(out);
  if (store) {
    for (let i = 0; i < rows; i++) fillRow(i, store[i]!);
    return out;
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) fillRow(i, data.subarray(i * cols, i * cols + cols));
  return fromRowMajor(data, rows, cols);
}
