/**
 * The WebAssembly SIMD (f64x2) GEMM macro-kernel, assembled here from its opcodes so that no binary file,
 * native build or extra dependency is needed (works in Node ≥ 16.4 and current browsers).
 *
 * `macro(mc, nc, kc, a, b, c, ldc)` — byte addresses into the module's own memory, `ldc` in bytes:
 * for every 4×4 tile (i0, j0) of an mc×nc block (mc, nc multiples of 4) it adds
 * $\sum_{p<kc} A_{\text{sliver } i_0}[p] \otimes B_{\text{panel } j_0}[p]$ into C at `c + i0·ldc + 8·j0`.
 * `a` holds MR = 4-row slivers of kc steps (the packing of `gemm.ts`), `b` NR = 4-column panels of kc steps.
 * Each tile is summed from zero over the kc steps in eight `v128` accumulators (2 vector loads of B,
 * 4 splat loads of A and 8 vector multiply-adds a step) and then added into C. Two variants of the multiply-add:
 * plain SIMD (`f64x2.mul` then `f64x2.add`: the sums are the same, in the same order and with the same roundings,
 * as the JavaScript 4×4 micro-kernel's) and, where the runtime compiles relaxed SIMD ({@link wasmFmaActive}),
 * `f64x2.relaxed_madd` (fused on FMA CPUs: same order, one rounding per step, so not the JavaScript bits;
 * ≈ 17 → 20 GFLOP/s on this machine's Xeon). With `first` set the tile
 * is stored as `0 + sum` without reading C (GEMM with β = 0 on its first KC panel; same bits as adding into zeros).
 *
 * `packSteps` and `packRows` pack operands already copied into the module's memory into those slivers and
 * panels (v128 copies of 4 consecutive entries per step, or 4 strided rows gathered per step; each entry
 * multiplied by α in f64, the same product JavaScript packing forms); ragged last panels are left to `gemm.ts`.
 *
 * Returns null when WebAssembly or its SIMD proposal is unavailable; callers fall back to JavaScript.
 * @internal
 */

import { assembleModule, sleb128, uleb128 as uleb, type WasmFunction, WasmType } from '../wasm/encoding.js';

/** The instantiated module: its memory, the macro-kernel and the two packing routines. @internal */
export interface WasmKernel {
  memory: WebAssembly.Memory;
  /** `first` ≠ 0: C's old contents are ignored (each tile is stored as 0 + sum, the same bits as adding into zeros). */
  macro: (mc: number, nc: number, kc: number, a: number, b: number, c: number, ldc: number, first: number) => void;
  /**
   * Packs `panels` 4-wide column panels of a row-major source, each kc steps: step p of panel t is
   * α·src[p·ld + 4t .. 4t+3] (`src`, `dst` byte addresses, `ld` in bytes); written at dst + (t·kc + p)·32.
   */
  packSteps: (src: number, ld: number, kc: number, panels: number, dst: number, alpha: number) => void;
  /**
   * Packs `panels` groups of 4 source rows, each kc steps: step p of group t is α·(src[(4t+r)·ld + p])ᵣ₌₀..₃
   * (byte addresses, `ld` in bytes); written at dst + (t·kc + p)·32.
   */
  packRows: (src: number, ld: number, kc: number, panels: number, dst: number, alpha: number) => void;
  /** Whether the macro-kernel accumulates with `f64x2.relaxed_madd` (see {@link wasmFmaActive}). */
  fma: boolean;
}

const I32 = WasmType.i32;
const F64 = WasmType.f64;
const V128 = WasmType.v128;
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, tee: 0x22,
  i32c: 0x41, add: 0x6a, mul: 0x6c, ltU: 0x49, geU: 0x4f, f64load: 0x2b, f64store: 0x39, f64mul: 0xa2, simd: 0xfd,
} as const;
// SIMD sub-opcodes (LEB128-encoded after 0xfd).
const SIMD = { load: [0x00], splat: [0x0a], store: [0x0b], const: [0x0c], f64splat: [0x14], add: [0xf0, 0x01], mul: [0xf2, 0x01] };

const get = (i: number) => [OP.get, i];
const set = (i: number) => [OP.set, i];
const c32 = (v: number) => [OP.i32c, ...sleb128(v)];
const mem = (sub: number[], offset: number) => [OP.simd, ...sub, ...uleb(3), ...uleb(offset)];
const f64mem = (op: number, offset: number) => [op, ...uleb(3), ...uleb(offset)];

