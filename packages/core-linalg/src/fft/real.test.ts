import { describe, expect, test } from 'vitest';
import { createRng } from '../random/index.js';
import { dft } from './dft.js';
import { irfftInto, rfftInto } from './real.js';
import { irfft, rfft } from './rfft.js';

const rng = createRng(2026);
/** Seeded random lengths in [2, 3000], drawn once. */
const RANDOM = Array.from({ length: 6 }, () => 2 + Math.floor(2999 * rng.uniform()));
const POW2 = [1, 2, 4, 8, 64, 256, 1024, 4096];
const ODD = [3, 9, 15, 21, 45, 99, 1001];
const PRIMES = [2, 5, 7, 13, 17, 31, 97, 257, 1009, 2053];

function signal(n: number, seed: number): Float64Array {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => r.normal());
}

describe('Fourier Transform: raw real-FFT kernels (rfftInto / irfftInto) behind rfft / irfft', () => {
  test.each([...POW2, ...ODD, ...PRIMES, ...RANDOM])('n = %i: rfftInto = DFT bins 0…⌊n/2⌋ and = public rfft bit for bit; irfftInto = irfft', (n) => {
    const x = signal(n, n);
    const bins = (n >> 1) + 1;
    const spec = new Float64Array(2 * bins);
    rfftInto(x, n, spec);
    // independent answer: the naive O(n²) DFT
    const D = dft(x);
    let err = 0;
    let scale = 0;
    for (let k = 0; k < bins; k++) {
      err = Math.max(err, Math.abs(spec[2 * k] - D.re[k]), Math.abs(spec[2 * k + 1] - D.im[k]));
      scale = Math.max(scale, Math.abs(D.re[k]), Math.abs(D.im[k]));
    }
    expect(err / scale).toBeLessThan(1e-12 * Math.max(1, Math.log2(n)));
    // the validated wrapper returns the raw kernel's numbers unchanged
    const R = rfft(x);
    expect(Float64Array.from({ length: bins }, (_, k) => spec[2 * k])).toEqual(R.re);
    expect(Float64Array.from({ length: bins }, (_, k) => spec[2 * k + 1])).toEqual(R.im);
    const out = new Float64Array(n);
    irfftInto(spec, n, out);
    expect(out).toEqual(irfft(R.re, R.im, n));
    let back = 0;
    for (let i = 0; i < n; i++) back = Math.max(back, Math.abs(out[i] - x[i]));
    expect(back).toBeLessThan(1e-12 * Math.max(1, Math.log2(n)));
  });

  test.each([
    [5, 16],
    [100, 256],
    [37, 100],
    [300, 1024],
    [20, 33],
  ])('a signal of length %i is zero-padded to n = %i (equals the DFT of the padded signal)', (m, n) => {
    const x = signal(m, m + n);
    const padded = new Float64Array(n);
    padded.set(x);
    const spec = new Float64Array(2 * ((n >> 1) + 1));
    rfftInto(x, n, spec);
    const D = dft(padded);
    for (let k = 0; k <= n >> 1; k++) {
      expect(Math.abs(spec[2 * k] - D.re[k])).toBeLessThan(1e-11);
      expect(Math.abs(spec[2 * k + 1] - D.im[k])).toBeLessThan(1e-11);
    }
  });

  test.each([
    [64, 31],
    [64, 32],
    [45, 20],
    [2, 1],
    [1, 1],
    [16, 0],
  ])('irfftInto(spec, n = %i, out, count = %i) writes exactly the first count samples of irfft', (n, count) => {
    const x = signal(n, 7 * n);
    const R = rfft(x);
    const spec = new Float64Array(2 * R.re.length);
    for (let k = 0; k < R.re.length; k++) {
      spec[2 * k] = R.re[k];
      spec[2 * k + 1] = R.im[k];
    }
    const full = irfft(R.re, R.im, n);
    const out = new Float64Array(n + 1).fill(-7);
    irfftInto(spec, n, out, count);
    expect(out.subarray(0, count)).toEqual(full.subarray(0, count));
    for (let i = count; i <= n; i++) expect(out[i]).toBe(-7);
  });
});
