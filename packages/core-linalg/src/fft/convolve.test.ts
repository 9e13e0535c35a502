import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { circularConvolve, convolve } from './index.js';

/** Linear convolution from its definition, in plain doubles (the independent reference). */
function naiveFull(x: number[], h: number[]): number[] {
  const y = new Array(x.length + h.length - 1).fill(0);
  for (let k = 0; k < y.length; k++) {
    for (let j = 0; j < x.length; j++) {
      const i = k - j;
      if (i >= 0 && i < h.length) y[k] += (x[j] as number) * (h[i] as number);
    }
  }
  return y;
}

function naiveCircular(a: number[], b: number[]): number[] {
  const n = a.length;
  return Array.from({ length: n }, (_, k) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += (a[j] as number) * (b[(((k - j) % n) + n) % n] as number);
    return s;
  });
}

function slice(full: number[], mode: 'full' | 'same' | 'valid', n: number, m: number): number[] {
  if (mode === 'full') return full;
  if (mode === 'same') return full.slice((m - 1) >> 1, ((m - 1) >> 1) + n);
  return full.slice(Math.min(n, m) - 1, Math.min(n, m) - 1 + Math.abs(n - m) + 1);
}

const signal = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 90 });
const scale = (x: number[], h: number[]) =>
  x.reduce((s, v) => s + Math.abs(v), 0) * h.reduce((s, v) => Math.max(s, Math.abs(v)), 0) + 1e-300;

