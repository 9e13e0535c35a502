/**
 * `fitMixturePPCA`: EM for a mixture of probabilistic PCA models (notes: "Mixture PCA",
 * $p(X,Z,T\mid\theta)=\prod_i\mathcal N(x_i\mid V_{t_i}z_i+\mu_{t_i},\sigma^2_{t_i}I)\,\mathcal N(z_i\mid0,I)\,\pi_{t_i}$;
 * Tipping & Bishop 1999, Neural Computation 11(2), Appendix C).
 *
 * E-step: $R_{ik}\propto\pi_k\,\mathcal N(x_i\mid\mu_k,C_k)$ in log space. M-step:
 * $\pi_k=\tfrac1n\sum_iR_{ik}$, $\mu_k=\sum_iR_{ik}x_i/\sum_iR_{ik}$, and with
 * $S_k=\tfrac1{n\pi_k}\sum_iR_{ik}(x_i-\mu_k)(x_i-\mu_k)^\top$, $M_k=W_k^\top W_k+\sigma_k^2I$:
 * $\tilde W_k = S_kW_k(\sigma_k^2I+M_k^{-1}W_k^\top S_kW_k)^{-1}$,
 * $\tilde\sigma_k^2=\tfrac1D\operatorname{tr}(S_k-S_kW_kM_k^{-1}\tilde W_k^\top)$.
 * $S_k$ is never formed: only $S_kW_k$ (O(nDq)) and $\operatorname{tr}S_k$ are needed. The notes write
 * $\sigma_k\in\mathbb R^D$ but the model is isotropic ($\sigma_k^2 I$); we use one $\sigma_k^2$ per component
 * as Tipping & Bishop do.
 */
import {
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  logSumExp,
  makeFitReport,
  type Rng,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  stopwatch,
} from '@notes/core-linalg';
import { inverse, Matrix, solve } from 'ml-matrix';
import { emSteps } from '../em/em.js';
import { kmeansDense } from '../mixture/kmeans.js';
import { assertScatterRepresentable, columnStats, MAX_DECOMPOSABLE_SCATTER, type MatrixInput, readData } from '../util/data.js';
import { MixturePPCAModel, mppcaLogProb } from './mixture-ppca-model.js';

/** Progress of {@link fitMixturePPCA}. */
export interface MixturePPCAProgress extends FitProgress {
  /** Mean log-likelihood per sample at this iteration's E-step (= `objective`, maximised). */
  readonly lowerBound: number;
  /** Change from the previous iteration (Infinity on the first). */
  readonly change: number;
}

/** Options of {@link fitMixturePPCA}. */
export interface MixturePPCAOptions {
  /** Number of mixture components K. */
  components: number;
  /** Latent dimension q of every component (1 ≤ q < D). */
  latentDim: number;
  /** Stop when the mean log-likelihood per sample changes by less than this (criterion 'tol'). @defaultValue 1e-6 */
  tol?: number;
  /** EM iteration cap. @defaultValue 200 */
  maxIterations?: number;
  /** Floor on each $\sigma_k^2$, relative to the mean column variance (guards against collapse). @defaultValue 1e-6 */
  minSigma2?: number;
  /** Seed (k-means++ init, random loadings). Give `seed` or `rng`, not both. @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng`. */
  rng?: Rng;
  /** Called after every EM iteration. */
  onProgress?: (info: MixturePPCAProgress) => void;
  /** Stops EM between iterations with `AbortError` (partial: the current model, reason 'aborted'). */
  signal?: AbortSignal;
}

