import { Matrix } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cholesky } from './cholesky.js';
import { setGemmBackend } from './gemm.js';
import { matmul, matmulMatrix, matmulTransA, matmulTransB } from './matmul.js';
import { wasmKernelBytes } from './wasm-kernel.js';
import { maxAbsDiff, naiveMatmul, randomArray, transpose } from './test-helpers.js';

// Sizes around and across the kernel's MR=NR=4, MC=96, KC=256 block edges and the small-size cut-over.
const shapes: [number, number, number][] = [];
for (let s = 1; s <= 70; s += 3) shapes.push([s, ((s * 7) % 70) + 1, ((s * 13) % 69) + 1]);
shapes.push([97, 259, 101], [130, 300, 5], [5, 300, 130], [1, 513, 1], [33, 1, 45]);

describe.each(['auto', 'js'] as const)('support: dense matmul (Goto–van de Geijn kernel), %s micro-kernel', (backend) => {
  beforeAll(() => {
    setGemmBackend(backend);
  });
  afterAll(() => {
    setGemmBackend('auto');
  });

  test.each(shapes)('matmul %i×%i · %i×… equals the naive triple loop', (m, k, n) => {
    const a = randomArray(m * k, m + 1);
    const b = randomArray(k * n, n + 2);
    const want = naiveMatmul(a, b, m, k, n);
    expect(maxAbsDiff(matmul(a, b, m, k, n), want)).toBeLessThan(1e-12 * Math.max(1, k));
  });

  test.each(shapes)('matmulTransA and matmulTransB (%i, %i, %i) equal the naive product of transposes', (m, k, n) => {
    const a = randomArray(m * k, 3 * m + 1);
    const b = randomArray(k * n, 5 * n + 2);
    const want = naiveMatmul(a, b, m, k, n);
    const tol = 1e-12 * Math.max(1, k);
    expect(maxAbsDiff(matmulTransA(transpose(a, m, k), b, m, k, n), want)).toBeLessThan(tol);
    expect(maxAbsDiff(matmulTransB(a, transpose(b, k, n), m, k, n), want)).toBeLessThan(tol);
  });

  test('blocked Cholesky on this kernel reproduces A = LLᵀ (n = 230, across block edges)', () => {
    const n = 230;
    const a = randomArray(n * n, 17);
    const S = naiveMatmul(a, transpose(a, n, n), n, n, n);
    for (let i = 0; i < n; i++) S[i * n + i]! += n;
    const rows = Array.from({ length: n }, (_, i) => Array.from(S.subarray(i * n, (i + 1) * n)));
    const L = cholesky(rows).lowerData;
    expect(maxAbsDiff(naiveMatmul(L, transpose(L, n, n), n, n, n), S)).toBeLessThan(1e-10 * n);
  });
});

describe('support: dense matmul, shared behaviour', () => {
  test('the WebAssembly SIMD micro-kernel validates and is used by default on Node 20', () => {
    expect(WebAssembly.validate(wasmKernelBytes())).toBe(true);
    expect(setGemmBackend('auto')).toBe('wasm');
  });

  test('overwrites a supplied out array and returns it', () => {
    const out = new Float64Array(4).fill(99);
    const r = matmul(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), 2, 2, 2, out);
    expect(r).toBe(out);
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
  });

  test('zero-sized dimensions give zeros', () => {
    expect(Array.from(matmul(new Float64Array(0), new Float64Array(0), 2, 0, 3))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(new Float64Array(0), new Float64Array(6), 0, 2, 3).length).toBe(0);
  });

  test('matmulMatrix equals ml-matrix mmul', () => {
    const A = new Matrix([[1, 2, 3], [4, 5, 6]]);
    const B = [[7, 8], [9, 10], [11, 12]];
    expect(matmulMatrix(A, B).to2DArray()).toEqual(A.mmul(new Matrix(B)).to2DArray());
  });

  test('bad input throws typed errors and leaves inputs untouched', () => {
    const a = new Float64Array([1, 2, 3, 4]);
    const copy = a.slice();
    expect(() => matmul(a, a, 2, 3, 2)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => matmul(a, a, 2, 2, 2, new Float64Array(3))).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => matmul(a, a, 2, 2, 2, a)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => matmul(a, a, -1, 2, 2)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => matmul(a, a, 1.5, 2, 2)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => matmul([1, 2] as unknown as Float64Array, a, 1, 2, 1)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => matmulMatrix([[1, 2]], [[1, 2]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => matmulMatrix([[1, Number.NaN]], [[1], [2]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(a).toEqual(copy);
  });

  test('IEEE semantics: Infinity and NaN in the data propagate (no silent skipping of zeros)', () => {
    const c = matmul(new Float64Array([0, 1]), new Float64Array([Number.POSITIVE_INFINITY, 2]), 1, 2, 1);
    expect(c[0]).toBeNaN();
  });
});
