/**
 * `fitVariationalGMM` / `fitVariationalGMMAsync`: variational Bayesian Gaussian mixture (notes: Mean field
 * approximation, applied to a mixture; Bishop 2006 §10.2), the model of scikit-learn's
 * `BayesianGaussianMixture` with `weight_concentration_prior_type='dirichlet_distribution'` and full covariances.
 */
import {
  checkMemory,
  DEFAULT_MAX_MEMORY_BYTES,
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  makeFitReport,
  type Rng,
  readMatrix,
  readVector,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  type StopReason,
  stopwatch,
} from '@notes/core-linalg';
import { powerOfTwoScale } from '../internal/fit.js';
import type { MatrixInput } from '../internal/input.js';
import { readScale } from '../internal/wishart.js';
import { kmeansLabels } from './kmeans.js';
import { elbo, eStep, mStep, type VBParams, type VBPrior } from './vbgmm-math.js';
import { VariationalGMMModel } from './vbgmm-model.js';

/** What `onProgress` of {@link fitVariationalGMM} receives: `objective` is the ELBO (maximised). */
export interface VariationalGMMProgress extends FitProgress {}

/** Options of {@link fitVariationalGMM}; prior defaults follow scikit-learn. */
export interface VariationalGMMOptions {
  /** Number of components K offered. @defaultValue 10 */
  components?: number;
  /** Dirichlet concentration α0 of the weights. @defaultValue 1/K */
  weightConcentration?: number;
  /** β0 of the Normal–Wishart prior. @defaultValue 1 */
  meanPrecision?: number;
  /** m0 (data units). @defaultValue the data mean */
  mean?: ArrayLike<number>;
  /** ν0 > d − 1. @defaultValue d */
  degreesOfFreedom?: number;
  /** W0⁻¹ (scikit-learn's `covariance_prior`, squared data units). @defaultValue the empirical covariance of X (ddof = 1) */
  covariancePrior?: MatrixInput;
  /** Added to the diagonal of each S_k (×N_k), in squared data units; 0 keeps the exact coordinate updates. @defaultValue 0 */
  regCovar?: number;
  /** Iteration cap (E-step + M-step = one iteration). @defaultValue 500 */
  maxIterations?: number;
  /**
   * Converged (criterion `'tol'`) when the ELBO gain of an iteration is below tol. The ELBO of data
   * scaled by c only shifts by −n·d·log c, so the test is the same at every data scale. @defaultValue 1e-8
   */
  tol?: number;
  /** Initial hard labels (0..K−1 per row), or k-means++ with the seed. @defaultValue 'kmeans' */
  init?: 'kmeans' | ArrayLike<number>;
  /** Seed of the k-means++ initialisation (or give `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator for the k-means++ initialisation (instead of `seed`). */
  rng?: Rng;
  /** Called after every iteration with `{ iteration, objective: ELBO, elapsedMs }`. */
  onProgress?: (info: VariationalGMMProgress) => void;
  /** Stops the fit at the next iteration with an `AbortError` (partial: the model so far, reason `'aborted'`). */
  signal?: AbortSignal;
  /** Budget of the responsibilities and component parameters, in bytes (a ResourceError above it). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const isArrayLike = (v: unknown): boolean => (Array.isArray(v) || ArrayBuffer.isView(v)) && !(v instanceof DataView);

const OPTIONS = defineOptions<VariationalGMMOptions>()('fitVariationalGMM', {
  components: { type: 'integer', min: 1, default: 10, doc: 'number of components offered' },
  weightConcentration: { type: 'number', greaterThan: 0, doc: 'Dirichlet concentration α0 (default 1/K)' },
  meanPrecision: { type: 'number', greaterThan: 0, default: 1, doc: 'β0' },
  mean: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'm0 (default: data mean)' },
  degreesOfFreedom: { type: 'number', greaterThan: 0, doc: 'ν0 > d − 1 (default d)' },
  covariancePrior: {
    type: 'custom',
    expected: 'a matrix (Matrix or an array of rows)',
    check: (v) => typeof v === 'object' && v !== null,
    doc: 'W0⁻¹ (default: empirical covariance)',
  },
  regCovar: { type: 'number', min: 0, default: 0, doc: 'diagonal added to each S_k' },
  maxIterations: { type: 'integer', min: 1, default: 500, doc: 'iteration cap' },
  tol: { type: 'number', greaterThan: 0, default: 1e-8, doc: 'ELBO gain that stops the fit' },
  init: {
    type: 'custom',
    expected: "'kmeans' or an array of labels",
    check: (v) => v === 'kmeans' || isArrayLike(v),
    default: 'kmeans',
    doc: 'initial labels',
  },
  seed: { type: 'integer', min: 0, doc: 'seed of the k-means++ initialisation (default 0)' },
  rng: { type: 'rng', doc: 'generator instead of seed' },
  onProgress: { type: 'function', doc: 'progress callback' },
  signal: { type: 'signal', doc: 'AbortSignal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0, default: DEFAULT_MAX_MEMORY_BYTES, doc: 'memory budget in bytes' },
});

/** Everything the loop needs, read and validated before any work. */
interface Prepared {
  data: Float64Array;
  n: number;
  d: number;
  K: number;
  prior: VBPrior;
  labels: Int32Array;
  /** Data were divided by this power of two. */
  scale: number;
  maxIterations: number;
  tol: number;
  onProgress: ((info: VariationalGMMProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

function prepare(W: string, X: MatrixInput, options: VariationalGMMOptions | undefined): Prepared {
  const o = OPTIONS.parse(options);
  const raw = readMatrix(W, 'X', X);
  const { rows: n, columns: d } = raw;
  const K = o.components;
  if (n < 2) throw new ShapeError(`${W}: argument 'X' must have at least 2 rows, got ${n}`);
  // responsibilities (a few n×K arrays per iteration) and K·d² component scales
  checkMemory(W, `${K} components for ${n} rows`, 8 * K * (4 * n + 4 * d * d + 4 * d + 8), { maxMemoryBytes: o.maxMemoryBytes, alternative: "fewer 'components'" });
  const alpha0 = o.weightConcentration ?? 1 / K;
  const nu0 = o.degreesOfFreedom ?? d;
  if (!(nu0 > d - 1)) throw new DomainError(`${W}: option 'degreesOfFreedom' must be > d − 1 = ${d - 1}, got ${nu0}`);
  const rng = resolveRng(W, o, 0);
  // work on X / s (s a power of two: exact), so the numbers stay near 1 whatever the data's scale
  const s = powerOfTwoScale(raw.data, n, d);
  const data = raw.data.map((v) => v / s);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] = (mean[a] as number) + (data[i * d + a] as number) / n;
  let m0 = mean;
  if (o.mean !== undefined) {
    m0 = readVector(W, 'mean', o.mean).map((v) => v / s);
    if (m0.length !== d) throw new ShapeError(`${W}: option 'mean' must have length ${d} (columns of X), got ${m0.length}`);
  }
  let W0inv: Float64Array;
  if (o.covariancePrior === undefined) {
    W0inv = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        const ra = (data[i * d + a] as number) - (mean[a] as number);
        for (let b = 0; b < d; b++) W0inv[a * d + b] = (W0inv[a * d + b] as number) + (ra * ((data[i * d + b] as number) - (mean[b] as number))) / (n - 1);
      }
    }
    readScale(W, 'X (empirical covariance)', toNestedRows(W0inv, d), d);
  } else W0inv = readScale(W, 'covariancePrior', o.covariancePrior, d).scale.map((v) => v / s / s);
  const prior: VBPrior = { alpha0, beta0: o.meanPrecision, m0, nu0, W0inv, regCovar: o.regCovar / s / s };
  let labels: Int32Array;
  if (o.init === 'kmeans') labels = kmeansLabels(data, n, d, K, rng);
  else {
    const l = readVector(W, 'init', o.init);
    if (l.length !== n) throw new ShapeError(`${W}: option 'init' must have length ${n} (rows of X), got ${l.length}`);
    for (const [i, v] of l.entries()) {
      if (!Number.isInteger(v) || v < 0 || v >= K) throw new DomainError(`${W}: option 'init' must hold labels in 0..${K - 1}, got ${v} at [${i}]`);
    }
    labels = Int32Array.from(l);
  }
  return { data, n, d, K, prior, labels, scale: s, maxIterations: o.maxIterations, tol: o.tol, onProgress: o.onProgress, signal: o.signal };
}

/** The one loop behind both drivers. */
function* vbgmmLoop(p: Prepared): FitLoop<VariationalGMMModel> {
  const { data, n, d, K, prior } = p;
  const clock = stopwatch();
  // ELBO of X = ELBO of X/s − n·d·log s
  const offset = -n * d * Math.log(p.scale);
  let r: Float64Array = new Float64Array(n * K);
  for (let i = 0; i < n; i++) r[i * K + (p.labels[i] as number)] = 1;
  let q = mStep(data, n, d, K, r, prior);
  const trace = [elbo(data, n, d, K, r, q, prior) + offset];
  let reason: StopReason = 'max-iterations';
  let it = 0;
  while (it < p.maxIterations) {
    it++;
    r = eStep(data, n, d, K, q);
    q = mStep(data, n, d, K, r, prior);
    const e = elbo(data, n, d, K, r, q, prior) + offset;
    const prev = trace[trace.length - 1] as number;
    trace.push(e);
    p.onProgress?.({ iteration: it, objective: e, elapsedMs: clock() });
    if (Math.abs(e - prev) < p.tol) {
      reason = 'converged';
      break;
    }
    const [qs, its, ts] = [q, it, trace.slice()];
    yield () => toModel(p, qs, its, ts, 'aborted', clock());
  }
  return toModel(p, q, it, trace, reason, clock());
}

function toModel(p: Prepared, q: VBParams, iterations: number, trace: number[], reason: StopReason, elapsedMs: number): VariationalGMMModel {
  return new VariationalGMMModel({
    dimension: p.d,
    components: p.K,
    scale: p.scale,
    alpha: Array.from(q.alpha),
    beta: Array.from(q.beta),
    means: Array.from(q.m),
    nu: Array.from(q.nu),
    scaleInverse: Array.from(q.Winv),
    report: makeFitReport({ reason, iterations, elapsedMs, trace, ...(reason === 'converged' ? { criterion: 'tol' } : {}) }),
  });
}

/**
 * Coordinate ascent on $q(Z)\,q(\pi)\prod_k q(\mu_k,\Lambda_k)$ for
 * $\pi\sim\mathrm{Dir}(\alpha_0)$, $(\mu_k,\Lambda_k)\sim\mathcal N(m_0,(\beta_0\Lambda_k)^{-1})\mathcal W(W_0,\nu_0)$:
 * E-step $\ln\rho_{nk} = \mathbb E\ln\pi_k + \tfrac12\mathbb E\ln|\Lambda_k| - \tfrac d2\ln2\pi - \tfrac d{2\beta_k} - \tfrac{\nu_k}2(x_n-m_k)^\top W_k(x_n-m_k)$,
 * M-step the Normal–Wishart/Dirichlet updates. The ELBO (with all constants) is recorded after every
 * iteration in `report.trace` and never decreases (with `regCovar = 0`). Components the data do not need
 * shrink to weight ≈ α0/(Kα0+n).
 *
 * Scale: the data (and `mean`, `covariancePrior`, `regCovar`) are divided by the power of two nearest to
 * the data's spread before the iterations and the result is multiplied back, so data ×2^k fit exactly like
 * unit-scale data and data near 1e-300 or 1e150 fit as well as unit-scale data (the model keeps its parameters in
 * those units; only the `covariances` getter returns data units, which under/overflow beyond ~1e∓154).
 *
 * `model.report`: reason `'converged'` (criterion `'tol'`) or `'max-iterations'`; `trace` = ELBO after the
 * initial M-step and after every iteration.
 * @throws ShapeError / NonFiniteError / DomainError for bad X or options (unknown keys name the closest option);
 *   DomainError for invalid priors (non-PD covariancePrior, ν0 ≤ d − 1 …); AbortError when `signal` fires
 *   (its `partial` is the model after the last full iteration, report reason `'aborted'`)
 * @example fitVariationalGMM(X, { components: 10, seed: 1 }).activeComponents() // e.g. [0, 3, 7]
 */
export function fitVariationalGMM(X: MatrixInput, options: VariationalGMMOptions = {}): VariationalGMMModel {
  const p = prepare('fitVariationalGMM', X, options);
  return runFit('fitVariationalGMM', vbgmmLoop(p), { signal: p.signal });
}

/**
 * {@link fitVariationalGMM} that yields to the event loop at least every 50 ms, so an `AbortSignal` fired from
 * a timer or a UI event stops it within one iteration. Same options, same model.
 * @throws (rejects with) the errors of {@link fitVariationalGMM}; AbortError with the model so far as `partial`
 */
export function fitVariationalGMMAsync(X: MatrixInput, options: VariationalGMMOptions = {}): Promise<VariationalGMMModel> {
  try {
    const p = prepare('fitVariationalGMMAsync', X, options);
    return runFitAsync('fitVariationalGMMAsync', vbgmmLoop(p), { signal: p.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}

function toNestedRows(a: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(a.subarray(i * d, i * d + d)));
}
