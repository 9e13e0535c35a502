/**
 * `fitGaussianMixture`: maximum-likelihood Gaussian mixture by EM (notes: "Categorical latent variables",
 * "EM Algorithm"; Bishop PRML §9.2). E-step: log-space responsibilities
 * $\log r_{ik} = \log\pi_k + \log\mathcal N(x_i\mid\mu_k,\Sigma_k) - \operatorname{logsumexp}_l(\cdot)$;
 * M-step: weighted means and covariances (see `gaussian-params.ts`). The loop, the stopping rule, the
 * `regCovar` diagonal and the reported `lowerBound` (mean log-likelihood per sample at the last E-step)
 * mirror scikit-learn's `GaussianMixture`, so both agree from the same explicit initialisation.
 */
import { createRng, DomainError, type Rng, ShapeError } from '@notes/core-linalg';
import { runEM } from '../em/em.js';
import {
  assertIntOption,
  assertNoConstantColumns,
  assertScatterRepresentable,
  assertNumberOption,
  columnStats,
  type Dense,
  type MatrixInput,
  toDense,
} from '../util/data.js';
import {
  normalizeLogResponsibilities,
  type PrecisionCholesky,
  precisionFromCovariance,
  precisionFromPrecision,
  weightedLogProb,
} from './gaussian-density.js';
import { eStepStatistics } from './gaussian-estep.js';
import { createEStepWork } from './gaussian-estep-2d.js';
import { createDiagWork } from './gaussian-estep-diag.js';
import { GaussianMixtureModel } from './gaussian-mixture-model.js';
import { type CovarianceType, gram, paramsFromStats, type SufficientStats, statsFromResponsibilities } from './gaussian-params.js';
import { kmeansDense } from './kmeans.js';

/** Explicit initial parameters (scikit-learn's `weights_init`, `means_init`, `precisions_init`). */
export interface GaussianMixtureInit {
  weights: ArrayLike<number>;
  /** K×d */
  means: MatrixInput;
  /** full: K d×d precision matrices; diag: K×d; spherical: length K; tied: one d×d matrix. */
  precisions: MatrixInput[] | MatrixInput | ArrayLike<number>;
}

/** Progress of a mixture fit. */
export interface GaussianMixtureProgress {
  restart: number;
  iteration: number;
  objective: number;
  change: number;
  elapsedMs: number;
  converged: boolean;
}

/** Options of {@link fitGaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Number of components K. */
  components: number;
  /** Covariance structure. @defaultValue 'full' */
  covariance?: CovarianceType;
  /** 'kmeans++' (k-means seeded by k-means++, then responsibilities from its labels), 'random' (random responsibilities) or explicit parameters. @defaultValue 'kmeans++' */
  init?: 'kmeans++' | 'random' | GaussianMixtureInit;
  /** Stop when the mean log-likelihood changes by less than this. @defaultValue 1e-3 */
  tol?: number;
  /** EM iteration cap per restart. @defaultValue 100 */
  maxIterations?: number;
  /** Added to covariance diagonals in every M-step. @defaultValue 1e-6 */
  regCovar?: number;
  /** Independent initialisations; the highest final bound wins (ignored for explicit init). @defaultValue 1 */
  restarts?: number;
  /** Seed (ignored when `rng` is given). @defaultValue 0 */
  seed?: number;
  rng?: Rng;
  /** A component whose responsibility mass $N_k$ falls below this is re-seeded on the worst-explained sample. @defaultValue 1e-3 */
  emptyThreshold?: number;
  onProgress?: (info: GaussianMixtureProgress) => void;
  signal?: AbortSignal;
}

/** Defaults of {@link GaussianMixtureOptions}. */
export const GMM_DEFAULTS = {
  covariance: 'full',
  init: 'kmeans++',
  tol: 1e-3,
  maxIterations: 100,
  regCovar: 1e-6,
  restarts: 1,
  seed: 0,
  emptyThreshold: 1e-3,
} as const;

const WHERE = 'fitGaussianMixture';
const TYPES: readonly CovarianceType[] = ['full', 'diag', 'spherical', 'tied'];

interface State {
  weights: Float64Array;
  means: Float64Array;
  cov: Float64Array;
  prec: PrecisionCholesky;
  reseeded: number;
}

/**
 * Fits a Gaussian mixture by EM.
 * @example
 * const gm = fitGaussianMixture(X, { components: 3, covariance: 'full', seed: 1 });
 * gm.predict(X); gm.lowerBound; gm.bic(X);
 * @throws ShapeError (fewer rows than components, wrong init shapes), NonFiniteError (NaN/±Infinity),
 *   DomainError (constant column, bad options), NotPositiveDefiniteError (init precisions not PD, or a
 *   covariance that stays singular despite `regCovar`), AbortError.
 */
