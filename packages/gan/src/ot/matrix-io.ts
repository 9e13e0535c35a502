/**
 * Fast conversions between ml-matrix `Matrix` and row-major `Float64Array` for the O(n·m) OT inputs
 * and outputs. An ml-matrix `Matrix` keeps one `Float64Array` per row (`data`), so whole rows are
 * copied with `set`; anything else (number[][], other matrix classes, a future ml-matrix layout)
 * goes through core's validated `toRowMajor` / `fromRowMajor`. Same checks and messages either way.
 * @internal
 */
import { fromRowMajor, type MatrixInput, NonFiniteError, toRowMajor } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

function rowStore(M: unknown): Float64Array[] | null {
  if (!(M instanceof Matrix)) return null;
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
  const cols = rows === 0 ? 0 : store[0]!.length;
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

/** A new `Matrix` holding a copy of row-major data. */
export function writeMatrix(data: Float64Array, rows: number, cols: number): Matrix {
  const out = new Matrix(rows, cols);
  const store = rowStore(out);
  if (!store) return fromRowMajor(data, rows, cols);
  for (let i = 0; i < rows; i++) store[i]!.set(data.subarray(i * cols, i * cols + cols));
  return out;
}
