/**
 * The matrix-product kernel of the autodiff ops (`ops.matmul`, `ops.linear` and their backward passes):
 * $C = \mathrm{op}(A)\,\mathrm{op}(B)$ on row-major `Float64Array`s, with the Goto–van de Geijn blocking of
 * core's `linalg` GEMM (B packed in KC×4 column panels, A in MC×KC blocks of 4-row slivers, a 4×4 register
 * tile of f64x2 accumulators) but the whole macro-kernel — every tile of a packed block, and adding the tile
 * into C — in one WebAssembly SIMD call. C lives in the module's memory (rows padded to a multiple of 4) and
 * is copied out once at the end, so JavaScript does no per-tile work; packing has fast paths for full
 * panels (transposed or not). In the VAE training step of `@notes/latent` (784-400-(2×20), batch 100) this
 * took the five large products from ~4.5 ms to ~3 ms each (one thread, no FMA in WebAssembly SIMD).
 *
 * C is computed in chunks of rows that fit 2²¹ doubles (B is packed again per chunk), so the module's memory
 * (which never shrinks) stays below ~20 MB. Without WebAssembly SIMD, for small products (≤ 32³ multiply-adds)
 * and for rows wider than ~21,800 it calls `linalg`'s GEMM (the same sums in the same order).
 * @internal
 */
import { matmul as gemmJS, matmulTransA as gemmTransAJS, matmulTransB as gemmTransBJS } from '../linalg/index.js';
import { assembleModule, uleb128 as uleb, WasmType } from '../wasm/encoding.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 96;
const NC = 2048;
/** Below this many multiply-adds `linalg`'s GEMM (plain loops for tiny products) is used. */
const SMALL = 32 * 32 * 32;
/** Largest block of C (doubles, padded) kept in the module's memory; larger products run in chunks of rows. */
const MAX_C = 2 * 1024 * 1024;

const I32 = WasmType.i32;
const V128 = WasmType.v128;
const OP = { block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, tee: 0x22, i32c: 0x41, add: 0x6a, mul: 0x6c, ltU: 0x49, geU: 0x4f, simd: 0xfd } as const;
const SIMD = { load: [0x00], splat: [0x0a], store: [0x0b], const: [0x0c], add: [0xf0, 0x01], mul: [0xf2, 0x01] };

/**
 * `macro(mc, nc, kc, a, b, c, ldc)`: for every 4×4 tile (i0, j0) of an mc×nc block (mc, nc multiples of 4),
 * C[i0.., j0..] += Σ_p Apack[sliver i0][p] ⊗ Bpack[panel j0][p]; `a`, `b`, `c` byte addresses, `ldc` bytes.
 */
