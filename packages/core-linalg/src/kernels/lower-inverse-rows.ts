/**
 * Squared norms $\lVert L^{-1}k_i\rVert^2$ for many rows $k_i$ (a GP's predictive variances
 * $k_{**} - \lVert L^{-1}k_*\rVert^2$): the right-sided triangular solve $V = KL^{-\top}$ blocked by columns,
 * right-looking, with V kept in the WebAssembly module's memory and only the row sums of squares leaving it.
 *
 * For each column block J (width 256): $V_J = R_J T_J^\top$ with $T_J = L_{JJ}^{-1}$ (diagonal blocks inverted once,
 * n·256²/3 flops in all), then the trailing columns get $R_{>J} \mathrel{-}= V_J L_{>J,J}^\top$. Both steps run on one
 * macro-kernel: core's `gemm` macro-kernel (same packed layout, 4×4 register tile summed from zero over the steps
 * and then added into C; see `linalg/wasm-kernel.ts`) with one change: with `tri` set, the tile of column panel
 * j0 takes only its first min(kc, j0 + 4) steps, since $T_J^\top$ is upper triangular. The flops are q·n², as a
 * triangular solve, but almost all in long GEMM loops, and both operands are packed once per factor (≈ n²/2
 * doubles), not once per call as through `gemm`.
 *
 * Speed (CPU time, n = 2,000, 4,000 rows, shared machine): 18.6–19.1 GFLOP/s, against 18.9 GFLOP/s for the
 * macro-kernel alone on in-cache blocks: the kernel's limit is the SIMD multiply and add ports (no FMA in
 * WebAssembly SIMD). Unrolling its step loop by two measured slower (16.2 GFLOP/s). Where relaxed SIMD is
 * available (`wasmFmaActive()` in `linalg/wasm-kernel.ts`) the multiply-adds are `f64x2.relaxed_madd`:
 * 16.9–17.4 → 19.8–20.6 GFLOP/s (n = 2,000, 4,000 rows, CPU time); 6×4 and 8×4 register tiles measured slower
 * with it (14 GFLOP/s, register spills).
 *
 * Accuracy: the diagonal blocks are applied through their inverses (as the base case of `trsmLowerRightTrans`);
 * forward errors are of order $\kappa(L)\,\varepsilon\,\lVert v\rVert$ like substitution's (Higham, *Accuracy and
 * Stability of Numerical Algorithms*, ch. 8 and 14). The tests compare with substitution on random factors.
 *
 * Why a copy of the GEMM macro-kernel and of its packing loop (`linalg/wasm-kernel.ts`, `packB` in `linalg/gemm.ts`)
 * rather than calls into them: `gemm` packs both operands into its own module's memory on every call, while here
 * the packed factor is staged once per `LowerInverseRows` and stays resident in this module's memory across calls
 * (`loaded`), and the blocks of V are updated in place there; GEMM's kernel also has no per-panel step limit for
 * the triangle. The tile (4×4, two f64x2 accumulators per row) and the packed layout are the same: a change to
 * either in the GEMM must be made here too (the tests compare both with substitution, not with each other).
 *
 * Without WebAssembly SIMD the same algorithm runs with a JavaScript macro-kernel (same sums in the same
 * order, so the same values as the plain SIMD variant; the FMA variant rounds once per multiply-add). UNCHECKED (raw tier): see `./index.ts`.
 */
import { maddCode, packRowsFunction, wasmFmaActive } from '../linalg/wasm-kernel.js';
import { instantiateKernel, sleb128, uleb128 as uleb, WasmType } from '../wasm/encoding.js';
import { trtriRecursive } from './recursive.js';

const MR = 4;
const NR = 4;
/** Width of the column blocks J (and the steps of each macro call). */
const KB = 256;
const MC = 96;
/** Largest block of V (doubles) held at once. */
const MAX_C = 1 << 21;

const I32 = WasmType.i32;
const V128 = WasmType.v128;
const OP = { block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, select: 0x1b, i32c: 0x41, add: 0x6a, mul: 0x6c, ltU: 0x49, geU: 0x4f, simd: 0xfd } as const;
const SIMD = { load: [0x00], splat: [0x0a], store: [0x0b], const: [0x0c], add: [0xf0, 0x01], mul: [0xf2, 0x01] };

