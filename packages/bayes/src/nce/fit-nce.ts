/**
 * Noise-contrastive estimation (notes: Noise-contrastive estimation; Gutmann & Hyvärinen 2010, 2012).
 */
import { assertFinite, assertInteger, assertNonEmpty, assertPositive, createRng, DomainError, logSigmoid, minimizeLBFGS, readMatrix, type Rng, sigmoid, withDefaults } from '@notes/core-linalg';
import type { LBFGSProgress } from '@notes/core-linalg';
import { type MatrixInput } from '../internal/input.js';

/** An unnormalised log density $\log p_m^0(u;\alpha)$ and its gradient in α. */
export type UnnormalizedLogDensity = (u: Float64Array, alpha: Float64Array) => { value: number; gradient: ArrayLike<number> };

/** The noise distribution $p_n$: log density and sampler (a vector per draw). */
export interface NoiseDistribution {
  logPdf(u: Float64Array): number;
  sample(rng: Rng): Float64Array;
}

/** Options of {@link fitNCE}. */
export interface NCEOptions {
  /** Unnormalised model log p⁰_m(u; α). */
  model: UnnormalizedLogDensity;
  /** Starting α. */
  alpha0: ArrayLike<number>;
  /** Starting c (the log normaliser parameter, log p_m = log p⁰_m + c). @defaultValue 0 */
  c0?: number;
  noise: NoiseDistribution;
  /** ν = T_noise / T_data (integer). The notes use ν = 1. @defaultValue 1 */
  noiseRatio?: number;
  /** @defaultValue 0 */
  seed?: number;
  rng?: Rng;
  /** L-BFGS iteration cap. @defaultValue 500 */
  maxIterations?: number;
  /** @defaultValue 1e-9 */
  gradTol?: number;
  /** Called after each L-BFGS iteration; `value` is the minimised −J(θ). */
  onProgress?: (info: LBFGSProgress) => void;
  signal?: AbortSignal;
}

/** Result of {@link fitNCE}. */
export interface NCEResult {
  /** Estimated α. */
  alpha: Float64Array;
  /** Estimated c = −log Z(α). */
  c: number;
  /** Estimated log normaliser log Z = −c. */
  logZ: number;
  /** Final objective J(θ) (per data point). */
  objective: number;
  converged: boolean;
  iterations: number;
  reason: string;
}

const DEFAULTS = { c0: 0, noiseRatio: 1, seed: 0, maxIterations: 500, gradTol: 1e-9 } satisfies Pick<
  Required<NCEOptions>,
  'c0' | 'noiseRatio' | 'seed' | 'maxIterations' | 'gradTol'
>;

/**
 * Fits $\log p_m(u;\theta) = \log p_m^0(u;\alpha) + c$, θ = (α, c), by logistic discrimination of the data
 * $x_{1..T}$ from $\nu T$ noise samples $y$:
 * $$J(\theta) = \frac1T\Big[\sum_t\log h(x_t;\theta) + \sum_{t=1}^{\nu T}\log(1-h(y_t;\theta))\Big],\quad
 *   h(u;\theta) = \sigma\big(\log p_m(u;\theta) - \log\nu - \log p_n(u)\big).$$
 * For ν = 1 this is the notes' objective (there normalised by 2T). Because c is free, maximising J
 * estimates the normaliser instead of letting c → ∞ as maximum likelihood would. Maximised with L-BFGS.
 * @throws DomainError naming the option for a bad noise ratio, start or non-finite model values at the start, or
 *   noise that does not overlap the data (objective saturated at the start)
 */
export function fitNCE(data: MatrixInput | ArrayLike<number>, options: NCEOptions): NCEResult {
  const W = 'fitNCE';
  const rd = readMatrix(W, 'data', data, { vector: 'column' });
  const x = { n: rd.rows, d: rd.columns, data: rd.data };
  const o = withDefaults(DEFAULTS, options);
  if (typeof o.model !== 'function') throw new DomainError(`${W}: argument 'model' must be a function`);
  if (!o.noise || typeof o.noise.logPdf !== 'function' || typeof o.noise.sample !== 'function') {
    throw new DomainError(`${W}: argument 'noise' must have logPdf(u) and sample(rng)`);
  }
  assertNonEmpty(W, 'alpha0', o.alpha0);
  assertFinite(W, 'alpha0', o.alpha0);
  assertFinite(W, 'c0', o.c0);
  assertInteger(W, 'noiseRatio', o.noiseRatio, 1);
  assertInteger(W, 'maxIterations', o.maxIterations, 0);
  assertPositive(W, 'gradTol', o.gradTol);
  const rng = o.rng ?? createRng(o.seed);
  const { n, d } = x;
  const T = n;
  const m = o.noiseRatio * T;
  const pts: Float64Array[] = [];
  for (let i = 0; i < n; i++) pts.push(x.data.slice(i * d, i * d + d));
  const noisePts: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const y = o.noise.sample(rng);
    if (y.length !== d) throw new DomainError(`${W}: argument 'noise' must sample vectors of length ${d}, got ${y.length}`);
    noisePts.push(y);
  }
  const logNu = Math.log(o.noiseRatio);
  const lnData = pts.map((u) => o.noise.logPdf(u));
  const lnNoise = noisePts.map((u) => o.noise.logPdf(u));
  const k = o.alpha0.length;
  const f = (theta: Float64Array) => {
    const alpha = theta.subarray(0, k);
    const c = theta[k] as number;
    const g = new Float64Array(k + 1);
    let value = 0;
    const term = (u: Float64Array, lnPn: number, isData: boolean) => {
      const r = o.model(u, alpha);
      const G = r.value + c - logNu - lnPn;
      // d/dG log σ(G) = 1 − σ(G);  d/dG log(1 − σ(G)) = −σ(G)
      value += isData ? logSigmoid(G) : logSigmoid(-G);
      const w = isData ? 1 - sigmoid(G) : -sigmoid(G);
      for (let j = 0; j < k; j++) g[j] = (g[j] as number) + w * (r.gradient[j] as number);
      g[k] = (g[k] as number) + w;
    };
    for (let i = 0; i < pts.length; i++) term(pts[i] as Float64Array, lnData[i] as number, true);
    for (let i = 0; i < noisePts.length; i++) term(noisePts[i] as Float64Array, lnNoise[i] as number, false);
    for (let j = 0; j <= k; j++) g[j] = -(g[j] as number) / T;
    return { value: -value / T, gradient: g };
  };
  const theta0 = Float64Array.from([...Array.from(o.alpha0), o.c0]);
  const start = f(theta0);
  if (!Number.isFinite(start.value) || !start.gradient.every(Number.isFinite)) {
    throw new DomainError(`${W}: the objective at 'alpha0' is not finite (check the model and the noise density)`);
  }
  // −J = 0 means data and noise are told apart with certainty at the start: every logistic term is saturated,
  // the gradient vanishes and L-BFGS would stop at alpha0 reporting convergence
  if (start.value < 1e-12) {
    throw new DomainError(
      `${W}: argument 'noise' does not overlap the data at 'alpha0' (the NCE objective is saturated); choose noise covering the data`,
    );
  }
  const r = minimizeLBFGS(f, theta0, {
    maxIterations: o.maxIterations,
    gradTol: o.gradTol,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const c = r.x[k] as number;
  return { alpha: r.x.slice(0, k), c, logZ: -c, objective: -r.value, converged: r.report.converged, iterations: r.report.iterations, reason: r.report.reason };
}
