/**
 * Fast path of the fused E-step for 2-D data with full or tied covariances (the common case of plots
 * and demos, and the benchmark). Same arithmetic, in the same summation order, as `eStepStatistics`
 * (gaussian-estep.ts), reorganised for V8: the d = 2 loops are written out (V8 cannot unroll loops whose
 * bound is only known at run time) and the work goes component by component over an n×K scratch buffer
 * (reused across EM iterations), so each component's mean, precision factor and statistics stay in
 * registers instead of being re-read and re-written per sample. Three passes:
 * 1. $\ell_{ik} = c_k - \tfrac12\|(x_i-\mu_k)^\top P_k\|^2$ for every k (component-major);
 * 2. per sample, $\log p(x_i) = m_i + \log\sum_k e^{\ell_{ik}-m_i}$ (row-wise log-sum-exp; the shifted
 *    exponentials stay in the buffer, their row scale $1/\sum_k e^{\ell_{ik}-m_i}$ beside it);
 * 3. $r_{ik}$ and from them $N_k$, $S^{(1)}_k$, $S^{(2)}_k$ for every k (component-major).
 * The test checks both paths agree to rounding.
 */
import { expShiftInPlace, LOG_2PI, type PrecisionCholesky } from './gaussian-density.js';
import type { SufficientStats } from './gaussian-params.js';

/** Scratch of the fast E-step, allocated once per fit and reused by every iteration. @internal */
export interface EStepWork {
  /** n×K: $\ell_{ik}$, then $e^{\ell_{ik}-m_i}$ */
  logProb: Float64Array;
  /** n: $1/\sum_k e^{\ell_{ik}-m_i}$, turning the shifted exponentials into responsibilities */
  rowScale: Float64Array;
}

/** Scratch for n samples and K components. @internal */
export function createEStepWork(n: number, K: number): EStepWork {
  return { logProb: new Float64Array(n * K), rowScale: new Float64Array(n) };
}

/** E-step for d = 2, `P.type` 'full' or 'tied'; see `eStepStatistics`. @internal */
export function eStepStatistics2d(
  data: Float64Array,
  n: number,
  weights: Float64Array,
  means: Float64Array,
  P: PrecisionCholesky,
  ll: Float64Array,
  { logProb, rowScale }: EStepWork,
): { bound: number; stats: SufficientStats } {
  const K = weights.length;
  const full = P.type === 'full';
  for (let k = 0; k < K; k++) {
    const c = -LOG_2PI + (P.logDet[k] as number) + Math.log(weights[k] as number);
    logProbColumn2d(data, n, K, k, means, P.factors, full ? 4 * k : 0, c, logProb);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let m = Number.NEGATIVE_INFINITY;
    for (let k = o; k < o + K; k++) if ((logProb[k] as number) > m) m = logProb[k] as number;
    const s = expShiftInPlace(logProb, K, m, o);
    const l = m + Math.log(s);
    ll[i] = l;
    total += l;
    rowScale[i] = 1 / s;
  }
  const nk = new Float64Array(K);
  const s1 = new Float64Array(K * 2);
  const s2 = new Float64Array(full ? K * 4 : 4);
  for (let k = 0; k < K; k++) statsColumn2d(data, n, K, k, means, logProb, rowScale, full, nk, s1, s2);
  return { bound: total / n, stats: { nk, s1, s2, shift: means } };
}

/** Column k of `out` (n×K): $c - \tfrac12\|(x_i-\mu_k)^\top P\|^2$ with P the 2×2 block of `f` at `fo`. */
function logProbColumn2d(data: Float64Array, n: number, K: number, k: number, means: Float64Array, f: Float64Array, fo: number, c: number, out: Float64Array): void {
  const m0 = means[2 * k] as number;
  const m1 = means[2 * k + 1] as number;
  const p00 = f[fo] as number;
  const p01 = f[fo + 1] as number;
  const p10 = f[fo + 2] as number;
  const p11 = f[fo + 3] as number;
  for (let i = 0; i < n; i++) {
    const a = (data[2 * i] as number) - m0;
    const b = (data[2 * i + 1] as number) - m1;
    // y = (x − μ)ᵀ P
    const y0 = a * p00 + b * p10;
    const y1 = a * p01 + b * p11;
    out[i * K + k] = c - 0.5 * (y0 * y0 + y1 * y1);
  }
}

/**
 * $N_k=\sum_i r_{ik}$, $S^{(1)}_k=\sum_i r_{ik}(x_i-\mu_k)$ and the lower triangle of
 * $S^{(2)}_k=\sum_i r_{ik}(x_i-\mu_k)(x_i-\mu_k)^\top$ (full: per component; tied: added into one block),
 * with $r_{ik}$ = `shifted[i·K+k]`·`rowScale[i]` and $\mu_k$ the current means.
 */
function statsColumn2d(
  data: Float64Array,
  n: number,
  K: number,
  k: number,
  means: Float64Array,
  shifted: Float64Array,
  rowScale: Float64Array,
  full: boolean,
  nk: Float64Array,
  s1: Float64Array,
  s2: Float64Array,
): void {
  const m0 = means[2 * k] as number;
  const m1 = means[2 * k + 1] as number;
  let n0 = 0;
  let a0 = 0;
  let a1 = 0;
  let b00 = 0;
  let b10 = 0;
  let b11 = 0;
  for (let i = 0; i < n; i++) {
    const r = (shifted[i * K + k] as number) * (rowScale[i] as number);
    const x0 = (data[2 * i] as number) - m0;
    const x1 = (data[2 * i + 1] as number) - m1;
    const r0 = r * x0;
    const r1 = r * x1;
    n0 += r;
    a0 += r0;
    a1 += r1;
    b00 += r0 * x0;
    b10 += r1 * x0;
    b11 += r1 * x1;
  }
  nk[k] = n0;
  s1[2 * k] = a0;
  s1[2 * k + 1] = a1;
  const o = full ? 4 * k : 0;
  s2[o] += b00;
  s2[o + 2] += b10;
  s2[o + 3] += b11;
}
