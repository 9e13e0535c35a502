/**
 * Cached FFT plans (internal). Powers of two use fft.js (radix-4, precomputed twiddles); other lengths
 * up to 16 use the definition; every other length uses Bluestein's chirp-z algorithm on top of a power-of-two plan (Bluestein 1970;
 * Rabiner, Schafer & Rader 1969): with $w_k = e^{-i\pi k^2/n}$ and $jk = \tfrac12(j^2 + k^2 - (k-j)^2)$,
 * $$X_k = w_k \sum_j (x_j w_j)\,\overline{w_{k-j}},$$
 * a convolution evaluated with FFTs of size $m = 2^{\lceil\log_2(2n-1)\rceil}$.
 * Plans (twiddles, chirps, the chirp's spectrum, scratch buffers) are built once per length and reused.
 */
import FFT from 'fft.js';
import { NonFiniteError } from '../errors/index.js';

const scratchBuffers = new Map<string, Float64Array>();

/**
 * @internal A reusable work array of exactly `length` doubles for one named use (only the latest size
 * per name is kept, so memory stays bounded). Contents are arbitrary: callers overwrite what they read.
 * Never hand one out to callers, and never use the same name twice in one computation.
 */
export function scratch(name: string, length: number): Float64Array {
  let a = scratchBuffers.get(name);
  if (!a || a.length !== length) {
    a = new Float64Array(length);
    scratchBuffers.set(name, a);
  }
  return a;
}

/**
 * Smallest power of two ≥ `n` (1 for n ≤ 1).
 * @throws NonFiniteError for NaN or ±Infinity.
 */
export function nextPowerOfTwo(n: number): number {
  if (!Number.isFinite(n)) throw new NonFiniteError(`nextPowerOfTwo: argument 'n' must be finite, got ${n}`);
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** @internal True for 1, 2, 4, 8, … */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** @internal A power-of-two fft.js plan with two interleaved scratch buffers of length 2n. */
export interface Pow2Plan {
  n: number;
  fft: FFT;
  a: Float64Array;
  b: Float64Array;
}

interface BluesteinPlan {
  n: number;
  /** half of the Bluestein size m = 2^⌈log2(2n−1)⌉; h ≥ n */
  h: number;
  half: Pow2Plan;
  /** chirp w_k = exp(-iπk²/n), k < n */
  wRe: Float64Array;
  wIm: Float64Array;
  /** FFT_m of b (b_l = conj(w_|l|) wrapped circularly), split into even bins (bE) and odd bins (bO), interleaved */
  bE: Float64Array;
  bO: Float64Array;
  /** t_j = exp(-2πij/m), j < h, interleaved */
  t: Float64Array;
  /** scratch, 2h each */
  s1: Float64Array;
  s2: Float64Array;
}

// Plans are small next to the data except Bluestein's (≈ 10·m doubles); cap both caches.
const MAX_PLANS = 24;
const pow2Plans = new Map<number, Pow2Plan>();
const bluesteinPlans = new Map<number, BluesteinPlan>();

function remember<T>(cache: Map<number, T>, n: number, plan: T): T {
  if (cache.size >= MAX_PLANS) cache.delete(cache.keys().next().value as number);
  cache.set(n, plan);
  return plan;
}

/** @internal The cached fft.js plan of a power-of-two size ≥ 2. */
export function pow2Plan(n: number): Pow2Plan {
  const hit = pow2Plans.get(n);
  if (hit) return hit;
  return remember(pow2Plans, n, { n, fft: new FFT(n), a: new Float64Array(2 * n), b: new Float64Array(2 * n) });
}

function bluesteinPlan(n: number): BluesteinPlan {
  const hit = bluesteinPlans.get(n);
  if (hit) return hit;
  const m = nextPowerOfTwo(2 * n - 1);
  const h = m / 2;
  const wRe = new Float64Array(n);
  const wIm = new Float64Array(n);
  // k² mod 2n, updated incrementally, keeps the chirp angle exact for any n.
  let k2 = 0;
  const twoN = 2 * n;
  for (let k = 0; k < n; k++) {
    const angle = (Math.PI * k2) / n;
    wRe[k] = Math.cos(angle);
    wIm[k] = -Math.sin(angle);
    k2 = (k2 + 2 * k + 1) % twoN;
  }
  const b = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    b[2 * k] = wRe[k] as number;
    b[2 * k + 1] = -(wIm[k] as number);
    if (k > 0) {
      b[2 * (m - k)] = wRe[k] as number;
      b[2 * (m - k) + 1] = -(wIm[k] as number);
    }
  }
  const bHat = new Float64Array(2 * m);
  new FFT(m).transform(bHat, b); // once per plan; the size-m plan is not kept
  const bE = new Float64Array(2 * h);
  const bO = new Float64Array(2 * h);
  for (let k = 0; k < h; k++) {
    bE[2 * k] = bHat[4 * k] as number;
    bE[2 * k + 1] = bHat[4 * k + 1] as number;
    bO[2 * k] = bHat[4 * k + 2] as number;
    bO[2 * k + 1] = bHat[4 * k + 3] as number;
  }
  const t = new Float64Array(2 * h);
  for (let j = 0; j < h; j++) {
    t[2 * j] = Math.cos((2 * Math.PI * j) / m);
    t[2 * j + 1] = -Math.sin((2 * Math.PI * j) / m);
  }
  const plan = { n, h, half: pow2Plan(h), wRe, wIm, bE, bO, t, s1: new Float64Array(2 * h), s2: new Float64Array(2 * h) };
  return remember(bluesteinPlans, n, plan);
}