/** `tri(mc, nc, kc, a, b, c, ldc, tri)`: the macro-kernel described above (byte addresses, `ldc` in bytes). */
function triMacroBody(fma: boolean): number[] {
  // params 0 mc, 1 nc, 2 kc, 3 a, 4 b, 5 c, 6 ldc, 7 tri; locals 8 j0, 9 i0, 10 ap, 11 bp, 12 end, 13 cp,
  // 14 steps (i32), 15..22 accumulators, 23 b01, 24 b23, 25 splat (v128)
  const get = (i: number) => [OP.get, i];
  const set = (i: number) => [OP.set, i];
  const c32 = (v: number) => [OP.i32c, ...sleb128(v)];
  const mem = (sub: number[], offset: number) => [OP.simd, ...sub, ...uleb(3), ...uleb(offset)];
  const zero = [OP.simd, ...SIMD.const, ...new Array(16).fill(0)];
  const j4 = [...get(8), ...c32(4), OP.add];
  const code: number[] = [];
  code.push(...c32(0), ...set(8));
  code.push(OP.block, 0x40, OP.loop, 0x40); // j0 loop
  code.push(...get(8), ...get(1), OP.geU, OP.brIf, 1);
  // steps = tri ? min(kc, j0 + 4) : kc
  code.push(...get(2), ...j4, ...get(2), ...j4, OP.ltU, OP.select, ...get(2), ...get(7), OP.select, ...set(14));
  code.push(...c32(0), ...set(9));
  code.push(OP.block, 0x40, OP.loop, 0x40); // i0 loop
  code.push(...get(9), ...get(0), OP.geU, OP.brIf, 1);
  // ap = a + i0*kc*8; bp = b + j0*kc*8; end = ap + steps*32
  code.push(...get(3), ...get(9), ...get(2), OP.mul, ...c32(8), OP.mul, OP.add, ...set(10));
  code.push(...get(4), ...get(8), ...get(2), OP.mul, ...c32(8), OP.mul, OP.add, ...set(11));
  code.push(...get(10), ...get(14), ...c32(32), OP.mul, OP.add, ...set(12));
  for (let t = 0; t < 8; t++) code.push(...zero, ...set(15 + t));
  code.push(OP.loop, 0x40); // p loop (steps ≥ 1)
  code.push(...get(11), ...mem(SIMD.load, 0), ...set(23));
  code.push(...get(11), ...mem(SIMD.load, 16), ...set(24));
  for (let r = 0; r < 4; r++) {
    code.push(...get(10), ...mem(SIMD.splat, 8 * r), ...set(25));
    for (let h = 0; h < 2; h++) {
      code.push(...maddCode(15 + 2 * r + h, 25, 23 + h, fma));
    }
  }
  code.push(...get(10), ...c32(32), OP.add, ...set(10));
  code.push(...get(11), ...c32(32), OP.add, ...set(11));
  code.push(...get(10), ...get(12), OP.ltU, OP.brIf, 0, OP.end);
  // cp = c + i0*ldc + j0*8; C rows += accumulators
  code.push(...get(5), ...get(9), ...get(6), OP.mul, OP.add, ...get(8), ...c32(8), OP.mul, OP.add, ...set(13));
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      code.push(...get(13), ...get(13), ...mem(SIMD.load, 16 * h), ...get(15 + 2 * r + h), OP.simd, ...SIMD.add, ...mem(SIMD.store, 16 * h));
    }
    if (r < 3) code.push(...get(13), ...get(6), OP.add, ...set(13));
  }
  code.push(...get(9), ...c32(4), OP.add, ...set(9), OP.br, 0, OP.end, OP.end); // next i0
  code.push(...get(8), ...c32(4), OP.add, ...set(8), OP.br, 0, OP.end, OP.end); // next j0
  return code;
}

/**
 * The same macro-kernel in JavaScript on double offsets into `M` (fallback without WebAssembly SIMD; the
 * same sums in the same order as the WebAssembly kernel).
 */
