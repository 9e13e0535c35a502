import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { convolve, fft, rfft } from './index.js';

interface Fixtures {
  numpy: string;
  scipy: string;
  fft: { re: number[]; im: number[]; Xre: number[]; Xim: number[] }[];
  rfft: { x: number[]; Xre: number[]; Xim: number[] }[];
  convolve: { x: number[]; h: number[]; mode: 'full' | 'same' | 'valid'; y: number[] }[];
}

// Written by fixtures/fft-make-fixtures.py (NumPy's pocketfft, SciPy's signal.convolve).
const fixtures: Fixtures = JSON.parse(readFileSync(new URL('../../fixtures/fft-reference.json', import.meta.url), 'utf8'));

function maxRel(got: ArrayLike<number>, want: number[], scale: number): number {
  expect(got).toHaveLength(want.length);
  let e = 0;
  for (let i = 0; i < want.length; i++) e = Math.max(e, Math.abs((got[i] as number) - (want[i] as number)));
  return e / scale;
}

const maxAbs = (...arrays: number[][]) => Math.max(1e-300, ...arrays.flat().map(Math.abs));

describe(`Fourier Transform: agreement with NumPy ${fixtures.numpy} / SciPy ${fixtures.scipy}`, () => {
  test.each(fixtures.fft.map((f) => [f.re.length, f] as const))('numpy.fft.fft, n = %i', (_n, f) => {
    const X = fft(f.re, f.im);
    const s = maxAbs(f.Xre, f.Xim);
    expect(maxRel(X.re, f.Xre, s)).toBeLessThan(1e-13);
    expect(maxRel(X.im, f.Xim, s)).toBeLessThan(1e-13);
  });

  test.each(fixtures.rfft.map((f) => [f.x.length, f] as const))('numpy.fft.rfft, n = %i', (_n, f) => {
    const X = rfft(f.x);
    const s = maxAbs(f.Xre, f.Xim);
    expect(maxRel(X.re, f.Xre, s)).toBeLessThan(1e-13);
    expect(maxRel(X.im, f.Xim, s)).toBeLessThan(1e-13);
  });

  test.each(fixtures.convolve.map((f) => [f.x.length, f.h.length, f.mode, f] as const))(
    'scipy.signal.convolve, n = %i, m = %i, mode %s (direct and FFT)',
    (_n, _m, mode, f) => {
      const s = maxAbs(f.y, [1]);
      expect(maxRel(convolve(f.x, f.h, { mode, method: 'direct' }), f.y, s)).toBeLessThan(1e-13);
      expect(maxRel(convolve(f.x, f.h, { mode, method: 'fft' }), f.y, s)).toBeLessThan(1e-12);
    },
  );
});
