import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { gemmStrided, setGemmBackend } from './gemm.js';
import { randomArray } from './test-helpers.js';
import { relaxedSimdSupported, setWasmFma, wasmKernelBytes } from './wasm-kernel.js';

/** Index of the first entry where the arrays differ (−1: identical bits); cheaper than a deep equality on 10⁶ entries. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** C += α op(A) op(B) on strided views, by the plain triple loop (the reference). */
function naive(m: number, n: number, k: number, alpha: number, a: Float64Array, aOff: number, lda: number, ta: boolean, b: Float64Array, bOff: number, ldb: number, tb: boolean, c: Float64Array, cOff: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * (tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
      c[cOff + i * ldc + j] += alpha * s;
    }
  }
}

/** One strided case: operands inside larger arrays with offsets and padded strides, C accumulated into. */
function run(m: number, n: number, k: number, alpha: number, ta: boolean, tb: boolean, seed: number) {
  const lda = (ta ? m : k) + 3;
  const ldb = (tb ? k : n) + 5;
  const ldc = n + 2;
  const a = randomArray(7 + (ta ? k : m) * lda, seed);
  const b = randomArray(11 + (tb ? n : k) * ldb, seed + 1);
  const c0 = randomArray(13 + m * ldc, seed + 2);
  const c = Float64Array.from(c0);
  gemmStrided(m, n, k, alpha, { data: a, off: 7, ld: lda, trans: ta }, { data: b, off: 11, ld: ldb, trans: tb }, c, 13, ldc);
  return { a, b, c0, c, lda, ldb, ldc };
}

