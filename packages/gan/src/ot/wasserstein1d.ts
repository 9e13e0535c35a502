import { defineOptions, DomainError, describeValue, readVector } from '@notes/core-linalg';

/** Options of {@link wasserstein1d}. */
export interface Wasserstein1dOptions {
  /** Order p ≥ 1 of W_p. @defaultValue 1 */
  p?: number;
  /** Weights of u (non-negative, normalised to 1); uniform if omitted. @defaultValue undefined */
  uWeights?: ArrayLike<number>;
  /** Weights of v (non-negative, normalised to 1); uniform if omitted. @defaultValue undefined */
  vWeights?: ArrayLike<number>;
}

const OPTIONS = defineOptions<Wasserstein1dOptions>()('wasserstein1d', {
  p: { type: 'number', min: 1, default: 1, doc: 'order p ≥ 1' },
  uWeights: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'weights of u' },
  vWeights: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'weights of v' },
});

function isArrayLike(v: unknown): boolean {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function sortedWithCdf(where: string, name: string, rawX: unknown, rawW: unknown) {
  const x = readVector(where, name, rawX);
  const n = x.length;
  const weights = new Float64Array(n);
  if (rawW === undefined) weights.fill(1 / n);
  else {
    const wn = `${name === 'u' ? 'uWeights' : 'vWeights'}`;
    const w = readVector(where, `options.${wn}`, rawW, { length: n });
    let big = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i] as number;
      if (v < 0) throw new DomainError(`${where}: option '${wn}' must be non-negative, got ${describeValue(v)} at [${i}]`);
      big = Math.max(big, v);
    }
    if (!(big > 0)) throw new DomainError(`${where}: option '${wn}' must have a positive sum, got 0`);
    // divide by the largest weight first so Σw cannot overflow (weights near 1e308 summed to ∞ and became 0)
    let s = 0;
    for (let i = 0; i < n; i++) {
      weights[i] = (w[i] as number) / big;
      s += weights[i]!;
    }
    for (let i = 0; i < n; i++) weights[i] = weights[i]! / s;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (x[i] as number) - (x[j] as number));
  const xs = new Float64Array(n);
  const cdf = new Float64Array(n);
  let c = 0;
  for (let k = 0; k < n; k++) {
    xs[k] = x[order[k]!] as number;
    c += weights[order[k]!]!;
    cdf[k] = c;
  }
  cdf[n - 1] = 1; // remove the rounding of the last partial sum
  return { xs, cdf };
}

/**
 * Wasserstein distance between two 1-D empirical distributions by the quantile closed form
 * (Peyré & Cuturi 2019, Remark 2.30):
 * $$W_p(\mu,\nu) = \Big(\int_0^1 |F_\mu^{-1}(t) - F_\nu^{-1}(t)|^p\,dt\Big)^{1/p}$$
 * The quantile functions are step functions, so the integral is an exact sum over the merged cdf
 * levels of the sorted samples: O((n + m) log(n + m)). Weights are normalised to 1 (as POT does).
 * Returns the distance W_p; POT's `ot.wasserstein_1d` returns W_p^p (equal for p = 1). Samples are
 * rescaled by a power of two (exact) and, for p > 1, the gaps by their maximum, so values near ±1e308
 * or a large p do not overflow.
 * @throws ShapeError (empty inputs, weight length), NonFiniteError, DomainError (p < 1, negative
 *   weights, zero total weight, a distance above 1.8e308).
 * @example wasserstein1d([0, 1], [2, 3]) // 2
 */
export function wasserstein1d(u: ArrayLike<number>, v: ArrayLike<number>, options?: Wasserstein1dOptions): number {
  const where = 'wasserstein1d';
  const o = OPTIONS.parse(options);
  const p = o.p;
  const U = sortedWithCdf(where, 'u', u, o.uWeights);
  const V = sortedWithCdf(where, 'v', v, o.vWeights);
  const n = U.xs.length;
  const m = V.xs.length;
  // Work on x·2^−e with max|x|·2^−e < 1 (exact), so |x − y| < 2 cannot overflow; W_p is homogeneous.
  const e = pow2Above(Math.max(Math.abs(U.xs[0]!), Math.abs(U.xs[n - 1]!), Math.abs(V.xs[0]!), Math.abs(V.xs[m - 1]!)));
  // merge the cdf levels: segment k has length len[k] and quantile gap d[k]
  const len = new Float64Array(n + m);
  const gap = new Float64Array(n + m);
  let segments = 0;
  let dmax = 0;
  let i = 0;
  let j = 0;
  let prev = 0;
  while (i < n && j < m) {
    const cu = U.cdf[i]!;
    const cv = V.cdf[j]!;
    const next = Math.min(cu, cv);
    if (next > prev) {
      const d = Math.abs(times2Pow(U.xs[i]!, -e) - times2Pow(V.xs[j]!, -e));
      len[segments] = next - prev;
      gap[segments++] = d;
      dmax = Math.max(dmax, d);
    }
    prev = next;
    if (cu <= next) i++;
    if (cv <= next) j++;
  }
  let w: number;
  if (p === 1) {
    w = 0;
    for (let k = 0; k < segments; k++) w += len[k]! * gap[k]!;
  } else {
    // (Σ len·d^p)^{1/p} = c·(Σ len·(d/c)^p)^{1/p} with c = max d: the largest term is 1, so neither
    // overflow nor (for huge p) underflow of every term to 0
    if (dmax === 0) return 0;
    const c = dmax;
    let sum = 0;
    for (let k = 0; k < segments; k++) sum += len[k]! * (gap[k]! / c) ** p;
    w = c * sum ** (1 / p);
  }
  const out = times2Pow(w, e);
  if (!Number.isFinite(out)) {
    throw new DomainError(`${where}: the distance overflows (> 1.8e308); rescale 'u' and 'v'`);
  }
  return out;
}

/** x·2^k without overflow of 2^k itself (two exact power-of-two factors). */
function times2Pow(x: number, k: number): number {
  const h = Math.trunc(k / 2);
  return x * 2 ** h * 2 ** (k - h);
}

/** Smallest e with x·2^−e < 1 (x ≥ 0; 0 for x = 0). */
function pow2Above(x: number): number {
  if (x === 0) return 0;
  let e = Math.floor(Math.log2(x)) + 1;
  while (times2Pow(x, -e) >= 1) e++;
  while (e > -1074 && times2Pow(x, -(e - 1)) < 1) e--;
  return e;
}
