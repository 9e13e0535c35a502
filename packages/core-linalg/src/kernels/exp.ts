/**
 * $x_i \leftarrow c\,e^{a x_i}$ over a `Float64Array`, two lanes at a time in WebAssembly SIMD (f64x2) — the
 * exponential of an RBF kernel block ($e^{-r^2/2}$ for millions of entries) at several times the speed of a
 * `Math.exp` loop.
 *
 * Method (Cody & Waite range reduction, as fdlibm's `exp`): $k = \mathrm{round}(v\log_2 e)$,
 * $r = v - k\ln 2_{hi} - k\ln 2_{lo}$ ($|r| \le \ln 2/2$, the high part of ln 2 has trailing zero bits so
 * $k\ln 2_{hi}$ is exact), $e^r$ by its Taylor polynomial of degree 13 (truncation $< 5\cdot 10^{-18}$ relative)
 * in Horner form, then $2^k = 2^{k_1}2^{k-k_1}$ with $k_1 = \lfloor k/2\rfloor$ built from exponent bits (so
 * subnormal results and overflow to ∞ come out right). $v = ax$ is clamped to [−746, 710], where
 * $e^v$ has already underflowed to 0 or overflowed to ∞; NaN stays NaN. Measured against `Math.exp`: at most
 * 2 ulp apart (tests: 200,001 random arguments over [−760, 720], both versions; 50,001 RBF arguments ≤ 3e-16
 * relative).
 *
 * Without WebAssembly SIMD the same formula runs in JavaScript (same constants and order of operations,
 * so the same values). UNCHECKED (raw tier): see `./index.ts`.
 */
import { f64Bytes, instantiateKernel, sleb128 as sleb, uleb128 as uleb, WasmType } from '../wasm/encoding.js';

const LOG2E = Math.LOG2E;
/** ln 2 split as fdlibm's `ln2HI`/`ln2LO` (the high part has 32 trailing zero bits). */
const LN2HI = 0.6931471803691238;
const LN2LO = 1.9082149292705877e-10;
const LO = -746;
const HI = 710;
/** 1/j! for j = 13 … 0 (Horner order). */
const COEF = Array.from({ length: 14 }, (_, i) => 1 / factorial(13 - i));

function factorial(j: number): number {
  let f = 1;
  for (let i = 2; i <= j; i++) f *= i;
  return f;
}

const I32 = WasmType.i32;
const F64 = WasmType.f64;
const V128 = WasmType.v128;
const OP = { block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, tee: 0x22, i32c: 0x41, f64c: 0x44, add: 0x6a, mul: 0x6c, ltU: 0x49, geU: 0x4f, simd: 0xfd } as const;
const S = {
  load: 0x00,
  loadSplat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  f64x2Splat: 0x14,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  f64x2Nearest: 0x94,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Floor: 0x75,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
} as const;

const simd = (op: number) => [OP.simd, ...uleb(op)];
const get = (i: number) => [OP.get, i];
const set = (i: number) => [OP.set, i];
const c32 = (v: number) => [OP.i32c, ...sleb(v)];
const f64x2 = (x: number) => [OP.simd, ...uleb(S.const), ...f64Bytes(x), ...f64Bytes(x)];
const i64x2 = (x: number) => [OP.simd, ...uleb(S.const), x & 0xff, (x >> 8) & 0xff, 0, 0, 0, 0, 0, 0, x & 0xff, (x >> 8) & 0xff, 0, 0, 0, 0, 0, 0];
const mem = (op: number, offset: number) => [...simd(op), ...uleb(3), ...uleb(offset)];
const both = (f: (h: number) => number[]) => [...f(0), ...f(1)];

/**
 * Where a function keeps the exponential's values (v128 locals): A = splat(a), C = splat(c), per lane pair h = 0, 1
 * the five slots v, k, r, p, ki from `lanes + 5h`, and the constants (set once before the loop: an inline v128.const
 * costs several instructions per use in V8's code) from `consts` on.
 */
