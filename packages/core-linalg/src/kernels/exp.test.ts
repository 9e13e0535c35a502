/**
 * expAffineInPlace against Math.exp (≤ 2 ulp), special values, offsets/odd lengths, WebAssembly = JavaScript;
 * rbfRows = squared distances in JavaScript + expAffineInPlace + a four-sum JavaScript loop, bit for bit.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createRng } from '../index.js';
import { wasmSimdSupported } from '../wasm/encoding.js';
import { expAffineInPlace, rbfRows, setExpJs } from './exp.js';

function ulpOf(x: number): number {
  const a = Math.abs(x);
  return a < 2.2250738585072014e-308 ? 4.9406564584124654e-324 : 2 ** (Math.floor(Math.log2(a)) - 52);
}

afterEach(() => {
  setExpJs(false);
});

describe('expAffineInPlace', () => {
  test('the WebAssembly kernel instantiates on this runtime (so the same-bits comparisons below compare two kernels)', () => {
    expect(setExpJs(false)).toBe(wasmSimdSupported());
    expect(wasmSimdSupported()).toBe(true); // Node 20 has WebAssembly SIMD
    expect(setExpJs(true)).toBe(false);
  });
  test('within 2 ulp of c·Math.exp(a·x) over 200,000 arguments in [−760, 720] (WebAssembly and JavaScript, same bits)', () => {
    const rng = createRng(1);
    const x = Float64Array.from({ length: 200_001 }, () => -760 + 1480 * rng.uniform());
    const wasm = x.slice();
    expAffineInPlace(wasm, 1);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const want = Math.exp(x[i]!);
      const d = want === wasm[i] ? 0 : Math.abs(wasm[i]! - want) / ulpOf(want);
      worst = Math.max(worst, d);
    }
    expect(worst).toBeLessThanOrEqual(2);
    setExpJs(true);
    const js = x.slice();
    expAffineInPlace(js, 1);
    expect(js).toEqual(wasm);
  });

  test('RBF form c·exp(−r²/2): relative error ≤ 3e-16 for r² in [0, 1400]', () => {
    const r2 = Float64Array.from({ length: 50_001 }, (_, i) => (1400 * i) / 50_000);
    const got = r2.slice();
    expAffineInPlace(got, -0.5, 1.7);
    for (let i = 0; i < r2.length; i++) {
      const want = 1.7 * Math.exp(-0.5 * r2[i]!);
      expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(3e-16 * want);
    }
  });

  test('special values: 0, ±∞, NaN, overflow, underflow and subnormal results', () => {
    const x = Float64Array.from([0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 709.78, 709.79, -745.1, -746, -1e300, 1e300, -720]);
    for (const js of [false, true]) {
      setExpJs(js);
      const y = x.slice();
      expAffineInPlace(y, 1);
      expect(Array.from(y.subarray(0, 5))).toEqual([1, 1, Number.POSITIVE_INFINITY, 0, Number.NaN]);
      expect(Math.abs(y[5]! / Math.exp(709.78) - 1)).toBeLessThan(1e-15);
      expect(y[6]).toBe(Number.POSITIVE_INFINITY);
      expect(y[7]).toBe(Math.exp(-745.1));
      expect([y[8], y[9], y[10]]).toEqual([0, 0, Number.POSITIVE_INFINITY]);
      expect(Math.abs(y[11]! - Math.exp(-720))).toBeLessThanOrEqual(2 * 4.9406564584124654e-324);
    }
  });

  test('offset and odd lengths: only [off, off + len) changes', () => {
    const x = Float64Array.from({ length: 70_001 }, (_, i) => -i / 1000);
    const y = x.slice();
    expAffineInPlace(y, 2, 3, 5, 65_539);
    for (let i = 0; i < x.length; i++) {
      if (i < 5 || i >= 5 + 65_539) expect(y[i]).toBe(x[i]);
      else expect(Math.abs(y[i]! - 3 * Math.exp(2 * x[i]!))).toBeLessThanOrEqual(3 * 4.5e-16 * 3 * Math.exp(2 * x[i]!));
    }
  });
});

/** The separate passes rbfRows replaces: r² in JavaScript (first term, then added), expAffineInPlace, four partial sums. */
function separate(xa: Float64Array, na: number, xb: Float64Array, nb: number, d: number, a: number, c: number, w: Float64Array) {
  const K = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let u = xa[i * d]! - xb[j * d]!;
      let r2 = u * u;
      for (let t = 1; t < d; t++) {
        u = xa[i * d + t]! - xb[j * d + t]!;
        r2 += u * u;
      }
      K[i * nb + j] = r2;
    }
  }
  expAffineInPlace(K, a, c);
  const nb4 = nb - (nb % 4);
  const dots = new Float64Array(na);
  for (let i = 0; i < na; i++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < nb4; j += 4) {
      s0 += K[i * nb + j]! * w[j]!;
      s1 += K[i * nb + j + 1]! * w[j + 1]!;
      s2 += K[i * nb + j + 2]! * w[j + 2]!;
      s3 += K[i * nb + j + 3]! * w[j + 3]!;
    }
    for (let j = nb4; j < nb; j++) s0 += K[i * nb + j]! * w[j]!;
    dots[i] = s0 + s1 + (s2 + s3);
  }
  return { K, dots };
}

