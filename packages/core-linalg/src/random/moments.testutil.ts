/** Test helpers: sample moments with their standard errors (not part of the public API). */
export interface Moments {
  mean: number;
  variance: number;
  /** Standard error of the mean, sqrt(s²/n). */
  seMean: number;
  /** Asymptotic standard error of the sample variance, sqrt((m4 − s⁴)/n). */
  seVariance: number;
}

export function moments(xs: ArrayLike<number>): Moments {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i] as number;
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] as number) - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  const variance = m2 / (n - 1);
  m4 /= n;
  return {
    mean,
    variance,
    seMean: Math.sqrt(variance / n),
    seVariance: Math.sqrt(Math.max(m4 - variance * variance, 0) / n),
  };
}

export function draw(n: number, f: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f();
  return out;
}