export function fitGaussianMixture(X: MatrixInput, options: GaussianMixtureOptions): GaussianMixtureModel {
  const D0 = toDense(WHERE, 'X', X);
  const K = options.components;
  assertIntOption(WHERE, 'components', K, 1);
  if (D0.n < K) throw new ShapeError(`${WHERE}: argument 'X' must have at least ${K} rows (one per component), got ${D0.n}`);
  const type = options.covariance ?? GMM_DEFAULTS.covariance;
  if (!TYPES.includes(type)) throw new DomainError(`${WHERE}: option 'covariance' must be one of ${TYPES.join(', ')}, got ${String(type)}`);
  const tol = options.tol ?? GMM_DEFAULTS.tol;
  const maxIterations = options.maxIterations ?? GMM_DEFAULTS.maxIterations;
  const reg = options.regCovar ?? GMM_DEFAULTS.regCovar;
  const restarts = options.restarts ?? GMM_DEFAULTS.restarts;
  const emptyThreshold = options.emptyThreshold ?? GMM_DEFAULTS.emptyThreshold;
  assertNumberOption(WHERE, 'tol', tol, 0, true);
  assertIntOption(WHERE, 'maxIterations', maxIterations, 1);
  assertNumberOption(WHERE, 'regCovar', reg, 0, true);
  assertIntOption(WHERE, 'restarts', restarts, 1);
  assertNumberOption(WHERE, 'emptyThreshold', emptyThreshold, 0, true);
  // one pass of column statistics serves both checks and the centring below
  const colStats = columnStats(D0);
  assertScatterRepresentable(WHERE, 'X', D0, Number.MAX_VALUE, colStats);
  assertNoConstantColumns(WHERE, 'X', D0, colStats);
  const init = options.init ?? GMM_DEFAULTS.init;
  const explicit = typeof init === 'object' ? validateInit(init, type, K, D0.d) : null;
  if (typeof init === 'string' && init !== 'kmeans++' && init !== 'random') {
    throw new DomainError(`${WHERE}: option 'init' must be 'kmeans++', 'random' or { weights, means, precisions }, got ${String(init)}`);
  }
  const rng = options.rng ?? createRng(options.seed ?? GMM_DEFAULTS.seed);
  // work on centred data (EM is translation-equivariant); means are shifted back at the end
  const { mean: colMean, variance: colVar } = colStats;
  const { n, d } = D0;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred[i * d + j] = (D0.data[i * d + j] as number) - (colMean[j] as number);
  const D: Dense = { n, d, data: centred };
  if (explicit) for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) explicit.means[k * d + j] = (explicit.means[k * d + j] as number) - (colMean[j] as number);
  const G = type === 'tied' ? gram(D) : null;

  // per-sample log-likelihoods and the E-step scratch, reused by every iteration
  const llBuf = new Float64Array(n);
  const work = d === 2 ? createEStepWork(n, K) : undefined;
  // diag/spherical: X copied once into a WebAssembly SIMD kernel's memory (null without WebAssembly SIMD)
  const diagWork = type === 'diag' || type === 'spherical' ? createDiagWork(D, K) : null;
  const problem = {
    // E-step: responsibilities in log space, reduced on the fly to expected sufficient statistics
    eStep(s: State) {
      const { bound, stats } = eStepStatistics(D, s.weights, s.means, s.prec, llBuf, G, true, work, diagWork);
      return { bound, expectations: stats };
    },
    mStep(s: State, st: SufficientStats): State {
      let p = paramsFromStats(st, K, d, reg, type);
      const empty: number[] = [];
      for (let k = 0; k < K; k++) if ((st.nk[k] as number) < emptyThreshold) empty.push(k);
      if (empty.length > 0) p = reseed(D, s, llBuf, empty, K, reg, type, colVar);
      return {
        weights: p.weights,
        means: p.means,
        cov: p.covariances,
        prec: precisionFromCovariance(WHERE, type, p.covariances, K, d),
        reseeded: s.reseeded + empty.length,
      };
    },
  };

  let best: { res: ReturnType<typeof runEM<State, SufficientStats>> } | null = null;
  const runs = explicit ? 1 : restarts;
  for (let r = 0; r < runs; r++) {
    let start: State;
    if (explicit) {
      start = { ...explicit, cov: new Float64Array(0), reseeded: 0 };
    } else {
      const resp = new Float64Array(n * K);
      if (init === 'random') {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let k = 0; k < K; k++) {
            const u = rng.uniform();
            resp[i * K + k] = u;
            s += u;
          }
          for (let k = 0; k < K; k++) resp[i * K + k] = (resp[i * K + k] as number) / s;
        }
      } else {
        const km = kmeansDense(D, { k: K, rng, maxIterations: 300, tol: 1e-4, signal: options.signal });
        for (let i = 0; i < n; i++) resp[i * K + (km.labels[i] as number)] = 1;
      }
      const p = paramsFromStats(statsFromResponsibilities(D, resp, K, type), K, d, reg, type);
      start = { weights: p.weights, means: p.means, cov: p.covariances, prec: precisionFromCovariance(WHERE, type, p.covariances, K, d), reseeded: 0 };
    }
    const res = runEM(problem, start, {
      tol,
      maxIterations,
      where: WHERE,
      signal: options.signal,
      onProgress: options.onProgress ? (info) => options.onProgress?.({ restart: r, ...info }) : undefined,
    });
    if (!best || res.bound > best.res.bound) best = { res };
  }
  const res = (best as { res: ReturnType<typeof runEM<State, SufficientStats>> }).res;
  return new GaussianMixtureModel({
    covarianceType: type,
    components: K,
    dimension: d,
    weights: res.params.weights,
    means: res.params.means.map((v, t) => v + (colMean[t % d] as number)),
    covariances: res.params.cov,
    lowerBound: res.bound,
    lowerBounds: res.bounds,
    iterations: res.iterations,
    converged: res.converged,
    reason: res.reason,
    emptyComponentsReseeded: res.params.reseeded,
  });
}

