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
 * The level-3 kernels run their O(n³) work on core's packed WebAssembly GEMM (`gemm`, in `gemm.ts`): `potrf`,
 * `trtriLower`, `potri` (`dlauum`) and the right-sided triangular solve/product by recursive halving
 * (`recursive.ts`), `trsmLower`/`trsmLowerTrans` in blocks as LAPACK's `dtrsm`. `ResidentCholesky` runs the same
 * recursive `potrf`/`potri` on a matrix kept in WebAssembly memory (no per-product copies; ~2.5× faster at n = 500).
 * @packageDocumentation
 */
import { gemmStrided } from '../linalg/gemm.js';
import { backwardTransInPlace, backwardTransMatrixInPlace, forwardInPlace, forwardMatrixInPlace } from '../linalg/triangular.js';
import { lauumRecursive, potrfRecursive, trmmRightLowerTrans, trsmRightLowerTrans, trtriRecursive } from './recursive.js';

export { gemm } from './gemm.js';
export { expAffineInPlace, rbfRows } from './exp.js';
export { LowerInverseRows } from './lower-inverse-rows.js';
export { ResidentCholesky } from './resident-cholesky.js';
export { relaxedSimdSupported, setWasmFma, wasmFmaActive } from '../linalg/wasm-kernel.js';

/**
 * Cholesky factorisation in place: the lower triangle of the n×n `a` becomes L with $A = LL^\top$ and
 * the strict upper triangle is zeroed (only the lower triangle of A is read). Recursive halving
 * (`potrfRecursive`: $L_{11}$, then $L_{21} = A_{21}L_{11}^{-\top}$ and $A_{22} \mathrel{-}= L_{21}L_{21}^\top$ on the GEMM,
 * then $L_{22}$), n³/3 flops.
 * @returns -1 on success, else the index of the first pivot that is not positive and finite (`a` is
 * then partly overwritten).
 */
export function potrf(a: Float64Array, n: number): number {
  const bad = potrfRecursive(a, 0, n, n);
  if (bad < 0) for (let i = 0; i < n; i++) a.fill(0, i * n + i + 1, (i + 1) * n);
  return bad;
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

/**
 * Inverts the lower-triangular n×n L in place ($L \leftarrow L^{-1}$, still lower triangular; the strict
 * upper triangle is zeroed, not read). Recursive halving (`trtriRecursive`):
 * $\begin{pmatrix}A&0\\B&D\end{pmatrix}^{-1} = \begin{pmatrix}A^{-1}&0\\-D^{-1}BA^{-1}&D^{-1}\end{pmatrix}$ with the two
 * triangular products done recursively on the GEMM, n³/3 flops in all (no zero-padded triangles).
 */
export function trtriLower(L: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) L.fill(0, i * n + i + 1, (i + 1) * n);
  trtriRecursive(L, 0, n, n);
}

/**
 * The inverse of $A = LL^\top$ from its Cholesky factor (LAPACK `dpotri`): returns the full symmetric
 * n×n $A^{-1} = L^{-\top}L^{-1}$ in `out` (a new array unless given; `out` may be `L` itself when
 * `keepL` is false). `L` is used as workspace and overwritten unless `keepL` is true (then a copy is).
 * $W = L^{-1}$ by {@link trtriLower}, then the lower triangle of $W^\top W$ in place by recursive halving
 * (`dlauum`): n³/3 + n³/3 flops, almost all in large GEMM calls; with `lowerOnly` the strict upper
 * triangle of the result is left as junk instead of mirrored (callers that read only the lower triangle).
 */
export function potri(L: Float64Array, n: number, out?: Float64Array, keepL = false, lowerOnly = false): Float64Array {
  const W = keepL ? L.slice(0, n * n) : L;
  trtriRecursive(W, 0, n, n);
  lauumRecursive(W, 0, n, n);
  let C = W;
  if (out !== undefined && out !== W) {
    for (let i = 0; i < n; i++) out.set(W.subarray(i * n, i * n + i + 1), i * n);
    C = out;
  } else if (out === undefined && !keepL) {
    C = new Float64Array(n * n);
    for (let i = 0; i < n; i++) C.set(W.subarray(i * n, i * n + i + 1), i * n);
  }
  if (!lowerOnly) for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) C[i * n + j] = C[j * n + i]!;
  return C;
}

/**
 * $X \leftarrow X L^{-\top}$ in place for the q×n row-major X (solves $X L^\top = B$; each row of X becomes
 * $L^{-1}$ times that row): e.g. $V = K_* L^{-\top}$ for GP predictive variances. Recursive, q·n² flops on the GEMM.
 */
export function trsmLowerRightTrans(L: Float64Array, n: number, X: Float64Array, q: number): void {
  trsmRightLowerTrans(X, 0, n, q, L, 0, n, n);
}

/** $X \leftarrow X L^\top$ in place for the q×n row-major X and lower n×n L (recursive, q·n² flops on the GEMM). */
export function trmmLowerRightTrans(L: Float64Array, n: number, X: Float64Array, q: number): void {
  trmmRightLowerTrans(X, 0, n, q, L, 0, n, n);
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