interface ExpLocals {
  A: number;
  C: number;
  lanes: number;
  consts: number;
}
const slot = (x: ExpLocals, h: number, which: 'v' | 'k' | 'r' | 'p' | 'ki') => x.lanes + 5 * h + { v: 0, k: 1, r: 2, p: 3, ki: 4 }[which];
/** Offsets of the constants from `consts`: LO, HI, LOG2E, LN2HI, LN2LO, bias 1023 (i64x2), 0.5, 1.5·2⁵², COEF[0..13]. */
const CK = { lo: 0, hi: 1, log2e: 2, ln2hi: 3, ln2lo: 4, bias: 5, half: 6, magic: 7, coef: 8 };
/** v128 locals an {@link ExpLocals} layout needs after `lanes`: 10 lane slots, 8 constants, the coefficients. */
const EXP_SLOTS = 10 + 8 + COEF.length;

/** Sets the constants and A, C (from the f64 params `a`, `c`). */
function expSetup(x: ExpLocals, a: number, c: number): number[] {
  const k = (o: number) => x.consts + o;
  const code = [...f64x2(LO), ...set(k(CK.lo)), ...f64x2(HI), ...set(k(CK.hi)), ...f64x2(LOG2E), ...set(k(CK.log2e))];
  code.push(...f64x2(LN2HI), ...set(k(CK.ln2hi)), ...f64x2(LN2LO), ...set(k(CK.ln2lo)), ...i64x2(1023), ...set(k(CK.bias)));
  code.push(...f64x2(0.5), ...set(k(CK.half)), ...f64x2(6755399441055744), ...set(k(CK.magic)));
  for (let j = 0; j < COEF.length; j++) code.push(...f64x2(COEF[j] as number), ...set(k(CK.coef + j)));
  code.push(...get(a), ...simd(S.f64x2Splat), ...set(x.A), ...get(c), ...simd(S.f64x2Splat), ...set(x.C));
  return code;
}

/**
 * p ← C·e^{A·v} for both lane pairs (v in slot `v`, result in slot `p`), the two pairs' instructions interleaved
 * so the two Horner chains overlap.
 */
function expCode(x: ExpLocals): number[] {
  const L = (h: number, which: 'v' | 'k' | 'r' | 'p' | 'ki') => slot(x, h, which);
  const k = (o: number) => x.consts + o;
  const code: number[] = [];
  // v = min(max(A·v, LO), HI) by pmax/pmin (one instruction each; NaN passes through as the first operand)
  code.push(...both((h) => [...get(L(h, 'v')), ...get(x.A), ...simd(S.f64x2Mul), ...get(k(CK.lo)), ...simd(S.f64x2Pmax), ...get(k(CK.hi)), ...simd(S.f64x2Pmin), ...set(L(h, 'v'))]));
  // k = nearest(v·log2e); r = (v − k·ln2hi) − k·ln2lo
  code.push(...both((h) => [...get(L(h, 'v')), ...get(k(CK.log2e)), ...simd(S.f64x2Mul), ...simd(S.f64x2Nearest), ...set(L(h, 'k'))]));
  code.push(
    ...both((h) => [...get(L(h, 'v')), ...get(L(h, 'k')), ...get(k(CK.ln2hi)), ...simd(S.f64x2Mul), ...simd(S.f64x2Sub), ...get(L(h, 'k')), ...get(k(CK.ln2lo)), ...simd(S.f64x2Mul), ...simd(S.f64x2Sub), ...set(L(h, 'r'))]),
  );
  // p = Horner
  code.push(...both((h) => [...get(k(CK.coef)), ...set(L(h, 'p'))]));
  for (let j = 1; j < COEF.length; j++) {
    code.push(...both((h) => [...get(L(h, 'p')), ...get(L(h, 'r')), ...simd(S.f64x2Mul), ...get(k(CK.coef + j)), ...simd(S.f64x2Add), ...set(L(h, 'p'))]));
  }
  // k1 = floor(k/2) (into the `ki` slot), k2 = k − k1 (into `k`); 2^j = (bits(j + 1.5·2⁵²) + 1023) << 52: the
  // integer j sits in the low mantissa bits of j + 1.5·2⁵², and the shift keeps only j + 1023 (in [484, 1536]).
  code.push(...both((h) => [...get(L(h, 'k')), ...get(k(CK.half)), ...simd(S.f64x2Mul), ...simd(S.f64x2Floor), ...set(L(h, 'ki'))]));
  code.push(...both((h) => [...get(L(h, 'k')), ...get(L(h, 'ki')), ...simd(S.f64x2Sub), ...set(L(h, 'k'))]));
  const pow2 = (j: number) => [...get(j), ...get(k(CK.magic)), ...simd(S.f64x2Add), ...get(k(CK.bias)), ...simd(S.i64x2Add), OP.i32c, 52, ...simd(S.i64x2Shl)];
  // p = p·2^k1·2^k2·C
  code.push(...both((h) => [...get(L(h, 'p')), ...pow2(L(h, 'ki')), ...simd(S.f64x2Mul), ...pow2(L(h, 'k')), ...simd(S.f64x2Mul), ...get(x.C), ...simd(S.f64x2Mul), ...set(L(h, 'p'))]));
  return code;
}

