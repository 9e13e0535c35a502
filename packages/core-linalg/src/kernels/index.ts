/**
 * kernels: the raw, UNCHECKED tier of core's dense linear algebra (`@notes/core-linalg/kernels`).
 *
 * Every function works in place on row-major `Float64Array`s with explicit sizes and does **no
 * validation**: the caller guarantees the lengths (≥ n·n for an n×n matrix, ≥ n·m for an n×m block),
 * finite values, non-aliasing arguments where stated, and a lower-triangular factor where one is
 * expected. Wrong input gives wrong numbers or a RangeError, never a typed error. Use them inside a fit
 * whose public entry point has already validated its data (e.g. a GP's kernel matrix, which is
 * symmetric and finite by construction); everything else should use the checked API (`cholesky`,
 * `choleskySolve`, `matmul`).
 *
 * The level-3 kernels run their O(n³) work on core's packed WebAssembly GEMM (`gemm` below), in blocks
 * as LAPACK does (`dpotrf`, `dtrsm`, `dtrtri`, `dlauum`/`dpotri`).
 * @packageDocumentation
 */
import { gemmStrided } from '../linalg/gemm.js';
import { potrfInPlace } from '../linalg/potrf.js';
import { backwardTransInPlace, backwardTransMatrixInPlace, forwardInPlace, forwardMatrixInPlace } from '../linalg/triangular.js';

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
  gemmStrided(m, n, k, alpha, { data: a, off: aOff, ld: lda, trans: transA }, { data: b, off: bOff, ld: ldb, trans: transB }, c, cOff, ldc);
}

/**
 * Cholesky factorisation in place: the lower triangle of the n×n `a` becomes L with $A = LL^\top$ and
 * the strict upper triangle is zeroed (only the lower triangle of A is read). Blocked right-looking
 * (`dpotrf`), trailing updates on the GEMM.
 * @returns -1 on success, else the index of the first pivot that is not positive and finite (`a` is
 * then partly overwritten).
 */
export function potrf(a: Float64Array, n: number): number {
  return potrfInPlace(a, n);
}

/** Solves $Lx = b$ in place (`x` holds b on entry), L lower n×n. */
export function trsvLower(L: Float64Array, n: number, x: Float64Array): void {
  forwardInPlace(L, n, x);
}

/** Solves $L^\top x = b$ in place (`x` holds b on entry), L lower n×n. */
export function trsvLowerTrans(L: Float64Array, n: number, x: Float64Array): void {
  backwardTransInPlace(L, n, x);
}

/** Solves $LX = B$ in place for the n×m row-major B (blocked, updates on the GEMM). */
export function trsmLower(L: Float64Array, n: number, B: Float64Array, m: number): void {
  forwardMatrixInPlace(L, n, B, m);
}

/** Solves $L^\top X = B$ in place for the n×m row-major B (blocked, updates on the GEMM). */
export function trsmLowerTrans(L: Float64Array, n: number, B: Float64Array, m: number): void {
  backwardTransMatrixInPlace(L, n, B, m);
}

/** Solves $AX = B$ in place given the Cholesky factor L of A ($A = LL^\top$): two triangular solves. */
export function potrs(L: Float64Array, n: number, B: Float64Array, m: number): void {
  if (m === 1) {
    forwardInPlace(L, n, B);
    backwardTransInPlace(L, n, B);
    return;
  }
  forwardMatrixInPlace(L, n, B, m);
  backwardTransMatrixInPlace(L, n, B, m);
}

const NB = 64;

/** Inverts the lower-triangular jb×jb diagonal block at (j, j) in place (unblocked `dtrti2`). */
function trti2(a: Float64Array, n: number, j: number, jb: number): void {
  for (let c = 0; c < jb; c++) {
    const cc = (j + c) * n + j + c;
    a[cc] = 1 / a[cc]!;
  }
  // column c of the inverse: X[r][c] = -(Σ_{p=c}^{r-1} L[r][p] X[p][c]) / L[r][r], rows top-down.
  for (let c = 0; c < jb; c++) {
    for (let r = c + 1; r < jb; r++) {
      const rowR = (j + r) * n + j;
      let s = 0;
      for (let p = c; p < r; p++) s += a[rowR + p]! * a[(j + p) * n + j + c]!;
      a[rowR + c] = -s * a[rowR + r]!; // a[r][r] already holds 1/L[r][r]
    }
  }
}

/**
 * Inverts the lower-triangular n×n L in place ($L \leftarrow L^{-1}$, still lower triangular; the strict
 * upper triangle is zeroed, not read). Blocked backwards over column blocks like LAPACK's `dtrtri`:
 * with the trailing block $L_{22}^{-1}$ already in place,
 * $L_{21} \leftarrow -L_{22}^{-1} L_{21} L_{11}^{-1}$ (the first product as one GEMM over the zero-padded
 * triangle, about 2n³/3 flops in all, at GEMM speed), then $L_{11}$ is inverted unblocked.
 */
