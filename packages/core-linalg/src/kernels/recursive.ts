/**
 * Recursive (cache-oblivious) level-3 kernels on strided row-major blocks, the raw tier's engine for
 * `potrf`, `trtriLower`, `potri` and the triangular products. Each one splits its triangle in halves
 * (Gustavson 1997; Elmroth, Gustavson, Jonsson & Kågström, SIAM Review 46(1), 2004), so almost all
 * flops land in a few large GEMM calls on core's packed WebAssembly kernel, and the triangles are
 * never multiplied as zero-padded squares: `trtri` n³/3, `lauum` n³/3, `potrf` n³/3 flops.
 *
 * Element (i, j) of a block is `a[off + i·ld + j]`. No validation; blocks passed to one call must
 * not overlap unless stated. Results live in the lower triangle; kernels may write junk into the
 * strict upper triangle of the diagonal blocks they own (callers zero or mirror it).
 * @internal
 */
import { gemm } from './gemm.js';

/** Below this order the kernels run plain loops. */
const BS = 24;


/** X (p×q) ← L·X, L lower p×p. */
export function trmmLeftLower(L: Float64Array, lo: number, ldl: number, p: number, X: Float64Array, xo: number, ldx: number, q: number): void {
  if (p <= BS) {
    for (let i = p - 1; i >= 0; i--) {
      const ri = xo + i * ldx;
      const li = lo + i * ldl;
      const d = L[li + i]!;
      for (let c = 0; c < q; c++) X[ri + c]! *= d;
      for (let k = 0; k < i; k++) {
        const l = L[li + k]!;
        if (l === 0) continue;
        const rk = xo + k * ldx;
        for (let c = 0; c < q; c++) X[ri + c]! += l * X[rk + c]!;
      }
    }
    return;
  }
  const h = p >> 1;
  trmmLeftLower(L, lo + h * ldl + h, ldl, p - h, X, xo + h * ldx, ldx, q);
  gemm(p - h, q, h, 1, L, lo + h * ldl, ldl, false, X, xo, ldx, false, X, xo + h * ldx, ldx);
  trmmLeftLower(L, lo, ldl, h, X, xo, ldx, q);
}

/** X (p×q) ← Lᵀ·X, L lower p×p. */
export function trmmLeftLowerTrans(L: Float64Array, lo: number, ldl: number, p: number, X: Float64Array, xo: number, ldx: number, q: number): void {
  if (p <= BS) {
    for (let i = 0; i < p; i++) {
      const ri = xo + i * ldx;
      const d = L[lo + i * ldl + i]!;
      for (let c = 0; c < q; c++) X[ri + c]! *= d;
      for (let k = i + 1; k < p; k++) {
        const l = L[lo + k * ldl + i]!;
        if (l === 0) continue;
        const rk = xo + k * ldx;
        for (let c = 0; c < q; c++) X[ri + c]! += l * X[rk + c]!;
      }
    }
    return;
  }
  const h = p >> 1;
  trmmLeftLowerTrans(L, lo, ldl, h, X, xo, ldx, q);
  gemm(h, q, p - h, 1, L, lo + h * ldl, ldl, true, X, xo + h * ldx, ldx, false, X, xo, ldx);
  trmmLeftLowerTrans(L, lo + h * ldl + h, ldl, p - h, X, xo + h * ldx, ldx, q);
}

/** X (q×p) ← X·L, L lower p×p. */
export function trmmRightLower(X: Float64Array, xo: number, ldx: number, q: number, L: Float64Array, lo: number, ldl: number, p: number): void {
  if (p <= BS) {
    for (let r = 0; r < q; r++) {
      const rx = xo + r * ldx;
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = j; k < p; k++) s += X[rx + k]! * L[lo + k * ldl + j]!;
        X[rx + j] = s;
      }
    }
    return;
  }
  const h = p >> 1;
  trmmRightLower(X, xo, ldx, q, L, lo, ldl, h);
  gemm(q, h, p - h, 1, X, xo + h, ldx, false, L, lo + h * ldl, ldl, false, X, xo, ldx);
  trmmRightLower(X, xo + h, ldx, q, L, lo + h * ldl + h, ldl, p - h);
}

