/**
 * Cached FFT plans (internal). Powers of two use fft.js (radix-4, precomputed twiddles); every other
 * length uses Bluestein's chirp-z algorithm on top of a power-of-two plan (Bluestein 1970;
 * Rabiner, Schafer & Rader 1969): with $w_k = e^{-i\pi k^2/n}$ and $jk = \tfrac12(j^2 + k^2 - (k-j)^2)$,
 * $$X_k = w_k \sum_j (x_j w_j)\,\overline{w_{k-j}},$$
 * a convolution evaluated with FFTs of size $m = 2^{\lceil\log_2(2n-1)\rceil}$.
 * Plans (twiddles, chirps, the chirp's spectrum, scratch buffers) are built once per length and reused.
 */
import FFT from 'fft.js';

/** Smallest power of two ≥ `n` (1 for n ≤ 1). */
export function nextPowerOfTwo(n: number): number {
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
  m: number;
  pow2: Pow2Plan;
  /** chirp w_k = exp(-iπk²/n), k < n */
  wRe: Float64Array;
  wIm: Float64Array;
  /** FFT_m of b, b_l = conj(w_|l|) wrapped circularly; interleaved, pre-scaled by nothing. */
  bHat: Float64Array;
}

const MAX_PLANS = 48;
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
  const pow2 = pow2Plan(m);
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
  pow2.fft.transform(bHat, b);
  return remember(bluesteinPlans, n, { n, m, pow2, wRe, wIm, bHat });
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
  const { m, pow2, wRe, wIm, bHat } = bluesteinPlan(n);
  const a = pow2.a;
  const A = pow2.b;
  for (let j = 0; j < n; j++) {
    const xr = data[2 * j] as number;
    const xi = data[2 * j + 1] as number;
    const cr = wRe[j] as number;
    const ci = wIm[j] as number;
    a[2 * j] = xr * cr - xi * ci;
    a[2 * j + 1] = xr * ci + xi * cr;
  }
  a.fill(0, 2 * n);
  pow2.fft.transform(A, a);
  for (let k = 0; k < m; k++) {
    const ar = A[2 * k] as number;
    const ai = A[2 * k + 1] as number;
    const br = bHat[2 * k] as number;
    const bi = bHat[2 * k + 1] as number;
    A[2 * k] = ar * br - ai * bi;
    A[2 * k + 1] = ar * bi + ai * br;
  }
  pow2.fft.inverseTransform(a, A); // scaled by 1/m
  for (let k = 0; k < n; k++) {
    const yr = a[2 * k] as number;
    const yi = a[2 * k + 1] as number;
    const cr = wRe[k] as number;
    const ci = wIm[k] as number;
    out[2 * k] = yr * cr - yi * ci;
    out[2 * k + 1] = yr * ci + yi * cr;
  }
}
