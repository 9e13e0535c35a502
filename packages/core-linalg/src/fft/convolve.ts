import { DomainError, readVector, withDefaults } from '../errors/index.js';
import { overlapAddFull, overlapAddPlan } from './overlap-add.js';
import { forwardInterleaved, nextPowerOfTwo, scratch } from './plan.js';
import { irfftInto, rfftInto, twiddles } from './real.js';

/** Options of {@link convolve}. */
export interface ConvolveOptions {
  /**
   * `'full'`: all n+m−1 outputs; `'same'`: n outputs (the length of `x`) centred on the full output, as
   * SciPy's `convolve(x, h, 'same')`; `'valid'`: the |n−m|+1 outputs that need no zero padding.
   * @defaultValue 'full'
   */
  mode?: 'full' | 'same' | 'valid';
  /**
   * `'direct'`: the O(nm) sum; `'fft'`: the convolution theorem with zero-padded FFTs — one transform of
   * N ≥ n+m−1 (next power of two), or overlap-add with small blocks when one signal is much shorter;
   * `'auto'`: FFT when $nm > C \cdot W$, W the FFT path's transform work, C = {@link CONVOLVE_FFT_CROSSOVER}.
   * @defaultValue 'auto'
   */
  method?: 'auto' | 'direct' | 'fft';
}

const DEFAULTS = { mode: 'full', method: 'auto' } satisfies Required<ConvolveOptions>;

/**
 * Work ratio C of the `'auto'` rule: FFT when $nm > C \cdot W$, with W the FFT path's transform work
 * ($N\log_2 N$ for one padded transform, $\tfrac23\lceil n/L\rceil B\log_2 B$ for overlap-add with blocks B).
 * MEASURED by `bench/fft.bench.ts` (Node 20, 2-core x86-64 VM): the direct and FFT times meet at
 * $nm/W \approx 3.8$ (fit over 16 size pairs, n = 128…65,536; e.g. n = 4096, m = 16–32), rounded to 4.
 */
export const CONVOLVE_FFT_CROSSOVER = 4;

/** @internal Full linear convolution by the direct sum $y_k = \sum_j x_j h_{k-j}$. */
export function directConvolveFull(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  // The longer array runs in the inner loop (fewer loop set-ups); convolution is symmetric.
  const [a, b] = x.length <= h.length ? [x, h] : [h, x];
  const n = a.length;
  const m = b.length;
  const y = new Float64Array(n + m - 1);
  for (let i = 0; i < n; i++) {
    const ai = a[i] as number;
    if (ai === 0) continue;
    for (let j = 0; j < m; j++) y[i + j] += ai * (b[j] as number);
  }
  return y;
}

/**
 * @internal Full linear convolution through the convolution theorem, zero-padded to N ≥ n+m−1.
 * Both real signals ride in ONE complex FFT, $c = x + i\,h$: $X_k = \tfrac12(C_k + \overline{C_{N-k}})$,
 * $H_k = \tfrac1{2i}(C_k - \overline{C_{N-k}})$, so $X_kH_k = (C_k^2 - \overline{C_{N-k}}^2)/(4i)$. When
 * both signals fit in the first half of the padded length, that size-N FFT is split into two
 * cache-friendly size-N/2 FFTs (even bins from $c_j$, odd bins from $c_j e^{-2\pi ij/N}$). The inverse is
 * a real inverse FFT (one complex FFT of size N/2). Packing mixes $x\star x$ and $h\star h$ terms that
 * cancel only to rounding, so x and h are first scaled by exact powers of two to magnitude ~1, keeping
 * the error at the level of $\epsilon\,\|x\|\|h\|$ whatever their relative scale.
 */