/** X (q×p) ← X·Lᵀ, L lower p×p. */
export function trmmRightLowerTrans(X: Float64Array, xo: number, ldx: number, q: number, L: Float64Array, lo: number, ldl: number, p: number): void {
  if (p <= BS) {
    for (let r = 0; r < q; r++) {
      const rx = xo + r * ldx;
      for (let j = p - 1; j >= 0; j--) {
        const lj = lo + j * ldl;
        let s = 0;
        for (let k = 0; k <= j; k++) s += X[rx + k]! * L[lj + k]!;
        X[rx + j] = s;
      }
    }
    return;
  }
  const h = p >> 1;
  trmmRightLowerTrans(X, xo + h, ldx, q, L, lo + h * ldl + h, ldl, p - h);
  gemm(q, p - h, h, 1, X, xo, ldx, false, L, lo + h * ldl, ldl, true, X, xo + h, ldx);
  trmmRightLowerTrans(X, xo, ldx, q, L, lo, ldl, h);
}

/** Base block of {@link trsmRightLowerTrans} with many rows: X ← X·(L⁻¹)ᵀ by one GEMM through a scratch copy. */
let scratch = new Float64Array(0);
function trsmBaseGemm(X: Float64Array, xo: number, ldx: number, q: number, L: Float64Array, lo: number, ldl: number, p: number): void {
  // T = L⁻¹ (p×p, lower) in a compact copy
  const T = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) T[i * p + j] = L[lo + i * ldl + j]!;
  trtriRecursive(T, 0, p, p);
  const need = q * p;
  if (scratch.length < need) scratch = new Float64Array(need);
  const Y = scratch;
  Y.fill(0, 0, need);
  gemm(q, p, p, 1, X, xo, ldx, false, T, 0, p, true, Y, 0, p);
  for (let r = 0; r < q; r++) X.set(Y.subarray(r * p, (r + 1) * p), xo + r * ldx);
}

/** Solves X·Lᵀ = B in place (X, B q×p; L lower p×p): X ← B·L⁻ᵀ. */
export function trsmRightLowerTrans(X: Float64Array, xo: number, ldx: number, q: number, L: Float64Array, lo: number, ldl: number, p: number): void {
  if (p <= BS || (p <= 4 * BS && q >= 16 * p)) {
    if (q >= 16 * p) {
      trsmBaseGemm(X, xo, ldx, q, L, lo, ldl, p);
      return;
    }
    for (let r = 0; r < q; r++) {
      const rx = xo + r * ldx;
      for (let j = 0; j < p; j++) {
        const lj = lo + j * ldl;
        let s = X[rx + j]!;
        for (let k = 0; k < j; k++) s -= X[rx + k]! * L[lj + k]!;
        X[rx + j] = s / L[lj + j]!;
      }
    }
    return;
  }
  const h = p >> 1;
  trsmRightLowerTrans(X, xo, ldx, q, L, lo, ldl, h);
  gemm(q, p - h, h, -1, X, xo, ldx, false, L, lo + h * ldl, ldl, true, X, xo + h, ldx);
  trsmRightLowerTrans(X, xo + h, ldx, q, L, lo + h * ldl + h, ldl, p - h);
}

/** C (p×p, lower) += α·A·Aᵀ for A p×k (C must not overlap A). */
export function syrkLower(alpha: number, A: Float64Array, ao: number, lda: number, p: number, k: number, C: Float64Array, co: number, ldc: number): void {
  if (p <= 2 * BS) {
    gemm(p, p, k, alpha, A, ao, lda, false, A, ao, lda, true, C, co, ldc);
    return;
  }
  const h = p >> 1;
  syrkLower(alpha, A, ao, lda, h, k, C, co, ldc);
  gemm(p - h, h, k, alpha, A, ao + h * lda, lda, false, A, ao, lda, true, C, co + h * ldc, ldc);
  syrkLower(alpha, A, ao + h * lda, lda, p - h, k, C, co + h * ldc + h, ldc);
}

