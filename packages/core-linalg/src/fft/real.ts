/**
 * Real-input FFT kernels (internal). A real signal of even length n is packed into n/2 complex
 * samples $z_j = x_{2j} + i x_{2j+1}$; one complex FFT of size n/2 and an O(n) split
 * $X_k = E_k + e^{-2\pi ik/n} O_k$, $E_k = \tfrac12(Z_k + \overline{Z_{h-k}})$, $O_k = \tfrac1{2i}(Z_k - \overline{Z_{h-k}})$
 * give the n/2+1 non-redundant bins (Cooley, Lewis & Welch 1970; Numerical Recipes §12.3).
 * Powers of two use fft.js's `realTransform` directly.
 */
import { forwardInterleaved, isPowerOfTwo, pow2Plan, scratch } from './plan.js';

const twiddleCache = new Map<number, Float64Array>();

/** @internal cos and sin of 2πk/n for k ≤ n/2, interleaved (cached). */
export function twiddles(n: number): Float64Array {
  let t = twiddleCache.get(n);
  if (!t) {
    const h = n >> 1;
    t = new Float64Array(2 * (h + 1));
    for (let k = 0; k <= h; k++) {
      t[2 * k] = Math.cos((2 * Math.PI * k) / n);
      t[2 * k + 1] = Math.sin((2 * Math.PI * k) / n);
    }
    if (twiddleCache.size >= 48) twiddleCache.delete(twiddleCache.keys().next().value as number);
    twiddleCache.set(n, t);
  }
  return t;
}

/**
 * @internal Spectrum bins 0…⌊n/2⌋ (interleaved, into `spec` of length 2(⌊n/2⌋+1)) of `x` zero-padded
 * (or truncated) to length n. Raw kernel: no validation (non-finite input gives non-finite bins), no
 * allocation for even n (cached plans and scratch); the public `rfft` (rfft.ts) is the validated wrapper.
 */
export function rfftInto(x: ArrayLike<number>, n: number, spec: Float64Array): void {
  const len = Math.min(x.length, n);
  const bins = (n >> 1) + 1;
  if (n === 1) {
    spec[0] = len > 0 ? (x[0] as number) : 0;
    spec[1] = 0;
    return;
  }
  if (isPowerOfTwo(n)) {
    const plan = pow2Plan(n);
    const pad = plan.b.subarray(0, n);
    for (let i = 0; i < len; i++) pad[i] = x[i] as number;
    pad.fill(0, len);
    plan.fft.realTransform(plan.a, pad);
    spec.set(plan.a.subarray(0, 2 * bins));
    spec[1] = 0;
    spec[2 * bins - 1] = 0;
    return;
  }
  if (n % 2 === 1) {
    const data = new Float64Array(2 * n);
    for (let i = 0; i < len; i++) data[2 * i] = x[i] as number;
    const out = new Float64Array(2 * n);
    forwardInterleaved(n, data, out);
    spec.set(out.subarray(0, 2 * bins));
    spec[1] = 0;
    return;
  }
  const h = n >> 1;
  const z = scratch('rfft.z', 2 * h);
  for (let i = 0; i < len; i++) z[i] = x[i] as number; // interleaving is exactly the packing x_{2j} + i x_{2j+1}
  z.fill(0, len);
  const Z = scratch('rfft.Z', 2 * h);
  forwardInterleaved(h, z, Z);
  const tw = twiddles(n);
  for (let k = 0; k <= h; k++) {
    const a = k % h;
    const b = (h - k) % h;
    const zr = Z[2 * a] as number;
    const zi = Z[2 * a + 1] as number;
    const cr = Z[2 * b] as number; // conj(Z_{h-k}) = (cr, -ci)
    const ci = -(Z[2 * b + 1] as number);
    const er = 0.5 * (zr + cr);
    const ei = 0.5 * (zi + ci);
    const or = 0.5 * (zi - ci); // (Z - conj)/(2i)
    const oi = -0.5 * (zr - cr);
    const wr = tw[2 * k] as number;
    const wi = -(tw[2 * k + 1] as number);
    spec[2 * k] = er + wr * or - wi * oi;
    spec[2 * k + 1] = ei + wr * oi + wi * or;
  }
  spec[1] = 0;
  spec[2 * h + 1] = 0;
}

/**
 * @internal Real signal of length n from its bins 0…⌊n/2⌋ (interleaved `spec`, not modified); only its
 * first `count` samples (default all n) are written, to `out[0..count)`. The imaginary parts of bin 0
 * (and of bin n/2 for even n) are ignored, as in NumPy. Raw kernel: no validation, no allocation for
 * even n (cached plans and scratch).
 */
export function irfftInto(spec: Float64Array, n: number, out: Float64Array, count: number = n): void {
  const m = Math.min(count, n);
  if (m <= 0) return;
  if (n === 1) {
    out[0] = spec[0] as number;
    return;
  }
  if (n % 2 === 1) {
    const full = new Float64Array(2 * n);
    const bins = (n >> 1) + 1;
    for (let k = 0; k < bins; k++) {
      full[2 * k] = spec[2 * k] as number;
      full[2 * k + 1] = k === 0 ? 0 : -(spec[2 * k + 1] as number); // conjugated for the inverse
      if (k > 0) {
        full[2 * (n - k)] = spec[2 * k] as number;
        full[2 * (n - k) + 1] = spec[2 * k + 1] as number;
      }
    }
    const y = new Float64Array(2 * n);
    forwardInterleaved(n, full, y);
    for (let j = 0; j < m; j++) out[j] = (y[2 * j] as number) / n;
    return;
  }
  const h = n >> 1;
  const tw = twiddles(n);
  const Zc = scratch('irfft.Zc', 2 * h); // conj(Z), so a forward FFT computes the inverse (fully written)
  for (let k = 0; k < h; k++) {
    const xr = spec[2 * k] as number;
    const xi = k === 0 ? 0 : (spec[2 * k + 1] as number);
    const j = h - k;
    const yr = spec[2 * j] as number; // conj(X_{h-k}) = (yr, -yi)
    const yi = j === h ? 0 : -(spec[2 * j + 1] as number);
    const er = 0.5 * (xr + yr);
    const ei = 0.5 * (xi + yi);
    const dr = 0.5 * (xr - yr);
    const di = 0.5 * (xi - yi);
    const wr = tw[2 * k] as number; // e^{+2πik/n}
    const wi = tw[2 * k + 1] as number;
    const or = dr * wr - di * wi;
    const oi = dr * wi + di * wr;
    // Z = E + i O
    Zc[2 * k] = er - oi;
    Zc[2 * k + 1] = -(ei + or);
  }
  const z = scratch('irfft.z', 2 * h);
  forwardInterleaved(h, Zc, z);
  const s = 1 / h;
  const pairs = m >> 1;
  for (let j = 0; j < pairs; j++) {
    out[2 * j] = (z[2 * j] as number) * s;
    out[2 * j + 1] = -(z[2 * j + 1] as number) * s;
  }
  if (m & 1) out[m - 1] = (z[m - 1] as number) * s; // m − 1 is even: a real part
}
