/** expAffineInPlace against Math.exp (≤ 2 ulp), special values, offsets/odd lengths, WebAssembly = JavaScript. */
import { afterEach, describe, expect, test } from 'vitest';
import { createRng } from '../index.js';
import { wasmSimdSupported } from '../wasm/encoding.js';
import { expAffineInPlace, setExpJs } from './exp.js';

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
