/**
 * Triangular solves with a row-major lower-triangular L (n×n). No validation (callers validate).
 * @internal
 */
import { gemmStrided } from './gemm.js';

/** Solves $Lx = b$ in place (forward substitution, $x_i = (b_i - \sum_{j<i} L_{ij}x_j)/L_{ii}$). */
export function forwardInPlace(L: Float64Array, n: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const r = i * n;
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= L[r + j]! * x[j]!;
    x[i] = s / L[r + i]!;
  }
}

/** Solves $L^\top x = b$ in place (back substitution, column-oriented so rows of L stay contiguous). */
export function backwardTransInPlace(L: Float64Array, n: number, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const r = i * n;
    const xi = x[i]! / L[r + i]!;
    x[i] = xi;
    for (let j = 0; j < i; j++) x[j] -= L[r + j]! * xi;
  }
}

const NB = 64;

/**
 * Solves $LX = B$ in place for row-major B (n×m), blocked: for each block row $I$,
 * $B_I \leftarrow L_{II}^{-1}(B_I - L_{I,<I} X_{<I})$ with the update on the GEMM kernel.
 */
export function forwardMatrixInPlace(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    if (i0 > 0) {
      gemmStrided(
        i1 - i0,
        m,
        i0,
        -1,
        { data: L, off: i0 * n, ld: n, trans: false },
        { data: B, off: 0, ld: m, trans: false },
        B,
        i0 * m,
        m,
      );
    }
    for (let i = i0; i < i1; i++) {
      const bi = i * m;
      const r = i * n;
      for (let j = i0; j < i; j++) {
        const l = L[r + j]!;
        if (l === 0) continue;
        const bj = j * m;
        for (let c = 0; c < m; c++) B[bi + c] -= l * B[bj + c]!;
      }
      const d = 1 / L[r + i]!;
      for (let c = 0; c < m; c++) B[bi + c] *= d;
    }
  }
}

/**
 * Solves $L^\top X = B$ in place for row-major B (n×m), blocked from the last block row up:
 * $B_I \leftarrow L_{II}^{-\top}(B_I - L_{>I,I}^\top X_{>I})$.
 */
export function backwardTransMatrixInPlace(L: Float64Array, n: number, B: Float64Array, m: number): void {
  const last = Math.floor((n - 1) / NB) * NB;
  for (let i0 = last; i0 >= 0; i0 -= NB) {
    const i1 = Math.min(n, i0 + NB);
    if (i1 < n) {
      gemmStrided(
        i1 - i0,
        m,
        n - i1,
        -1,
        { data: L, off: i1 * n + i0, ld: n, trans: true },
        { data: B, off: i1 * m, ld: m, trans: false },
        B,
        i0 * m,
        m,
      );
    }
    for (let i = i1 - 1; i >= i0; i--) {
      const bi = i * m;
      const r = i * n;
      const d = 1 / L[r + i]!;
      for (let c = 0; c < m; c++) B[bi + c] *= d;
      for (let j = i0; j < i; j++) {
        const l = L[r + j]!;
        if (l === 0) continue;
        const bj = j * m;
        for (let c = 0; c < m; c++) B[bj + c] -= l * B[bi + c]!;
      }
    }
  }
}
