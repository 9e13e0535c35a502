/**
 * LowerInverseRows (Σ_j (L⁻¹k_i)_j² for many rows) against forward substitution row by row and against
 * ml-matrix's solve, on factors whose orders cross the 256-column blocks and the 4-wide panels; the
 * WebAssembly and JavaScript macro-kernels give identical bits; each row's value does not depend on the batch.
 */
import { Matrix, solve } from 'ml-matrix';
import { afterEach, describe, expect, test } from 'vitest';
import { relaxedSimdSupported, setWasmFma, wasmFmaActive } from '../linalg/wasm-kernel.js';
import { createRng } from '../index.js';
import { wasmSimdSupported } from '../wasm/encoding.js';
import { LowerInverseRows, setLowerInverseRowsJs } from './lower-inverse-rows.js';
import { potrf } from './index.js';

/** Cholesky factor of an RBF Gram matrix on random 1-D points plus `noise`·I (condition ~ n/noise). */
function factor(n: number, seed: number, noise: number): Float64Array {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n }, () => 10 * rng.uniform());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = Math.exp(-0.5 * (x[i]! - x[j]!) ** 2) + (i === j ? noise : 0);
  expect(potrf(A, n)).toBe(-1);
  return A;
}

function rows(q: number, n: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: q * n }, () => scale * rng.normal());
}

/** Σ (L⁻¹k)² by forward substitution, one row at a time. */
function naive(L: Float64Array, n: number, K: Float64Array, q: number): Float64Array {
  const out = new Float64Array(q);
  const v = new Float64Array(n);
  for (let i = 0; i < q; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      let t = K[i * n + j]!;
      for (let k = 0; k < j; k++) t -= L[j * n + k]! * v[k]!;
      v[j] = t / L[j * n + j]!;
      s += v[j]! * v[j]!;
    }
    out[i] = s;
  }
  return out;
}

function maxRel(a: Float64Array, b: Float64Array): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
  return e;
}

afterEach(() => {
  setLowerInverseRowsJs(false);
  setWasmFma('auto');
});

