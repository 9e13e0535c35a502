/**
 * `fitGaussianMixture`: maximum-likelihood Gaussian mixture by EM (notes: "Categorical latent variables",
 * "EM Algorithm"; Bishop PRML §9.2). E-step: log-space responsibilities
 * $\log r_{ik} = \log\pi_k + \log\mathcal N(x_i\mid\mu_k,\Sigma_k) - \operatorname{logsumexp}_l(\cdot)$;
 * M-step: weighted means and covariances (see `gaussian-params.ts`). The loop, the stopping rule and the
 * reported `lowerBound` (mean log-likelihood per sample at the last E-step) mirror scikit-learn's
 * `GaussianMixture`, so both agree from the same explicit initialisation (with `regCovarScale: 1`).
 *
 * Scale: the fit works on $x' = (x-\bar x)/s$ with $s$ the power of two nearest to the root mean column
 * variance (exact in floating point) and maps the result back, so data at 1e-150 or 1e150 fit as well as
 * unit-scale data; `regCovar` is relative to the data's scale (see {@link GaussianMixtureOptions.regCovar}).
 */
import {
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  type FitReport,
  makeFitReport,
  type Rng,
  readVector,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  stopwatch,
} from '@notes/core-linalg';
import { emSteps } from '../em/em.js';
import { assertNoConstantColumns, assertScatterRepresentable, columnStats, type Dense, type MatrixInput, readData } from '../util/data.js';
import { normalizeLogResponsibilities, precisionFromCovariance, precisionFromPrecision, type PrecisionCholesky, weightedLogProb } from './gaussian-density.js';
import { eStepStatistics } from './gaussian-estep.js';
import { createEStepWork } from './gaussian-estep-2d.js';
import { createDiagWork } from './gaussian-estep-diag.js';
import { GaussianMixtureModel } from './gaussian-mixture-model.js';
import {
  type CovarianceType,
  type GaussianParams,
  paramsFromStats,
  type SufficientStats,
  statsFromResponsibilities,
  withinVariance,
} from './gaussian-params.js';
import { kmeansDense } from './kmeans.js';

/** Explicit initial parameters (scikit-learn's `weights_init`, `means_init`, `precisions_init`). */
export interface GaussianMixtureInit {
  weights: ArrayLike<number>;
  /** K×d */
  means: MatrixInput;
  /** full: K d×d precision matrices; diag: K×d; spherical: length K; tied: one d×d matrix. */
  precisions: MatrixInput[] | MatrixInput | ArrayLike<number>;
}

/** Progress of a mixture fit (after every EM iteration of every start). */
export interface GaussianMixtureProgress extends FitProgress {
  /** Which start (0 = the first, 1… = the extra `restarts`). */
  readonly restart: number;
  /** The lower bound, the mean log-likelihood per sample at this iteration's E-step (= `objective`, maximised). */
  readonly lowerBound: number;
  /** Change of the bound from the previous iteration (Infinity on the first). */
  readonly change: number;
}

/** Options of {@link fitGaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Number of components K. */
  components: number;
  /** Covariance structure. @defaultValue 'full' */
  covariance?: CovarianceType;
  /** 'kmeans++' (k-means seeded by k-means++, then responsibilities from its labels), 'random' (random responsibilities) or explicit parameters. @defaultValue 'kmeans++' */
  init?: 'kmeans++' | 'random' | GaussianMixtureInit;
  /** Stop when the mean log-likelihood per sample changes by less than this (criterion 'tol'; invariant to the data's scale). @defaultValue 1e-3 */
  tol?: number;
  /** EM iteration cap per start. @defaultValue 100 */
  maxIterations?: number;
  /**
   * Added to covariance diagonals in every M-step, relative to the data's scale: the value added is
   * `regCovar × regCovarScale`. @defaultValue 1e-6
   */
  regCovar?: number;
  /**
   * The variance `regCovar` is relative to, in the data's units². Default: the mean within-component
   * variance per coordinate of the first start's initial responsibilities (k-means labels, random
   * responsibilities, or the E-step at an explicit `init`), which scales with the data and is not
   * inflated by far-apart clusters. Pass 1 for scikit-learn's absolute `reg_covar`.
   */
  regCovarScale?: number;
  /** Extra starts after the first (total starts = restarts + 1); the highest final bound wins. Ignored for explicit init. @defaultValue 0 */
  restarts?: number;
  /** Seed of the generator (k-means++ / random init). Give `seed` or `rng`, not both. @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng` (advanced by the fit). */
  rng?: Rng;
  /** A component whose responsibility mass $N_k$ falls below this is re-seeded on the worst-explained sample. @defaultValue 1e-3 */
  emptyThreshold?: number;
  /** Called after every EM iteration. */
  onProgress?: (info: GaussianMixtureProgress) => void;
  /** Stops the fit between iterations with `AbortError` (partial: the current model, report reason 'aborted'). */
  signal?: AbortSignal;
}

const isInitObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && 'weights' in v && 'means' in v && 'precisions' in v;

/** Option table of {@link fitGaussianMixture}. */
export const GMM_OPTIONS = defineOptions<GaussianMixtureOptions>()('fitGaussianMixture', {
  components: { type: 'integer', min: 1, doc: 'number of components K (required)' },
  covariance: { type: 'enum', values: ['full', 'diag', 'spherical', 'tied'], default: 'full', doc: 'covariance structure' },
  init: {
    type: 'custom',
    expected: "'kmeans++', 'random' or { weights, means, precisions }",
    check: (v) => v === 'kmeans++' || v === 'random' || isInitObject(v),
    default: 'kmeans++',
    doc: 'initialisation',
  },
  tol: { type: 'number', min: 0, default: 1e-3, doc: 'stop when the mean log-likelihood changes by less than this' },
  maxIterations: { type: 'integer', min: 1, max: 1e9, default: 100, doc: 'EM iterations per start' },
  regCovar: { type: 'number', min: 0, default: 1e-6, doc: 'covariance diagonal, relative to regCovarScale' },
  regCovarScale: { type: 'number', greaterThan: 0, doc: 'variance regCovar is relative to (default: within-component variance)' },
  restarts: { type: 'integer', min: 0, max: 10_000, default: 0, doc: 'extra starts after the first' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of the generator' },
  rng: { type: 'rng', doc: 'generator from createRng' },
  emptyThreshold: { type: 'number', min: 0, default: 1e-3, doc: 'responsibility mass below which a component is re-seeded' },
  onProgress: { type: 'function', doc: 'progress callback' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

/** Defaults of {@link GaussianMixtureOptions}. */
export const GMM_DEFAULTS = GMM_OPTIONS.defaults;

interface State {
  weights: Float64Array;
  means: Float64Array;
  cov: Float64Array;
  prec: PrecisionCholesky;
  reseeded: number;
}

/** Power of two nearest to `v` (> 0, finite). */
function powerOfTwo(v: number): number {
  return 2 ** Math.round(Math.log2(v));
}

/** Parses and validates everything, then returns the fit loop (no work before the loop runs). */
function prepare(where: string, X: unknown, options: GaussianMixtureOptions): FitLoop<GaussianMixtureModel> {
  const o = GMM_OPTIONS.parse(options);
  if (o.components === undefined) throw new DomainError(`${where}: option 'components' is required`);
  const raw = readData(where, 'X', X);
  const K = o.components;
  if (raw.n < K) throw new ShapeError(`${where}: argument 'X' must have at least ${K} rows (one per component), got ${raw.n}`);
  const type = o.covariance;
  const colStats = columnStats(raw);
  assertScatterRepresentable(where, 'X', raw, Number.MAX_VALUE, colStats);
  assertNoConstantColumns(where, 'X', raw, colStats);
  const rng = resolveRng(where, o, 0);
  const { n, d } = raw;
  let meanVar = 0;
  for (let j = 0; j < d; j++) meanVar += (colStats.variance[j] as number) / d;
  const s = powerOfTwo(Math.sqrt(meanVar));
  const inv = 1 / s;
  const colMean = colStats.mean;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = ((raw.data[i * d + j] as number) - (colMean[j] as number)) * inv;
  const D: Dense = { n, d, data };
  const colVar = colStats.variance.map((v) => v * inv * inv);
  const explicit = typeof o.init === 'object' ? readInit(where, o.init as GaussianMixtureInit, type, K, d, colMean, s) : null;
  return gmmLoop(where, D, o, { K, type, rng, explicit, s, colMean, colVar, meanVarScaled: meanVar * inv * inv });
}

interface Setup {
  K: number;
  type: CovarianceType;
  rng: Rng;
  explicit: Omit<State, 'cov' | 'reseeded'> | null;
  s: number;
  colMean: Float64Array;
  colVar: Float64Array;
  meanVarScaled: number;
}

function* gmmLoop(
  where: string,
  D: Dense,
  o: ReturnType<typeof GMM_OPTIONS.parse>,
  setup: Setup,
): FitLoop<GaussianMixtureModel> {
  const clock = stopwatch();
  const { K, type, rng, explicit, s, colMean, colVar } = setup;
  const { n, d } = D;
  const logS = d * Math.log(s);
  // per-sample log-likelihoods and the E-step scratch, reused by every iteration
  const llBuf = new Float64Array(n);
  const work = d === 2 ? createEStepWork(n, K) : undefined;
  const diagWork = type === 'diag' || type === 'spherical' ? createDiagWork(D, K) : null;
  let reg = Number.NaN;
  const problem = {
    eStep(st: State) {
      const { bound, stats } = eStepStatistics(D, st.weights, st.means, st.prec, llBuf, true, work, diagWork);
      return { bound, expectations: stats };
    },
    mStep(st: State, stats: SufficientStats): State {
      let p = paramsFromStats(stats, K, d, reg, type);
      const empty: number[] = [];
      for (let k = 0; k < K; k++) if ((stats.nk[k] as number) < o.emptyThreshold) empty.push(k);
      if (empty.length > 0) p = reseed(D, st, llBuf, empty, K, reg, type, colVar);
      return fromParams(where, p, type, K, d, st.reseeded + empty.length);
    },
  };
  const startBounds: number[] = [];
  const build = (st: State, bound: number, trace: readonly number[], report: FitReport) =>
    new GaussianMixtureModel({
      covarianceType: type,
      components: K,
      dimension: d,
      weights: st.weights,
      means: st.means.map((v, t) => v * s + (colMean[t % d] as number)),
      covariances: st.cov.map((v) => v * s * s),
      lowerBound: bound - logS,
      emptyComponentsReseeded: st.reseeded,
      regularization: reg * s * s,
      startBounds: startBounds.slice(),
      report: makeFitReport({ ...report, trace: trace.map((b) => b - logS) }),
    });
  let best: { st: State; bound: number; trace: number[]; converged: boolean } | null = null;
  const runs = explicit ? 1 : o.restarts + 1;
  for (let r = 0; r < runs; r++) {
    const start = makeStart(r);
    const res = yield* emSteps(problem, start, {
      tol: o.tol,
      maxIterations: o.maxIterations,
      where,
      onProgress: o.onProgress
        ? (info) =>
            o.onProgress?.({ restart: r, iteration: info.iteration, objective: info.objective - logS, lowerBound: info.lowerBound - logS, change: info.change, elapsedMs: info.elapsedMs })
        : undefined,
      clock,
      partial: (st, bound, trace, it) => {
        const b = best;
        if (b && b.bound >= bound) return build(b.st, b.bound, b.trace, makeFitReport({ reason: 'aborted', iterations: b.trace.length, elapsedMs: clock() }));
        return build(st, bound, trace, makeFitReport({ reason: 'aborted', iterations: it, elapsedMs: clock() }));
      },
    });
    startBounds.push(res.bound - logS);
    if (!best || res.bound > best.bound) best = { st: res.params, bound: res.bound, trace: res.bounds, converged: res.converged };
    if (r < runs - 1) {
      const b = best;
      yield () => build(b.st, b.bound, b.trace, makeFitReport({ reason: 'aborted', iterations: b.trace.length, elapsedMs: clock() }));
    }
  }
  const b = best as NonNullable<typeof best>;
  return build(
    b.st,
    b.bound,
    b.trace,
    makeFitReport({
      reason: b.converged ? 'converged' : 'max-iterations',
      ...(b.converged ? { criterion: 'tol' } : {}),
      iterations: b.trace.length,
      elapsedMs: clock(),
    }),
  );

  function makeStart(r: number): State {
    if (explicit) {
      if (r === 0) {
        if (o.regCovarScale !== undefined) reg = (o.regCovar * o.regCovarScale) / (s * s);
        else {
          const lp = new Float64Array(n * K);
          weightedLogProb(D, explicit.weights, explicit.means, explicit.prec, lp);
          normalizeLogResponsibilities(where, lp, n, K, true);
          reg = o.regCovar * scaleOf(statsFromResponsibilities(D, lp, K, type));
        }
      }
      return { ...explicit, cov: new Float64Array(0), reseeded: 0 };
    }
    const resp = new Float64Array(n * K);
    if (o.init === 'random') {
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let k = 0; k < K; k++) {
          const u = rng.uniform();
          resp[i * K + k] = u;
          t += u;
        }
        for (let k = 0; k < K; k++) resp[i * K + k] = (resp[i * K + k] as number) / t;
      }
    } else {
      const km = kmeansDense(D, { components: K, rng, maxIterations: 300, tol: 1e-4, restarts: 0 });
      for (let i = 0; i < n; i++) resp[i * K + (km.labels[i] as number)] = 1;
    }
    const st = statsFromResponsibilities(D, resp, K, type);
    if (r === 0) reg = o.regCovarScale !== undefined ? (o.regCovar * o.regCovarScale) / (s * s) : o.regCovar * scaleOf(st);
    return fromParams(where, paramsFromStats(st, K, d, reg, type), type, K, d, 0);
  }

  function scaleOf(st: SufficientStats): number {
    const v = withinVariance(st, K, d, type);
    return v > 0 && Number.isFinite(v) ? v : setup.meanVarScaled;
  }
}

function fromParams(where: string, p: GaussianParams, type: CovarianceType, K: number, d: number, reseeded: number): State {
  return { weights: p.weights, means: p.means, cov: p.covariances, prec: precisionFromCovariance(where, type, p.covariances, K, d), reseeded };
}

/**
 * Fits a Gaussian mixture by EM. Returns the model itself; `model.report` says why it stopped
 * (`'converged'` with criterion `'tol'`, or `'max-iterations'`) and holds the winning start's bound per
 * iteration as `trace`.
 * @example
 * const gm = fitGaussianMixture(X, { components: 3, covariance: 'full', seed: 1 });
 * gm.predict(X); gm.lowerBound; gm.bic(X); gm.report.converged;
 * @throws ShapeError (fewer rows than components, wrong init shapes), NonFiniteError (NaN/±Infinity),
 *   DomainError (constant column, bad or unknown options, `seed` and `rng` both given),
 *   NotPositiveDefiniteError (init precisions not PD, or a covariance that stays singular despite
 *   `regCovar`), AbortError (partial: the current model, report reason `'aborted'`).
 */
export function fitGaussianMixture(X: MatrixInput, options: GaussianMixtureOptions): GaussianMixtureModel {
  const where = 'fitGaussianMixture';
  return runFit(where, prepare(where, X, options), { signal: options?.signal });
}

/**
 * {@link fitGaussianMixture} on the asynchronous driver (the same loop): yields to the event loop at
 * least every 50 ms, so an `AbortSignal` fired by a timer or a button stops it within one EM iteration.
 * @throws (rejects with) the errors of {@link fitGaussianMixture}; AbortError's `partial` is the current model.
 */
export async function fitGaussianMixtureAsync(X: MatrixInput, options: GaussianMixtureOptions): Promise<GaussianMixtureModel> {
  const where = 'fitGaussianMixtureAsync';
  return runFitAsync(where, prepare(where, X, options), { signal: options?.signal });
}

/**
 * Re-seeds empty components: each takes the worst-explained sample (lowest $\log p(x_i)$) as a hard
 * responsibility, the M-step is redone, and its covariance is reset to the column variances of X
 * (+ the regularisation). The bound may drop at such an iteration; the count is reported on the model.
 */
function reseed(
  D: Dense,
  s: State,
  ll: Float64Array,
  empty: number[],
  K: number,
  reg: number,
  type: CovarianceType,
  colVar: Float64Array,
) {
  const r = new Float64Array(D.n * K);
  weightedLogProb(D, s.weights, s.means, s.prec, r);
  normalizeLogResponsibilities('fitGaussianMixture', r, D.n, K, true);
  const order = Array.from(ll.keys()).sort((a, b) => (ll[a] as number) - (ll[b] as number));
  empty.forEach((k, t) => {
    const i = order[t % order.length] as number;
    for (let l = 0; l < K; l++) r[i * K + l] = l === k ? 1 : 0;
  });
  const p = paramsFromStats(statsFromResponsibilities(D, r, K, type), K, D.d, reg, type);
  const d = D.d;
  let meanVar = 0;
  for (let j = 0; j < d; j++) meanVar += (colVar[j] as number) / d;
  for (const k of empty) {
    if (type === 'full') {
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) p.covariances[k * d * d + a * d + b] = a === b ? (colVar[a] as number) + reg : 0;
    } else if (type === 'diag') {
      for (let j = 0; j < d; j++) p.covariances[k * d + j] = (colVar[j] as number) + reg;
    } else if (type === 'spherical') {
      p.covariances[k] = meanVar + reg;
    }
  }
  return p;
}

/** Validates an explicit init and maps it to the fit's centred, scaled coordinates. */
function readInit(
  where: string,
  init: GaussianMixtureInit,
  type: CovarianceType,
  K: number,
  d: number,
  colMean: Float64Array,
  s: number,
): Omit<State, 'cov' | 'reseeded'> {
  const w = readVector(where, 'init.weights', init.weights, { length: K });
  let sum = 0;
  for (const v of w) {
    if (v < 0) throw new DomainError(`${where}: argument 'init.weights' must be non-negative, got ${v}`);
    sum += v;
  }
  if (Math.abs(sum - 1) > 1e-6) throw new DomainError(`${where}: argument 'init.weights' must sum to 1, got ${sum}`);
  const M = readData(where, 'init.means', init.means);
  if (M.n !== K || M.d !== d) throw new ShapeError(`${where}: argument 'init.means' must be ${K}×${d}, got ${M.n}×${M.d}`);
  const means = new Float64Array(K * d);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) means[k * d + j] = ((M.data[k * d + j] as number) - (colMean[j] as number)) / s;
  let prec: Float64Array;
  const P = init.precisions;
  if (type === 'full') {
    if (!Array.isArray(P) || P.length !== K) throw new ShapeError(`${where}: argument 'init.precisions' must be ${K} matrices of ${d}×${d} for covariance 'full'`);
    prec = new Float64Array(K * d * d);
    (P as MatrixInput[]).forEach((B, k) => {
      const Bd = readData(where, `init.precisions[${k}]`, B);
      if (Bd.n !== d || Bd.d !== d) throw new ShapeError(`${where}: argument 'init.precisions[${k}]' must be ${d}×${d}, got ${Bd.n}×${Bd.d}`);
      prec.set(Bd.data, k * d * d);
    });
  } else if (type === 'spherical') {
    prec = readVector(where, 'init.precisions', P, { length: K });
  } else {
    const Bd = readData(where, 'init.precisions', P);
    const rows = type === 'diag' ? K : d;
    if (Bd.n !== rows || Bd.d !== d) throw new ShapeError(`${where}: argument 'init.precisions' must be ${rows}×${d} for covariance '${type}', got ${Bd.n}×${Bd.d}`);
    prec = Bd.data;
  }
  // precision in scaled coordinates: Σ' = Σ/s² ⇒ Λ' = s²Λ (exact: s is a power of two)
  const scaled = prec.map((v) => v * s * s);
  return { weights: w, means, prec: precisionFromPrecision(where, type, scaled, K, d) };
}
