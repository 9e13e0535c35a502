/**
 * {@link ResidentCholesky}: Cholesky factor, solves and the inverse $A^{-1}$ (`potri`) of one SPD matrix held in
 * a WebAssembly module's memory for a whole sequence of operations, so that the O(n³) work runs on core's SIMD GEMM
 * macro-kernel (`linalg/wasm-kernel.ts`) without the per-call copies of `gemm` (which copies each operand's stored
 * span into its module, and C in and out, on every call: at n = 500 these copies cost more than the
 * arithmetic of the recursive kernels' many mid-sized products).
 *
 * The algorithms are those of `recursive.ts` (recursive halving: Gustavson 1997; Elmroth, Gustavson, Jonsson &
 * Kågström, SIAM Review 46(1), 2004): `potrf` n³/3, `trtri` n³/3 and `lauum` n³/3 flops, with two changes that
 * keep every product on the macro-kernel and in place:
 * - the matrix is padded to order n' = ⌈n/4⌉·4 with an identity block (the factor and the inverse of
 *   diag(A, I) are diag(L, I) and diag(A⁻¹, I)), and the halving point is a multiple of 4, so every block is a
 *   whole number of 4×4 tiles and C is updated in place in the matrix;
 * - each diagonal block of order ≤ 32 (a leaf) is factored and inverted in JavaScript once, and its inverse
 *   $W = L_{\text{leaf}}^{-1}$ (zero-padded to a square) is kept; the leaf steps of the inverse's triangular
 *   products ($XW$, $WX$, $W^\top X$, as LAPACK's blocked `dtrtri`/`dlauum` apply inverted diagonal blocks) are then
 *   GEMMs with $W$: halved once more, to squares of order ≤ 16 multiplied whole, zeros above the diagonal included
 *   (in place: the packing reads the operand before the kernel overwrites it, as one K panel suffices), instead of
 *   scalar loops. Symmetric updates take diagonal blocks of order ≤ 16 as whole squares. In all the GEMM does
 *   6 % more multiply-adds than the n³/2 of factor + inverse at n = 500 (18 % with squares of order 32 and 64,
 *   which measured 2–5 % slower), 1.5 % more at n = 2,000.
 *
 * The factorisation's triangular solves ($X L_{11}^{-\top}$) halve down to diagonal blocks of order ≤ 16 and solve
 * those by substitution (JavaScript, four rows at a time), not through the leaf inverses: those measured at most
 * ~0.2 ms faster at n = 500 (factor 3.25–3.45 vs 3.43–3.55 ms CPU) but lost backward stability on ill-conditioned
 * matrices (max |LLᵀ − A| 2.0e-12 with inverses vs 1.6e-15 by substitution on an RBF matrix + 1e-9·I, n = 500;
 * `potrf`: 2.5e-13).
 * Products go through the same packing routines and macro-kernel as `gemm` (same sums in the same order for the
 * same operands). The tests compare with `potrf`/`potri` and ml-matrix and check residuals.
 *
 * One resident matrix exists per process: {@link ResidentCholesky.create} reuses the module (its memory only grows,
 * ~8n² bytes after order n, until {@link ResidentCholesky.release}) and invalidates the previous handle (whose
 * methods then throw). Requires WebAssembly SIMD; `create` returns null
 * without it or when the padded matrix would exceed 2²⁵ doubles (256 MiB; n > 5,792), and callers use `potrf`/`potri`.
 * UNCHECKED (raw tier): see `./index.ts`.
 */
import { createWasmKernel, type WasmKernel, wasmFmaActive } from '../linalg/wasm-kernel.js';

const KC = 256;
const MC = 96;
const NC = 2048;
/** Largest leaf (diagonal block factored and inverted in JavaScript). */
const NB = 32;
/** Largest padded order² held (doubles). */
const MAX_ENTRIES = 1 << 25;
/** Largest diagonal block the factorisation's triangular solve handles by substitution (below: halving on the GEMM). */
const TRSM_NB = 16;
/** Largest square of a leaf inverse multiplied whole (zeros above its diagonal included). */
const SQ = 16;
/** Largest diagonal block of a symmetric update computed as a whole square. */
const SYRK_SQ = 16;

