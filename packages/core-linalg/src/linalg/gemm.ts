/**
 * GEMM kernel: $C \mathrel{+}= \alpha\, \mathrm{op}(A)\,\mathrm{op}(B)$ on row-major `Float64Array`s with
 * offsets and row strides. No validation (callers validate). This is core's one GEMM: `matmul`,
 * `matmulTransA/B`, `matmulMatrix`, the blocked Cholesky and triangular solves, the raw `kernels` tier and
 * the autodiff ops (`ops.matmul`, `ops.linear` and their backward passes) all run on it.
 *
 * Layout after Goto & van de Geijn, "Anatomy of high-performance matrix multiplication",
 * ACM TOMS 34(3), 2008: B is packed in KC×NR column panels, A in MC×KC blocks of MR-row slivers,
 * and a 4×4 register tile accumulates 16 entries of C over KC steps (from zero; the tile is then added
 * into C). Packing also absorbs the transposes and α, and zero-pads ragged edges.
 *
 * With WebAssembly SIMD (`wasm-kernel.ts`) the whole macro-kernel — every tile of a packed block and
 * adding it into C — is one call: the block of C is copied into the module's memory (rows padded to a
 * multiple of 4), updated there over all KC steps, and copied back, so JavaScript does no per-tile work.
 * With β = 0 (`beta`; the callers that write a fresh product: `matmul*`, `ops.linear`) C is not copied in:
 * the first KC panel stores each tile as 0 + sum (the same bits as adding into zeros) and the rest add.
 * Operands whose stored extent is at most 2¹⁹ doubles are copied into the module's memory whole (one
 * `TypedArray.set` each) and packed there by its `packSteps`/`packRows` routines (same products α·x, same
 * layout); larger ones are packed by JavaScript. C is handled in chunks of at most 2²¹ doubles (B is packed
 * again per chunk), so the module's memory (which never shrinks) stays below ~30 MB (~21 MB for packs and C,
 * up to 8 MB of staged operands). Without WebAssembly SIMD the JavaScript micro-kernel below
 * runs on the same packed layout; both give the same sums in the same order, so identical bits — with the plain SIMD
 * variant; the relaxed-SIMD FMA variant (`wasmFmaActive()`, where the runtime supports it) rounds once per
 * multiply-add and differs in the last bits.
 * @internal
 */
import { getWasmKernel, type WasmKernel } from './wasm-kernel.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 96;
const NC = 2048;
/** Below this many multiply-adds the packing overhead is not worth it; a plain i-k-j loop runs instead. */
const SMALL = 24 * 24 * 24;
/** Largest block of C (doubles, padded) held in the WebAssembly module's memory at once. */
const MAX_C = 2 * 1024 * 1024;

let bufA = new Float64Array(MC * KC);
let bufB = new Float64Array(KC * NC);

/** Which kernel runs: `'auto'` = WebAssembly SIMD when available. */
export type GemmBackend = 'auto' | 'js';
let backend: GemmBackend = 'auto';
/**
 * Forces a kernel (tests run both). Returns the backend actually in use.
 * @internal
 */
export function setGemmBackend(b: GemmBackend): 'wasm' | 'js' {
  backend = b;
  return b === 'auto' && getWasmKernel() ? 'wasm' : 'js';
}

/** A strided row-major operand: element (i, j) of op(X) is at `off + i*ld + j`, or `off + j*ld + i` if transposed. */
export interface Operand {
  data: Float64Array;
  off: number;
  ld: number;
  trans: boolean;
}

/**
 * $C[m\times n] \mathrel{+}= \alpha\, \mathrm{op}(A)[m\times k]\, \mathrm{op}(B)[k\times n]$, or with `beta` = 0
 * $C = \alpha\, \mathrm{op}(A)\,\mathrm{op}(B)$: C's old window is never read (it may hold anything, NaN included),
 * and the result has the same bits as accumulating into a zeroed C.
 * @internal
 */
