/**
 * Blocked right-looking Cholesky kernel on a row-major n×n `Float64Array` (lower triangle used).
 * Diagonal blocks are factored unblocked, panels by triangular solves, and the trailing lower
 * triangle is updated with the packed GEMM kernel ({@link gemmStrided}), as in LAPACK's `dpotrf`.
 * @internal
 */
import { gemmStrided } from './gemm.js';

const NB = 96;

/**
 * Overwrites the lower triangle of `a` with L such that $A = LL^\top$ and zeroes the strict upper triangle.
 * @returns -1 on success, else the index of the first non-positive (or non-finite) pivot.
 * @internal
 */
export function potrfInPlace(a: Float64Array, n: number): number {
  for (let k0 = 0; k0 < n; k0 += NB) {
    const kb = Math.min(NB, n - k0);
    const bad = potf2(a, n, k0, kb);
    if (bad >= 0) return bad;
    const r0 = k0 + kb;
    if (r0 >= n) break;
    panelSolve(a, n, k0, kb, r0);
    // A22 -= L21 L21ᵀ, lower part only, one block row at a time.
    for (let i0 = r0; i0 < n; i0 += NB) {
      const ib = Math.min(NB, n - i0);
      gemmStrided(
        ib,
        i0 + ib - r0,
        kb,
        -1,
        { data: a, off: i0 * n + k0, ld: n, trans: false },
        { data: a, off: r0 * n + k0, ld: n, trans: true },
        a,
        i0 * n + r0,
        n,
      );
    }
  }
  for (let i = 0; i < n; i++) a.fill(0, i * n + i + 1, (i + 1) * n);
  return -1;
}

/** Unblocked Cholesky–Banachiewicz on the diagonal block a[k0:k0+kb, k0:k0+kb]. */
function potf2(a: Float64Array, n: number, k0: number, kb: number): number {
  for (let i = 0; i < kb; i++) {
    const ri = (k0 + i) * n + k0;
    for (let j = 0; j <= i; j++) {
      const rj = (k0 + j) * n + k0;
      let s = a[ri + j]!;
      for (let p = 0; p < j; p++) s -= a[ri + p]! * a[rj + p]!;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return k0 + i;
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / a[rj + j]!;
      }
    }
  }
  return -1;
}

const SUB = 16;

/**
 * Rows r0..n-1 of the panel: solve $X L_{11}^\top = A_{21}$ in place, in column slabs of width SUB:
 * $X_{:,J} \leftarrow (A_{21,:,J} - X_{:,<J} L_{11,J,<J}^\top) L_{11,JJ}^{-\top}$, the update on the GEMM kernel.
 */
function panelSolve(a: Float64Array, n: number, k0: number, kb: number, r0: number): void {
  const rows = n - r0;
  for (let j0 = 0; j0 < kb; j0 += SUB) {
    const j1 = Math.min(kb, j0 + SUB);
    if (j0 > 0) {
      gemmStrided(
        rows,
        j1 - j0,
        j0,
        -1,
        { data: a, off: r0 * n + k0, ld: n, trans: false },
        { data: a, off: (k0 + j0) * n + k0, ld: n, trans: true },
        a,
        r0 * n + k0 + j0,
        n,
      );
    }
    for (let i = r0; i < n; i++) {
      const ri = i * n + k0;
      for (let j = j0; j < j1; j++) {
        const rj = (k0 + j) * n + k0;
        let s = a[ri + j]!;
        for (let p = j0; p < j; p++) s -= a[ri + p]! * a[rj + p]!;
        a[ri + j] = s / a[rj + j]!;
      }
    }
  }
}