let kern: WasmKernel | null | undefined;
let generation = 0;

/** Halving point of a block of order p (p a multiple of 4, p > 16): a multiple of 4 near p/2. */
const split = (p: number) => (p >> 3) << 2;

/**
 * One SPD matrix resident in WebAssembly memory: load its lower triangle, factor it ($A = LL^\top$ in place), solve
 * with the factor, and overwrite the factor with the lower triangle of $A^{-1}$. Element (i, j) of the matrix is
 * `data[offset + i·ld + j]` (`ld` ≥ n; the view `data` is valid until the next `create`).
 */
export class ResidentCholesky {
  /** Order of the matrix. */
  readonly n: number;
  /** Row stride (elements): n rounded up to a multiple of 4. */
  readonly ld: number;
  /** Element index of entry (0, 0) in {@link data}. */
  readonly offset: number;
  readonly #k: WasmKernel;
  readonly #gen: number;
  #view: Float64Array;
  /** Byte addresses of the A and B packs, element index of the leaf inverses. */
  readonly #ap: number;
  readonly #bp: number;
  readonly #wc: number;

  private constructor(k: WasmKernel, n: number, ld: number, bpBytes: number) {
    this.#k = k;
    this.n = n;
    this.ld = ld;
    // memory: [A pack MC×KC | B pack KC×min(NC, ld) | leaf inverses ld×NB | matrix ld×ld]
    this.#ap = 0;
    this.#bp = MC * KC * 8;
    this.#wc = (MC * KC * 8 + bpBytes) / 8;
    this.offset = this.#wc + ld * NB;
    this.#view = new Float64Array(k.memory.buffer);
    this.#gen = ++generation;
  }

  /**
   * The workspace for an n×n matrix (n ≥ 1), or null when WebAssembly SIMD is unavailable, the padded matrix
   * would exceed 2²⁵ doubles, or the memory cannot grow. Invalidates any earlier handle.
   */
  static create(n: number): ResidentCholesky | null {
    const ld = Math.ceil(n / 4) * 4;
    if (!(n >= 1) || ld * ld > MAX_ENTRIES) return null;
    // the variant in use now (relaxed-SIMD FMA or plain SIMD; see `wasmFmaActive`): a switch since the last create rebuilds
    if (kern === undefined || (kern !== null && kern.fma !== wasmFmaActive())) kern = createWasmKernel();
    if (!kern) return null;
    const bpBytes = KC * Math.min(NC, ld) * 8;
    const need = MC * KC * 8 + bpBytes + (ld * NB + ld * ld) * 8;
    const mem = kern.memory;
    try {
      if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
    } catch {
      return null;
    }
    return new ResidentCholesky(kern, n, ld, bpBytes);
  }

  /**
   * Drops the module and its memory (WebAssembly memory never shrinks: after an order-n matrix it holds ~8n² bytes
   * until released). Invalidates any handle; the next {@link create} instantiates a fresh module (~1 ms).
   */
  static release(): void {
    kern = undefined;
    generation++;
  }