/** f64x2.relaxed_madd (relaxed SIMD; opcode 0xfd 0x107, LEB128-encoded): a·b + c, one rounding where the CPU has FMA. */
const RELAXED_MADD = [0x87, 0x02];

/**
 * Code for `acc ← acc + x·y` on three v128 locals: with `fma`, one `f64x2.relaxed_madd` (fused on CPUs with FMA:
 * one rounding instead of two); otherwise `f64x2.mul` then `f64x2.add` (two roundings, the JavaScript kernels' bits).
 * @internal shared with the triangular macro-kernel of `kernels/lower-inverse-rows.ts`.
 */
export function maddCode(acc: number, x: number, y: number, fma: boolean): number[] {
  return fma
    ? [...get(x), ...get(y), ...get(acc), OP.simd, ...RELAXED_MADD, ...set(acc)]
    : [...get(acc), ...get(x), ...get(y), OP.simd, ...SIMD.mul, OP.simd, ...SIMD.add, ...set(acc)];
}

let relaxed: boolean | undefined;

/**
 * Whether this runtime compiles WebAssembly relaxed SIMD (validates a one-instruction `f64x2.relaxed_madd`
 * function; checked once). True by default in Chrome ≥ 114, Firefox ≥ 120 and Node ≥ 22; in Node 20 only
 * when the process runs with `node --experimental-wasm-relaxed-simd`. Library code never sets V8 flags.
 * Exported from the raw tier (`@notes/core-linalg/kernels`).
 */
export function relaxedSimdSupported(): boolean {
  if (relaxed !== undefined) return relaxed;
  relaxed = false;
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (wa) {
      const zero = [OP.simd, ...SIMD.const, ...new Array(16).fill(0)];
      const code = [...zero, ...zero, ...zero, OP.simd, ...RELAXED_MADD, 0x1a];
      relaxed = wa.validate(assembleModule([{ name: 'f', params: [], locals: [], code }], { kind: 'export', pages: 1 }));
    }
  } catch {
    relaxed = false;
  }
  return relaxed;
}

let fmaMode: 'auto' | 'off' = 'auto';

/**
 * Whether the WebAssembly macro-kernels (GEMM here, the triangular one of `LowerInverseRows`) accumulate with
 * `f64x2.relaxed_madd`: relaxed SIMD is supported and the FMA variant is not switched off ({@link setWasmFma}).
 * Exported from the raw tier (`@notes/core-linalg/kernels`).
 */
export function wasmFmaActive(): boolean {
  return fmaMode === 'auto' && relaxedSimdSupported();
}

/**
 * `'off'` makes every macro-kernel built afterwards (and every cached one, on its next use) the plain SIMD variant
 * (mul then add), whose sums have the JavaScript kernels' bits; `'auto'` (default) uses FMA where supported.
 * Returns {@link wasmFmaActive} afterwards. For tests, benches and a worker pool matching its calling thread (process-wide
 * for this copy of core; exported from the raw tier `@notes/core-linalg/kernels`).
 */
export function setWasmFma(mode: 'auto' | 'off'): boolean {
  fmaMode = mode;
  return wasmFmaActive();
}