export function gemmStrided(
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: Operand,
  B: Operand,
  c: Float64Array,
  cOff: number,
  ldc: number,
  beta: 0 | 1 = 1,
): void {
  if (m === 0 || n === 0) return;
  const kern = backend === 'auto' && k > 0 && m * n * k > SMALL ? getWasmKernel() : null;
  if (kern) {
    gemmWasm(kern, m, n, k, Math.min(NC, roundUp(n, NR)), Math.min(KC, k), alpha, A, B, c, cOff, ldc, beta === 0);
    return;
  }
  // JavaScript paths: with β = 0 zero C's window first, then accumulate (the same bits as adding into zeros)
  if (beta === 0) for (let i = 0; i < m; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + n);
  if (k === 0) return;
  if (m * n * k <= SMALL) {
    smallGemm(m, n, k, alpha, A, B, c, cOff, ldc);
    return;
  }
  const ncMax = Math.min(NC, roundUp(n, NR));
  const kcMax = Math.min(KC, k);
  if (bufB.length < kcMax * ncMax) bufB = new Float64Array(kcMax * ncMax);
  if (bufA.length < MC * kcMax) bufA = new Float64Array(MC * kcMax);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(B, pc, jc, kc, nc, bufB, 0);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(A, ic, pc, mc, kc, alpha, bufA, 0);
        macroKernel(mc, nc, kc, bufA, bufB, c, cOff + ic * ldc + jc, ldc);
      }
    }
  }
}

/** Largest stored operand (doubles, from its first to its last element) copied whole into module memory for packing there. */
const MAX_STAGE = 512 * 1024;

/** Stored extent of an operand: rows × cols as stored (op(X) is rows×cols when not transposed). */
function span(X: Operand, rows: number, cols: number): number {
  return X.trans ? (cols - 1) * X.ld + rows : (rows - 1) * X.ld + cols;
}

/**
 * The WebAssembly path: module memory holds [A pack MC×KC | B pack KC×NC | C block rows×ncPad | staged A | staged B].
 * An operand whose stored extent is at most {@link MAX_STAGE} doubles is copied in once (one `set`) and its
 * panels are packed by the module's `packSteps`/`packRows` (full 4-wide panels; a ragged last panel is packed by
 * JavaScript, zero-padded); a larger one is packed by JavaScript. For each NC-wide column block and chunk of rows,
 * C is copied in (skipped when `overwrite`: the first KC panel then stores 0 + sum), updated by one macro call per
 * packed A block (all KC steps in order), and copied back.
 */
