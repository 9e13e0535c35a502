import { DomainError, NonFiniteError } from '../errors/index.js';

/** A Monte-Carlo estimate with its standard error. */
export interface MonteCarloEstimate {
  /** The estimate $\hat I_N$. */
  readonly estimate: number;
  /** Estimated standard error $\hat\sigma/\sqrt N$ (sample standard deviation, N−1 denominator). */
  readonly standardError: number;
  /** Number of samples N. */
  readonly n: number;
}

/** @internal Mean and standard error of terms yᵢ (Welford's update, so no cancellation). */
export function meanAndStandardError(where: string, terms: Float64Array): MonteCarloEstimate {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < terms.length; i++) {
    const y = terms[i] as number;
    if (!Number.isFinite(y)) {
      throw new NonFiniteError(`${where}: the integrand gave a non-finite value ${y} at sample ${i}`);
    }
    const d = y - mean;
    mean += d / (i + 1);
    m2 += d * (y - mean);
  }
  const n = terms.length;
  const standardError = Math.sqrt(m2 / (n - 1) / n);
  if (!Number.isFinite(mean) || !Number.isFinite(standardError)) {
    throw new DomainError(`${where}: the estimate overflowed (terms too large to average in double precision)`);
  }
  return { estimate: mean, standardError, n };
}