function macroBody(fma: boolean): number[] {
  // params 0 mc, 1 nc, 2 kc, 3 a, 4 b, 5 c, 6 ldc, 7 first; locals 8 j0, 9 i0, 10 ap, 11 bp, 12 end, 13 cp (i32),
  // 14..21 accumulators, 22 b01, 23 b23, 24 splat, 25 zero (v128)
  const J0 = 8, I0 = 9, AP = 10, BP = 11, END = 12, CP = 13, ACC = 14, B01 = 22, SPLAT = 24, ZERO = 25;
  const zero = [OP.simd, ...SIMD.const, ...new Array(16).fill(0)];
  const code: number[] = [];
  code.push(...zero, ...set(ZERO));
  code.push(...c32(0), ...set(J0));
  code.push(OP.block, 0x40, OP.loop, 0x40); // j0 loop
  code.push(...get(J0), ...get(1), OP.geU, OP.brIf, 1);
  code.push(...c32(0), ...set(I0));
  code.push(OP.block, 0x40, OP.loop, 0x40); // i0 loop
  code.push(...get(I0), ...get(0), OP.geU, OP.brIf, 1);
  // ap = a + i0*kc*8; bp = b + j0*kc*8; end = ap + kc*32
  code.push(...get(3), ...get(I0), ...get(2), OP.mul, ...c32(8), OP.mul, OP.add, ...set(AP));
  code.push(...get(4), ...get(J0), ...get(2), OP.mul, ...c32(8), OP.mul, OP.add, ...set(BP));
  code.push(...get(AP), ...get(2), ...c32(32), OP.mul, OP.add, ...set(END));
  for (let t = 0; t < 8; t++) code.push(...zero, ...set(ACC + t));
  code.push(OP.loop, 0x40); // p loop (kc ≥ 1)
  code.push(...get(BP), ...mem(SIMD.load, 0), ...set(B01));
  code.push(...get(BP), ...mem(SIMD.load, 16), ...set(B01 + 1));
  for (let r = 0; r < 4; r++) {
    code.push(...get(AP), ...mem(SIMD.splat, 8 * r), ...set(SPLAT));
    for (let h = 0; h < 2; h++) {
      code.push(...maddCode(ACC + 2 * r + h, SPLAT, B01 + h, fma));
    }
  }
  code.push(...get(AP), ...c32(32), OP.add, ...set(AP));
  code.push(...get(BP), ...c32(32), OP.add, ...set(BP));
  code.push(...get(AP), ...get(END), OP.ltU, OP.brIf, 0, OP.end);
  // cp = c + i0*ldc + j0*8; C rows += accumulators (or, with `first`, C rows = 0 + accumulators)
  code.push(...get(5), ...get(I0), ...get(6), OP.mul, OP.add, ...get(J0), ...c32(8), OP.mul, OP.add, ...set(CP));
  const storeTile = (first: boolean) => {
    const out: number[] = [];
    for (let r = 0; r < 4; r++) {
      for (let h = 0; h < 2; h++) {
        const old = first ? get(ZERO) : [...get(CP), ...mem(SIMD.load, 16 * h)];
        out.push(...get(CP), ...old, ...get(ACC + 2 * r + h), OP.simd, ...SIMD.add, ...mem(SIMD.store, 16 * h));
      }
      if (r < 3) out.push(...get(CP), ...get(6), OP.add, ...set(CP));
    }
    return out;
  };
  code.push(...get(7), OP.if, 0x40, ...storeTile(true), OP.else, ...storeTile(false), OP.end);
  code.push(...get(I0), ...c32(4), OP.add, ...set(I0), OP.br, 0, OP.end, OP.end); // next i0
  code.push(...get(J0), ...c32(4), OP.add, ...set(J0), OP.br, 0, OP.end, OP.end); // next j0
  return code;
}

/** packSteps(src, ld, kc, panels, dst, alpha): two v128 loads, two f64x2 multiplies by α, two stores a step. */
function packStepsBody(): number[] {
  // params 0 src, 1 ld, 2 kc, 3 panels, 4 dst (i32), 5 alpha (f64); locals 6 t, 7 s, 8 p (i32), 9 al (v128)
  const T = 6, S = 7, P = 8, AL = 9;
  const code: number[] = [];
  code.push(...get(5), OP.simd, ...SIMD.f64splat, ...set(AL));
  code.push(...c32(0), ...set(T));
  code.push(OP.block, 0x40, OP.loop, 0x40); // panel loop
  code.push(...get(T), ...get(3), OP.geU, OP.brIf, 1);
  code.push(...get(0), ...get(T), ...c32(32), OP.mul, OP.add, ...set(S));
  code.push(...c32(0), ...set(P));
  code.push(OP.block, 0x40, OP.loop, 0x40); // step loop
  code.push(...get(P), ...get(2), OP.geU, OP.brIf, 1);
  for (let h = 0; h < 2; h++) {
    code.push(...get(4), ...get(S), ...mem(SIMD.load, 16 * h), ...get(AL), OP.simd, ...SIMD.mul, ...mem(SIMD.store, 16 * h));
  }
  code.push(...get(S), ...get(1), OP.add, ...set(S));
  code.push(...get(4), ...c32(32), OP.add, ...set(4));
  code.push(...get(P), ...c32(1), OP.add, ...set(P), OP.br, 0, OP.end, OP.end);
  code.push(...get(T), ...c32(1), OP.add, ...set(T), OP.br, 0, OP.end, OP.end);
  return code;
}