function macroBody(): number[] {
  // params 0 mc, 1 nc, 2 kc, 3 a, 4 b, 5 c, 6 ldc; locals 7 j0, 8 i0, 9 ap, 10 bp, 11 end, 12 cp (i32),
  // 13..20 accumulators, 21 b01, 22 b23, 23 splat (v128)
  const get = (i: number) => [OP.get, i];
  const set = (i: number) => [OP.set, i];
  const c32 = (v: number) => [OP.i32c, ...sleb(v)];
  const mem = (sub: number[], offset: number) => [OP.simd, ...sub, ...uleb(3), ...uleb(offset)];
  const zero = [OP.simd, ...SIMD.const, ...new Array(16).fill(0)];
  const code: number[] = [];
  code.push(...c32(0), ...set(7));
  code.push(OP.block, 0x40, OP.loop, 0x40); // j0 loop
  code.push(...get(7), ...get(1), OP.geU, OP.brIf, 1);
  code.push(...c32(0), ...set(8));
  code.push(OP.block, 0x40, OP.loop, 0x40); // i0 loop
  code.push(...get(8), ...get(0), OP.geU, OP.brIf, 1);
  // ap = a + i0*kc*8; bp = b + j0*kc*8; end = ap + kc*32
  code.push(...get(3), ...get(8), ...get(2), OP.mul, ...c32(8), OP.mul, OP.add, ...set(9));
  code.push(...get(4), ...get(7), ...get(2), OP.mul, ...c32(8), OP.mul, OP.add, ...set(10));
  code.push(...get(9), ...get(2), ...c32(32), OP.mul, OP.add, ...set(11));
  for (let t = 0; t < 8; t++) code.push(...zero, ...set(13 + t));
  code.push(OP.loop, 0x40); // p loop (kc ≥ 1)
  code.push(...get(10), ...mem(SIMD.load, 0), ...set(21));
  code.push(...get(10), ...mem(SIMD.load, 16), ...set(22));
  for (let r = 0; r < 4; r++) {
    code.push(...get(9), ...mem(SIMD.splat, 8 * r), ...set(23));
    for (let h = 0; h < 2; h++) {
      const acc = 13 + 2 * r + h;
      code.push(...get(acc), ...get(23), ...get(21 + h), OP.simd, ...SIMD.mul, OP.simd, ...SIMD.add, ...set(acc));
    }
  }
  code.push(...get(9), ...c32(32), OP.add, ...set(9));
  code.push(...get(10), ...c32(32), OP.add, ...set(10));
  code.push(...get(9), ...get(11), OP.ltU, OP.brIf, 0, OP.end);
  // cp = c + i0*ldc + j0*8; C rows += accumulators
  code.push(...get(5), ...get(8), ...get(6), OP.mul, OP.add, ...get(7), ...c32(8), OP.mul, OP.add, ...set(12));
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      code.push(...get(12), ...get(12), ...mem(SIMD.load, 16 * h), ...get(13 + 2 * r + h), OP.simd, ...SIMD.add, ...mem(SIMD.store, 16 * h));
    }
    if (r < 3) code.push(...get(12), ...get(6), OP.add, ...set(12));
  }
  code.push(...get(8), ...c32(4), OP.add, ...set(8), OP.br, 0, OP.end, OP.end); // next i0
  code.push(...get(7), ...c32(4), OP.add, ...set(7), OP.br, 0, OP.end, OP.end); // next j0
  return code;
}

function sleb(n: number): number[] {
  // small non-negative constants only (< 64 fit one byte; larger go through uleb with a clear sign bit)
  if (n < 64) return [n];
  const u = uleb(n);
  if ((u[u.length - 1] & 0x40) !== 0) {
    u[u.length - 1] |= 0x80;
    u.push(0);
  }
  return u;
}

interface Kernel {
  memory: WebAssembly.Memory;
  macro: (mc: number, nc: number, kc: number, a: number, b: number, c: number, ldc: number) => void;
}

let cached: Kernel | null | undefined;

/** The macro-kernel module's bytes (exported for tests). @internal */
export function macroKernelBytes(): Uint8Array<ArrayBuffer> {
  const fn = { name: 'macro', params: [I32, I32, I32, I32, I32, I32, I32], locals: [[6, I32], [11, V128]] as const, code: macroBody() };
  return assembleModule([fn], { kind: 'export', pages: 1 });
}

function kernel(): Kernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return cached;
    const bytes = macroKernelBytes();
    if (!wa.validate(bytes)) return cached;
    const inst = new wa.Instance(new wa.Module(bytes), {});
    const { mem, macro } = inst.exports as { mem: WebAssembly.Memory; macro: Kernel['macro'] };
    cached = { memory: mem, macro };
  } catch {
    cached = null;
  }
  return cached;
}

let useWasm = true;
/** Switches the WebAssembly path off (tests compare both paths). Returns whether it is available. @internal */
export function setAutodiffKernel(kind: 'auto' | 'js'): boolean {
  useWasm = kind === 'auto';
  return useWasm && kernel() !== null;
}

function roundUp(x: number, r: number): number {
  return Math.ceil(x / r) * r;
}

/**
 * Overwrites `out` (length ≥ m·n) with $\mathrm{op}(A)\,\mathrm{op}(B)$: A is m×k (stored k×m when `transA`),
 * B is k×n (stored n×k when `transB`), all row-major without gaps. Callers validate shapes.
 * @internal
 */
