/**
 * Triangular solves with a row-major lower-triangular L (n×n). No validation (callers validate).
 * @internal
 */

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

/** Solves $LX = B$ in place for row-major B (n×m). */
export function forwardMatrixInPlace(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    const bi = i * m;
    const r = i * n;
    for (let j = 0; j < i; j++) {
      const l = L[r + j]!;
      if (l === 0) continue;
      const bj = j * m;
      for (let c = 0; c < m; c++) B[bi + c] -= l * B[bj + c]!;
    }
    const d = 1 / L[r + i]!;
    for (let c = 0; c < m; c++) B[bi + c] *= d;
  }
}

/** Solves $L^\top X = B$ in place for row-major B (n×m). */
export function backwardTransMatrixInPlace(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let i = n - 1; i >= 0; i--) {
    const bi = i * m;
    const r = i * n;
    const d = 1 / L[r + i]!;
    for (let c = 0; c < m; c++) B[bi + c] *= d;
    for (let j = 0; j < i; j++) {
      const l = L[r + j]!;
      if (l === 0) continue;
      const bj = j * m;
      for (let c = 0; c < m; c++) B[bj + c] -= l * B[bi + c]!;
    }
  }
}
