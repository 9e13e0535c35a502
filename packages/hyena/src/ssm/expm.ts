/**
 * Matrix exponential by scaling and squaring with a Taylor series (Moler & Van Loan 2003, "Nineteen
 * dubious ways", method 3). The matrix is scaled by 2^{-s} until its 1-norm is ≤ 1/2, the series is
 * summed until the next term is below 1e-17 relative, then squared s times. Accurate to ~1e-14 relative
 * for the small, moderately scaled matrices of SSM discretisation; hand-written because ml-matrix has no
 * expm.
 * @internal
 */
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

/** $e^{A} = \lim (I + A/m)^m$, computed as $(\sum_k (A/2^s)^k / k!)^{2^s}$. */
export function expm(A: Matrix): Matrix {
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