/** Option table of {@link fitMixturePPCA}. */
export const MPPCA_OPTIONS = defineOptions<MixturePPCAOptions>()('fitMixturePPCA', {
  components: { type: 'integer', min: 1, doc: 'number of components K (required)' },
  latentDim: { type: 'integer', min: 1, doc: 'latent dimension q (required)' },
  tol: { type: 'number', min: 0, default: 1e-6 },
  maxIterations: { type: 'integer', min: 1, max: 1e9, default: 200 },
  minSigma2: { type: 'number', min: 0, default: 1e-6 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
});

/** Defaults of {@link MixturePPCAOptions}. */
export const MPPCA_DEFAULTS = MPPCA_OPTIONS.defaults;

interface P {
  w: Float64Array;
  mu: Float64Array;
  W: Float64Array;
  s2: Float64Array;
}

/**
 * Fits a mixture of PPCA by EM; initial means from k-means++ / k-means, random loadings. Returns the
 * model; `report` is `'converged'` (criterion `'tol'`) or `'max-iterations'` with the bound per iteration.
 * @example fitMixturePPCA(X, { components: 3, latentDim: 2, seed: 1 }).predict(X)
 * @throws ShapeError (fewer rows than components), NonFiniteError, DomainError (bad or unknown options,
 *   q ≥ D, zero variance), AbortError (partial: the current model).
 */
export function fitMixturePPCA(X: MatrixInput, options: MixturePPCAOptions): MixturePPCAModel {
  return runFit('fitMixturePPCA', prepare('fitMixturePPCA', X, options), { signal: options?.signal });
}

/**
 * {@link fitMixturePPCA} on the asynchronous driver (the same EM loop).
 * @throws (rejects with) the errors of {@link fitMixturePPCA}.
 */
export async function fitMixturePPCAAsync(X: MatrixInput, options: MixturePPCAOptions): Promise<MixturePPCAModel> {
  return runFitAsync('fitMixturePPCAAsync', prepare('fitMixturePPCAAsync', X, options), { signal: options?.signal });
}

function prepare(WHERE: string, X: unknown, options: MixturePPCAOptions): FitLoop<MixturePPCAModel> {
  const o = MPPCA_OPTIONS.parse(options);
  if (o.components === undefined) throw new DomainError(`${WHERE}: option 'components' is required`);
  if (o.latentDim === undefined) throw new DomainError(`${WHERE}: option 'latentDim' is required`);
  const Dn = readData(WHERE, 'X', X);
  const { n, d: D, data } = Dn;
  const K = o.components;
  const q = o.latentDim;
  if (n < K) throw new ShapeError(`${WHERE}: argument 'X' must have at least ${K} rows (one per component), got ${n}`);
  if (q > D - 1) throw new DomainError(`${WHERE}: option 'latentDim' must be an integer in [1, ${D - 1}] (below the dimension), got ${q}`);
  const { tol, maxIterations } = o;
  const minRel = o.minSigma2;
  assertScatterRepresentable(WHERE, 'X', Dn, MAX_DECOMPOSABLE_SCATTER);
  const rng = resolveRng(WHERE, o, 0);
  const { variance } = columnStats(Dn);
  const meanVar = variance.reduce((s, v) => s + v, 0) / D;
  if (!(meanVar > 0)) throw new DomainError(`${WHERE}: argument 'X' has zero variance`);
  const floor = minRel * meanVar;
  const clock = stopwatch();
  return loop();
  function* loop(): FitLoop<MixturePPCAModel> {
  // init: k-means centres, equal weights, random loadings of scale √(var/ q), σ² = mean variance
  const km = kmeansDense(Dn, { components: K, rng, maxIterations: 100, tol: 1e-4, restarts: 0 });
  const init: P = {
    w: new Float64Array(K).fill(1 / K),
    mu: Float64Array.from(km.centers),
    W: Float64Array.from({ length: K * D * q }, () => rng.normal() * Math.sqrt(meanVar / q) * 0.1),
    s2: new Float64Array(K).fill(meanVar),
  };

  const problem = {
    eStep(p: P) {
      const { logProb } = mppcaLogProb(Dn, K, q, p.w, p.mu, p.W, p.s2);
      let s = 0;
      for (let i = 0; i < n; i++) {
        const row = logProb.subarray(i * K, (i + 1) * K);
        const l = logSumExp(row);
        s += l;
        for (let k = 0; k < K; k++) row[k] = Math.exp((row[k] as number) - l);
      }
      return { bound: s / n, expectations: logProb };
    },
    mStep(p: P, R: Float64Array): P {
      const w = new Float64Array(K);
      const mu = new Float64Array(K * D);
      const W = new Float64Array(K * D * q);
      const s2 = new Float64Array(K);
      const diff = new Float64Array(D);
      for (let k = 0; k < K; k++) {
        let Nk = 0;
        for (let i = 0; i < n; i++) {
          const r = R[i * K + k] as number;
          Nk += r;
          for (let j = 0; j < D; j++) mu[k * D + j] += r * (data[i * D + j] as number);
        }
        const Wk = p.W.subarray(k * D * q, (k + 1) * D * q);
        if (Nk < 1e-8) {
          // empty component: keep its previous parameters and a negligible weight
          w[k] = Nk / n;
          mu.set(p.mu.subarray(k * D, (k + 1) * D), k * D);
          W.set(Wk, k * D * q);
          s2[k] = p.s2[k] as number;
          continue;
        }
        w[k] = Nk / n;
        for (let j = 0; j < D; j++) mu[k * D + j] = (mu[k * D + j] as number) / Nk;
        // SW = S_k W_k (D×q), trS = tr S_k
        const SW = new Float64Array(D * q);
        let trS = 0;
        const proj = new Float64Array(q);
        for (let i = 0; i < n; i++) {
          const r = R[i * K + k] as number;
          if (r < 1e-300) continue;
          proj.fill(0);
          for (let j = 0; j < D; j++) {
            const c = (data[i * D + j] as number) - (mu[k * D + j] as number);
            diff[j] = c;
            trS += r * c * c;
            for (let a = 0; a < q; a++) proj[a] += c * (Wk[j * q + a] as number);
          }
          for (let j = 0; j < D; j++) {
            const rc = r * (diff[j] as number);
            for (let a = 0; a < q; a++) SW[j * q + a] += rc * (proj[a] as number);
          }
        }
        trS /= Nk;
        for (let t = 0; t < D * q; t++) SW[t] = (SW[t] as number) / Nk;
        const sk = p.s2[k] as number;
        const M = new Matrix(q, q);
        const WtSW = new Matrix(q, q);
        for (let a = 0; a < q; a++) {
          for (let b = 0; b < q; b++) {
            let m = a === b ? sk : 0;
            let t = 0;
            for (let j = 0; j < D; j++) {
              m += (Wk[j * q + a] as number) * (Wk[j * q + b] as number);
              t += (Wk[j * q + a] as number) * (SW[j * q + b] as number);
            }
            M.set(a, b, m);
            WtSW.set(a, b, t);
          }
        }
        const Minv = inverse(M);
        const inner = Minv.mmul(WtSW); // M⁻¹WᵀSW
        for (let a = 0; a < q; a++) inner.set(a, a, inner.get(a, a) + sk);
        // W̃ = SW · inner⁻¹  ⇔  inner ᵀ W̃ᵀ = SWᵀ
        const SWm = new Matrix(D, q);
        for (let j = 0; j < D; j++) for (let a = 0; a < q; a++) SWm.set(j, a, SW[j * q + a] as number);
        const Wt = solve(inner.transpose(), SWm.transpose()); // q×D
        for (let j = 0; j < D; j++) for (let a = 0; a < q; a++) W[k * D * q + j * q + a] = Wt.get(a, j);
        // σ̃² = (tr S − tr(M⁻¹ W̃ᵀ S W)) / D
        const WtNewSW = Wt.mmul(SWm); // q×q  = W̃ᵀ S W
        const T = Minv.mmul(WtNewSW);
        let tr = 0;
        for (let a = 0; a < q; a++) tr += T.get(a, a);
        s2[k] = Math.max(floor, (trS - tr) / D);
      }
      const tw = w.reduce((s, v) => s + v, 0);
      for (let k = 0; k < K; k++) w[k] = Math.max((w[k] as number) / tw, 1e-300);
      return { w, mu, W, s2 };
    },
  };
  const toModel = (p: P, bound: number, trace: readonly number[], reason: 'converged' | 'max-iterations' | 'aborted') =>
    new MixturePPCAModel({
      components: K,
      dimension: D,
      latentDim: q,
      weights: Array.from(p.w),
      means: Array.from(p.mu),
      W: Array.from(p.W),
      sigma2: Array.from(p.s2),
      lowerBound: bound,
      report: makeFitReport({ reason, ...(reason === 'converged' ? { criterion: 'tol' } : {}), iterations: trace.length, elapsedMs: clock(), trace }),
    });
  const res = yield* emSteps(problem, init, {
    tol,
    maxIterations,
    where: WHERE,
    onProgress: o.onProgress,
    clock,
    partial: (p, bound, trace) => toModel(p, bound, trace, 'aborted'),
  });
  return toModel(res.params, res.bound, res.bounds, res.converged ? 'converged' : 'max-iterations');
  }
}
