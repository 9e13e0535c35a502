/**
 * The WebAssembly SIMD (f64x2) GEMM macro-kernel, assembled here from its opcodes so that no binary file,
 * native build or extra dependency is needed (works in Node ≥ 16.4 and current browsers).
 *
 * `macro(mc, nc, kc, a, b, c, ldc)` — byte addresses into the module's own memory, `ldc` in bytes:
 * for every 4×4 tile (i0, j0) of an mc×nc block (mc, nc multiples of 4) it adds
 * $\sum_{p<kc} A_{\text{sliver } i_0}[p] \otimes B_{\text{panel } j_0}[p]$ into C at `c + i0·ldc + 8·j0`.
 * `a` holds MR = 4-row slivers of kc steps (the packing of `gemm.ts`), `b` NR = 4-column panels of kc steps.
 * Each tile is summed from zero over the kc steps in eight `v128` accumulators (2 vector loads of B,
 * 4 splat loads of A and 8 vector multiply-adds a step; no FMA in WebAssembly SIMD) and then added into C,
 * so the sums are the same, in the same order, as the JavaScript 4×4 micro-kernel's.
 *
 * Returns null when WebAssembly or its SIMD proposal is unavailable; callers fall back to JavaScript.
 * @internal
 */

import { assembleModule, sleb128, uleb128 as uleb, WasmType } from '../wasm/encoding.js';

/** The instantiated module: its memory and the macro-kernel. @internal */
export interface WasmKernel {
  memory: WebAssembly.Memory;
  macro: (mc: number, nc: number, kc: number, a: number, b: number, c: number, ldc: number) => void;
}

const I32 = WasmType.i32;
const V128 = WasmType.v128;
const OP = { block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, i32c: 0x41, add: 0x6a, mul: 0x6c, ltU: 0x49, geU: 0x4f, simd: 0xfd } as const;
// SIMD sub-opcodes (LEB128-encoded after 0xfd).
const SIMD = { load: [0x00], splat: [0x0a], store: [0x0b], const: [0x0c], add: [0xf0, 0x01], mul: [0xf2, 0x01] };

function macroBody(): number[] {
  // params 0 mc, 1 nc, 2 kc, 3 a, 4 b, 5 c, 6 ldc; locals 7 j0, 8 i0, 9 ap, 10 bp, 11 end, 12 cp (i32),
  // 13..20 accumulators, 21 b01, 22 b23, 23 splat (v128)
  const get = (i: number) => [OP.get, i];
  const set = (i: number) => [OP.set, i];
  const c32 = (v: number) => [OP.i32c, ...sleb128(v)];
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

/** The module's bytes (exported for inspection and tests). @internal */
export function wasmKernelBytes(): Uint8Array<ArrayBuffer> {
  const fn = { name: 'macro', params: [I32, I32, I32, I32, I32, I32, I32], locals: [[6, I32], [11, V128]] as const, code: macroBody() };
  return assembleModule([fn], { kind: 'export', pages: 1 });
}

let cached: WasmKernel | null | undefined;

/** Instantiates the kernel once (synchronously; the module is under 1 kB). Null if unsupported. @internal */
export function getWasmKernel(): WasmKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return cached;
    const bytes = wasmKernelBytes();
    if (!wa.validate(bytes)) return cached;
    const instance = new wa.Instance(new wa.Module(bytes), {});
    const { mem, macro } = instance.exports as { mem: WebAssembly.Memory; macro: WasmKernel['macro'] };
    cached = { memory: mem, macro };
  } catch {
    cached = null;
  }
  return cached;
}
