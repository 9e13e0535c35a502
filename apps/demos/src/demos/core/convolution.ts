/**
 * Convolution theorem (notes: 卷积和卷积定理): linear convolution computed directly, by FFT
 * (pointwise product of spectra after zero-padding to n+m−1), and by circular convolution of the padded
 * signals agree; circular convolution without padding wraps the tail around.
 */
import { atLeast, atMost, medianMs } from '../../claims.js';
import { circularConvolve, convolve, createRng, sampleNormalArray } from '@notes/core-linalg';
import type { Demo } from '../../demo.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

const pad = (x: Float64Array, n: number): Float64Array => {
  const out = new Float64Array(n);
  out.set(x);
  return out;
};

const demo: Demo = {
  id: 'core/convolution',
  title: 'Convolution theorem: direct = FFT = padded circular convolution',
  section: 'Fourier Transform · 卷积和卷积定理',
  order: 120,
  run({ seed }) {
    const rng = createRng(seed);
    const x = sampleNormalArray(rng, 64);
    const h = new Float64Array(16).map((_, i) => Math.exp(-i / 4));
    const direct = convolve(x, h, { method: 'direct' });
    const viaFft = convolve(x, h, { method: 'fft' });
    const n = x.length + h.length - 1;
    const padded = circularConvolve(pad(x, n), pad(h, n));
    const wrapped = circularConvolve(x, pad(h, x.length));
    const values = Array.from(direct, (v, i) => [
      { t: i, method: 'direct', y: v },
      { t: i, method: 'FFT', y: viaFft[i] as number },
      { t: i, method: 'circular, no padding', y: i < wrapped.length ? (wrapped[i] as number) : null },
    ]).flat();

    const timing: { length: number; direct_ms: number; fft_ms: number }[] = [];
    for (const len of [256, 1024, 4096, 16384]) {
      const a = sampleNormalArray(rng, len);
      const b = sampleNormalArray(rng, len);
      const direct_ms = medianMs(() => convolve(a, b, { method: 'direct' }), len > 4096 ? 3 : 5);
      const fft_ms = medianMs(() => convolve(a, b, { method: 'fft' }), 5);
      timing.push({ length: len, direct_ms, fft_ms });
    }
    const scale = Math.max(...Array.from(direct, Math.abs));
    const big = timing[timing.length - 1] as { length: number; direct_ms: number; fft_ms: number };
    return {
      claims: [
        atMost('convolution theorem: FFT route = direct sum (max difference relative to max |x*h|)', maxAbsDiff(direct, viaFft) / scale, 1e-12),
        atMost('circular convolution of signals zero-padded to n+m−1 = linear convolution (relative)', maxAbsDiff(direct, padded) / scale, 1e-12),
        atLeast('without padding the outputs wrap around (max difference relative to max |x*h|)', maxAbsDiff(direct.subarray(0, 64), wrapped) / scale, 1e-3),
        atLeast(`FFT convolution is faster than the direct sum at length ${big.length} (median time ratio)`, big.direct_ms / big.fft_ms, 2),
      ],
      summary:
        'x: 64 normal samples, h: a 16-tap exponential filter. The FFT route multiplies spectra of signals zero-padded to n+m−1 = 79, which makes circular convolution equal linear convolution. Without padding the last 15 outputs wrap onto the first ones.',
      metrics: {
        'max |direct − FFT|': maxAbsDiff(direct, viaFft),
        'max |direct − padded circular|': maxAbsDiff(direct, padded),
        'max |direct − unpadded circular| (first 64)': maxAbsDiff(direct.subarray(0, 64), wrapped),
      },
      tables: [{ title: 'Wall time, median of 3–5 runs in this process (ms; see pnpm bench for ratios against SciPy)', rows: timing }],
      plots: [
        {
          title: 'Linear convolution three ways (FFT overlays direct) and the wrap-around of unpadded circular',
          data: { values: values.filter((v) => v.y !== null) },
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: {
            x: { field: 't', type: 'quantitative' },
            y: { field: 'y', type: 'quantitative' },
            color: { field: 'method', type: 'nominal' },
            strokeDash: { field: 'method', type: 'nominal' },
          },
        },
      ],
    };
  },
};

export default demo;
