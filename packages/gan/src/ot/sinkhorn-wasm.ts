/**
 * WebAssembly SIMD (f64x2) kernels for the standard Sinkhorn iteration, assembled here from their
 * opcodes (no binary file, native build or dependency; Node ≥ 16.4 and current browsers). They do the
 * three O(n·m) loops of {@link sinkhornStandard} two doubles per instruction, where the JavaScript
 * kernels go one at a time:
 *
 * - `expRow(src, dst, end, s, colsum)`: dst = e^{s·src} and colsum += dst over [src, end) — the kernel
 *   K = e^{−M/ε} row by row together with its column sums (the first Kᵀu).
 * - `dot4(k, ld, v, end, sums)`: the four dot products of rows k, k+ld, k+2ld, k+3ld of K with v
 *   (as 8 partial sums at `sums`; lane pairs are added in JavaScript).
 * - `axpy4(k, ld, u0, u1, u2, u3, out, end)`: out += u0·K_k + u1·K_{k+ld} + u2·K_{k+2ld} + u3·K_{k+3ld}.
 *
 * All addresses are byte offsets into one memory the caller supplies per problem (so a large K is
 * garbage-collected with the problem instead of staying in a module-wide memory); row lengths are
 * multiples of 4 doubles (the caller pads K and v with zeros).
 *
 * e^x in `expRow`: fdlibm's algorithm (as `exp.ts`): x = k·ln 2 + r with k = round(x/ln 2) (by adding
 * 1.5·2^52, so k is also read off the low bits), ln 2 split in two so that k·ln2_hi is exact, e^r by
 * fdlibm's degree-5 Remez polynomial in Padé form (|r| ≤ ln 2 / 2), then e^x = (e^r·2^{k₁})·2^{k₂} with
 * k₁ = ⌊k/2⌋, k₂ = k − k₁, each power built in the exponent bits — one rounding, so subnormal results
 * (x < −708) and results up to the overflow threshold (709 < x ≤ 709.78) are those of `Math.exp` as in
 * fdlibm. x is first clamped to [−746, 710], where e^x is already 0 and +∞; NaN stays NaN. Within
 * 1 ulp of `Math.exp` everywhere (`sinkhorn-wasm.test.ts`), so both kernel sets see the same K.
 *
 * {@link getSinkhornWasm} returns null when WebAssembly or SIMD is unavailable; callers then use the
 * JavaScript kernels.
 * @internal
 */

import { assembleModule, f64Bytes, i64Bytes, sleb128, uleb128, type WasmFunction, WasmType } from '@notes/core-linalg';

const I32 = WasmType.i32;
const F64 = WasmType.f64;
const V128 = WasmType.v128;

// instructions
const get = (i: number) => [0x20, ...uleb128(i)];
const set = (i: number) => [0x21, ...uleb128(i)];
const i32 = (n: number) => [0x41, ...sleb128(n)];
const i32Add = [0x6a];
const i32LtU = [0x49];
const simd = (opcode: number, ...imm: number[]) => [0xfd, ...uleb128(opcode), ...imm];
const load = (offset: number) => simd(0x00, 3, ...uleb128(offset));
const store = (offset: number) => simd(0x0b, 3, ...uleb128(offset));
const splatF64 = simd(0x14);
const add = simd(0xf0);
const sub = simd(0xf1);
const mul = simd(0xf2);
const div = simd(0xf3);
const pmin = simd(0xf6);
const pmax = simd(0xf7);
const i64x2Add = simd(0xce);
const i64x2Sub = simd(0xd1);
const i64x2Shl = simd(0xcb);
const i64x2ShrS = simd(0xcc);
const constF64x2 = (x: number) => simd(0x0c, ...f64Bytes(x), ...f64Bytes(x));
const constI64x2 = (lo: number, hi: number) => simd(0x0c, ...i64Bytes(lo, hi), ...i64Bytes(lo, hi));
/** `p = p + d` for an i32 pointer local. */
const bump = (p: number, d: number) => [...get(p), ...i32(d), ...i32Add, ...set(p)];
/** `loop … br_if (p < end) end` */
const loopWhile = (body: number[], p: number, end: number) => [0x03, 0x40, ...body, ...get(p), ...get(end), ...i32LtU, 0x0d, 0, 0x0b];

/** dot4(k, ld, v, end, sums): sums[0..8) = lane-pair partial sums of K_r · v, r = 0..3. */
function dot4(): WasmFunction {
  // params 0 k, 1 ld, 2 v, 3 end, 4 sums; locals 5–7 k1–k3; 8–15 acc[r][h]; 16 vj
  const code: number[] = [];
  code.push(...get(0), ...get(1), ...i32Add, ...set(5));
  code.push(...get(5), ...get(1), ...i32Add, ...set(6));
  code.push(...get(6), ...get(1), ...i32Add, ...set(7));
  const rowPtr = [0, 5, 6, 7];
  const body: number[] = [];
  for (let h = 0; h < 2; h++) {
    body.push(...get(2), ...load(16 * h), ...set(16));
    for (let r = 0; r < 4; r++) {
      const acc = 8 + 2 * r + h;
      body.push(...get(acc), ...get(rowPtr[r]!), ...load(16 * h), ...get(16), ...mul, ...add, ...set(acc));
    }
  }
  for (const p of [...rowPtr, 2]) body.push(...bump(p, 32));
  code.push(...loopWhile(body, 2, 3));
  for (let r = 0; r < 4; r++) code.push(...get(4), ...get(8 + 2 * r), ...get(9 + 2 * r), ...add, ...store(16 * r));
  return { name: 'dot4', params: [I32, I32, I32, I32, I32], locals: [[3, I32], [9, V128]], code };
}