/** `exp(ptr, quads, a, c)`: x ← c·e^{a·x} for 4·quads doubles at byte address ptr, four per iteration. */
function body(): number[] {
  // params 0 ptr, 1 quads (i32), 2 a, 3 c (f64); locals 4 end (i32), then v128: 5 A, 6 C, 7 … lanes and constants
  const x: ExpLocals = { A: 5, C: 6, lanes: 7, consts: 17 };
  const code = expSetup(x, 2, 3);
  code.push(...get(0), ...get(1), ...c32(32), OP.mul, OP.add, ...set(4));
  code.push(OP.loop, 0x40);
  code.push(...both((h) => [...get(0), ...mem(S.load, 16 * h), ...set(slot(x, h, 'v'))]));
  code.push(...expCode(x));
  code.push(...both((h) => [...get(0), ...get(slot(x, h, 'p')), ...mem(S.store, 16 * h)]));
  code.push(...get(0), ...c32(32), OP.add, OP.tee, 0, ...get(4), OP.ltU, OP.brIf, 0, OP.end);
  return code;
}

/**
 * `rbf(xbT, w, xa, rows, d, nb4, out, sums, a, c)`: for each of `rows` rows i (inputs at `xa` + i·d·8) and the
 * first nb4 columns j (nb4 a positive multiple of 4; column t of xb at `xbT` + t·nb4·8): r² = Σ_t (xa_it − xb_jt)²
 * (the first term, then the others added in order of t), then `body()`'s exponential of a·r² (same instructions,
 * same order), stored at `out` + (i·nb4 + j)·8; and the partial sums s_l = Σ_{j ≡ l mod 4} e_ij w_j (j in order)
 * at `sums` + (4i + l)·8. Two f64x2 vectors (four columns) per step.
 */