function triJs(M: Float64Array, mc: number, nc: number, kc: number, a: number, b: number, c: number, ldc: number, tri: boolean): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const steps = tri ? Math.min(kc, j0 + 4) : kc;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let ai = a + i0 * kc;
      let bi = b + j0 * kc;
      for (let p = 0; p < steps; p++) {
        const a0 = M[ai]!, a1 = M[ai + 1]!, a2 = M[ai + 2]!, a3 = M[ai + 3]!;
        const b0 = M[bi]!, b1 = M[bi + 1]!, b2 = M[bi + 2]!, b3 = M[bi + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        ai += 4;
        bi += 4;
      }
      let r = c + i0 * ldc + j0;
      M[r] += c00; M[r + 1] += c01; M[r + 2] += c02; M[r + 3] += c03;
      r += ldc;
      M[r] += c10; M[r + 1] += c11; M[r + 2] += c12; M[r + 3] += c13;
      r += ldc;
      M[r] += c20; M[r + 1] += c21; M[r + 2] += c22; M[r + 3] += c23;
      r += ldc;
      M[r] += c30; M[r + 1] += c31; M[r + 2] += c32; M[r + 3] += c33;
    }
  }
}

interface TriKernel {
  memory: WebAssembly.Memory;
  tri: (mc: number, nc: number, kc: number, a: number, b: number, c: number, ldc: number, tri: number) => void;
  /** GEMM's row packing (`packRows` of `linalg/wasm-kernel.ts`; α = 1 here): the WebAssembly twin of `packBlock`. */
  packRows: (src: number, ld: number, kc: number, panels: number, dst: number, alpha: number) => void;
  /** Id of the {@link LowerInverseRows} whose packed blocks are in memory now (0: none). */
  loaded: number;
}

/** The instantiated kernels: plain SIMD (index 0) and relaxed-SIMD FMA (index 1), each built on first use. */
const cached: [TriKernel | null | undefined, TriKernel | null | undefined] = [undefined, undefined];
let forceJs = false;

function getTriKernel(): TriKernel | null {
  if (forceJs) return null;
  const fma = wasmFmaActive();
  const v = fma ? 1 : 0;
  if (cached[v] !== undefined) return cached[v];
  const ex = instantiateKernel<{ tri: TriKernel['tri']; packRows: TriKernel['packRows'] }>(
    () => [{ name: 'tri', params: [I32, I32, I32, I32, I32, I32, I32, I32], locals: [[7, I32], [11, V128]], code: triMacroBody(fma) }, packRowsFunction()],
    1,
  );
  cached[v] = ex === null ? null : { memory: ex.mem, tri: ex.tri, packRows: ex.packRows, loaded: 0 };
  return cached[v];
}

/**
 * Forces the JavaScript macro-kernel (`true`) or the WebAssembly one when available (`false`); tests run both.
 * Returns whether the WebAssembly kernel is in use afterwards.
 * @internal
 */
export function setLowerInverseRowsJs(js: boolean): boolean {
  forceJs = js;
  return getTriKernel() !== null;
}

let instances = 0;
const roundUp = (x: number, r: number) => Math.ceil(x / r) * r;

interface Block {
  /** First column, width, width rounded up to NR. */
  j: number;
  w: number;
  wPad: number;
  /** Offsets (doubles) of the packed $T_J^\top$ (w steps × wPad columns) and $-L_{>J,J}^\top$ (w steps × rest columns). */
  t: number;
  u: number;
  /** Columns after the block, rounded up: nPad − j − w. */
  rest: number;
}

/** Options of the {@link LowerInverseRows} constructor. */
export interface LowerInverseRowsOptions {
  /**
   * Put the packed blocks in a `SharedArrayBuffer` (when the runtime has one), so that other threads can use
   * them through {@link LowerInverseRows.fromPacked} without packing again. @defaultValue false
   */
  shared?: boolean;
}

/** Module-private constructor option of `fromPacked`: blocks packed by another instance, used instead of packing. */
const ADOPT = Symbol('LowerInverseRows.adopt');
interface ConstructorOptions extends LowerInverseRowsOptions {
  [ADOPT]?: Float64Array;
}

/** Column blocks of an order-n factor and the length of its packed form. */
function layout(n: number): { blocks: Block[]; size: number } {
  const nPad = roundUp(n, NR);
  const blocks: Block[] = [];
  let size = 0;
  for (let j = 0; j < n; j += KB) {
    const w = Math.min(KB, n - j);
    const wPad = roundUp(w, NR);
    const rest = nPad - j - wPad;
    blocks.push({ j, w, wPad, t: size, u: size + w * wPad, rest });
    size += w * (wPad + rest);
  }
  return { blocks, size };
}

