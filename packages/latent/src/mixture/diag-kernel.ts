/**
 * WebAssembly SIMD (f64x2) kernels of the diagonal/spherical Gaussian-mixture E- and M-steps, assembled
 * here from their opcodes (no binary file, native build or dependency; Node ≥ 16.4 and current browsers).
 *
 * Both work on row-major data padded to `dp` columns (dp a multiple of 4, padding zero), byte addresses
 * into the instance's own memory:
 *
 * - `dist(x, rows, dp, mu, p, K, out)`: $q_{ik} = \sum_j (x_{ij}-\mu_{kj})^2\,p_{kj}$ for `rows` rows
 *   starting at `x`, written row-major (rows×K) at `out` — the squared Mahalanobis distances under
 *   $\Sigma_k = \operatorname{diag}(1/p_k)$ in the difference form, so no cancellation between
 *   $x^2$ and $\mu^2$ terms. Two f64x2 accumulators per (i, k) hide the add latency.
 * - `moments(x, rows, dp, r, K, s1, s2, mu)`: with $t = x_{ij}-\mu_{kj}$, $S^{(1)}_{kj} \mathrel{+}= r_{ik}t$ and
 *   $S^{(2)}_{kj} \mathrel{+}= (r_{ik}t)\,t$ (moments about the current means, the same products in the
 *   same order over i as the scalar `accumulate`).
 *
 * Why not core's GEMM: with K = 5 the expanded form $(X\circ X)\,P^\top - 2X(\mu\circ P)^\top$ and the
 * M-step's $R^\top[X\circ X, X]$ are products with one side 5 wide; core's blocked GEMM spends most of
 * its time packing the n×2d operand there (10 000×50: about 5 ms for each of the two products per
 * iteration, measured 2026-11-25, more than scikit-learn's whole iteration), while these fused loops
 * read X in place once per step. Returns null when WebAssembly or its SIMD proposal is unavailable.
 * @internal
 */

import { assembleModule, sleb128 as sleb, uleb128 as uleb, WasmType } from '@notes/core-linalg';

export interface DiagKernel {
  memory: WebAssembly.Memory;
  dist: (x: number, rows: number, dp: number, mu: number, p: number, K: number, out: number) => void;
  moments: (x: number, rows: number, dp: number, r: number, K: number, s1: number, s2: number, mu: number) => void;
}

const I32 = WasmType.i32;
const V128 = WasmType.v128;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_LT_U = 0x49;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const F64_ADD = 0xa0;
const F64_STORE = 0x39;
const SIMD = 0xfd;
const V128_LOAD = [0x00];
const V128_STORE = [0x0b];
const LOAD64_SPLAT = [0x0a];
const V128_CONST = [0x0c];
const EXTRACT = [0x21];
const F64X2_ADD = [0xf0, 0x01];
const F64X2_SUB = [0xf1, 0x01];
const F64X2_MUL = [0xf2, 0x01];

const get = (i: number) => [LOCAL_GET, i];
const set = (i: number) => [LOCAL_SET, i];
const simd = (sub: number[]) => [SIMD, ...sub];
const mem = (sub: number[], offset: number) => [SIMD, ...sub, 3, ...uleb(offset)];
const i32 = (v: number) => [I32_CONST, ...sleb(v)];
/** local[i] += local[j] (i32) */
const addTo = (i: number, j: number) => [...get(i), ...get(j), I32_ADD, ...set(i)];
/** local[i] += c (i32) */
const addConst = (i: number, c: number) => [...get(i), ...i32(c), I32_ADD, ...set(i)];
const zeroV128 = [...simd(V128_CONST), ...new Array(16).fill(0)];

function distBody() {
  // params 0 x, 1 rows, 2 dp, 3 mu, 4 p, 5 K, 6 out
  // i32 locals 7 rowBytes, 8 xend, 9 k, 10 mk, 11 pk, 12 j, 13 addr-x, 14 addr-mu
  // v128 locals 15 acc0, 16 acc1, 17 t
  const [X, ROWS, DP, MU, P, K, OUT, RB, XEND, KK, MK, PK, J, AX, AM, ACC0, ACC1, T] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
  ] as const;
  const step = (off: number, acc: number) => [
    ...get(AX), ...mem(V128_LOAD, off), ...get(AM), ...mem(V128_LOAD, off), ...simd(F64X2_SUB), ...set(T),
    ...get(acc), ...get(T), ...get(T), ...simd(F64X2_MUL),
    ...get(PK), ...get(J), I32_ADD, ...mem(V128_LOAD, off), ...simd(F64X2_MUL), ...simd(F64X2_ADD), ...set(acc),
  ];
  const code = [
    ...get(DP), ...i32(8), I32_MUL, ...set(RB),
    ...get(X), ...get(ROWS), ...get(RB), I32_MUL, I32_ADD, ...set(XEND),
    LOOP, 0x40, // rows
    ...i32(0), ...set(KK), ...get(MU), ...set(MK), ...get(P), ...set(PK),
    LOOP, 0x40, // components
    ...zeroV128, ...set(ACC0), ...zeroV128, ...set(ACC1), ...i32(0), ...set(J),
    LOOP, 0x40, // columns, 4 per step
    ...get(X), ...get(J), I32_ADD, ...set(AX), ...get(MK), ...get(J), I32_ADD, ...set(AM),
    ...step(0, ACC0), ...step(16, ACC1),
    ...addConst(J, 32), ...get(J), ...get(RB), I32_LT_U, BR_IF, 0, END,
    ...get(ACC0), ...get(ACC1), ...simd(F64X2_ADD), ...set(ACC0),
    ...get(OUT), ...get(ACC0), ...simd(EXTRACT), 0, ...get(ACC0), ...simd(EXTRACT), 1, F64_ADD, F64_STORE, 3, 0,
    ...addConst(OUT, 8), ...addTo(MK, RB), ...addTo(PK, RB), ...addConst(KK, 1),
    ...get(KK), ...get(K), I32_LT_U, BR_IF, 0, END,
    ...addTo(X, RB), ...get(X), ...get(XEND), I32_LT_U, BR_IF, 0, END,
  ];
  return { locals: [[8, I32], [3, V128]] as const, code };
}