function rbfBody(): number[] {
  // params 0 xbT, 1 w, 2 xa, 3 rows, 4 d, 5 nb4, 6 out, 7 sums (i32), 8 a, 9 c (f64)
  // locals 10 i, 11 ap, 12 op, 13 j (bytes), 14 bp, 15 t, 16 rowBytes (i32); v128: 17 xv, 18 s01, 19 s23, 20, 21 u
  // (h = 0, 1), 22 A, 23 C, 24 … lanes and constants
  const P = { xbT: 0, w: 1, xa: 2, rows: 3, d: 4, nb4: 5, out: 6, sums: 7, a: 8, c: 9 };
  const I = { i: 10, ap: 11, op: 12, j: 13, bp: 14, t: 15, rowBytes: 16 };
  const V = { xv: 17, s01: 18, s23: 19, u: 20 };
  const x: ExpLocals = { A: 22, C: 23, lanes: 24, consts: 34 };
  const v = (h: number) => slot(x, h, 'v');
  const zero = f64x2(0);
  const code = expSetup(x, P.a, P.c);
  code.push(...get(P.nb4), ...c32(8), OP.mul, ...set(I.rowBytes));
  code.push(...c32(0), ...set(I.i));
  code.push(OP.loop, 0x40); // rows
  code.push(...get(P.xa), ...get(I.i), ...get(P.d), OP.mul, ...c32(8), OP.mul, OP.add, ...set(I.ap));
  code.push(...get(P.out), ...get(I.i), ...get(I.rowBytes), OP.mul, OP.add, ...set(I.op));
  code.push(...zero, ...set(V.s01), ...zero, ...set(V.s23), ...c32(0), ...set(I.j));
  code.push(OP.loop, 0x40); // columns, four at a time
  code.push(...get(P.xbT), ...get(I.j), OP.add, ...set(I.bp));
  code.push(...get(I.ap), ...mem(S.loadSplat, 0), ...set(V.xv));
  code.push(...both((h) => [...get(V.xv), ...get(I.bp), ...mem(S.load, 16 * h), ...simd(S.f64x2Sub), OP.tee, V.u + h, ...get(V.u + h), ...simd(S.f64x2Mul), ...set(v(h))]));
  // further coordinates: r² += u²
  code.push(...c32(1), ...set(I.t));
  code.push(OP.block, 0x40, OP.loop, 0x40);
  code.push(...get(I.t), ...get(P.d), OP.geU, OP.brIf, 1);
  code.push(...get(I.bp), ...get(I.rowBytes), OP.add, ...set(I.bp));
  code.push(...get(I.ap), ...get(I.t), ...c32(8), OP.mul, OP.add, ...mem(S.loadSplat, 0), ...set(V.xv));
  code.push(...both((h) => [...get(v(h)), ...get(V.xv), ...get(I.bp), ...mem(S.load, 16 * h), ...simd(S.f64x2Sub), OP.tee, V.u + h, ...get(V.u + h), ...simd(S.f64x2Mul), ...simd(S.f64x2Add), ...set(v(h))]));
  code.push(...get(I.t), ...c32(1), OP.add, ...set(I.t), OP.br, 0, OP.end, OP.end);
  code.push(...expCode(x));
  for (let h = 0; h < 2; h++) {
    const p = slot(x, h, 'p');
    const sum = h === 0 ? V.s01 : V.s23;
    code.push(...get(I.op), ...get(I.j), OP.add, ...get(p), ...mem(S.store, 16 * h));
    // s += e·w (lanes: columns j + 2h, j + 2h + 1)
    code.push(...get(sum), ...get(p), ...get(P.w), ...get(I.j), OP.add, ...mem(S.load, 16 * h), ...simd(S.f64x2Mul), ...simd(S.f64x2Add), ...set(sum));
  }
  code.push(...get(I.j), ...c32(32), OP.add, OP.tee, I.j, ...get(I.rowBytes), OP.ltU, OP.brIf, 0, OP.end);
  code.push(...get(P.sums), ...get(I.i), ...c32(32), OP.mul, OP.add, OP.tee, I.bp, ...get(V.s01), ...mem(S.store, 0));
  code.push(...get(I.bp), ...get(V.s23), ...mem(S.store, 16));
  code.push(...get(I.i), ...c32(1), OP.add, OP.tee, I.i, ...get(P.rows), OP.ltU, OP.brIf, 0, OP.end);
  return code;
}

interface ExpKernel {
  memory: WebAssembly.Memory;
  exp: (ptr: number, quads: number, a: number, c: number) => void;
  rbf: (xbT: number, w: number, xa: number, rows: number, d: number, nb4: number, out: number, sums: number, a: number, c: number) => void;
}

let cached: ExpKernel | null | undefined;
let forceJs = false;

