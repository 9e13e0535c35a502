/**
 * Test-only numerical integration (composite Simpson) in log space, the independent answer the
 * conjugate-model tests compare against. Not exported from the package.
 * @internal
 */

/** Simpson weights for an even number of intervals `m` (m + 1 nodes). */
function simpsonWeights(m: number, h: number): Float64Array {
  const w = new Float64Array(m + 1);
  for (let i = 0; i <= m; i++) w[i] = ((i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2) * h) / 3;
  return w;
}

/** log ∫_a^b exp(logf(x)) dx by composite Simpson with `m` (even) intervals. */
export function logIntegrate1D(logf: (x: number) => number, a: number, b: number, m = 4000): number {
  const h = (b - a) / m;
  const w = simpsonWeights(m, h);
  const v = new Float64Array(m + 1);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= m; i++) {
    v[i] = logf(a + i * h);
    if (v[i]! > max) max = v[i]!;
  }
  let s = 0;
  for (let i = 0; i <= m; i++) if (v[i]! > Number.NEGATIVE_INFINITY) s += w[i]! * Math.exp(v[i]! - max);
  return max + Math.log(s);
}

/** log ∫∫ exp(logf(x, y)) dx dy over a rectangle by tensor Simpson with `m` (even) intervals per axis. */
export function logIntegrate2D(
  logf: (x: number, y: number) => number,
  [a, b]: [number, number],
  [c, d]: [number, number],
  m = 400,
): number {
  const hx = (b - a) / m;
  const hy = (d - c) / m;
  const wx = simpsonWeights(m, hx);
  const wy = simpsonWeights(m, hy);
  const v = new Float64Array((m + 1) * (m + 1));
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= m; j++) {
      const t = logf(a + i * hx, c + j * hy);
      v[i * (m + 1) + j] = t;
      if (t > max) max = t;
    }
  }
  let s = 0;
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= m; j++) {
      const t = v[i * (m + 1) + j]!;
      if (t > Number.NEGATIVE_INFINITY) s += wx[i]! * wy[j]! * Math.exp(t - max);
    }
  }
  return max + Math.log(s);
}

/** Mean and standard error of a sample. */
export function meanAndSE(xs: ArrayLike<number>): { mean: number; se: number; sd: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i]!;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i]! - m) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  return { mean: m, se: sd / Math.sqrt(n), sd };
}
