/**
 * A WebAssembly SIMD (f64x2) 4×4 GEMM micro-kernel, assembled here from its opcodes so that no
 * binary file, native build or extra dependency is needed (works in Node ≥ 16.4 and current browsers).
 *
 * `k44(kc, a, b, tile)` — byte addresses into the module's own memory:
 * `a` holds kc steps of 4 packed A values, `b` kc steps of 4 packed B values (the layouts of `gemm.ts`),
 * and the 4×4 product $\sum_p a_{:,p} b_{p,:}$ is stored row-major at `tile` (16 doubles, overwritten).
 * Eight `v128` accumulators hold the tile as f64 pairs; each step is 2 vector loads of B, 4 splat loads
 * of A and 8 vector multiply-adds.
 *
 * Returns null when WebAssembly or its SIMD proposal is unavailable; callers fall back to JavaScript.
 * @internal
 */

import { assembleModule, uleb128 as uleb, WasmType } from '../wasm/encoding.js';

export interface WasmKernel {
  memory: WebAssembly.Memory;
  k44: (kc: number, a: number, b: number, tile: number) => void;
}

const I32 = WasmType.i32;
const V128 = WasmType.v128;
const op = {
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32LtU: 0x49,
  loop: 0x03,
  brIf: 0x0d,
  end: 0x0b,
  simd: 0xfd,
} as const;
// SIMD sub-opcodes (LEB128-encoded after 0xfd).
const simd = { v128Load: [0x00], v128Load64Splat: [0x0a], v128Store: [0x0b], f64x2Add: [0xf0, 0x01], f64x2Mul: [0xf2, 0x01] };

function kernelBody(): number[] {
  // params: 0 kc, 1 a, 2 b, 3 tile; locals: 4..11 acc (v128), 12 b01, 13 b23, 14 splat a, 15 end (i32)
  const get = (i: number) => [op.localGet, i];
  const set = (i: number) => [op.localSet, i];
  const mem = (sub: number[], align: number, offset: number) => [op.simd, ...sub, ...uleb(align), ...uleb(offset)];
  const code: number[] = [];
  code.push(...get(1), ...get(0), op.i32Const, ...uleb(32), op.i32Mul, op.i32Add, ...set(15));
  code.push(op.loop, 0x40);
  code.push(...get(2), ...mem(simd.v128Load, 3, 0), ...set(12));
  code.push(...get(2), ...mem(simd.v128Load, 3, 16), ...set(13));
  for (let r = 0; r < 4; r++) {
    code.push(...get(1), ...mem(simd.v128Load64Splat, 3, 8 * r), ...set(14));
    for (let h = 0; h < 2; h++) {
      const acc = 4 + 2 * r + h;
      code.push(...get(acc), ...get(14), ...get(12 + h), op.simd, ...simd.f64x2Mul, op.simd, ...simd.f64x2Add, ...set(acc));
    }
  }
  code.push(...get(1), op.i32Const, ...uleb(32), op.i32Add, ...set(1));
  code.push(...get(2), op.i32Const, ...uleb(32), op.i32Add, ...set(2));
  code.push(...get(1), ...get(15), op.i32LtU, op.brIf, 0, op.end);
  for (let t = 0; t < 8; t++) code.push(...get(3), ...get(4 + t), ...mem(simd.v128Store, 3, 16 * t));
  return code;
}

/** The module's bytes (exported for inspection and tests). */
export function wasmKernelBytes(): Uint8Array<ArrayBuffer> {
  const k44 = { name: 'k44', params: [I32, I32, I32, I32], locals: [[11, V128], [1, I32]] as const, code: kernelBody() };
  return assembleModule([k44], { kind: 'export', pages: 1 });
}

let cached: WasmKernel | null | undefined;

/** Instantiates the kernel once (synchronously; the module is ~300 bytes). Null if unsupported. */
export function getWasmKernel(): WasmKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return cached;
    const bytes = wasmKernelBytes();
    if (!wa.validate(bytes)) return cached;
    const instance = new wa.Instance(new wa.Module(bytes), {});
    const { mem, k44 } = instance.exports as { mem: WebAssembly.Memory; k44: WasmKernel['k44'] };
    cached = { memory: mem, k44 };
  } catch {
    cached = null;
  }
  return cached;
}
