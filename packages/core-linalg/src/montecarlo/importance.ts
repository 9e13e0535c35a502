import { assertInteger, checkMemory, DomainError, NonFiniteError, withDefaults, DEFAULT_MAX_MEMORY_BYTES } from '../errors/index.js';
import { assertRng } from '../random/rng.js';
import type { Rng } from '../random/index.js';
import { type MonteCarloEstimate, meanAndStandardError } from './estimate.js';

/** Options of {@link importanceSampling}. */
export interface ImportanceSamplingOptions {
  /**
   * Divide by the summed weights instead of N (self-normalised IS): needed when `logTarget` is only
   * known up to a constant; consistent but biased by O(1/N). @defaultValue false
   */
  selfNormalized?: boolean;
}

const DEFAULTS = { selfNormalized: false } satisfies Required<ImportanceSamplingOptions>;

/** An importance-sampling estimate; `ess` is Kish's effective sample size $(\sum w)^2/\sum w^2$. */
export interface ImportanceSamplingEstimate extends MonteCarloEstimate {
  readonly ess: number;
}

/**
 * Importance-sampling estimate of $I = \mathbb E_{p}[f(x)] = \mathbb E_q\big[f(x)\,p(x)/q(x)\big]$
 * (notes: Monte-Carlo estimation, $I = \mathbb E_p[f/p]$):
 * $$\hat I_N = \frac1N\sum_{i=1}^N w_i f(x_i),\quad w_i = e^{\log p(x_i) - \log q(x_i)},\ x_i \sim q,$$
 * unbiased when p is normalised, standard error = sample sd of $w_i f(x_i)$ over $\sqrt N$.
 * With `logTarget ≡ 0` it is the notes' estimator of $\int_D f(x)\,dx = \mathbb E_q[f/q]$.
 * Self-normalised (`selfNormalized: true`): $\hat I = \sum_i w_i f_i / \sum_i w_i$ (weights shifted by
 * their max in log space), SE by the delta method $\sqrt{\sum_i w_i^2 (f_i - \hat I)^2}/\sum_i w_i$
 * (Owen 2013, *Monte Carlo theory, methods and examples*, §9.2).
 * @throws DomainError unless `n` is an integer ≥ 2, or if every weight is 0; NonFiniteError if `f`,
 * `logTarget` or `logProposal` give NaN (or `logProposal` gives −∞ at a sampled point).
 */
export function importanceSampling<T>(
  f: (x: T) => number,
  logTarget: (x: T) => number,
  sampleProposal: (rng: Rng) => T,
  logProposal: (x: T) => number,
  n: number,
  rng: Rng,
  options: ImportanceSamplingOptions = {},
): ImportanceSamplingEstimate {
  const where = 'importanceSampling';
  assertInteger(where, 'n', n, 2);
  assertRng(where, rng);
  if (24 * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory(where, `${n} weighted terms`, 24 * n);
  const { selfNormalized } = withDefaults(DEFAULTS, options);
  const fx = new Float64Array(n);
  const logW = new Float64Array(n);
  let maxLogW = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = sampleProposal(rng);
    const lp = logTarget(x);
    const lq = logProposal(x);
    const v = f(x);
    if (Number.isNaN(lp) || lp === Number.POSITIVE_INFINITY) {
      throw new NonFiniteError(`${where}: logTarget gave ${lp} at sample ${i}`);
    }
    if (!Number.isFinite(lq)) {
      throw new NonFiniteError(`${where}: logProposal gave ${lq} at sample ${i} (a sampled point must have q > 0)`);
    }
    if (!Number.isFinite(v)) throw new NonFiniteError(`${where}: the integrand gave ${v} at sample ${i}`);
    fx[i] = v;
    logW[i] = lp - lq;
    if (lp - lq > maxLogW) maxLogW = lp - lq;
  }
  if (maxLogW === Number.NEGATIVE_INFINITY) {
    throw new DomainError(`${where}: every importance weight is 0 (the proposal misses the target's support)`);
  }
  // Kish's ESS and the self-normalised estimate use weights shifted by their max (scale-free).
  let sw = 0;
  let sw2 = 0;
  let swf = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp((logW[i] as number) - maxLogW);
    sw += w;
    sw2 += w * w;
    swf += w * (fx[i] as number);
  }
  const ess = (sw * sw) / sw2;
  if (selfNormalized) {
    const estimate = swf / sw;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const w = Math.exp((logW[i] as number) - maxLogW);
      const d = (fx[i] as number) - estimate;
      s += w * w * d * d;
    }
    return { estimate, standardError: Math.sqrt(s) / sw, n, ess };
  }
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = Math.exp(logW[i] as number) * (fx[i] as number);
  return { ...meanAndStandardError(where, terms), ess };
}
