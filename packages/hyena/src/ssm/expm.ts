/**
 * Matrix exponential by scaling and squaring with a Taylor series (Moler & Van Loan 2003, "Nineteen
 * dubious ways", method 3). The matrix is scaled by 2^{-s} until its 1-norm is ≤ 1/2, the series is
 * summed until the next term is below 1e-17 relative, then squared s times. Accurate to ~1e-14 relative
 * for the small, moderately scaled matrices of SSM discretisation; hand-written because ml-matrix has no
 * expm.
 */
import { DomainError, type MatrixInput, readMatrix, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

function norm1(A: Matrix): number {
  let best = 0;
  for (let j = 0; j < A.columns; j++) {
    let s = 0;
    for (let i = 0; i < A.rows; i++) s += Math.abs(A.get(i, j));
    best = Math.max(best, s);
  }
  return best;
}

/**
 * $e^{A} = \lim (I + A/m)^m$, computed as $(\sum_k (A/2^s)^k / k!)^{2^s}$ for a square matrix.
 * @throws ShapeError for a non-square or malformed A; NonFiniteError for NaN/±Infinity entries;
 *   DomainError when the exponential overflows.
 */
export function expm(A: MatrixInput): Matrix {
  const a = readMatrix('expm', 'A', A);
  if (a.rows !== a.columns) throw new ShapeError(`expm: argument 'A' must be square, got ${a.rows}×${a.columns}`);
  const n = a.rows;
  return expmChecked(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)))), 'expm');
}

/**
 * {@link expm} of a checked square matrix; throws DomainError naming `where` if an entry of A·scale or of
 * the result is not finite.
 * @internal
 */
export function expmChecked(A: Matrix, where: string): Matrix {
  const check = (M: Matrix, what: string) => {
    for (let i = 0; i < M.rows; i++)
      for (let j = 0; j < M.columns; j++) {
        const v = M.get(i, j);
        if (v - v !== 0) throw new DomainError(`${where}: ${what} overflowed (${v} at [${i}, ${j}]); scale the system down`);
      }
  };
  check(A, 'the scaled matrix');
  const E = expmRaw(A);
  check(E, 'the matrix exponential');
  return E;
}

function expmRaw(A: Matrix): Matrix {
  const n = A.rows;
  const norm = norm1(A);
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scaled = A.clone().mul(2 ** -s);
  let result = Matrix.eye(n);
  let term = Matrix.eye(n);
  for (let k = 1; k < 40; k++) {
    term = term.mmul(scaled).mul(1 / k);
    result = result.add(term);
    if (norm1(term) <= 1e-17 * norm1(result)) break;
  }
  for (let i = 0; i < s; i++) result = result.mmul(result);
  return result;
}
