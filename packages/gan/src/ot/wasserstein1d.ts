import { assertFinite, assertLength, assertNonEmpty, assertPositive, DomainError } from '@notes/core-linalg';

/** Options of {@link wasserstein1d}. */
export interface Wasserstein1dOptions {
  /** Order p ≥ 1 of W_p. @defaultValue 1 */
  p?: number;
  /** Weights of u (non-negative, normalised to 1); uniform if omitted. @defaultValue undefined */
  uWeights?: ArrayLike<number>;
  /** Weights of v (non-negative, normalised to 1); uniform if omitted. @defaultValue undefined */
  vWeights?: ArrayLike<number>;
}

function sortedWithCdf(where: string, name: string, x: ArrayLike<number>, w: ArrayLike<number> | undefined) {
  assertNonEmpty(where, name, x);
  assertFinite(where, name, x);
  const n = x.length;
  const weights = new Float64Array(n);
  if (w === undefined) weights.fill(1 / n);
  else {
    const wn = `${name === 'u' ? 'uWeights' : 'vWeights'}`;
    assertLength(where, `options.${wn}`, w, n, `length of '${name}'`);
    assertFinite(where, `options.${wn}`, w);
    let big = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i] as number;
      if (v < 0) throw new DomainError(`${where}: argument 'options.${wn}' must be non-negative, got ${v} at [${i}]`);
      big = Math.max(big, v);
    }
    if (!(big > 0)) throw new DomainError(`${where}: argument 'options.${wn}' must have a positive sum, got 0`);
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
 * Returns the distance W_p; POT's `ot.wasserstein_1d` returns W_p^p (equal for p = 1).
 * @throws ShapeError (empty inputs, weight length), NonFiniteError, DomainError (p < 1, negative
 *   weights, zero total weight).
 * @example wasserstein1d([0, 1], [2, 3]) // 2
 */
export function wasserstein1d(u: ArrayLike<number>, v: ArrayLike<number>, options: Wasserstein1dOptions = {}): number {
  const where = 'wasserstein1d';
  const p = options.p ?? 1;
  assertPositive(where, 'options.p', p);
  if (p < 1) throw new DomainError(`${where}: argument 'options.p' must be >= 1, got ${p}`);
  const U = sortedWithCdf(where, 'u', u, options.uWeights);
  const V = sortedWithCdf(where, 'v', v, options.vWeights);
  let i = 0;
  let j = 0;
  let prev = 0;
  let sum = 0;
  const n = U.xs.length;
  const m = V.xs.length;
  while (i < n && j < m) {
    const cu = U.cdf[i]!;
    const cv = V.cdf[j]!;
    const next = Math.min(cu, cv);
    const d = Math.abs(U.xs[i]! - V.xs[j]!);
    if (next > prev) sum += (next - prev) * (p === 1 ? d : d ** p);
    prev = next;
    if (cu <= next) i++;
    if (cv <= next) j++;
  }
  return p === 1 ? sum : sum ** (1 / p);
}