/**
 * Packs L for `sumSquares`: per column block J, the inverse of its diagonal block L_JJ (transposed, in NR-column
 * panels) and −L_{>J,J}ᵀ below it, at the offsets `layout` gives.
 */
function packBlocks(L: Float64Array, n: number, blocks: Block[], size: number, shared: boolean): Float64Array {
  const P = shared ? new Float64Array(new SharedArrayBuffer(8 * size)) : new Float64Array(size);
  for (const { j, w, wPad, t, u, rest } of blocks) {
    // T = L_JJ⁻¹ (w×w, lower); panel c0, step s: Tᵀ[s][c] = T[c][s]
    const T = new Float64Array(w * w);
    for (let i = 0; i < w; i++) T.set(L.subarray((j + i) * n + j, (j + i) * n + j + i + 1), i * w);
    trtriRecursive(T, 0, w, w);
    let q = t;
    for (let c0 = 0; c0 < wPad; c0 += NR) {
      for (let s = 0; s < w; s++) {
        for (let c = c0; c < c0 + NR; c++) P[q++] = c < w && s <= c ? T[c * w + s]! : 0;
      }
    }
    // −L_{>J,J}ᵀ: step s, column c (global row j + wPad + c of L)
    q = u;
    for (let c0 = 0; c0 < rest; c0 += NR) {
      for (let s = 0; s < w; s++) {
        for (let c = c0; c < c0 + NR; c++) {
          const row = j + wPad + c;
          P[q++] = row < n ? -L[row * n + j + s]! : 0;
        }
      }
    }
  }
  return P;
}

/**
 * A lower-triangular n×n factor L prepared for {@link LowerInverseRows.sumSquares}: the inverses of its
 * 256×256 diagonal blocks and its off-diagonal blocks, packed once (≈ n²/2 + 128·n doubles). UNCHECKED:
 * `L` must be lower triangular with a finite, nonzero diagonal (only its lower triangle is read; it is not
 * kept). The packed form can be handed to other threads ({@link LowerInverseRows.packed}, option `shared`,
 * {@link LowerInverseRows.fromPacked}): a worker then skips the packing and gets the same bits.
 */
export class LowerInverseRows {
  /** Order of L. */
  readonly n: number;
  readonly #packed: Float64Array;
  readonly #blocks: Block[];
  readonly #id = ++instances;

  constructor(L: Float64Array, n: number, options: LowerInverseRowsOptions = {}) {
    this.n = n;
    const { blocks, size } = layout(n);
    this.#blocks = blocks;
    const shared = options.shared === true && typeof SharedArrayBuffer === 'function';
    this.#packed = (options as ConstructorOptions)[ADOPT] ?? packBlocks(L, n, blocks, size, shared);
  }

  /**
   * The packed blocks (read-only by contract; in a `SharedArrayBuffer` when built with `shared: true`), for
   * {@link LowerInverseRows.fromPacked} on another thread.
   */
  get packed(): Float64Array {
    return this.#packed;
  }

  /**
   * A `LowerInverseRows` on packed blocks made by another instance of the same order (its
   * {@link LowerInverseRows.packed}, e.g. shared with a worker thread): no packing, the same results bit for
   * bit. The array is used, not copied, and must not change. UNCHECKED beyond its length.
   * @throws RangeError when `packed.length` is not the packed length for order n.
   */
  static fromPacked(packed: Float64Array, n: number): LowerInverseRows {
    const { size } = layout(n);
    if (packed.length !== size) throw new RangeError(`LowerInverseRows.fromPacked: ${packed.length} packed doubles, expected ${size} for order ${n}`);
    return new LowerInverseRows(packed, n, { [ADOPT]: packed } as ConstructorOptions);
  }