export function trtriLower(L: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) L.fill(0, i * n + i + 1, (i + 1) * n);
  const last = Math.floor((n - 1) / NB) * NB;
  let tmp = new Float64Array(0);
  for (let j = last; j >= 0; j -= NB) {
    const jb = Math.min(NB, n - j);
    const r0 = j + jb; // first row of the trailing block
    const rows = n - r0;
    if (rows > 0) {
      // 1. A21 := inv(A22) · A21 as one GEMM (inv(A22) is lower triangular with a zero upper part).
      if (tmp.length < rows * jb) tmp = new Float64Array(rows * jb);
      tmp.fill(0, 0, rows * jb);
      gemmStrided(
        rows,
        jb,
        rows,
        1,
        { data: L, off: r0 * n + r0, ld: n, trans: false },
        { data: L, off: r0 * n + j, ld: n, trans: false },
        tmp,
        0,
        jb,
      );
      for (let r = 0; r < rows; r++) L.set(tmp.subarray(r * jb, (r + 1) * jb), (r0 + r) * n + j);
      // 2. A21 := -A21 · inv(A11): solve X·A11 = -A21 column by column from the right (A11 not yet inverted).
      for (let r = 0; r < rows; r++) {
        const row = (r0 + r) * n + j;
        for (let c = jb - 1; c >= 0; c--) {
          let s = -L[row + c]!;
          for (let p = c + 1; p < jb; p++) s -= L[row + p]! * L[(j + p) * n + j + c]!;
          L[row + c] = s / L[(j + c) * n + j + c]!;
        }
      }
    }
    // 3. A11 := inv(A11)
    trti2(L, n, j, jb);
  }
}

/**
 * The inverse of $A = LL^\top$ from its Cholesky factor (LAPACK `dpotri`): returns the full symmetric
 * n×n $A^{-1} = L^{-\top}L^{-1}$ in `out` (a new array unless given; `out` may be `L` itself when
 * `keepL` is false). `L` is overwritten with $L^{-1}$ (its strict upper triangle zeroed) unless `keepL`
 * is true (then a copy is inverted). The product $W^\top W$, $W = L^{-1}$, is formed block row by block row on the GEMM
 * (only the lower triangle, then mirrored): n³/3 + n³/3 flops.
 */
export function potri(L: Float64Array, n: number, out?: Float64Array, keepL = false): Float64Array {
  const W = keepL ? L.slice(0, n * n) : L;
  for (let i = 0; i < n; i++) W.fill(0, i * n + i + 1, (i + 1) * n);
  trtriLower(W, n);
  const C = out === undefined ? new Float64Array(n * n) : out;
  // C[I, 0:i1] = W[i0:, I]^T · W[i0:, 0:i1]  (W lower: rows above i0 of column block I are zero).
  // Block I reads rows >= i0 of W only, so with blocks in increasing order the rows written before
  // (rows < i0) are never read again; block I's own rows are, so when C aliases W the block goes
  // through a scratch buffer.
  const aliased = C === W;
  let scratch = new Float64Array(0);
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    const ib = i1 - i0;
    const k = n - i0;
    if (aliased) {
      if (scratch.length < ib * i1) scratch = new Float64Array(ib * i1);
      scratch.fill(0, 0, ib * i1);
      gemmStrided(ib, i1, k, 1, { data: W, off: i0 * n + i0, ld: n, trans: true }, { data: W, off: i0 * n, ld: n, trans: false }, scratch, 0, i1);
      for (let r = 0; r < ib; r++) C.set(scratch.subarray(r * i1, (r + 1) * i1), (i0 + r) * n);
    } else {
      for (let r = i0; r < i1; r++) C.fill(0, r * n, r * n + i1);
      gemmStrided(ib, i1, k, 1, { data: W, off: i0 * n + i0, ld: n, trans: true }, { data: W, off: i0 * n, ld: n, trans: false }, C, i0 * n, n);
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) C[i * n + j] = C[j * n + i]!;
  return C;
}

/** $\log\det A = 2\sum_i \log L_{ii}$ from the Cholesky factor. */
export function logDetFromFactor(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]!);
  return 2 * s;
}

/**
 * $y = \mu + Lz$ for one vector (a draw from $\mathcal N(\mu, LL^\top)$ when $z \sim \mathcal N(0, I)$).
 * `mu` may be `null` (zero mean). Returns `out` (new unless given; must not alias `z`).
 */
export function affineLower(L: Float64Array, n: number, z: Float64Array, mu: Float64Array | null, out?: Float64Array): Float64Array {
  const y = out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * n;
    let s = mu === null ? 0 : mu[i]!;
    for (let j = 0; j <= i; j++) s += L[r + j]! * z[j]!;
    y[i] = s;
  }
  return y;
}

/**
 * $Y_s = \mu + L z_s$ for `count` vectors stored as the rows of Z (count×n, row-major): $Y = Z L^\top +
 * \mathbf 1\mu^\top$ on the GEMM. `mu` may be `null`. Returns `out` (count×n; new unless given; must
 * not alias Z or L).
 */
export function affineLowerRows(L: Float64Array, n: number, Z: Float64Array, count: number, mu: Float64Array | null, out?: Float64Array): Float64Array {
  const Y = out ?? new Float64Array(count * n);
  for (let s = 0; s < count; s++) {
    if (mu === null) Y.fill(0, s * n, (s + 1) * n);
    else Y.set(mu.subarray(0, n), s * n);
  }
  gemmStrided(count, n, n, 1, { data: Z, off: 0, ld: n, trans: false }, { data: L, off: 0, ld: n, trans: true }, Y, 0, n);
  return Y;
}