// The same-bits contract holds for the plain SIMD variant (mul then add); the relaxed-SIMD FMA variant, used when
// the runtime supports it (Node ≥ 22, browsers, Node 20 with --experimental-wasm-relaxed-simd), rounds once per
// multiply-add and is compared with a tolerance below and in `fma-child.test.ts`.
describe('support: the GEMM kernel (gemmStrided), WebAssembly macro-kernel (plain SIMD variant) vs JavaScript micro-kernel', () => {
  beforeAll(() => {
    setWasmFma('off');
  });
  afterAll(() => {
    setWasmFma('auto');
  });
  afterEach(() => {
    setGemmBackend('auto');
  });

  test('the WebAssembly module validates and is used by default on Node 20', () => {
    expect(WebAssembly.validate(wasmKernelBytes())).toBe(true);
    expect(setGemmBackend('auto')).toBe('wasm');
  });

  // ragged sizes (not multiples of 4; across the KC = 256 and MC = 96 blocks), all transposes, α ≠ 1,
  // offsets, padded strides, C accumulated into (as the blocked Cholesky and the kernels tier use it)
  const shapes: [number, number, number][] = [
    [37, 53, 41],
    [97, 13, 520],
    [5, 301, 60],
    [130, 7, 259],
  ];
  for (const [m, n, k] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      test(`C += -0.75·op(A)op(B), ${m}×${k}·${k}×${n} (transA ${ta}, transB ${tb}), strided: triple loop to 1e-12, both kernels bit for bit`, () => {
        const wasm = run(m, n, k, -0.75, ta, tb, m + n + k);
        const ref = Float64Array.from(wasm.c0);
        naive(m, n, k, -0.75, wasm.a, 7, wasm.lda, ta, wasm.b, 11, wasm.ldb, tb, ref, 13, wasm.ldc);
        let err = 0;
        for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(wasm.c[i] - ref[i]) / (1 + Math.abs(ref[i])));
        expect(err).toBeLessThan(1e-12);
        // entries outside the m×n window of C (offset, stride padding) are untouched
        for (let i = 0; i < 13; i++) expect(wasm.c[i]).toBe(wasm.c0[i]);
        for (let i = 0; i < m; i++) for (let j = n; j < wasm.ldc && 13 + i * wasm.ldc + j < ref.length; j++) expect(wasm.c[13 + i * wasm.ldc + j]).toBe(wasm.c0[13 + i * wasm.ldc + j]);
        setGemmBackend('js');
        const js = run(m, n, k, -0.75, ta, tb, m + n + k);
        expect(firstDifference(js.c, wasm.c)).toBe(-1);
      });
    }
  }

  test('C larger than one chunk of module memory (2²¹ doubles): 2,300 × 1,000 · k = 8 runs in two chunks, same bits as JavaScript', () => {
    const wasm = run(2300, 1000, 8, 1, false, false, 5);
    setGemmBackend('js');
    const js = run(2300, 1000, 8, 1, false, false, 5);
    expect(firstDifference(js.c, wasm.c)).toBe(-1);
  });

  test('more than one NC = 2,048-wide column block: 9 × 2,100 · k = 30, same bits as JavaScript', () => {
    const wasm = run(9, 2100, 30, 1, false, true, 6);
    setGemmBackend('js');
    const js = run(9, 2100, 30, 1, false, true, 6);
    expect(firstDifference(js.c, wasm.c)).toBe(-1);
  });

  // β = 0: C's window holds garbage (NaN, ±∞, −0) that must never be read; the result must have the bits of the
  // accumulating path run on a zeroed C (so the triple loop to 1e-12 and the JavaScript kernel bit for bit);
  // shapes cover the module's packing of full 4-wide panels plus JavaScript's ragged last panel, MC/KC block edges,
  // the VAE's shapes, and operands too large to stage in module memory (JavaScript packing there)
  const overwriteShapes: [number, number, number][] = [
    [37, 53, 41],
    [100, 400, 784],
    [101, 43, 300],
    [7, 1030, 600],
    [1030, 9, 600],
  ];
  function runOverwrite(m: number, n: number, k: number, ta: boolean, tb: boolean, zeroed: boolean, seed: number) {
    const lda = (ta ? m : k) + 1;
    const ldb = (tb ? k : n) + 3;
    const ldc = n + 2;
    const a = randomArray(5 + (ta ? k : m) * lda, seed);
    const b = randomArray(9 + (tb ? n : k) * ldb, seed + 1);
    const c = randomArray(3 + m * ldc, seed + 2);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) c[3 + i * ldc + j] = zeroed ? 0 : [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e300][(i + j) % 4];
    }
    const c0 = Float64Array.from(c);
    gemmStrided(m, n, k, 0.5, { data: a, off: 5, ld: lda, trans: ta }, { data: b, off: 9, ld: ldb, trans: tb }, c, 3, ldc, zeroed ? 1 : 0);
    return { a, b, c, c0, lda, ldb, ldc };
  }
  for (const [m, n, k] of overwriteShapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      test(`β = 0 over garbage in C, ${m}×${k}·${k}×${n} (transA ${ta}, transB ${tb}): same bits as accumulating into zeros and as JavaScript, triple loop to 1e-12`, () => {
        const seed = 3 * m + n + k;
        const over = runOverwrite(m, n, k, ta, tb, false, seed);
        const acc = runOverwrite(m, n, k, ta, tb, true, seed);
        expect(firstDifference(over.c, acc.c)).toBe(-1);
        for (let i = 0; i < 3; i++) expect(over.c[i]).toBe(over.c0[i]);
        for (let i = 0; i < m; i++) for (let j = n; j < over.ldc && 3 + i * over.ldc + j < over.c.length; j++) expect(over.c[3 + i * over.ldc + j]).toBe(over.c0[3 + i * over.ldc + j]);
        if (m * n * k < 3e6) {
          const ref = Float64Array.from(acc.c0);
          naive(m, n, k, 0.5, over.a, 5, over.lda, ta, over.b, 9, over.ldb, tb, ref, 3, over.ldc);
          let err = 0;
          for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(over.c[i] - ref[i]) / (1 + Math.abs(ref[i])));
          expect(err).toBeLessThan(1e-12);
        }
        setGemmBackend('js');
        const js = runOverwrite(m, n, k, ta, tb, false, seed);
        expect(firstDifference(js.c, over.c)).toBe(-1);
      });
    }
  }

  test('β = 0 with k = 0 writes zeros (wasm and JavaScript); tiny β = 0 products (plain loop) too', () => {
    for (const b of ['auto', 'js'] as const) {
      setGemmBackend(b);
      const c = new Float64Array([Number.NaN, 5, -1, 7]);
      gemmStrided(2, 2, 0, 1, { data: new Float64Array(0), off: 0, ld: 0, trans: false }, { data: new Float64Array(0), off: 0, ld: 2, trans: false }, c, 0, 2, 0);
      expect(Array.from(c)).toEqual([0, 0, 0, 0]);
      const d = new Float64Array([Number.NaN, 5, -1, 7]);
      gemmStrided(2, 2, 1, 1, { data: new Float64Array([1, 2]), off: 0, ld: 1, trans: false }, { data: new Float64Array([3, 4]), off: 0, ld: 2, trans: false }, d, 0, 2, 0);
      expect(Array.from(d)).toEqual([3, 4, 6, 8]);
    }
  });

  test('operands larger than the staging limit (2¹⁹ doubles) are packed by JavaScript into module memory: 3 × 200,000 · 200,000 × 5, same bits as JavaScript, β = 0 and 1', () => {
    for (const beta of [0, 1] as const) {
      const a = randomArray(3 * 200_000, 21);
      const b = randomArray(200_000 * 5, 22);
      const c = randomArray(15, 23);
      const cj = Float64Array.from(c);
      gemmStrided(3, 5, 200_000, 1, { data: a, off: 0, ld: 200_000, trans: false }, { data: b, off: 0, ld: 5, trans: false }, c, 0, 5, beta);
      setGemmBackend('js');
      gemmStrided(3, 5, 200_000, 1, { data: a, off: 0, ld: 200_000, trans: false }, { data: b, off: 0, ld: 5, trans: false }, cj, 0, 5, beta);
      setGemmBackend('auto');
      expect(firstDifference(cj, c)).toBe(-1);
    }
  });
});

