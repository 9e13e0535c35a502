import { createRng, sampleNormalArray } from '@notes/core-linalg';
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import {
  causalDirectConv,
  causalFftConv,
  causalToeplitz,
  circulantEigenvalues,
  circulantEmbedding,
  circulantFromEigenvalues,
  circulantMatrix,
  toeplitzMatrix,
} from './index.js';

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('Toeplitz matrix (结合 SSM 的卷积): constant diagonals, causal filter', () => {
  test('S_{i,j} = S_{i+1,j+1} and the causal S_h is lower triangular with h on the diagonals', () => {
    const T = toeplitzMatrix([1, 2, 3], [1, -1, -2, -3]);
    for (let i = 0; i + 1 < 3; i++) for (let j = 0; j + 1 < 4; j++) expect(T.get(i, j)).toBe(T.get(i + 1, j + 1));
    expect(T.get(0, 3)).toBe(-3);
    const S = causalToeplitz([5, 6], 4);
    expect(S.to2DArray()).toEqual([
      [5, 0, 0, 0],
      [6, 5, 0, 0],
      [0, 6, 5, 0],
      [0, 0, 6, 5],
    ]);
  });
});

describe('FFT Conv: circulant diagonalisation S = W⁻¹ D_H W', () => {
  test.each([4, 7, 16])('n=%i: eigenvalues of the circulant are FFT(c) (checked against ml-matrix EVD and C f_k = λ_k f_k)', (n) => {
    const c = sampleNormalArray(createRng(n), n);
    const C = circulantMatrix(c);
    const lambda = circulantEigenvalues(c);
    // C f_k = λ_k f_k for the Fourier vectors f_k = (e^{2πi jk/n})_j.
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let sr = 0;
        let si = 0;
        for (let j = 0; j < n; j++) {
          sr += C.get(i, j) * Math.cos((2 * Math.PI * j * k) / n);
          si += C.get(i, j) * Math.sin((2 * Math.PI * j * k) / n);
        }
        const fr = Math.cos((2 * Math.PI * i * k) / n);
        const fi = Math.sin((2 * Math.PI * i * k) / n);
        const lr = lambda.re[k] as number;
        const li = lambda.im[k] as number;
        expect(sr).toBeCloseTo(lr * fr - li * fi, 10);
        expect(si).toBeCloseTo(lr * fi + li * fr, 10);
      }
    }
    // Independent: the eigenvalues of a general-purpose EVD, compared as sorted multisets.
    const evd = new EigenvalueDecomposition(C);
    const key = (re: number, im: number) => [Math.round(re * 1e8) / 1e8, Math.round(Math.abs(im) * 1e8) / 1e8];
    const a = evd.realEigenvalues.map((r, i) => key(r, evd.imaginaryEigenvalues[i] as number)).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
    const b = Array.from(lambda.re, (r, i) => key(r, lambda.im[i] as number)).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
    expect(a).toEqual(b);
  });

  test('W⁻¹ D_H W reconstructs the circulant embedding of the causal Toeplitz matrix', () => {
    const L = 8;
    const h = sampleNormalArray(createRng(3), 5);
    const c = circulantEmbedding(h, L);
    const { matrix, imagMax } = circulantFromEigenvalues(circulantEigenvalues(c));
    const C = circulantMatrix(c);
    expect(imagMax).toBeLessThan(1e-12);
    expect(maxAbs(matrix.to1DArray(), C.to1DArray())).toBeLessThan(1e-12);
    // Its top-left L×L block is S_h.
    expect(maxAbs(C.subMatrix(0, L - 1, 0, L - 1).to1DArray(), causalToeplitz(h, L).to1DArray())).toBe(0);
  });

  test('S_h v = causal FFT conv = direct conv (property test, L up to 1024)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 1100 }), fc.nat(), (L, m, seed) => {
        const rng = createRng(seed);
        const u = sampleNormalArray(rng, L);
        const h = sampleNormalArray(rng, m);
        const fftY = causalFftConv(u, h);
        const direct = causalDirectConv(u, h);
        const dense = causalToeplitz(h, L).mmul(Matrix.columnVector(Array.from(u))).getColumn(0);
        const scale = Math.max(1, ...Array.from(direct, Math.abs));
        expect(maxAbs(fftY, direct) / scale).toBeLessThan(1e-11);
        expect(maxAbs(dense, direct) / scale).toBeLessThan(1e-11);
      }),
      { numRuns: 25 },
    );
  });

  test('L = 4096: causal FFT conv equals the direct sum', () => {
    const rng = createRng(4096);
    const u = sampleNormalArray(rng, 4096);
    const h = sampleNormalArray(rng, 4096).map((v, t) => v * Math.exp(-t / 500));
    const direct = causalDirectConv(u, h);
    expect(maxAbs(causalFftConv(u, h), direct) / Math.max(...Array.from(direct, Math.abs))).toBeLessThan(1e-11);
  });

  test('bad input: empty, NaN, non-integer length', () => {
    expect(() => causalFftConv([], [1])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => causalFftConv([1, Number.NaN], [1])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => causalToeplitz([1], 2.5)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => toeplitzMatrix([1, 2], [3])).toThrow(/must start with/);
  });
});