function getExpKernel(): ExpKernel | null {
  if (forceJs) return null;
  if (cached !== undefined) return cached;
  const ex = instantiateKernel<{ exp: ExpKernel['exp']; rbf: ExpKernel['rbf'] }>(
    () => [
      { name: 'exp', params: [I32, I32, F64, F64], locals: [[1, I32], [2 + EXP_SLOTS, V128]], code: body() },
      { name: 'rbf', params: [I32, I32, I32, I32, I32, I32, I32, I32, F64, F64], locals: [[7, I32], [5 + 2 + EXP_SLOTS, V128]], code: rbfBody() },
    ],
    BLOCK / 8192,
  );
  cached = ex === null ? null : { memory: ex.mem, exp: ex.exp, rbf: ex.rbf };
  return cached;
}

/** Doubles per call of the WebAssembly kernel (its memory: 4 pages = 256 KiB). */
const BLOCK = 32768;

/**
 * Forces the JavaScript version (`true`) or the WebAssembly kernel when available (`false`); tests run both.
 * Returns whether the WebAssembly kernel is in use afterwards.
 * @internal
 */
export function setExpJs(js: boolean): boolean {
  forceJs = js;
  return getExpKernel() !== null;
}

const f64 = new Float64Array(2);
const bits = new BigInt64Array(f64.buffer);

/** The same formula in JavaScript, one value (fallback and the last len mod 4 values). */
function expOne(x: number, a: number, c: number): number {
  const v = Math.min(Math.max(a * x, LO), HI);
  const k = nearestEven(v * LOG2E);
  const r = v - k * LN2HI - k * LN2LO;
  let p = COEF[0] as number;
  for (let j = 1; j < COEF.length; j++) p = p * r + (COEF[j] as number);
  if (Number.isNaN(k)) return Number.NaN;
  const k1 = k >> 1;
  bits[0] = BigInt(k1 + 1023) << 52n;
  bits[1] = BigInt(k - k1 + 1023) << 52n;
  return p * (f64[0] as number) * (f64[1] as number) * c;
}

/** Round half to even, as WebAssembly's `f64x2.nearest`. */
function nearestEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * $x_i \leftarrow c\,e^{a x_i}$ for `i` in `[off, off + len)` (defaults: the whole array, c = 1), in place.
 * Within 2 ulp of `c * Math.exp(a * x)` (not bit-identical to it).
 */
export function expAffineInPlace(x: Float64Array, a: number, c = 1, off = 0, len = x.length - off): void {
  const kern = getExpKernel();
  if (kern === null) {
    for (let i = off; i < off + len; i++) x[i] = expOne(x[i] as number, a, c);
    return;
  }
  const buf = new Float64Array(kern.memory.buffer, 0, BLOCK);
  for (let s = off; s < off + len; s += BLOCK) {
    const b = Math.min(BLOCK, off + len - s);
    const quads = b >> 2;
    if (quads > 0) {
      buf.set(x.subarray(s, s + 4 * quads));
      kern.exp(0, quads, a, c);
      x.set(buf.subarray(0, 4 * quads), s);
    }
    for (let i = s + 4 * quads; i < s + b; i++) x[i] = expOne(x[i] as number, a, c);
  }
}

/** Doubles of output rows per call of the fused kernel (512 KiB). */
const RBF_OUT = 1 << 16;

/**
 * The RBF cross-covariance block with its row sums against a weight vector, in one pass:
 * `out[i·nb + j]` = $c\,e^{a r_{ij}^2}$ with $r_{ij}^2 = \sum_t (x^a_{it} - x^b_{jt})^2$ (t in order, the first
 * term alone, then the others added) for the `na`×d inputs `xa` and `nb`×d inputs `xb` (row-major), and, with
 * `w` (length ≥ nb) and `dots` (length ≥ na), `dots[i]` = $\sum_j$ out[i·nb + j]·w[j] summed as four partial sums
 * by j mod 4 over the first nb − (nb mod 4) columns, the last nb mod 4 terms added to the first sum, then
 * (s₀ + s₁) + (s₂ + s₃).
 *
 * The values are those of computing r² in that order in JavaScript and then {@link expAffineInPlace}`(out, a, c)`,
 * bit for bit (the same exponential), and the sums those of a JavaScript loop in the order above: the squared
 * distances, the exponential and the sums run in one WebAssembly SIMD loop over the block kept in the module's
 * memory (a GP's $K_*$ and mean $K_*\alpha$: about half the time of the three separate passes). Without
 * WebAssembly SIMD the same order runs in JavaScript. UNCHECKED (raw tier): lengths ≥ na·d, nb·d, na·nb.
 */