  /** The module's memory as doubles (the matrix at {@link offset} with stride {@link ld}). */
  get data(): Float64Array {
    this.#check();
    if (this.#view.buffer !== this.#k.memory.buffer) this.#view = new Float64Array(this.#k.memory.buffer);
    return this.#view;
  }

  #check(): void {
    if (this.#gen !== generation) throw new Error('ResidentCholesky: this handle was invalidated by a later ResidentCholesky.create');
  }

  /**
   * Loads the lower triangle of the n×n `a` (row stride `lda`, only entries j ≤ i read) with `diagonal` added to
   * each diagonal entry; the padding rows become the identity.
   */
  load(a: Float64Array, lda: number, diagonal = 0): void {
    const f = this.data;
    const { n, ld, offset } = this;
    for (let i = 0; i < n; i++) {
      const r = offset + i * ld;
      f.set(a.subarray(i * lda, i * lda + i + 1), r);
      f[r + i] += diagonal;
    }
    for (let i = n; i < ld; i++) {
      const r = offset + i * ld;
      f.fill(0, r, r + i);
      f[r + i] = 1;
    }
  }

  /**
   * Loads the lower triangle from `packed` (row by row: entries (0,0), (1,0), (1,1), (2,0), … — n(n+1)/2 values)
   * with `diagonal` added to each diagonal entry; the padding rows become the identity.
   */
  loadPacked(packed: Float64Array, diagonal = 0): void {
    const f = this.data;
    const { n, ld, offset } = this;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const r = offset + i * ld;
      f.set(packed.subarray(q, q + i + 1), r);
      f[r + i] += diagonal;
      q += i + 1;
    }
    for (let i = n; i < ld; i++) {
      const r = offset + i * ld;
      f.fill(0, r, r + i);
      f[r + i] = 1;
    }
  }

  /**
   * $A = LL^\top$ in place (lower triangle; the strict upper triangle becomes junk and is never read).
   * @returns -1, or the index of the first pivot that is not positive and finite (the matrix is then partly overwritten).
   */
  factor(): number {
    const f = this.data;
    return this.#potrf(f, 0, this.ld);
  }