export function gemmInto(m: number, n: number, k: number, a: Float64Array, transA: boolean, b: Float64Array, transB: boolean, out: Float64Array): Float64Array {
  const nPad = roundUp(n, NR);
  // C is computed in chunks of rows (a multiple of MC) so that the chunk fits MAX_C
  const chunk = Math.floor(MAX_C / nPad / MC) * MC;
  const kern = useWasm && m * n * k > SMALL && chunk >= MC ? kernel() : null;
  if (kern === null) {
    if (transA && transB) throw new Error('gemmInto: transA and transB together are not supported');
    const r = transA ? gemmTransAJS(a, b, m, k, n, out) : transB ? gemmTransBJS(a, b, m, k, n, out) : gemmJS(a, b, m, k, n, out);
    return r;
  }
  const rows = Math.min(chunk, roundUp(m, MR));
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, nPad);
  const aBytes = MC * kcMax * 8;
  const bBytes = kcMax * ncMax * 8;
  const cBytes = rows * nPad * 8;
  const need = aBytes + bBytes + cBytes;
  const mem = kern.memory;
  if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
  const buf = mem.buffer;
  const Ap = new Float64Array(buf, 0, MC * kcMax);
  const Bp = new Float64Array(buf, aBytes, kcMax * ncMax);
  const C = new Float64Array(buf, aBytes + bBytes, rows * nPad);
  const cAddr = aBytes + bBytes;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let r0 = 0; r0 < m; r0 += rows) {
    const mr = Math.min(rows, m - r0);
    C.fill(0);
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        packB(b, ldb, transB, pc, jc, kc, nc, Bp);
        for (let ic = r0; ic < r0 + mr; ic += MC) {
          const mc = Math.min(MC, r0 + mr - ic);
          packA(a, lda, transA, ic, pc, mc, kc, Ap);
          kern.macro(roundUp(mc, MR), roundUp(nc, NR), kc, 0, aBytes, cAddr + ((ic - r0) * nPad + jc) * 8, nPad * 8);
        }
      }
    }
    if (nPad === n) out.set(C.subarray(0, mr * n), r0 * n);
    else for (let i = 0; i < mr; i++) out.set(C.subarray(i * nPad, i * nPad + n), (r0 + i) * n);
  }
  return out;
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] into 4-wide column panels (kc×4 row-major each), zero-padded. */
function packB(data: Float64Array, ld: number, trans: boolean, pc: number, jc: number, kc: number, nc: number, Bp: Float64Array): void {
  let q = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    if (w === NR && trans) {
      const s0 = (jc + j0) * ld + pc;
      const s1 = s0 + ld;
      const s2 = s1 + ld;
      const s3 = s2 + ld;
      for (let p = 0; p < kc; p++) {
        Bp[q] = data[s0 + p];
        Bp[q + 1] = data[s1 + p];
        Bp[q + 2] = data[s2 + p];
        Bp[q + 3] = data[s3 + p];
        q += 4;
      }
    } else if (w === NR) {
      let s = pc * ld + jc + j0;
      for (let p = 0; p < kc; p++) {
        Bp[q] = data[s];
        Bp[q + 1] = data[s + 1];
        Bp[q + 2] = data[s + 2];
        Bp[q + 3] = data[s + 3];
        q += 4;
        s += ld;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) {
          const col = jc + j0 + jj;
          const row = pc + p;
          Bp[q++] = jj < w ? (trans ? data[col * ld + row] : data[row * ld + col]) : 0;
        }
      }
    }
  }
}

/** Packs op(A)[ic:ic+mc, pc:pc+kc] into 4-tall row slivers (kc×4, column by column), zero-padded. */
function packA(data: Float64Array, ld: number, trans: boolean, ic: number, pc: number, mc: number, kc: number, Ap: Float64Array): void {
  let q = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    if (h === MR && trans) {
      let s = pc * ld + ic + i0;
      for (let p = 0; p < kc; p++) {
        Ap[q] = data[s];
        Ap[q + 1] = data[s + 1];
        Ap[q + 2] = data[s + 2];
        Ap[q + 3] = data[s + 3];
        q += 4;
        s += ld;
      }
    } else if (h === MR) {
      const s0 = (ic + i0) * ld + pc;
      const s1 = s0 + ld;
      const s2 = s1 + ld;
      const s3 = s2 + ld;
      for (let p = 0; p < kc; p++) {
        Ap[q] = data[s0 + p];
        Ap[q + 1] = data[s1 + p];
        Ap[q + 2] = data[s2 + p];
        Ap[q + 3] = data[s3 + p];
        q += 4;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let ii = 0; ii < MR; ii++) {
          const row = ic + i0 + ii;
          const col = pc + p;
          Ap[q++] = ii < h ? (trans ? data[col * ld + row] : data[row * ld + col]) : 0;
        }
      }
    }
  }
}
