import { describe, expect, it } from 'vitest';
import { expFdlibm } from './exp.js';

describe('Optimal transport — e^{−M/ε} kernel (fdlibm exp)', () => {
  it('returns the same double as Math.exp on a dense grid of [−708, 709], at half-integer k and the edges', () => {
    let mismatches = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -708 + (1417 * i) / 200_000 + 1e-7 * Math.sin(i);
      if (expFdlibm(x) !== Math.exp(x)) mismatches++;
    }
    // x/ln 2 at (near) half-integers, where the rounding of k matters
    for (let h = -1021.5; h < 1022; h += 1) {
      for (const x of [h * Math.LN2, h * Math.LN2 * (1 + 2e-16), h * Math.LN2 * (1 - 2e-16)]) {
        if (x >= -708 && x <= 709 && expFdlibm(x) !== Math.exp(x)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    for (const x of [0, -0, 1e-300, -1e-20, 0.5 * Math.LN2, -0.5 * Math.LN2, 1, -1, 1.5 * Math.LN2, -1.5 * Math.LN2, 1.04, -1.04, 0.3465735912322998, -0.3465735912322998, 0.34657359, -0.3465735, -707.9, 708.9]) {
      expect(expFdlibm(x)).toBe(Math.exp(x));
    }
  });
  it('defers to Math.exp for subnormal, overflowing and NaN results', () => {
    for (const x of [-709, -745, -746, -Infinity, 710, Infinity, Number.NaN]) {
      expect(Object.is(expFdlibm(x), Math.exp(x))).toBe(true);
    }
  });
});