/** axpy4(k, ld, u0, u1, u2, u3, out, end): out += Σ_r u_r K_r over [out, end). */
function axpy4(): WasmFunction {
  // params 0 k, 1 ld, 2–5 u0–u3, 6 out, 7 end; locals 8–10 k1–k3; 11–14 U0–U3
  const code: number[] = [];
  code.push(...get(0), ...get(1), ...i32Add, ...set(8));
  code.push(...get(8), ...get(1), ...i32Add, ...set(9));
  code.push(...get(9), ...get(1), ...i32Add, ...set(10));
  for (let r = 0; r < 4; r++) code.push(...get(2 + r), ...splatF64, ...set(11 + r));
  const rowPtr = [0, 8, 9, 10];
  const term = (r: number, h: number) => [...get(rowPtr[r]!), ...load(16 * h), ...get(11 + r), ...mul];
  const body: number[] = [];
  for (let h = 0; h < 2; h++) {
    body.push(...get(6), ...get(6), ...load(16 * h));
    body.push(...term(0, h), ...term(1, h), ...add, ...term(2, h), ...term(3, h), ...add, ...add, ...add);
    body.push(...store(16 * h));
  }
  for (const p of [...rowPtr, 6]) body.push(...bump(p, 32));
  code.push(...loopWhile(body, 6, 7));
  return { name: 'axpy4', params: [I32, I32, F64, F64, F64, F64, I32, I32], locals: [[3, I32], [4, V128]], code };
}

/** fdlibm's split of ln 2 (LN2_HI has 32 trailing zero bits, so k·LN2_HI is exact for |k| < 2^21) and polynomial. */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const P = [0.16666666666666602, -0.0027777777777015593, 6.613756321437934e-5, -1.6533902205465252e-6, 4.1381367970572385e-8];
/** 1.5·2^52: y + SHIFT rounds y to an integer held in the low mantissa bits. */
const SHIFT = 6755399441055744;
/** Clamp range of x: e^{−746} rounds to 0 and e^{710} overflows to +∞, so clamping changes no result. */
export const EXP_MIN = -746;
export const EXP_MAX = 710;
/** Bit pattern of SHIFT: bits(y + SHIFT) − SHIFT_BITS is the integer k as an i64. */
const SHIFT_BITS_HI = 0x43380000;

