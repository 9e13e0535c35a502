/**
 * Boundary readers of @notes/bayes. Matrices and vectors are read with core's converters
 * (`readMatrix` / `readVector`, `@notes/core-linalg/errors`); this file only adds the symmetric-matrix
 * check on top of them and the `MatrixInput` type of the public signatures.
 * @internal
 */
import { type DenseMatrix, DomainError, type MatrixLike, readMatrix, ShapeError } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/**
 * A matrix argument: an ml-matrix `Matrix`, core's `RowMajorMatrix` (e.g. `cholesky(S).inverse()`) or any
 * `MatrixLike` (`rows`, `columns`, `get`), or an array of equal-length rows (arrays or typed arrays).
 */
export type MatrixInput = Matrix | MatrixLike | ArrayLike<ArrayLike<number>>;

/**
 * Reads a matrix that may have no rows (an empty batch of observations): `[]` gives a 0×0 matrix;
 * otherwise as core's `readMatrix` (at least one column).
 */
export function readBatch(where: string, name: string, x: unknown): DenseMatrix {
  return readMatrix(where, name, x, { minRows: 0, minColumns: 0 });
}

/** Reads a symmetric d×d matrix argument (checks symmetry to 1e-9 relative to the largest diagonal entry). */
export function readSymmetric(where: string, name: string, x: unknown, d?: number): DenseMatrix {
  const r = readMatrix(where, name, x);
  if (r.rows !== r.columns) throw new ShapeError(`${where}: argument '${name}' must be square, got ${r.rows}×${r.columns}`);
  const n = r.columns;
  if (d !== undefined && n !== d) throw new ShapeError(`${where}: argument '${name}' must be ${d}×${d}, got ${n}×${n}`);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(r.data[i * n + i] as number));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const a = r.data[i * n + j] as number;
      const b = r.data[j * n + i] as number;
      if (Math.abs(a - b) > 1e-9 * Math.max(1, scale)) {
        throw new DomainError(`${where}: argument '${name}' must be symmetric, got [${i}, ${j}] = ${a} ≠ ${b}`);
      }
    }
  }
  return r;
}