  /**
   * `out[outOff + i]` = $\lVert L^{-1}k_i\rVert^2 = \sum_j (K L^{-\top})_{ij}^2$ for the q rows $k_i$ of the row-major
   * q×n block `K` (read only). Each row's value depends on that row alone (not on q or on the other rows).
   */
  sumSquares(K: Float64Array, q: number, out: Float64Array, outOff = 0): void {
    const n = this.n;
    if (q === 0) return;
    const nPad = roundUp(n, NR);
    const rows = Math.min(Math.max(MC, Math.floor(MAX_C / nPad / MC) * MC), roundUp(q, MR));
    const pLen = this.#packed.length;
    const aOff = pLen;
    const cOff = aOff + MC * KB;
    const need = cOff + rows * nPad;
    const kern = getTriKernel();
    let M: Float64Array;
    let run: (mc: number, nc: number, kc: number, a: number, b: number, c: number, tri: boolean) => void;
    let pack: (src: number, mc: number, w: number, dst: number) => void;
    if (kern !== null) {
      const mem = kern.memory;
      if (mem.buffer.byteLength < need * 8) mem.grow(Math.ceil((need * 8 - mem.buffer.byteLength) / 65536));
      M = new Float64Array(mem.buffer, 0, need);
      if (kern.loaded !== this.#id) {
        M.set(this.#packed);
        kern.loaded = this.#id;
      }
      run = (mc, nc, kc, a, b, c, tri) => kern.tri(mc, nc, kc, a * 8, b * 8, c * 8, nPad * 8, tri ? 1 : 0);
      // the same slivers as packBlock (values copied: α = 1 multiplies exactly)
      pack = (src, mc, w, dst) => kern.packRows(src * 8, nPad * 8, w, mc / MR, dst * 8, 1);
    } else {
      M = new Float64Array(need);
      M.set(this.#packed);
      run = (mc, nc, kc, a, b, c, tri) => triJs(M, mc, nc, kc, a, b, c, nPad, tri);
      pack = (src, mc, w, dst) => packBlock(M, src, nPad, mc, w, dst);
    }
    for (let r0 = 0; r0 < q; r0 += rows) {
      const mr = Math.min(rows, q - r0);
      const mrPad = roundUp(mr, MR);
      // V ← K rows (zero-padded to nPad columns and mrPad rows)
      if (nPad === n) M.set(K.subarray(r0 * n, (r0 + mr) * n), cOff);
      else {
        for (let i = 0; i < mr; i++) {
          const dst = cOff + i * nPad;
          M.set(K.subarray((r0 + i) * n, (r0 + i + 1) * n), dst);
          M.fill(0, dst + n, dst + nPad);
        }
      }
      M.fill(0, cOff + mr * nPad, cOff + mrPad * nPad);
      for (const { j, w, wPad, t, u, rest } of this.#blocks) {
        for (let ic = 0; ic < mr; ic += MC) {
          const mc = roundUp(Math.min(MC, mr - ic), MR);
          const c = cOff + ic * nPad + j;
          // V_J = R_J T_Jᵀ (R_J packed, then its place zeroed), then R_{>J} −= V_J L_{>J,J}ᵀ
          pack(c, mc, w, aOff);
          for (let i = 0; i < mc; i++) M.fill(0, c + i * nPad, c + i * nPad + wPad);
          run(mc, wPad, w, aOff, t, c, true);
          if (rest > 0) {
            pack(c, mc, w, aOff);
            run(mc, rest, w, aOff, u, c + wPad, false);
          }
        }
      }
      rowSumSquares(M, cOff, nPad, mr, n, out, outOff + r0);
    }
  }
}

/** out[o + i] = Σ_{j<n} M[src + i·ld + j]² for i < rows (four partial sums, j mod 4, then added). */
function rowSumSquares(M: Float64Array, src: number, ld: number, rows: number, n: number, out: Float64Array, o: number): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < rows; i++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const row = src + i * ld;
    for (let j = row; j < row + n4; j += 4) {
      const v0 = M[j]!, v1 = M[j + 1]!, v2 = M[j + 2]!, v3 = M[j + 3]!;
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    for (let j = row + n4; j < row + n; j++) s0 += M[j]! * M[j]!;
    out[o + i] = s0 + s1 + (s2 + s3);
  }
}

/** Packs the mc×w block of `M` at `src` (row stride `ld`; mc a multiple of MR) into MR-row slivers at `dst`. */
function packBlock(M: Float64Array, src: number, ld: number, mc: number, w: number, dst: number): void {
  let q = dst;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const s0 = src + i0 * ld;
    const s1 = s0 + ld;
    const s2 = s1 + ld;
    const s3 = s2 + ld;
    for (let p = 0; p < w; p++) {
      M[q] = M[s0 + p]!;
      M[q + 1] = M[s1 + p]!;
      M[q + 2] = M[s2 + p]!;
      M[q + 3] = M[s3 + p]!;
      q += 4;
    }
  }
}