/** packRows(src, ld, kc, panels, dst, alpha): four f64 loads (one per source row), multiplies and stores a step. */
function packRowsBody(): number[] {
  // params 0 src, 1 ld, 2 kc, 3 panels, 4 dst (i32), 5 alpha (f64); locals 6 t, 7 s, 8 end (i32)
  const T = 6, S = 7, END = 8;
  const code: number[] = [];
  code.push(...c32(0), ...set(T));
  code.push(OP.block, 0x40, OP.loop, 0x40); // group loop
  code.push(...get(T), ...get(3), OP.geU, OP.brIf, 1);
  // s = src + 4t·ld; end = s + 8·kc
  code.push(...get(0), ...get(T), ...c32(4), OP.mul, ...get(1), OP.mul, OP.add, OP.tee, S);
  code.push(...get(2), ...c32(8), OP.mul, OP.add, ...set(END));
  code.push(OP.block, 0x40, OP.loop, 0x40); // step loop
  code.push(...get(S), ...get(END), OP.geU, OP.brIf, 1);
  for (let r = 0; r < 4; r++) {
    // dst[8r] = alpha · f64[s + r·ld]
    code.push(...get(4), ...get(S));
    for (let q = 0; q < r; q++) code.push(...get(1), OP.add);
    code.push(...f64mem(OP.f64load, 0), ...get(5), OP.f64mul, ...f64mem(OP.f64store, 8 * r));
  }
  code.push(...get(S), ...c32(8), OP.add, ...set(S));
  code.push(...get(4), ...c32(32), OP.add, ...set(4));
  code.push(OP.br, 0, OP.end, OP.end);
  code.push(...get(T), ...c32(1), OP.add, ...set(T), OP.br, 0, OP.end, OP.end);
  return code;
}

/**
 * The `packRows(src, ld, kc, panels, dst, alpha)` routine (see {@link WasmKernel.packRows}) as a function for another
 * module over its own memory (`kernels/lower-inverse-rows.ts` packs its row blocks with it). @internal
 */
export function packRowsFunction(): WasmFunction {
  return { name: 'packRows', params: [I32, I32, I32, I32, I32, F64], locals: [[3, I32]], code: packRowsBody() };
}

/** The module's bytes (exported for inspection and tests); `fma`: the relaxed-SIMD variant of the macro-kernel. @internal */
export function wasmKernelBytes(fma = false): Uint8Array<ArrayBuffer> {
  const macro = { name: 'macro', params: [I32, I32, I32, I32, I32, I32, I32, I32], locals: [[6, I32], [12, V128]] as const, code: macroBody(fma) };
  const packSteps = { name: 'packSteps', params: [I32, I32, I32, I32, I32, F64], locals: [[3, I32], [1, V128]] as const, code: packStepsBody() };
  const packRows = packRowsFunction();
  return assembleModule([macro, packSteps, packRows], { kind: 'export', pages: 1 });
}

let cachedPlain: WasmKernel | null | undefined;
let cachedFma: WasmKernel | null | undefined;

/**
 * A fresh instance of the kernel module with its own memory (null if unsupported): for callers that keep
 * operands resident in the module's memory across GEMM calls (`kernels/resident-cholesky.ts`), apart from
 * the shared instance that `gemm.ts` uses and overwrites on every call. @internal
 */
export function createWasmKernel(fma = wasmFmaActive()): WasmKernel | null {
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return null;
    const bytes = wasmKernelBytes(fma);
    if (!wa.validate(bytes)) return null;
    const instance = new wa.Instance(new wa.Module(bytes), {});
    const { mem, macro, packSteps, packRows } = instance.exports as unknown as Omit<WasmKernel, 'memory'> & { mem: WebAssembly.Memory };
    return { memory: mem, macro, packSteps, packRows, fma };
  } catch {
    return null;
  }
}

/**
 * The shared instance of the variant in use ({@link wasmFmaActive}), instantiated once per variant (synchronously;
 * the module is under 1 kB). Null if unsupported. @internal
 */
export function getWasmKernel(): WasmKernel | null {
  if (wasmFmaActive()) {
    if (cachedFma === undefined) cachedFma = createWasmKernel(true);
    return cachedFma;
  }
  if (cachedPlain === undefined) cachedPlain = createWasmKernel(false);
  return cachedPlain;
}