describe('LowerInverseRows', () => {
  test('the WebAssembly kernel instantiates on this runtime (so the same-bits comparisons below compare two kernels)', () => {
    expect(setLowerInverseRowsJs(false)).toBe(wasmSimdSupported());
    expect(wasmSimdSupported()).toBe(true); // Node 20 has WebAssembly SIMD
    expect(setLowerInverseRowsJs(true)).toBe(false);
  });
  test.each([1, 3, 4, 5, 64, 255, 256, 257, 301, 530])('n = %i: equals forward substitution to 1e-12 relative (WebAssembly kernel in the variant in use, and JavaScript; the plain SIMD variant and JavaScript give the same bits)', (n) => {
    const L = factor(n, n, 0.05);
    const q = 37;
    const K = rows(q, n, 7 * n);
    const want = naive(L, n, K, q);
    const inv = new LowerInverseRows(L, n);
    const got = new Float64Array(q);
    inv.sumSquares(K, q, got);
    expect(maxRel(got, want)).toBeLessThan(1e-12);
    // the relaxed-SIMD FMA variant (where supported) rounds once per multiply-add: compare with the plain one
    const fma = wasmFmaActive();
    setWasmFma('off');
    const plain = new Float64Array(q);
    inv.sumSquares(K, q, plain);
    setWasmFma('auto');
    if (fma) expect(maxRel(got, plain)).toBeLessThan(1e-12);
    else expect(Array.from(plain)).toEqual(Array.from(got));
    setLowerInverseRowsJs(true);
    const js = new Float64Array(q);
    inv.sumSquares(K, q, js);
    expect(Array.from(js)).toEqual(Array.from(plain));
  });

  test.runIf(relaxedSimdSupported())('relaxed SIMD available: the FMA variant is the default and agrees with the plain one to 1e-12 (n = 530, two 256-column blocks)', () => {
    expect(setWasmFma('auto')).toBe(true);
    const n = 530;
    const L = factor(n, 1, 0.05);
    const K = rows(200, n, 2);
    const inv = new LowerInverseRows(L, n);
    const a = new Float64Array(200);
    const b = new Float64Array(200);
    inv.sumSquares(K, 200, a);
    setWasmFma('off');
    inv.sumSquares(K, 200, b);
    setWasmFma('auto');
    expect(maxRel(a, b)).toBeLessThan(1e-12);
    expect(maxRel(a, naive(L, n, K, 200))).toBeLessThan(1e-12);
  });

  test('equals ml-matrix solve(L, Kᵀ) to 1e-12 relative; the input block is not modified', () => {
    const n = 140;
    const q = 50;
    const L = factor(n, 3, 0.1);
    const K = rows(q, n, 4);
    const before = K.slice();
    const Lm = new Matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) Lm.set(i, j, L[i * n + j]!);
    const Km = new Matrix(n, q);
    for (let i = 0; i < q; i++) for (let j = 0; j < n; j++) Km.set(j, i, K[i * n + j]!);
    const V = solve(Lm, Km);
    const want = Float64Array.from({ length: q }, (_, i) => {
      let s = 0;
      for (let j = 0; j < n; j++) s += V.get(j, i) ** 2;
      return s;
    });
    const got = new Float64Array(q);
    new LowerInverseRows(L, n).sumSquares(K, q, got);
    expect(maxRel(got, want)).toBeLessThan(1e-12);
    expect(K).toEqual(before);
  });

  test('rows scaled by 1e-150: same values scaled by 1e-300 (1e-12 relative); no underflow to 0', () => {
    const n = 90;
    const L = factor(n, 11, 0.05);
    const K = rows(20, n, 12);
    const inv = new LowerInverseRows(L, n);
    const a = new Float64Array(20);
    const b = new Float64Array(20);
    inv.sumSquares(K, 20, a);
    inv.sumSquares(K.map((x) => x * 1e-150), 20, b);
    for (let i = 0; i < 20; i++) {
      expect(b[i]).toBeGreaterThan(0);
      expect(Math.abs(b[i]! / 1e-300 - a[i]!)).toBeLessThan(1e-12 * a[i]!);
    }
  });

  test('near-singular factor (noise 1e-10): agrees with substitution to the accuracy the condition number allows', () => {
    const n = 120;
    const L = factor(n, 5, 1e-10);
    // rows in the range of K (kernel rows at the training inputs' neighbours): v = L⁻¹k stays O(1)
    const K = new Float64Array(10 * n);
    for (let i = 0; i < 10; i++) K.set(L.subarray((10 * i + 3) * n, (10 * i + 4) * n), i * n);
    const want = naive(L, n, K, 10);
    const got = new Float64Array(10);
    new LowerInverseRows(L, n).sumSquares(K, 10, got);
    expect(maxRel(got, want)).toBeLessThan(1e-9);
  });

  test('packed blocks shared (option shared, fromPacked): same bits as the instance that packed them, without repacking; wrong length rejected', () => {
    for (const n of [5, 257, 530]) {
      const L = factor(n, n + 1, 0.05);
      const K = rows(30, n, n + 2);
      const own = new LowerInverseRows(L, n);
      const shared = new LowerInverseRows(L, n, { shared: true });
      expect(shared.packed.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(own.packed.buffer).not.toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(shared.packed)).toEqual(Array.from(own.packed));
      const adopted = LowerInverseRows.fromPacked(shared.packed, n);
      expect(adopted.packed).toBe(shared.packed);
      expect(adopted.n).toBe(n);
      const a = new Float64Array(30);
      const b = new Float64Array(30);
      own.sumSquares(K, 30, a);
      adopted.sumSquares(K, 30, b);
      expect(Array.from(b)).toEqual(Array.from(a));
      // the next plain constructor packs again (fromPacked's adoption does not leak into it)
      const fresh = new LowerInverseRows(factor(n, n + 3, 0.05), n);
      expect(Array.from(fresh.packed)).not.toEqual(Array.from(own.packed));
    }
    expect(() => LowerInverseRows.fromPacked(new Float64Array(10), 257)).toThrow(RangeError);
  });

  test('each row depends on that row only: a batch crossing the internal block of rows equals rows done one by one', () => {
    const n = 300; // 6,912 rows per internal block
    const q = 7000;
    const L = factor(n, 21, 0.05);
    const K = rows(q, n, 22);
    const inv = new LowerInverseRows(L, n);
    const all = new Float64Array(q);
    inv.sumSquares(K, q, all);
    for (const i of [0, 1, 95, 96, 6911, 6912, 6999]) {
      const one = new Float64Array(1);
      inv.sumSquares(K.subarray(i * n, (i + 1) * n), 1, one);
      expect(one[0]).toBe(all[i]);
    }
    // two instances alternate in the module's memory
    const other = new LowerInverseRows(factor(40, 2, 0.1), 40);
    const o = new Float64Array(3);
    other.sumSquares(rows(3, 40, 1), 3, o);
    const again = new Float64Array(2);
    inv.sumSquares(K, 2, again);
    expect(Array.from(again)).toEqual([all[0], all[1]]);
  });
});
