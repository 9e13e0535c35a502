import { describe, expect, test } from 'vitest';
import { matmul, matmulTransA, matmulTransB } from '../linalg/index.js';
import { gemmInto, macroKernelBytes, setAutodiffKernel } from './kernel.js';
import { testRng } from './rand.testutil.js';

function rand(n: number, seed: number): Float64Array {
  const rng = testRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

/** Reference C = op(A)op(B) by the plain triple loop. */
function naive(m: number, n: number, k: number, a: Float64Array, ta: boolean, b: Float64Array, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Index of the first entry where the arrays differ (−1: identical); cheaper than a deep equality on 10⁶ entries. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('autodiff (support): the matrix-product kernel of the ops', () => {
  test('the WebAssembly macro-kernel module validates', () => {
    expect(WebAssembly.validate(macroKernelBytes())).toBe(true);
  });

  // ragged sizes (not multiples of 4, more than one KC = 256 and MC = 96 block), all transposes
  const shapes: [number, number, number][] = [
    [37, 53, 41],
    [100, 400, 300],
    [97, 13, 520],
    [5, 301, 60],
    [200, 7, 33],
    // C larger than one chunk of rows (2²¹ doubles): 2,300 × 1,000 runs in two chunks
    [2300, 1000, 8],
  ];
  for (const [m, n, k] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) {
      test(`${m}×${k} · ${k}×${n} (transA ${ta}, transB ${tb}): equals the triple loop to 1e-12 and linalg's GEMM bit for bit`, () => {
        const a = rand(m * k, m + k);
        const b = rand(k * n, n + 7);
        const out = new Float64Array(m * n).fill(Number.NaN); // overwritten, not accumulated
        gemmInto(m, n, k, a, ta, b, tb, out);
        const ref = naive(m, n, k, a, ta, b, tb);
        let err = 0;
        for (let i = 0; i < out.length; i++) err = Math.max(err, Math.abs(out[i] - ref[i]) / (1 + Math.abs(ref[i])));
        expect(err).toBeLessThan(1e-12);
        const lin = ta ? matmulTransA(a, b, m, k, n) : tb ? matmulTransB(a, b, m, k, n) : matmul(a, b, m, k, n);
        expect(firstDifference(out, lin)).toBe(-1);
        // the JavaScript path (no WebAssembly) gives the same numbers
        setAutodiffKernel('js');
        try {
          const js = gemmInto(m, n, k, a, ta, b, tb, new Float64Array(m * n));
          expect(firstDifference(js, out)).toBe(-1);
        } finally {
          setAutodiffKernel('auto');
        }
      });
    }
  }

  test('writes into a subarray view without touching the rest', () => {
    const m = 40;
    const n = 44;
    const k = 36;
    const a = rand(m * k, 1);
    const b = rand(k * n, 2);
    const big = new Float64Array(m * n + 10).fill(7);
    gemmInto(m, n, k, a, false, b, false, big.subarray(5, 5 + m * n));
    expect(big[4]).toBe(7);
    expect(big[5 + m * n]).toBe(7);
    expect(Array.from(big.subarray(5, 5 + m * n))).toEqual(Array.from(matmul(a, b, m, k, n)));
  });
});