/** expRow(src, dst, end, s, colsum): dst = e^{s·src}, colsum += dst, two f64x2 per trip. */
function expRow(): WasmFunction {
  // params 0 src, 1 dst, 2 end, 3 s (f64), 4 colsum; locals (two of each, one per vector):
  // 5 S; 6–7 x; 8–9 kf; 10–11 hi; 12–13 lo; 14–15 r; 16–17 t; 18–19 c; then the constants, set
  // once (V8 rebuilds a v128.const from scalars at each use)
  const C = { max: 20, min: 21, log2e: 22, shift: 23, lnHi: 24, lnLo: 25, bias: 26, shiftBits: 27, one: 28, two: 29, p: 30 };
  const code: number[] = [...get(3), ...splatF64, ...set(5)];
  const init: [number, number[]][] = [
    [C.max, constF64x2(EXP_MAX)],
    [C.min, constF64x2(EXP_MIN)],
    [C.log2e, constF64x2(Math.LOG2E)],
    [C.shift, constF64x2(SHIFT)],
    [C.lnHi, constF64x2(LN2_HI)],
    [C.lnLo, constF64x2(LN2_LO)],
    [C.bias, constI64x2(1023, 0)],
    [C.shiftBits, constI64x2(0, SHIFT_BITS_HI)],
    [C.one, constF64x2(1)],
    [C.two, constF64x2(2)],
    ...P.map((c, k): [number, number[]] => [C.p + k, constF64x2(c)]),
  ];
  for (const [local, value] of init) code.push(...value, ...set(local));
  const body: number[] = [];
  const both = (f: (h: number) => number[]) => {
    for (let h = 0; h < 2; h++) body.push(...f(h));
  };
  // x = s·M; hi ← clamp(x) (pmin/pmax: one instruction each); kf = hi·log2 e + SHIFT, k = kf − SHIFT
  both((h) => [...get(0), ...load(16 * h), ...get(5), ...mul, ...set(6 + h)]);
  both((h) => [...get(6 + h), ...get(C.max), ...pmin, ...get(C.min), ...pmax, ...set(10 + h)]);
  both((h) => [...get(10 + h), ...get(C.log2e), ...mul, ...get(C.shift), ...add, ...set(8 + h)]);
  // hi = x − k·LN2_HI, lo = k·LN2_LO, r = hi − lo, t = r²
  both((h) => [...get(8 + h), ...get(C.shift), ...sub, ...set(12 + h)]);
  both((h) => [...get(10 + h), ...get(12 + h), ...get(C.lnHi), ...mul, ...sub, ...set(10 + h)]);
  both((h) => [...get(12 + h), ...get(C.lnLo), ...mul, ...set(12 + h)]);
  both((h) => [...get(10 + h), ...get(12 + h), ...sub, ...set(14 + h)]);
  both((h) => [...get(14 + h), ...get(14 + h), ...mul, ...set(16 + h)]);
  // c = r − t·(P1 + t(P2 + t(P3 + t(P4 + t·P5))))
  both((h) => [...get(C.p + 4), ...set(18 + h)]);
  for (let k = 3; k >= 0; k--) both((h) => [...get(18 + h), ...get(16 + h), ...mul, ...get(C.p + k), ...add, ...set(18 + h)]);
  both((h) => [...get(14 + h), ...get(16 + h), ...get(18 + h), ...mul, ...sub, ...set(18 + h)]);
  // y = e^r = 1 − ((lo − r·c/(2 − c)) − hi)
  both((h) => [
    ...get(C.one), ...get(12 + h), ...get(14 + h), ...get(18 + h), ...mul, ...get(C.two), ...get(18 + h), ...sub, ...div,
    ...sub, ...get(10 + h), ...sub, ...sub, ...set(16 + h),
  ]);
  // k (i64) = bits(kf) − bits(SHIFT) ∈ [−1076, 1024], k₁ = k >> 1 (arithmetic), k₂ = k − k₁, both in
  // [−538, 512]; e^x = (y·2^{k₁})·2^{k₂}, 2^j = bits((j + 1023) << 52): the first product is exact, the
  // second rounds once (to a subnormal, or to +∞, exactly where e^x does)
  both((h) => [...get(8 + h), ...get(C.shiftBits), ...i64x2Sub, ...set(8 + h)]);
  both((h) => [...get(8 + h), ...i32(1), ...i64x2ShrS, ...set(10 + h)]);
  both((h) => [
    ...get(16 + h), ...get(10 + h), ...get(C.bias), ...i64x2Add, ...i32(52), ...i64x2Shl, ...mul,
    ...get(8 + h), ...get(10 + h), ...i64x2Sub, ...get(C.bias), ...i64x2Add, ...i32(52), ...i64x2Shl, ...mul, ...set(16 + h),
  ]);
  both((h) => [...get(1), ...get(16 + h), ...store(16 * h)]);
  both((h) => [...get(4), ...get(4), ...load(16 * h), ...get(16 + h), ...add, ...store(16 * h)]);
  for (const p of [0, 1, 4]) body.push(...bump(p, 32));
  code.push(...loopWhile(body, 0, 2));
  return { name: 'expRow', params: [I32, I32, I32, F64, I32], locals: [[C.p + P.length - 5, V128]], code };
}

/** The module's bytes: imports memory `env.mem`, exports the three kernels (for inspection and tests). */
export function sinkhornWasmBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([dot4(), axpy4(), expRow()], { kind: 'import' });
}

/** The kernels bound to one memory. */
export interface SinkhornWasm {
  memory: WebAssembly.Memory;
  dot4: (k: number, ld: number, v: number, end: number, sums: number) => void;
  axpy4: (k: number, ld: number, u0: number, u1: number, u2: number, u3: number, out: number, end: number) => void;
  expRow: (src: number, dst: number, end: number, s: number, colsum: number) => void;
}

let compiled: WebAssembly.Module | null | undefined;

/** Whether the SIMD kernels can run here (compiles the module once). */
export function sinkhornWasmAvailable(): boolean {
  if (compiled === undefined) {
    compiled = null;
    try {
      const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
      const bytes = sinkhornWasmBytes();
      if (wa?.validate(bytes)) compiled = new wa.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled !== null;
}

/** Largest memory asked for (wasm32 addresses up to 4 GiB; 65,536 pages). */
const MAX_PAGES = 65536;

/**
 * The kernels with a fresh zeroed memory of at least `bytes` bytes, or null when WebAssembly SIMD is
 * unavailable or the memory cannot be had (then the caller uses the JavaScript kernels).
 */
export function getSinkhornWasm(bytes: number): SinkhornWasm | null {
  if (!sinkhornWasmAvailable()) return null;
  const pages = Math.ceil(bytes / 65536);
  if (pages > MAX_PAGES) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.max(pages, 1) });
    const instance = new WebAssembly.Instance(compiled as WebAssembly.Module, { env: { mem: memory } });
    const ex = instance.exports as unknown as Omit<SinkhornWasm, 'memory'>;
    return { memory, dot4: ex.dot4, axpy4: ex.axpy4, expRow: ex.expRow };
  } catch {
    return null;
  }
}