/** C (p×p, lower) += α·AᵀA for A k×p (C must not overlap A). */
export function syrkLowerTrans(alpha: number, A: Float64Array, ao: number, lda: number, p: number, k: number, C: Float64Array, co: number, ldc: number): void {
  if (p <= 2 * BS) {
    gemm(p, p, k, alpha, A, ao, lda, true, A, ao, lda, false, C, co, ldc);
    return;
  }
  const h = p >> 1;
  syrkLowerTrans(alpha, A, ao, lda, h, k, C, co, ldc);
  gemm(p - h, h, k, alpha, A, ao + h, lda, true, A, ao, lda, false, C, co + h * ldc, ldc);
  syrkLowerTrans(alpha, A, ao + h, lda, p - h, k, C, co + h * ldc + h, ldc);
}

/**
 * Cholesky in place on the lower triangle of the n×n block (strict upper triangle not read, may be
 * overwritten). Returns -1 or the index of the first pivot that is not positive and finite.
 */
export function potrfRecursive(a: Float64Array, off: number, ld: number, n: number): number {
  if (n <= BS) {
    for (let i = 0; i < n; i++) {
      const ri = off + i * ld;
      for (let j = 0; j <= i; j++) {
        const rj = off + j * ld;
        let s = a[ri + j]!;
        for (let p = 0; p < j; p++) s -= a[ri + p]! * a[rj + p]!;
        if (i === j) {
          if (!(s > 0) || !Number.isFinite(s)) return i;
          a[ri + i] = Math.sqrt(s);
        } else a[ri + j] = s / a[rj + j]!;
      }
    }
    return -1;
  }
  const h = n >> 1;
  const bad = potrfRecursive(a, off, ld, h);
  if (bad >= 0) return bad;
  trsmRightLowerTrans(a, off + h * ld, ld, n - h, a, off, ld, h);
  syrkLower(-1, a, off + h * ld, ld, n - h, h, a, off + h * ld + h, ld);
  const bad2 = potrfRecursive(a, off + h * ld + h, ld, n - h);
  return bad2 >= 0 ? h + bad2 : -1;
}

/** L ← L⁻¹ in place for the lower-triangular n×n block (strict upper triangle neither read nor written). */
export function trtriRecursive(a: Float64Array, off: number, ld: number, n: number): void {
  if (n <= BS) {
    for (let c = 0; c < n; c++) a[off + c * ld + c] = 1 / a[off + c * ld + c]!;
    // column c of the inverse, rows top-down: X[r][c] = -(Σ_{p=c}^{r-1} L[r][p] X[p][c]) / L[r][r]
    for (let c = 0; c < n; c++) {
      for (let r = c + 1; r < n; r++) {
        const rr = off + r * ld;
        let s = 0;
        for (let p = c; p < r; p++) s += a[rr + p]! * a[off + p * ld + c]!;
        a[rr + c] = -s * a[rr + r]!;
      }
    }
    return;
  }
  const h = n >> 1;
  trtriRecursive(a, off, ld, h);
  trtriRecursive(a, off + h * ld + h, ld, n - h);
  // A21 ← −A22⁻¹ A21 A11⁻¹
  trmmRightLower(a, off + h * ld, ld, n - h, a, off, ld, h);
  trmmLeftLower(a, off + h * ld + h, ld, n - h, a, off + h * ld, ld, h);
  for (let i = h; i < n; i++) {
    const r = off + i * ld;
    for (let j = 0; j < h; j++) a[r + j] = -a[r + j]!;
  }
}

/** Lower triangle of LᵀL in place of the lower-triangular n×n block L (LAPACK `dlauum`, lower). */
export function lauumRecursive(a: Float64Array, off: number, ld: number, n: number): void {
  if (n <= BS) {
    // (i, j), j ≤ i: Σ_{k ≥ i} L[k][i] L[k][j]; row i is read only by entries (i, ·), (i, i) last.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = i; k < n; k++) s += a[off + k * ld + i]! * a[off + k * ld + j]!;
        a[off + i * ld + j] = s;
      }
    }
    return;
  }
  const h = n >> 1;
  // W = [[A, 0], [B, D]]: WᵀW = [[AᵀA + BᵀB, ·], [DᵀB, DᵀD]]
  lauumRecursive(a, off, ld, h);
  syrkLowerTrans(1, a, off + h * ld, ld, h, n - h, a, off, ld);
  trmmLeftLowerTrans(a, off + h * ld + h, ld, n - h, a, off + h * ld, ld, h);
  lauumRecursive(a, off + h * ld + h, ld, n - h);
}
