/**
 * Fast conversions between ml-matrix `Matrix` and row-major `Float64Array` for the O(n·m) OT inputs
 * and outputs. ml-matrix 6 keeps a plain `Matrix`'s entries in an undocumented field `data`, one
 * `Float64Array` per row; when that layout is present, whole rows are copied with `set` instead of one
 * `get(i, j)` call per entry. The shortcut is taken only for an exact `Matrix` (prototype
 * `Matrix.prototype`, `get` not overridden) whose `data` has `rows` rows of `columns` entries, each a
 * `Float64Array`; anything else (number[][], views such as `MatrixTransposeView`, subclasses, a `data`
 * whose rows are not `Float64Array`s of the right length, a future ml-matrix layout) goes through core's validated
 * `toRowMajor` / `fromRowMajor`, which read through `get`/`set`. Either way the caller's matrix is only
 * read, the result is a fresh copy, and the checks and messages are the same (`matrix-io.test.ts`).
 * @internal
 */
import { fromRowMajor, type MatrixInput, NonFiniteError, toRowMajor } from '@notes/core-linalg';
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

/** Validated row-major copy of a matrix argument (finite entries). */
export function readMatrix(
  M: MatrixInput,
  where: string,
  name: string,
): { data: Float64Array; rows: number; cols: number } {
  const store = rowStore(M);
  if (!store) return toRowMajor(M, where, name);
  const rows = store.length;
  const cols = (M as Matrix).columns; // also right for 0×k, where there is no row to measure
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = store[i]!;
    data.set(r, i * cols);
    for (let j = 0; j < cols; j++) {
      const v = r[j]!;
      if (v - v !== 0) {
        throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${String(v)} at [${i}, ${j}]`);
      }
    }
  }
  return { data, rows, cols };
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