/**
 * Re-seeds empty components: each takes the worst-explained sample (lowest $\log p(x_i)$) as a hard
 * responsibility, the M-step is redone, and its covariance is reset to the column variances of X
 * (+ regCovar). The bound may drop at such an iteration; the count is reported on the model.
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
  normalizeLogResponsibilities(WHERE, r, D.n, K, true);
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

function validateInit(init: GaussianMixtureInit, type: CovarianceType, K: number, d: number): Omit<State, 'cov' | 'reseeded'> {
  const w = Float64Array.from(init.weights as ArrayLike<number>);
  if (w.length !== K) throw new ShapeError(`${WHERE}: argument 'init.weights' must have length ${K} (components), got ${w.length}`);
  let s = 0;
  for (const v of w) {
    if (!Number.isFinite(v) || v < 0) throw new DomainError(`${WHERE}: argument 'init.weights' must be non-negative and finite, got ${v}`);
    s += v;
  }
  if (Math.abs(s - 1) > 1e-6) throw new DomainError(`${WHERE}: argument 'init.weights' must sum to 1, got ${s}`);
  const M = toDense(WHERE, 'init.means', init.means);
  if (M.n !== K || M.d !== d) throw new ShapeError(`${WHERE}: argument 'init.means' must be ${K}×${d}, got ${M.n}×${M.d}`);
  let prec: Float64Array;
  const P = init.precisions;
  if (type === 'full') {
    if (!Array.isArray(P) || P.length !== K) throw new ShapeError(`${WHERE}: argument 'init.precisions' must be ${K} matrices of ${d}×${d} for covariance 'full'`);
    prec = new Float64Array(K * d * d);
    (P as MatrixInput[]).forEach((B, k) => {
      const Bd = toDense(WHERE, `init.precisions[${k}]`, B);
      if (Bd.n !== d || Bd.d !== d) throw new ShapeError(`${WHERE}: argument 'init.precisions[${k}]' must be ${d}×${d}, got ${Bd.n}×${Bd.d}`);
      prec.set(Bd.data, k * d * d);
    });
  } else if (type === 'spherical') {
    prec = Float64Array.from(P as ArrayLike<number>);
    if (prec.length !== K) throw new ShapeError(`${WHERE}: argument 'init.precisions' must have length ${K} for covariance 'spherical', got ${prec.length}`);
  } else {
    const Bd = toDense(WHERE, 'init.precisions', P as MatrixInput);
    const rows = type === 'diag' ? K : d;
    if (Bd.n !== rows || Bd.d !== d) throw new ShapeError(`${WHERE}: argument 'init.precisions' must be ${rows}×${d} for covariance '${type}', got ${Bd.n}×${Bd.d}`);
    prec = Bd.data;
  }
  for (const v of prec) if (!Number.isFinite(v)) throw new DomainError(`${WHERE}: argument 'init.precisions' must be finite`);
  return { weights: w, means: M.data, prec: precisionFromPrecision(WHERE, type, prec, K, d) };
}
