/** The raw tier's GEMM entry point (unchecked; see `./index.ts`), shared by the blocked and recursive kernels. */
import { gemmStrided } from '../linalg/gemm.js';

/**
 * $C \mathrel{+}= \alpha\,\mathrm{op}(A)\,\mathrm{op}(B)$ on strided row-major blocks:
 * C is m×n at `c[cOff + i·ldc + j]`; op(A) is m×k (A stored m×k with row stride `lda`, or k×m when
 * `transA`); op(B) is k×n likewise. C must not alias A or B.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  transA: boolean,
  b: Float64Array,
  bOff: number,
  ldb: number,
  transB: boolean,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  gemmStrided(m, n, k, alpha, { data: a, off: aOff, ld: lda, trans: transA }, { data: b, off: bOff, ld: ldb, trans: transB }, c, cOff, ldc);
}