export function rbfRows(xa: Float64Array, na: number, xb: Float64Array, nb: number, d: number, a: number, c: number, out: Float64Array, w?: Float64Array, dots?: Float64Array): void {
  const kern = getExpKernel();
  const nb4 = nb - (nb % 4);
  const withDots = w !== undefined && dots !== undefined;
  if (kern !== null && nb4 > 0 && na > 0 && d > 0) {
    const rows = Math.max(1, Math.min(na, Math.floor(RBF_OUT / nb4)));
    // layout (doubles): xbᵀ (d·nb4), w (nb4), xa rows (rows·d, even), out (rows·nb4), sums (4·rows)
    const oW = d * nb4;
    const oXa = oW + nb4;
    const oOut = oXa + rows * d + ((rows * d) % 2);
    const oSums = oOut + rows * nb4;
    const need = 8 * (oSums + 4 * rows);
    if (kern.memory.buffer.byteLength < need) kern.memory.grow(Math.ceil((need - kern.memory.buffer.byteLength) / 65536));
    const M = new Float64Array(kern.memory.buffer, 0, need / 8);
    for (let t = 0; t < d; t++) for (let j = 0; j < nb4; j++) M[t * nb4 + j] = xb[j * d + t]!;
    if (withDots) M.set(w.subarray(0, nb4), oW);
    else M.fill(0, oW, oW + nb4);
    for (let i0 = 0; i0 < na; i0 += rows) {
      const r = Math.min(rows, na - i0);
      M.set(xa.subarray(i0 * d, (i0 + r) * d), oXa);
      kern.rbf(0, 8 * oW, 8 * oXa, r, d, nb4, 8 * oOut, 8 * oSums, a, c);
      for (let i = 0; i < r; i++) {
        const row = (i0 + i) * nb;
        out.set(M.subarray(oOut + i * nb4, oOut + (i + 1) * nb4), row);
        let s0 = M[oSums + 4 * i]!;
        for (let j = nb4; j < nb; j++) {
          const e = expOne(squaredDistance(xa, i0 + i, xb, j, d), a, c);
          out[row + j] = e;
          if (withDots) s0 += e * w[j]!;
        }
        if (withDots) dots[i0 + i] = s0 + M[oSums + 4 * i + 1]! + (M[oSums + 4 * i + 2]! + M[oSums + 4 * i + 3]!);
      }
    }
    return;
  }
  for (let i = 0; i < na; i++) {
    const row = i * nb;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < nb; j++) {
      const e = expOne(squaredDistance(xa, i, xb, j, d), a, c);
      out[row + j] = e;
      if (!withDots) continue;
      const p = e * w[j]!;
      const l = j < nb4 ? j & 3 : 0;
      if (l === 0) s0 += p;
      else if (l === 1) s1 += p;
      else if (l === 2) s2 += p;
      else s3 += p;
    }
    if (withDots) dots[i] = s0 + s1 + (s2 + s3);
  }
}

/** $\sum_t (x^a_{it} - x^b_{jt})^2$, the first term alone, then the others added in order. */
function squaredDistance(xa: Float64Array, i: number, xb: Float64Array, j: number, d: number): number {
  let u = xa[i * d]! - xb[j * d]!;
  let r2 = u * u;
  for (let t = 1; t < d; t++) {
    u = xa[i * d + t]! - xb[j * d + t]!;
    r2 += u * u;
  }
  return r2;
}