describe('rbfRows', () => {
  test.each([
    [1, 1, 1],
    [3, 4, 1],
    [5, 7, 1],
    [40, 2001, 1],
    [70, 1030, 2],
    [9, 9, 3],
    [33, 4, 5],
  ])('na = %i, nb = %i, d = %i: the same bits as r² in JavaScript + expAffineInPlace + a four-sum loop (WebAssembly and JavaScript)', (na, nb, d) => {
    const rng = createRng(na * 1000 + nb + d);
    const xa = Float64Array.from({ length: na * d }, () => 6 * rng.normal());
    const xb = Float64Array.from({ length: nb * d }, () => 6 * rng.normal());
    const w = Float64Array.from({ length: nb }, () => rng.normal());
    const want = separate(xa, na, xb, nb, d, -0.5, 1.7, w);
    for (const js of [false, true]) {
      setExpJs(js);
      const K = new Float64Array(na * nb).fill(Number.NaN);
      const dots = new Float64Array(na);
      rbfRows(xa, na, xb, nb, d, -0.5, 1.7, K, w, dots);
      expect(Array.from(K)).toEqual(Array.from(want.K));
      expect(Array.from(dots)).toEqual(Array.from(want.dots));
      const alone = new Float64Array(na * nb);
      rbfRows(xa, na, xb, nb, d, -0.5, 1.7, alone);
      expect(Array.from(alone)).toEqual(Array.from(want.K));
    }
  });

  test('more rows than one call of the kernel holds (65,536 outputs): rows batched, each row independent of the batch', () => {
    const na = 150;
    const nb = 1000; // 65 rows per call
    const rng = createRng(9);
    const xa = Float64Array.from({ length: na }, () => 10 * rng.uniform());
    const xb = Float64Array.from({ length: nb }, () => 10 * rng.uniform());
    const w = Float64Array.from({ length: nb }, () => rng.normal());
    const want = separate(xa, na, xb, nb, 1, -0.5, 1, w);
    const K = new Float64Array(na * nb);
    const dots = new Float64Array(na);
    rbfRows(xa, na, xb, nb, 1, -0.5, 1, K, w, dots);
    expect(Array.from(K)).toEqual(Array.from(want.K));
    expect(Array.from(dots)).toEqual(Array.from(want.dots));
    const one = new Float64Array(nb);
    const dot = new Float64Array(1);
    rbfRows(xa.subarray(149, 150), 1, xb, nb, 1, -0.5, 1, one, w, dot);
    expect(dot[0]).toBe(dots[149]);
  });

  test('non-finite inputs: NaN stays NaN, infinite distances give 0', () => {
    const xa = Float64Array.from([Number.NaN, Number.POSITIVE_INFINITY, 0]);
    const xb = Float64Array.from([0, 1, 2, 3]);
    const K = new Float64Array(12);
    rbfRows(xa, 3, xb, 4, 1, -0.5, 1, K);
    expect(Array.from(K.subarray(0, 4)).every(Number.isNaN)).toBe(true);
    expect(Array.from(K.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(K[8]).toBe(1);
  });
});