function momentsBody() {
  // params 0 x, 1 rows, 2 dp, 3 r, 4 K, 5 s1, 6 s2, 7 mu
  // i32 locals 8 rowBytes, 9 xend, 10 k, 11 s1k, 12 s2k, 13 j, 14 a1, 15 a2, 16 mk; v128 17 rv, 18 xv, 19 rx
  const [X, ROWS, DP, R, K, S1, S2, MU, RB, XEND, KK, S1K, S2K, J, A1, A2, MK, RV, XV, RX] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
  ] as const;
  const step = (off: number) => [
    ...get(X), ...get(J), I32_ADD, ...mem(V128_LOAD, off),
    ...get(MK), ...get(J), I32_ADD, ...mem(V128_LOAD, off), ...simd(F64X2_SUB), ...set(XV),
    ...get(RV), ...get(XV), ...simd(F64X2_MUL), ...set(RX),
    ...get(A1), ...get(A1), ...mem(V128_LOAD, off), ...get(RX), ...simd(F64X2_ADD), ...mem(V128_STORE, off),
    ...get(A2), ...get(A2), ...mem(V128_LOAD, off), ...get(RX), ...get(XV), ...simd(F64X2_MUL), ...simd(F64X2_ADD), ...mem(V128_STORE, off),
  ];
  const code = [
    ...get(DP), ...i32(8), I32_MUL, ...set(RB),
    ...get(X), ...get(ROWS), ...get(RB), I32_MUL, I32_ADD, ...set(XEND),
    LOOP, 0x40, // rows
    ...i32(0), ...set(KK), ...get(S1), ...set(S1K), ...get(S2), ...set(S2K), ...get(MU), ...set(MK),
    LOOP, 0x40, // components
    ...get(R), ...mem(LOAD64_SPLAT, 0), ...set(RV), ...addConst(R, 8), ...i32(0), ...set(J),
    LOOP, 0x40, // columns, 4 per step
    ...get(S1K), ...get(J), I32_ADD, ...set(A1), ...get(S2K), ...get(J), I32_ADD, ...set(A2),
    ...step(0), ...step(16),
    ...addConst(J, 32), ...get(J), ...get(RB), I32_LT_U, BR_IF, 0, END,
    ...addTo(S1K, RB), ...addTo(S2K, RB), ...addTo(MK, RB), ...addConst(KK, 1),
    ...get(KK), ...get(K), I32_LT_U, BR_IF, 0, END,
    ...addTo(X, RB), ...get(X), ...get(XEND), I32_LT_U, BR_IF, 0, END,
  ];
  return { locals: [[9, I32], [3, V128]] as const, code };
}

/** The module's bytes (exported for tests). @internal */
export function diagKernelBytes(): Uint8Array<ArrayBuffer> {
  const params = [I32, I32, I32, I32, I32, I32, I32];
  return assembleModule(
    [
      { name: 'dist', params, ...distBody() },
      { name: 'moments', params: [...params, I32], ...momentsBody() },
    ],
    { kind: 'export', pages: 1 },
  );
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * A fresh instance (own memory, so concurrent fits never share buffers) of the cached module, or null
 * when WebAssembly SIMD is unavailable.
 * @internal
 */
export function createDiagKernel(): DiagKernel | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
      const bytes = diagKernelBytes();
      if (wa?.validate(bytes)) compiled = new wa.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  if (!compiled) return null;
  const ex = new WebAssembly.Instance(compiled, {}).exports as {
    mem: WebAssembly.Memory;
    dist: DiagKernel['dist'];
    moments: DiagKernel['moments'];
  };
  return { memory: ex.mem, dist: ex.dist, moments: ex.moments };
}
