import { describe, expect, test } from 'vitest';
import { createRng } from '../random/index.js';
import { dft, fft, ifft, irfft, nextPowerOfTwo, rfft } from './index.js';

function randomComplex(n: number, seed: number): { re: Float64Array; im: Float64Array } {
  const rng = createRng(seed);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = rng.normal();
    im[i] = rng.normal();
  }
  return { re, im };
}

/** max |a − b| / max |b| over both parts. */
function relErr(a: { re: ArrayLike<number>; im: ArrayLike<number> }, b: { re: ArrayLike<number>; im: ArrayLike<number> }) {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.re.length; i++) {
    num = Math.max(num, Math.abs((a.re[i] as number) - (b.re[i] as number)), Math.abs((a.im[i] as number) - (b.im[i] as number)));
    den = Math.max(den, Math.abs(b.re[i] as number), Math.abs(b.im[i] as number));
  }
  return num / Math.max(den, 1e-300);
}

const SMALL = Array.from({ length: 64 }, (_, i) => i + 1);
const PRIMES = [97, 127, 251, 257, 1009, 4099];
const POW2_FULL = [1024, 4096];

describe('Fourier Transform: 傅里叶变换 — FFT equals the naive DFT', () => {
  test.each([...SMALL, ...PRIMES, ...POW2_FULL, 1000, 3 * 512])('n = %i (1e-10 relative)', (n) => {
    const x = randomComplex(n, n);
    expect(relErr(fft(x.re, x.im), dft(x.re, x.im))).toBeLessThan(1e-10);
  });

  test.each([2 ** 16, 65521])('large n = %i: 64 random bins against the definition', (n) => {
    const x = randomComplex(n, 7);
    const X = fft(x.re, x.im);
    const rng = createRng(n);
    let num = 0;
    let den = 0;
    for (let t = 0; t < 64; t++) {
      const k = Math.floor(rng.uniform() * n);
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * ((j * k) % n)) / n;
        const c = Math.cos(a);
        const s = Math.sin(a);
        sr += (x.re[j] as number) * c - (x.im[j] as number) * s;
        si += (x.re[j] as number) * s + (x.im[j] as number) * c;
      }
      num = Math.max(num, Math.abs((X.re[k] as number) - sr), Math.abs((X.im[k] as number) - si));
      den = Math.max(den, Math.abs(sr), Math.abs(si));
    }
    expect(num / den).toBeLessThan(1e-10);
  });

  test('a pure tone e^{2πi f j/n} transforms to n·δ_f (n = 2^16 and prime 65537)', () => {
    for (const n of [2 ** 16, 65537]) {
      const f = 1234;
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const a = (2 * Math.PI * ((f * j) % n)) / n;
        re[j] = Math.cos(a);
        im[j] = Math.sin(a);
      }
      const X = fft(re, im);
      let off = 0;
      for (let k = 0; k < n; k++) if (k !== f) off = Math.max(off, Math.hypot(X.re[k] as number, X.im[k] as number));
      expect(Math.abs((X.re[f] as number) - n) / n).toBeLessThan(1e-10);
      expect(off / n).toBeLessThan(1e-10);
    }
  });

  test.each([1, 2, 3, 5, 16, 17, 100, 127, 1024, 4099])('ifft(fft(x)) = x and Parseval, n = %i', (n) => {
    const x = randomComplex(n, 100 + n);
    const X = fft(x.re, x.im);
    expect(relErr(ifft(X.re, X.im), x)).toBeLessThan(1e-12);
    let ex = 0;
    let eX = 0;
    for (let i = 0; i < n; i++) {
      ex += (x.re[i] as number) ** 2 + (x.im[i] as number) ** 2;
      eX += (X.re[i] as number) ** 2 + (X.im[i] as number) ** 2;
    }
    expect(Math.abs(eX / n - ex) / ex).toBeLessThan(1e-12);
  });

  test('real input: fft(re) with im omitted equals fft(re, zeros)', () => {
    const x = randomComplex(37, 5);
    expect(relErr(fft(x.re), fft(x.re, new Float64Array(37)))).toBe(0);
  });
});

describe('Fourier Transform: real FFT (rfft / irfft)', () => {
  test.each([...SMALL, 97, 100, 257, 1000, 1024, 4099, 2 ** 15])('n = %i: rfft = first ⌊n/2⌋+1 DFT bins; irfft inverts', (n) => {
    const x = randomComplex(n, 3 * n).re;
    const R = rfft(x);
    const bins = (n >> 1) + 1;
    expect(R.re).toHaveLength(bins);
    const D = n <= 4099 ? dft(x) : fft(x);
    expect(relErr(R, { re: D.re.subarray(0, bins), im: D.im.subarray(0, bins) })).toBeLessThan(1e-10);
    const back = irfft(R.re, R.im, n);
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs((back[i] as number) - (x[i] as number)));
    expect(err).toBeLessThan(1e-12 * Math.max(1, Math.log2(n)));
  });

  test('irfft ignores the imaginary part of the DC and Nyquist bins (as NumPy)', () => {
    const x = [1, 2, 3, 4];
    const R = rfft(x);
    const im = Float64Array.from(R.im);
    im[0] = 5;
    im[2] = -7;
    const back = irfft(R.re, im, 4);
    for (let i = 0; i < 4; i++) expect(back[i]).toBeCloseTo(x[i] as number, 14);
  });
});

describe('Fourier Transform: bad input → typed errors, caller arrays untouched', () => {
  test('errors', () => {
    expect(() => fft([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fft([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => fft([1, 2], [0])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => ifft([1], [Number.POSITIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => rfft([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => irfft([1, 2], [0, 0], 5)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => irfft([1], [0], 0)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => dft([Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test('inputs are not modified', () => {
    const re = [1, 2, 3, 4, 5, 6, 7];
    const im = [0, 1, 0, 1, 0, 1, 0];
    fft(re, im);
    ifft(re, im);
    rfft(re);
    expect(re).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(im).toEqual([0, 1, 0, 1, 0, 1, 0]);
  });

  test('nextPowerOfTwo', () => {
    expect([0, 1, 2, 3, 5, 1024, 1025].map(nextPowerOfTwo)).toEqual([1, 1, 2, 4, 8, 1024, 2048]);
    // NaN used to give 1 and Infinity Infinity, silently
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) expect(() => nextPowerOfTwo(bad)).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });
});
