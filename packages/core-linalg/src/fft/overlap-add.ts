/**
 * Overlap-add FFT convolution (internal) for a long signal and a short filter: the signal is cut into
 * blocks of L = B − m + 1 samples, each convolved with the filter through real FFTs of a small size B
 * (cache-resident, the filter's spectrum computed once) and the overlapping tails are added
 * (Oppenheim & Schafer, *Discrete-Time Signal Processing*, §8.7.3; SciPy's `oaconvolve`).
 * Cost ≈ ⌈n/L⌉ · B log₂ B instead of N log₂ N for one transform of N ≥ n+m−1.
 */
import { nextPowerOfTwo } from './plan.js';
import { irfftInto, rfftInto } from './real.js';

/** Largest block size tried (keeps blocks in cache). */
const MAX_BLOCK = 1 << 14;

/** @internal The block size B minimising the FFT work per output sample, and that work for n outputs. */
export function overlapAddPlan(n: number, m: number): { block: number; cost: number } {
  let best = { block: 0, cost: Number.POSITIVE_INFINITY };
  for (let B = Math.max(nextPowerOfTwo(2 * m), 16); B <= MAX_BLOCK; B *= 2) {
    const L = B - m + 1;
    const cost = Math.ceil(n / L) * B * Math.log2(B);
    if (cost < best.cost) best = { block: B, cost };
  }
  return best;
}

/** @internal Full linear convolution of `x` (length n) with a shorter `h` (length m ≤ n) by overlap-add. */
export function overlapAddFull(x: ArrayLike<number>, h: ArrayLike<number>, block: number): Float64Array {
  const n = x.length;
  const m = h.length;
  const B = block;
  const L = B - m + 1;
  const bins = (B >> 1) + 1;
  const H = new Float64Array(2 * bins);
  rfftInto(h, B, H);
  const seg = new Float64Array(B);
  const S = new Float64Array(2 * bins);
  const y = new Float64Array(B);
  const out = new Float64Array(n + m - 1);
  for (let start = 0; start < n; start += L) {
    const len = Math.min(L, n - start);
    for (let j = 0; j < len; j++) seg[j] = x[start + j] as number;
    seg.fill(0, len);
    rfftInto(seg, B, S);
    for (let k = 0; k < bins; k++) {
      const sr = S[2 * k] as number;
      const si = S[2 * k + 1] as number;
      const hr = H[2 * k] as number;
      const hi = H[2 * k + 1] as number;
      S[2 * k] = sr * hr - si * hi;
      S[2 * k + 1] = sr * hi + si * hr;
    }
    irfftInto(S, B, y);
    const count = Math.min(len + m - 1, out.length - start);
    for (let j = 0; j < count; j++) out[start + j] += y[j] as number;
  }
  return out;
}