describe('Fourier Transform: 卷积和卷积定理 — direct, FFT and circular-through-padding convolution agree', () => {
  for (const mode of ['full', 'same', 'valid'] as const) {
    test(`property: mode '${mode}'`, () => {
      fc.assert(
        fc.property(signal, signal, (x, h) => {
          const n = x.length;
          const m = h.length;
          const direct = convolve(x, h, { mode, method: 'direct' });
          const viaFft = convolve(x, h, { mode, method: 'fft' });
          const auto = convolve(x, h, { mode });
          // circular convolution of the zero-padded signals equals the linear one (convolution theorem)
          const L = n + m - 1;
          const xp = [...x, ...new Array(L - n).fill(0)];
          const hp = [...h, ...new Array(L - m).fill(0)];
          const circ = slice(Array.from(circularConvolve(xp, hp)), mode, n, m);
          const ref = slice(naiveFull(x, h), mode, n, m);
          const tol = 1e-12 * scale(x, h);
          expect(direct).toHaveLength(ref.length);
          for (const got of [direct, viaFft, auto, circ]) {
            expect(got).toHaveLength(ref.length);
            for (let k = 0; k < ref.length; k++) expect(Math.abs((got[k] as number) - (ref[k] as number))).toBeLessThanOrEqual(tol);
          }
        }),
        { numRuns: 150, seed: 20240611 },
      );
    });
  }

  test('property: circularConvolve equals its definition (direct and FFT paths, any length)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer(), (n, seed) => {
        const a = Array.from({ length: n }, (_, i) => Math.sin(seed + 1.7 * i));
        const b = Array.from({ length: n }, (_, i) => Math.cos(seed * 0.3 + 0.9 * i * i));
        const ref = naiveCircular(a, b);
        const got = circularConvolve(a, b);
        for (let k = 0; k < n; k++) expect(Math.abs((got[k] as number) - (ref[k] as number))).toBeLessThan(1e-11 * n);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  test('long signal ⊛ short filter (overlap-add path) equals the definition, in both argument orders', () => {
    const n = 5000;
    const x = Array.from({ length: n }, (_, i) => Math.sin(0.37 * i) + 0.1 * Math.cos(i * i));
    for (const m of [3, 37, 300]) {
      const h = Array.from({ length: m }, (_, i) => Math.exp(-i / 50) * Math.cos(i));
      const ref = naiveFull(x, h);
      const tol = 1e-12 * scale(x, h);
      for (const got of [convolve(x, h, { method: 'fft' }), convolve(h, x, { method: 'fft' })]) {
        expect(got).toHaveLength(ref.length);
        let err = 0;
        for (let k = 0; k < ref.length; k++) err = Math.max(err, Math.abs((got[k] as number) - (ref[k] as number)));
        expect(err).toBeLessThanOrEqual(tol);
      }
    }
  });

  test('n = m = 65,536: FFT convolution equals direct sums at 100 outputs (|error| ≤ 1e-14 · ‖x‖₂‖h‖₂)', () => {
    // FFT convolution errors are uniform in k, of order ε log N ‖x‖₂‖h‖₂ (not relative to each output)
    const n = 65_536;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(0.1 * i) + Math.cos(i * 0.77) ** 3);
    const h = Float64Array.from({ length: n }, (_, i) => Math.cos(0.013 * i * i) - 0.2);
    const y = convolve(x, h, { method: 'fft' });
    expect(y).toHaveLength(2 * n - 1);
    let xx = 0;
    let hh = 0;
    for (let i = 0; i < n; i++) {
      xx += (x[i] as number) ** 2;
      hh += (h[i] as number) ** 2;
    }
    const norm = Math.sqrt(xx * hh);
    let worst = 0;
    for (let t = 0; t < 100; t++) {
      const k = Math.floor((t * (2 * n - 2)) / 99);
      let s = 0;
      for (let j = Math.max(0, k - n + 1); j <= Math.min(k, n - 1); j++) s += (x[j] as number) * (h[k - j] as number);
      worst = Math.max(worst, Math.abs((y[k] as number) - s));
    }
    expect(worst / norm).toBeLessThan(1e-14);
  });

  test('closed-form examples (values as numpy.convolve / scipy.signal.convolve)', () => {
    expect(Array.from(convolve([1, 2, 3], [0, 1, 0.5]))).toEqual([0, 1, 2.5, 4, 1.5]);
    expect(Array.from(convolve([1, 2, 3], [0, 1, 0.5], { mode: 'same' }))).toEqual([1, 2.5, 4]);
    expect(Array.from(convolve([1, 2, 3], [0, 1, 0.5], { mode: 'valid' }))).toEqual([2.5]);
    expect(Array.from(convolve([1, 2, 3, 4], [1, 1], { mode: 'same' }))).toEqual([1, 3, 5, 7]);
    expect(Array.from(circularConvolve([1, 2, 3], [0, 1, 0]))).toEqual([3, 1, 2]);
    const long = convolve(new Float64Array(5000).fill(1), new Float64Array(3000).fill(1), { method: 'fft' });
    expect(long[2999]).toBeCloseTo(3000, 8);
    expect(long[7998]).toBeCloseTo(1, 9);
  });

  test('bad input → typed errors; caller arrays untouched', () => {
    const x = [1, 2, 3];
    const h = [4, 5];
    convolve(x, h, { method: 'fft' });
    circularConvolve(x, [1, 1, 1]);
    expect(x).toEqual([1, 2, 3]);
    expect(h).toEqual([4, 5]);
    expect(() => convolve([], h)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => convolve(x, [Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => convolve(x, h, { mode: 'middle' as 'full' })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => convolve(x, h, { method: 'fast' as 'fft' })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => circularConvolve([1, 2], [1])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => circularConvolve([1, Number.POSITIVE_INFINITY], [1, 2])).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test('explicit undefined options keep the defaults (same result as omitting them)', () => {
    const x = [1, 2, 3, 4];
    const h = [0.5, -1];
    const ref = convolve(x, h);
    expect(convolve(x, h, { mode: undefined })).toEqual(ref);
    expect(convolve(x, h, { mode: undefined, method: undefined })).toEqual(ref);
    expect(convolve(x, h, { mode: 'same', method: undefined })).toEqual(convolve(x, h, { mode: 'same' }));
  });
});