/** Lengths up to this (not powers of two) use the O(n²) definition: cheaper than Bluestein and exact angles. */
const SMALL_DIRECT = 16;
const rootCache = new Map<number, Float64Array>();

/** X_k = Σ_j x_j e^{−2πi jk/n} with the angle index jk mod n (exact unit roots). */
function smallDft(n: number, data: Float64Array, out: Float64Array): void {
  let roots = rootCache.get(n);
  if (!roots) {
    roots = new Float64Array(2 * n);
    for (let t = 0; t < n; t++) {
      roots[2 * t] = Math.cos((2 * Math.PI * t) / n);
      roots[2 * t + 1] = -Math.sin((2 * Math.PI * t) / n);
    }
    rootCache.set(n, roots);
  }
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    let t = 0;
    for (let j = 0; j < n; j++) {
      const xr = data[2 * j] as number;
      const xi = data[2 * j + 1] as number;
      const cr = roots[2 * t] as number;
      const ci = roots[2 * t + 1] as number;
      sr += xr * cr - xi * ci;
      si += xr * ci + xi * cr;
      t += k;
      if (t >= n) t -= n;
    }
    out[2 * k] = sr;
    out[2 * k + 1] = si;
  }
}

/** (a ⊙ b) into a, interleaved complex of length len. */
function mulInPlace(a: Float64Array, b: Float64Array, len: number): void {
  for (let k = 0; k < len; k++) {
    const ar = a[2 * k] as number;
    const ai = a[2 * k + 1] as number;
    const br = b[2 * k] as number;
    const bi = b[2 * k + 1] as number;
    a[2 * k] = ar * br - ai * bi;
    a[2 * k + 1] = ar * bi + ai * br;
  }
}

/**
 * @internal Unscaled forward DFT $X_k = \sum_j x_j e^{-2\pi i jk/n}$ of any length n ≥ 1, from interleaved
 * complex input `data` (length 2n, not modified) into interleaved `out` (length 2n).
 */
export function forwardInterleaved(n: number, data: Float64Array, out: Float64Array): void {
  if (n === 1) {
    out[0] = data[0] as number;
    out[1] = data[1] as number;
    return;
  }
  if (isPowerOfTwo(n)) {
    pow2Plan(n).fft.transform(out, data);
    return;
  }
  if (n <= SMALL_DIRECT) {
    smallDft(n, data, out);
    return;
  }
  // Bluestein with a size-m circular convolution done as four size-h = m/2 FFTs: the input is zero
  // beyond h and only the first n ≤ h outputs are needed, so one decimation-in-frequency step (forward)
  // and one decimation-in-time step (inverse) split each size-m transform into two cache-friendly halves.
  const { h, half, wRe, wIm, bE, bO, t, s1, s2 } = bluesteinPlan(n);
  const a = half.a; // a_j = x_j w_j, zero-padded to h
  const ao = half.b; // a_j t_j
  for (let j = 0; j < n; j++) {
    const xr = data[2 * j] as number;
    const xi = data[2 * j + 1] as number;
    const cr = wRe[j] as number;
    const ci = wIm[j] as number;
    const yr = xr * cr - xi * ci;
    const yi = xr * ci + xi * cr;
    a[2 * j] = yr;
    a[2 * j + 1] = yi;
    const tr = t[2 * j] as number;
    const ti = t[2 * j + 1] as number;
    ao[2 * j] = yr * tr - yi * ti;
    ao[2 * j + 1] = yr * ti + yi * tr;
  }
  a.fill(0, 2 * n);
  ao.fill(0, 2 * n);
  half.fft.transform(s1, a); // even bins of FFT_m(a)
  half.fft.transform(s2, ao); // odd bins
  mulInPlace(s1, bE, h);
  mulInPlace(s2, bO, h);
  half.fft.inverseTransform(a, s1); // scaled by 1/h
  half.fft.inverseTransform(ao, s2);
  for (let k = 0; k < n; k++) {
    // y_k = ½ (even_k + conj(t_k) odd_k), then X_k = w_k y_k
    const tr = t[2 * k] as number;
    const ti = -(t[2 * k + 1] as number);
    const or = ao[2 * k] as number;
    const oi = ao[2 * k + 1] as number;
    const yr = 0.5 * ((a[2 * k] as number) + or * tr - oi * ti);
    const yi = 0.5 * ((a[2 * k + 1] as number) + or * ti + oi * tr);
    const cr = wRe[k] as number;
    const ci = wIm[k] as number;
    out[2 * k] = yr * cr - yi * ci;
    out[2 * k + 1] = yr * ci + yi * cr;
  }
}