export function fftConvolveFull(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  const n = x.length;
  const m = h.length;
  const len = n + m - 1;
  const mx = maxAbs(x);
  const mh = maxAbs(h);
  if (mx === 0 || mh === 0) return new Float64Array(len);
  // Scale both signals by exact powers of two to magnitude ~1 (so packed cross terms and subnormal
  // products stay harmless), and undo it on the output.
  const ex = -Math.round(Math.log2(mx));
  const eh = -Math.round(Math.log2(mh));
  const [sx1, sx2] = pow2Pair(ex);
  const [sh1, sh2] = pow2Pair(eh);
  // 2^{−(ex+eh)} as four same-sign factors, so the product never leaves and re-enters the normal range
  const [ua, ub] = pow2Pair(Math.trunc(-(ex + eh) / 2));
  const [uc, ud] = pow2Pair(-(ex + eh) - Math.trunc(-(ex + eh) / 2));
  const [u1, u2, u3, u4] = [ua, ub, uc, ud];
  const N = Math.max(nextPowerOfTwo(len), 2);
  const half = N >> 1;
  const bins = half + 1;
  const Y = scratch('conv.Y', 2 * bins);
  if (Math.max(n, m) <= half && N >= 4) {
    // C_{2k} = even[k], C_{2k+1} = odd[k] (interleaved); k and N − k have the same parity
    const tw = twiddles(N); // cos, sin of 2πj/N, j ≤ N/2
    const c = scratch('conv.c', 2 * half);
    const ct = scratch('conv.ct', 2 * half);
    const used = Math.max(n, m);
    c.fill(0, 2 * used);
    ct.fill(0, 2 * used);
    for (let j = 0; j < used; j++) {
      const re = j < n ? (x[j] as number) * sx1 * sx2 : 0;
      const im = j < m ? (h[j] as number) * sh1 * sh2 : 0;
      c[2 * j] = re;
      c[2 * j + 1] = im;
      const wr = tw[2 * j] as number;
      const wi = -(tw[2 * j + 1] as number);
      ct[2 * j] = re * wr - im * wi;
      ct[2 * j + 1] = re * wi + im * wr;
    }
    const even = scratch('conv.even', 2 * half);
    const odd = scratch('conv.odd', 2 * half);
    forwardInterleaved(half, c, even);
    forwardInterleaved(half, ct, odd);
    for (let k = 0; k < bins; k++) {
      const parity = k & 1;
      const C = parity ? odd : even;
      productBin(Y, k, C, k - parity, C, ((N - k) & (N - 1)) - parity);
    }
  } else {
    const c = new Float64Array(2 * N);
    for (let j = 0; j < n; j++) c[2 * j] = (x[j] as number) * sx1 * sx2;
    for (let j = 0; j < m; j++) c[2 * j + 1] = (h[j] as number) * sh1 * sh2;
    const C = new Float64Array(2 * N);
    forwardInterleaved(N, c, C);
    for (let k = 0; k < bins; k++) productBin(Y, k, C, 2 * k, C, 2 * ((N - k) & (N - 1)));
  }
  const y = scratch('conv.y', N);
  irfftInto(Y, N, y);
  const out = new Float64Array(len);
  for (let k = 0; k < len; k++) out[k] = (y[k] as number) * u1 * u2 * u3 * u4;
  return out;
}

/** Y_k = X_k H_k = (a² − b²)/(4i) with a = C_k (at A[ia]), b = conj(C_{N−k}) (at B[ib]). */
function productBin(Y: Float64Array, k: number, A: Float64Array, ia: number, B: Float64Array, ib: number): void {
  const ar = A[ia] as number;
  const ai = A[ia + 1] as number;
  const br = B[ib] as number;
  const bi = -(B[ib + 1] as number);
  const dr = ar * ar - ai * ai - (br * br - bi * bi);
  const di = 2 * (ar * ai - br * bi);
  Y[2 * k] = 0.25 * di;
  Y[2 * k + 1] = -0.25 * dr;
}

/** 2^e as two finite normal factors of the same sign of exponent, 2^{t}·2^{e−t}, t = trunc(e/2) (|e| ≤ 2000). */
function pow2Pair(e: number): [number, number] {
  const t = Math.trunc(e / 2);
  return [2 ** t, 2 ** (e - t)];
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
}

/**
 * @internal How the FFT path runs for lengths n and m: one padded transform of N ≥ n+m−1, or
 * overlap-add with blocks of size B when that is less work; `cost` is the transform work in units of
 * $N\log_2 N$ (single) or $\lceil n/L\rceil B\log_2 B$ (overlap-add).
 */
export function fftStrategy(n: number, m: number): { block: number; cost: number } {
  const N = Math.max(nextPowerOfTwo(n + m - 1), 2);
  const single = { block: 0, cost: N * Math.log2(N) };
  const long = Math.max(n, m);
  const short = Math.min(n, m);
  if (short * 8 > long) return single;
  const ola = overlapAddPlan(long, short);
  // overlap-add does two transforms per block and the single path three per N: weight 2/3 (same work unit)
  return ola.cost * (2 / 3) < single.cost ? { block: ola.block, cost: ola.cost * (2 / 3) } : single;
}