  /** Solves $Ax = b$ in place (`x` holds b, length ≥ n) with the factor from {@link factor}. */
  solve(x: Float64Array): void {
    const f = this.data;
    const { n, ld, offset } = this;
    for (let i = 0; i < n; i++) {
      const r = offset + i * ld;
      let s = x[i]!;
      for (let j = 0; j < i; j++) s -= f[r + j]! * x[j]!;
      x[i] = s / f[r + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      const r = offset + i * ld;
      const xi = x[i]! / f[r + i]!;
      x[i] = xi;
      for (let j = 0; j < i; j++) x[j] -= f[r + j]! * xi;
    }
  }

  /** $\log\det A = 2\sum_i\log L_{ii}$ from the factor. */
  logDet(): number {
    const f = this.data;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += Math.log(f[this.offset + i * (this.ld + 1)]!);
    return 2 * s;
  }

  /** Copies the factor into `out` (n×n, row stride `ldo`; the strict upper triangle is zeroed). */
  copyLower(out: Float64Array, ldo: number): void {
    const f = this.data;
    const { n, ld, offset } = this;
    for (let i = 0; i < n; i++) {
      out.set(f.subarray(offset + i * ld, offset + i * ld + i + 1), i * ldo);
      out.fill(0, i * ldo + i + 1, i * ldo + n);
    }
  }

  /**
   * Overwrites the factor with the lower triangle of $A^{-1} = L^{-\top}L^{-1}$ (LAPACK `dpotri`): $W = L^{-1}$ by
   * recursive halving, then the lower triangle of $W^\top W$ (`dlauum`). Call after a successful {@link factor}.
   */
  invert(): void {
    const f = this.data;
    this.#trtri(f, 0, this.ld);
    this.#lauum(f, 0, this.ld);
  }

  // ---- products on the macro-kernel; offsets are element indices into the matrix (row stride ld) ----

  /** C (m×n) += α·op(A)·op(B) (or = with `overwrite`), m and n multiples of 4; element offsets into memory. */
  #gemm(m: number, n: number, k: number, alpha: number, a: number, lda: number, ta: boolean, b: number, ldb: number, tb: boolean, c: number, ldc: number, overwrite: boolean): void {
    const K = this.#k;
    const ap = this.#ap;
    const bp = this.#bp;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        if (tb) K.packRows((b + jc * ldb + pc) * 8, ldb * 8, kc, nc >> 2, bp, 1);
        else K.packSteps((b + pc * ldb + jc) * 8, ldb * 8, kc, nc >> 2, bp, 1);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          if (ta) K.packSteps((a + pc * lda + ic) * 8, lda * 8, kc, mc >> 2, ap, alpha);
          else K.packRows((a + ic * lda + pc) * 8, lda * 8, kc, mc >> 2, ap, alpha);
          K.macro(mc, nc, kc, ap, bp, (c + ic * ldc + jc) * 8, ldc * 8, overwrite && pc === 0 ? 1 : 0);
        }
      }
    }
  }

  /** Element index of entry (i, j) of the matrix. */
  #at(i: number, j: number): number {
    return this.offset + i * this.ld + j;
  }

  /** Element index of the inverse of the leaf starting at s (p×p, zero above the diagonal, row stride NB). */
  #leaf(s: number): number {
    return this.#wc + s * NB;
  }

  #potrf(f: Float64Array, s: number, p: number): number {
    if (p <= NB) return this.#potrfLeaf(f, s, p);
    const h = split(p);
    const bad = this.#potrf(f, s, h);
    if (bad >= 0) return bad;
    // L21 = A21 L11⁻ᵀ; A22 −= L21 L21ᵀ (lower); L22
    this.#trsmRT(this.#at(s + h, s), p - h, s, h);
    this.#syrk(-1, this.#at(s + h, s), p - h, h, this.#at(s + h, s + h));
    return this.#potrf(f, s + h, p - h);
  }

  /** Unblocked Cholesky of the leaf (s, p), then its inverse W into the leaf store. */
  #potrfLeaf(f: Float64Array, s: number, p: number): number {
    const ld = this.ld;
    const o = this.#at(s, s);
    for (let i = 0; i < p; i++) {
      const ri = o + i * ld;
      for (let j = 0; j <= i; j++) {
        const rj = o + j * ld;
        let t = f[ri + j]!;
        for (let q = 0; q < j; q++) t -= f[ri + q]! * f[rj + q]!;
        if (i === j) {
          if (!(t > 0) || !Number.isFinite(t)) return s + i;
          f[ri + i] = Math.sqrt(t);
        } else f[ri + j] = t / f[rj + j]!;
      }
    }
    // W = L⁻¹ row by row: W_i = (e_i − Σ_{k<i} L_ik W_k) / L_ii (columns ≤ k)
    const w = this.#leaf(s);
    f.fill(0, w, w + p * NB);
    for (let i = 0; i < p; i++) {
      const wi = w + i * NB;
      const li = o + i * ld;
      for (let k = 0; k < i; k++) {
        const l = f[li + k]!;
        const wk = w + k * NB;
        for (let j = 0; j <= k; j++) f[wi + j] -= l * f[wk + j]!;
      }
      f[wi + i] += 1;
      const inv = 1 / f[li + i]!;
      for (let j = 0; j <= i; j++) f[wi + j] *= inv;
    }
    return -1;
  }

  /** X (q×p at x) ← X·L⁻ᵀ with L the factored diagonal block (ds, p). */
  #trsmRT(x: number, q: number, ds: number, p: number): void {
    const ld = this.ld;
    if (p <= TRSM_NB) {
      this.#trsmLeaf(x, q, ds, p);
      return;
    }
    const h = split(p);
    this.#trsmRT(x, q, ds, h);
    this.#gemm(q, p - h, h, -1, x, ld, false, this.#at(ds + h, ds), ld, true, x + h, ld, false);
    this.#trsmRT(x + h, q, ds + h, p - h);
  }

  /**
   * Leaf of {@link #trsmRT} by substitution, four rows of X at a time (q is a multiple of 4):
   * $x_j = (b_j - \sum_{k<j} x_k L_{jk}) / L_{jj}$.
   */
  #trsmLeaf(x: number, q: number, ds: number, p: number): void {
    const f = this.#view;
    const ld = this.ld;
    const l = this.#at(ds, ds);
    for (let r = 0; r < q; r += 4) {
      const r0 = x + r * ld;
      const r1 = r0 + ld;
      const r2 = r1 + ld;
      const r3 = r2 + ld;
      for (let j = 0; j < p; j++) {
        const lj = l + j * ld;
        let t0 = f[r0 + j]!;
        let t1 = f[r1 + j]!;
        let t2 = f[r2 + j]!;
        let t3 = f[r3 + j]!;
        for (let k = 0; k < j; k++) {
          const v = f[lj + k]!;
          t0 -= f[r0 + k]! * v;
          t1 -= f[r1 + k]! * v;
          t2 -= f[r2 + k]! * v;
          t3 -= f[r3 + k]! * v;
        }
        const d = f[lj + j]!;
        f[r0 + j] = t0 / d;
        f[r1 + j] = t1 / d;
        f[r2 + j] = t2 / d;
        f[r3 + j] = t3 / d;
      }
    }
  }

  /** C (p×p at c, lower) += α·A·Aᵀ, A p×k at a (diagonal tiles written whole: junk above the diagonal). */
  #syrk(alpha: number, a: number, p: number, k: number, c: number): void {
    const ld = this.ld;
    if (p <= SYRK_SQ) {
      this.#gemm(p, p, k, alpha, a, ld, false, a, ld, true, c, ld, false);
      return;
    }
    const h = split(p);
    this.#syrk(alpha, a, h, k, c);
    this.#gemm(p - h, h, k, alpha, a + h * ld, ld, false, a, ld, true, c + h * ld, ld, false);
    this.#syrk(alpha, a + h * ld, p - h, k, c + h * ld + h);
  }

  /** C (p×p at c, lower) += α·AᵀA, A k×p at a. */
  #syrkT(alpha: number, a: number, p: number, k: number, c: number): void {
    const ld = this.ld;
    if (p <= SYRK_SQ) {
      this.#gemm(p, p, k, alpha, a, ld, true, a, ld, false, c, ld, false);
      return;
    }
    const h = split(p);
    this.#syrkT(alpha, a, h, k, c);
    this.#gemm(p - h, h, k, alpha, a + h, ld, true, a, ld, false, c + h * ld, ld, false);
    this.#syrkT(alpha, a + h, p - h, k, c + h * ld + h);
  }

  /** The diagonal block (s, p) ← its inverse (lower triangle), from the factor. */
  #trtri(f: Float64Array, s: number, p: number): void {
    const ld = this.ld;
    if (p <= NB) {
      const w = this.#leaf(s);
      const o = this.#at(s, s);
      for (let i = 0; i < p; i++) f.set(f.subarray(w + i * NB, w + i * NB + i + 1), o + i * ld);
      return;
    }
    const h = split(p);
    this.#trtri(f, s, h);
    this.#trtri(f, s + h, p - h);
    // A21 ← −W22·A21·W11
    const x = this.#at(s + h, s);
    this.#trmmR(x, p - h, s, h, -1);
    this.#trmmL(s + h, p - h, x, h);
  }

  /** X (q×p at x) ← α·X·W, W the inverted diagonal block (ds, p). */
  #trmmR(x: number, q: number, ds: number, p: number, alpha: number): void {
    const ld = this.ld;
    if (p <= NB) {
      this.#trmmRW(x, q, this.#leaf(ds), p, alpha);
      return;
    }
    const h = split(p);
    this.#trmmR(x, q, ds, h, alpha);
    this.#gemm(q, h, p - h, alpha, x + h, ld, false, this.#at(ds + h, ds), ld, false, x, ld, false);
    this.#trmmR(x + h, q, ds + h, p - h, alpha);
  }

  /** X (p×q at x) ← W·X, W the inverted diagonal block (ds, p). */
  #trmmL(ds: number, p: number, x: number, q: number): void {
    const ld = this.ld;
    if (p <= NB) {
      this.#trmmLW(this.#leaf(ds), p, x, q);
      return;
    }
    const h = split(p);
    this.#trmmL(ds + h, p - h, x + h * ld, q);
    this.#gemm(p - h, q, h, 1, this.#at(ds + h, ds), ld, false, x, ld, false, x + h * ld, ld, false);
    this.#trmmL(ds, h, x, q);
  }

  /** X (p×q at x) ← Wᵀ·X, W the inverted diagonal block (ds, p). */
  #trmmLT(ds: number, p: number, x: number, q: number): void {
    const ld = this.ld;
    if (p <= NB) {
      this.#trmmLTW(this.#leaf(ds), p, x, q);
      return;
    }
    const h = split(p);
    this.#trmmLT(ds, h, x, q);
    this.#gemm(h, q, p - h, 1, this.#at(ds + h, ds), ld, true, x + h * ld, ld, false, x, ld, false);
    this.#trmmLT(ds + h, p - h, x + h * ld, q);
  }

  // Leaf products with a stored leaf inverse W (at w, row stride NB, zero above the diagonal): halved down to
  // order ≤ SQ, whose squares (zeros included) go to the GEMM whole, in place (one K panel: packed before written).

  /** X (q×p at x) ← α·X·W. */
  #trmmRW(x: number, q: number, w: number, p: number, alpha: number): void {
    const ld = this.ld;
    if (p <= SQ) {
      this.#gemm(q, p, p, alpha, x, ld, false, w, NB, false, x, ld, true);
      return;
    }
    const h = split(p);
    this.#trmmRW(x, q, w, h, alpha);
    this.#gemm(q, h, p - h, alpha, x + h, ld, false, w + h * NB, NB, false, x, ld, false);
    this.#trmmRW(x + h, q, w + h * NB + h, p - h, alpha);
  }

  /** X (p×q at x) ← W·X. */
  #trmmLW(w: number, p: number, x: number, q: number): void {
    const ld = this.ld;
    if (p <= SQ) {
      this.#gemm(p, q, p, 1, w, NB, false, x, ld, false, x, ld, true);
      return;
    }
    const h = split(p);
    this.#trmmLW(w + h * NB + h, p - h, x + h * ld, q);
    this.#gemm(p - h, q, h, 1, w + h * NB, NB, false, x, ld, false, x + h * ld, ld, false);
    this.#trmmLW(w, h, x, q);
  }

  /** X (p×q at x) ← Wᵀ·X. */
  #trmmLTW(w: number, p: number, x: number, q: number): void {
    const ld = this.ld;
    if (p <= SQ) {
      this.#gemm(p, q, p, 1, w, NB, true, x, ld, false, x, ld, true);
      return;
    }
    const h = split(p);
    this.#trmmLTW(w, h, x, q);
    this.#gemm(h, q, p - h, 1, w + h * NB, NB, true, x + h * ld, ld, false, x, ld, false);
    this.#trmmLTW(w + h * NB + h, p - h, x + h * ld, q);
  }

  /** The diagonal block (s, p) of W ← lower triangle of its part of WᵀW (`dlauum`). */
  #lauum(f: Float64Array, s: number, p: number): void {
    const ld = this.ld;
    if (p <= NB) {
      const o = this.#at(s, s);
      // (i, j), j ≤ i: Σ_{k ≥ i} W[k][i] W[k][j]; row i is read only by entries (i, ·), (i, i) last
      for (let i = 0; i < p; i++) {
        for (let j = 0; j <= i; j++) {
          let t = 0;
          for (let k = i; k < p; k++) t += f[o + k * ld + i]! * f[o + k * ld + j]!;
          f[o + i * ld + j] = t;
        }
      }
      return;
    }
    const h = split(p);
    // W = [[A, 0], [B, D]]: WᵀW = [[AᵀA + BᵀB, ·], [DᵀB, DᵀD]]
    this.#lauum(f, s, h);
    this.#syrkT(1, this.#at(s + h, s), h, p - h, this.#at(s, s));
    this.#trmmLT(s + h, p - h, this.#at(s + h, s), h);
    this.#lauum(f, s + h, p - h);
  }
}
