import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { createRng } from '../random/index.js';
import { dftMatrix, fft } from './index.js';

/** (A + iB)(C + iD) for real matrices. */
function cmul(a: { re: Matrix; im: Matrix }, b: { re: Matrix; im: Matrix }) {
  return {
    re: a.re.mmul(b.re).sub(a.im.mmul(b.im)),
    im: a.re.mmul(b.im).add(a.im.mmul(b.re)),
  };
}

function maxAbsDiffFromIdentity(p: { re: Matrix; im: Matrix }): number {
  const n = p.re.rows;
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      e = Math.max(e, Math.abs(p.re.get(i, j) - (i === j ? 1 : 0)), Math.abs(p.im.get(i, j)));
    }
  }
  return e;
}

describe('Fourier Transform: 傅里叶变换 — the DFT matrix W', () => {
  test.each([1, 2, 3, 8, 13, 32])('n = %i: W⁻¹W = I with W⁻¹ = conj(W)/n; W·x = fft(x)', (n) => {
    const W = dftMatrix(n);
    const Winv = { re: W.re.clone().div(n), im: W.im.clone().mul(-1 / n) };
    expect(maxAbsDiffFromIdentity(cmul(Winv, W))).toBeLessThan(1e-12);
    const rng = createRng(n);
    const x = Array.from({ length: n }, () => rng.normal());
    const X = fft(x);
    const col = Matrix.columnVector(x);
    const wr = W.re.mmul(col);
    const wi = W.im.mmul(col);
    for (let k = 0; k < n; k++) {
      expect(wr.get(k, 0)).toBeCloseTo(X.re[k] as number, 11);
      expect(wi.get(k, 0)).toBeCloseTo(X.im[k] as number, 11);
    }
  });

  test.each([1, 4, 7, 16, 31])('n = %i: the unitary W (1/√n, as printed in the notes) satisfies WᴴW = I', (n) => {
    const W = dftMatrix(n, { unitary: true });
    const WH = { re: W.re.transpose(), im: W.im.transpose().mul(-1) };
    expect(maxAbsDiffFromIdentity(cmul(WH, W))).toBeLessThan(1e-12);
    expect(W.re.get(0, 0)).toBeCloseTo(1 / Math.sqrt(n), 15);
  });

  test('dftMatrix(2) and bad n', () => {
    expect(dftMatrix(2).re.to2DArray()).toEqual([
      [1, 1],
      [1, -1],
    ]);
    expect(() => dftMatrix(0)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => dftMatrix(2.5)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