function gemmWasm(kern: WasmKernel, m: number, n: number, k: number, ncMax: number, kcMax: number, alpha: number, A: Operand, B: Operand, c: Float64Array, cOff: number, ldc: number, overwrite: boolean): void {
  // rows of C per chunk: a multiple of MC (≥ 1,024 since ncMax ≤ NC), or all of m rounded up to MR
  const rows = Math.min(Math.floor(MAX_C / ncMax / MC) * MC, roundUp(m, MR));
  const aBytes = MC * kcMax * 8;
  const bBytes = kcMax * ncMax * 8;
  const cBytes = rows * ncMax * 8;
  const aSpan = span(A, m, k);
  const bSpan = span(B, k, n);
  const stageA = aSpan <= MAX_STAGE;
  const stageB = bSpan <= MAX_STAGE;
  const aStage = aBytes + bBytes + cBytes;
  const bStage = aStage + (stageA ? aSpan * 8 : 0);
  const need = bStage + (stageB ? bSpan * 8 : 0);
  const mem = kern.memory;
  if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
  const buf = mem.buffer;
  const Ap = new Float64Array(buf, 0, MC * kcMax);
  const Bp = new Float64Array(buf, aBytes, kcMax * ncMax);
  const C = new Float64Array(buf, aBytes + bBytes, rows * ncMax);
  const cAddr = aBytes + bBytes;
  if (stageA) new Float64Array(buf, aStage, aSpan).set(A.data.subarray(A.off, A.off + aSpan));
  if (stageB) new Float64Array(buf, bStage, bSpan).set(B.data.subarray(B.off, B.off + bSpan));
  const aLd = A.ld * 8;
  const bLd = B.ld * 8;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncPad = roundUp(nc, NR);
    for (let r0 = 0; r0 < m; r0 += rows) {
      const mr = Math.min(rows, m - r0);
      const cBase = cOff + r0 * ldc + jc;
      if (!overwrite) {
        for (let i = 0; i < mr; i++) {
          const src = cBase + i * ldc;
          C.set(c.subarray(src, src + nc), i * ncPad);
          for (let j = nc; j < ncPad; j++) C[i * ncPad + j] = 0;
        }
      }
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        if (stageB) {
          const full = Math.floor(nc / NR);
          // op(B)[pc+p, jc+j] is stored at (pc+p)·ld + jc + j, or (jc+j)·ld + pc + p when transposed
          if (B.trans) kern.packRows(bStage + (jc * B.ld + pc) * 8, bLd, kc, full, aBytes, 1);
          else kern.packSteps(bStage + (pc * B.ld + jc) * 8, bLd, kc, full, aBytes, 1);
          if (full * NR < nc) packB(B, pc, jc, kc, nc, Bp, full * NR);
        } else packB(B, pc, jc, kc, nc, Bp, 0);
        for (let ic = r0; ic < r0 + mr; ic += MC) {
          const mc = Math.min(MC, r0 + mr - ic);
          if (stageA) {
            const full = Math.floor(mc / MR);
            // op(A)[ic+i, pc+p] is stored at (ic+i)·ld + pc + p, or (pc+p)·ld + ic + i when transposed
            if (A.trans) kern.packSteps(aStage + (pc * A.ld + ic) * 8, aLd, kc, full, 0, alpha);
            else kern.packRows(aStage + (ic * A.ld + pc) * 8, aLd, kc, full, 0, alpha);
            if (full * MR < mc) packA(A, ic, pc, mc, kc, alpha, Ap, full * MR);
          } else packA(A, ic, pc, mc, kc, alpha, Ap, 0);
          kern.macro(roundUp(mc, MR), ncPad, kc, 0, aBytes, cAddr + (ic - r0) * ncPad * 8, ncPad * 8, overwrite && pc === 0 ? 1 : 0);
        }
      }
      if (ncPad === ldc && nc === ncPad) c.set(C.subarray(0, mr * nc), cBase);
      else for (let i = 0; i < mr; i++) c.set(C.subarray(i * ncPad, i * ncPad + nc), cBase + i * ldc);
    }
  }
}

function roundUp(x: number, r: number): number {
  return Math.ceil(x / r) * r;
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide column panels, each kc×NR row-major, zero-padded (from column `from`, a multiple of NR). */
function packB(B: Operand, pc: number, jc: number, kc: number, nc: number, Bp: Float64Array, from: number): void {
  const { data, off, ld, trans } = B;
  let q = from * kc;
  for (let j0 = from; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    if (w === NR && trans) {
      const s0 = off + (jc + j0) * ld + pc;
      const s1 = s0 + ld;
      const s2 = s1 + ld;
      const s3 = s2 + ld;
      for (let p = 0; p < kc; p++) {
        Bp[q] = data[s0 + p]!;
        Bp[q + 1] = data[s1 + p]!;
        Bp[q + 2] = data[s2 + p]!;
        Bp[q + 3] = data[s3 + p]!;
        q += 4;
      }
    } else if (w === NR) {
      let s = off + pc * ld + jc + j0;
      for (let p = 0; p < kc; p++) {
        Bp[q] = data[s]!;
        Bp[q + 1] = data[s + 1]!;
        Bp[q + 2] = data[s + 2]!;
        Bp[q + 3] = data[s + 3]!;
        q += 4;
        s += ld;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) {
          const row = pc + p;
          const col = jc + j0 + jj;
          Bp[q++] = jj < w ? (trans ? data[off + col * ld + row]! : data[off + row * ld + col]!) : 0;
        }
      }
    }
  }
}