describe.runIf(relaxedSimdSupported())('support: the relaxed-SIMD FMA variant of the GEMM macro-kernel (runtimes with relaxed SIMD only; Node 20 CI: fma-child.test.ts)', () => {
  afterAll(() => {
    setWasmFma('auto');
  });
  test('the FMA variant is the default where supported; triple loop to 1e-12, plain variant to 1e-13 (normwise), all transposes, β = 0 and 1', () => {
    expect(setWasmFma('auto')).toBe(true);
    expect(WebAssembly.validate(wasmKernelBytes(true))).toBe(true);
    for (const [m, n, k] of [[37, 53, 41], [130, 7, 259], [100, 400, 784]] as const) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        setWasmFma('auto');
        const fma = run(m, n, k, -0.75, ta, tb, m + n + k);
        setWasmFma('off');
        const plain = run(m, n, k, -0.75, ta, tb, m + n + k);
        const ref = Float64Array.from(fma.c0);
        naive(m, n, k, -0.75, fma.a, 7, fma.lda, ta, fma.b, 11, fma.ldb, tb, ref, 13, fma.ldc);
        let err = 0;
        let diff = 0;
        let scale = 0;
        for (let i = 0; i < ref.length; i++) {
          err = Math.max(err, Math.abs(fma.c[i] - ref[i]) / (1 + Math.abs(ref[i])));
          diff = Math.max(diff, Math.abs(fma.c[i] - plain.c[i]));
          scale = Math.max(scale, Math.abs(plain.c[i]));
        }
        expect(err).toBeLessThan(1e-12);
        expect(diff / scale).toBeLessThan(1e-13);
      }
    }
  });
});