/** @internal FFT convolution by the cheaper of one padded transform and overlap-add. */
export function fftConvolve(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  const { block } = fftStrategy(x.length, h.length);
  if (block === 0) return fftConvolveFull(x, h);
  return x.length >= h.length ? overlapAddFull(x, h, block) : overlapAddFull(h, x, block);
}

/** @internal True when the `'auto'` rule picks the FFT for lengths n and m. */
export function prefersFft(n: number, m: number): boolean {
  return n * m > CONVOLVE_FFT_CROSSOVER * fftStrategy(n, m).cost;
}

function checkSignal(where: string, name: string, v: ArrayLike<number>): Float64Array {
  return readVector(where, name, v);
}

/**
 * Linear convolution $(x * h)_k = \sum_j x_j\,h_{k-j}$ (notes: 卷积和卷积定理). The FFT path uses the
 * convolution theorem $\mathcal F[x * h] = \mathcal F[x]\cdot\mathcal F[h]$, which holds for CIRCULAR
 * convolution, so both signals are zero-padded to N ≥ n+m−1 first (then circular = linear).
 * FFT and direct results agree to ~1e-15 relative to $\sum_j |x_j||h_{k-j}|$ (property-tested).
 * @param x - signal (length n, not modified). @param h - filter (length m, not modified).
 * @throws ShapeError for an empty input; NonFiniteError for NaN/±Infinity; DomainError for an unknown
 * `mode`/`method`.
 * @example convolve([1, 2, 3], [0, 1, 0.5]) // Float64Array [0, 1, 2.5, 4, 1.5]
 */
export function convolve(xIn: ArrayLike<number>, hIn: ArrayLike<number>, options: ConvolveOptions = {}): Float64Array {
  const x = checkSignal('convolve', 'x', xIn);
  const h = checkSignal('convolve', 'h', hIn);
  const { mode, method } = withDefaults(DEFAULTS, options);
  if (mode !== 'full' && mode !== 'same' && mode !== 'valid') {
    throw new DomainError(`convolve: option 'mode' must be 'full', 'same' or 'valid', got ${String(mode)}`);
  }
  if (method !== 'auto' && method !== 'direct' && method !== 'fft') {
    throw new DomainError(`convolve: option 'method' must be 'auto', 'direct' or 'fft', got ${String(method)}`);
  }
  const n = x.length;
  const m = h.length;
  const useFft = method === 'fft' || (method === 'auto' && prefersFft(n, m));
  const full = useFft ? fftConvolve(x, h) : directConvolveFull(x, h);
  if (mode === 'full') return full;
  if (mode === 'same') {
    const start = (m - 1) >> 1;
    return full.slice(start, start + n);
  }
  const start = Math.min(n, m) - 1;
  return full.slice(start, start + Math.abs(n - m) + 1);
}

/**
 * Circular convolution of two length-n signals, $c_k = \sum_{j=0}^{n-1} a_j\,b_{(k-j) \bmod n}$, i.e.
 * multiplication by the circulant matrix of b; computed as $\mathcal F^{-1}[\mathcal F a \cdot \mathcal F b]$
 * with real FFTs of size n (any n), or directly for small n.
 * @throws ShapeError for empty or unequal lengths; NonFiniteError for NaN/±Infinity.
 * @example circularConvolve([1, 2, 3], [0, 1, 0]) // Float64Array [3, 1, 2]
 */
export function circularConvolve(aIn: ArrayLike<number>, bIn: ArrayLike<number>): Float64Array {
  const a = checkSignal('circularConvolve', 'a', aIn);
  const b = readVector('circularConvolve', 'b', bIn, { length: a.length });
  const n = a.length;
  if (n <= 32) {
    const c = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const aj = a[j] as number;
      for (let i = 0; i < n; i++) c[(i + j) % n] += aj * (b[i] as number);
    }
    return c;
  }
  const bins = (n >> 1) + 1;
  const A = new Float64Array(2 * bins);
  const B = new Float64Array(2 * bins);
  rfftInto(a, n, A);
  rfftInto(b, n, B);
  for (let k = 0; k < bins; k++) {
    const ar = A[2 * k] as number;
    const ai = A[2 * k + 1] as number;
    const br = B[2 * k] as number;
    const bi = B[2 * k + 1] as number;
    A[2 * k] = ar * br - ai * bi;
    A[2 * k + 1] = ar * bi + ai * br;
  }
  const c = new Float64Array(n);
  irfftInto(A, n, c);
  return c;
}