/** Packs α·op(A)[ic:ic+mc, pc:pc+kc] into MR-tall row slivers, each kc×MR (column by column), zero-padded (from row `from`, a multiple of MR). */
function packA(A: Operand, ic: number, pc: number, mc: number, kc: number, alpha: number, Ap: Float64Array, from: number): void {
  const { data, off, ld, trans } = A;
  let q = from * kc;
  for (let i0 = from; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    if (h === MR && trans) {
      let s = off + pc * ld + ic + i0;
      for (let p = 0; p < kc; p++) {
        Ap[q] = alpha * data[s]!;
        Ap[q + 1] = alpha * data[s + 1]!;
        Ap[q + 2] = alpha * data[s + 2]!;
        Ap[q + 3] = alpha * data[s + 3]!;
        q += 4;
        s += ld;
      }
    } else if (h === MR) {
      const s0 = off + (ic + i0) * ld + pc;
      const s1 = s0 + ld;
      const s2 = s1 + ld;
      const s3 = s2 + ld;
      for (let p = 0; p < kc; p++) {
        Ap[q] = alpha * data[s0 + p]!;
        Ap[q + 1] = alpha * data[s1 + p]!;
        Ap[q + 2] = alpha * data[s2 + p]!;
        Ap[q + 3] = alpha * data[s3 + p]!;
        q += 4;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const col = pc + p;
        for (let ii = 0; ii < MR; ii++) {
          const row = ic + i0 + ii;
          Ap[q++] = ii < h ? alpha * (trans ? data[off + col * ld + row]! : data[off + row * ld + col]!) : 0;
        }
      }
    }
  }
}

function macroKernel(
  mc: number,
  nc: number,
  kc: number,
  Ap: Float64Array,
  Bp: Float64Array,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    const bBase = j0 * kc;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const h = Math.min(MR, mc - i0);
      microKernel(kc, Ap, i0 * kc, Bp, bBase, c, cOff + i0 * ldc + j0, ldc, h, w);
    }
  }
}

/** 4×4 register tile: 16 accumulators in locals, one rank-1 update per step of the packed slivers. */
function microKernel(
  kc: number,
  Ap: Float64Array,
  aBase: number,
  Bp: Float64Array,
  bBase: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
  h: number,
  w: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aBase;
  let bi = bBase;
  const end = aBase + kc * 4;
  while (ai < end) {
    const a0 = Ap[ai]!, a1 = Ap[ai + 1]!, a2 = Ap[ai + 2]!, a3 = Ap[ai + 3]!;
    const b0 = Bp[bi]!, b1 = Bp[bi + 1]!, b2 = Bp[bi + 2]!, b3 = Bp[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += 4;
    bi += 4;
  }
  if (h === 4 && w === 4) {
    let r = cOff;
    c[r] += c00; c[r + 1] += c01; c[r + 2] += c02; c[r + 3] += c03;
    r += ldc;
    c[r] += c10; c[r + 1] += c11; c[r + 2] += c12; c[r + 3] += c13;
    r += ldc;
    c[r] += c20; c[r + 1] += c21; c[r + 2] += c22; c[r + 3] += c23;
    r += ldc;
    c[r] += c30; c[r + 1] += c31; c[r + 2] += c32; c[r + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let ii = 0; ii < h; ii++) {
    for (let jj = 0; jj < w; jj++) c[cOff + ii * ldc + jj] += tile[ii * 4 + jj]!;
  }
}

/** Plain i-k-j loop for small products. */
function smallGemm(
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: Operand,
  B: Operand,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  const a = A.data;
  const b = B.data;
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    for (let p = 0; p < k; p++) {
      const aip = alpha * (A.trans ? a[A.off + p * A.ld + i]! : a[A.off + i * A.ld + p]!);
      if (B.trans) {
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[B.off + j * B.ld + p]!;
      } else {
        const bp = B.off + p * B.ld;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j]!;
      }
    }
  }
}

/**
 * Unstrided convenience form: $C \mathrel{+}= \mathrm{op}(A)\,\mathrm{op}(B)$ with A, B, C starting at 0.
 * @internal
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  lda: number,
  transA: boolean,
  b: Float64Array,
  ldb: number,
  transB: boolean,
  c: Float64Array,
  ldc: number,
  beta: 0 | 1 = 1,
): void {
  gemmStrided(m, n, k, 1, { data: a, off: 0, ld: lda, trans: transA }, { data: b, off: 0, ld: ldb, trans: transB }, c, 0, ldc, beta);
}
