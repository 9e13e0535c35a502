/**
 * `fitPPCA`: probabilistic PCA by the Tipping–Bishop closed form or by EM (notes: "Mixture PCA";
 * Tipping & Bishop 1999, J. R. Stat. Soc. B 61(3); Bishop PRML §12.2).
 *
 * Closed form: with $S=\tfrac1n\sum_i(x_i-\bar x)(x_i-\bar x)^\top = U\Lambda U^\top$,
 * $\sigma^2_{\rm ML} = \tfrac1{D-q}\sum_{j>q}\lambda_j$ and $W_{\rm ML} = U_q(\Lambda_q-\sigma^2 I)^{1/2}$.
 *
 * EM (the notes' "latent1" model $\mathcal N(x\mid Vz+\mu,\sigma^2I)\mathcal N(z\mid0,I)$), one iteration in
 * O(nDq): E-step $\mathbb E[z_i]=M_i^{-1}W_o^\top(x_{i,o}-\mu_o)$, $\mathbb E[z_iz_i^\top]=\sigma^2M_i^{-1}+\mathbb E[z_i]\mathbb E[z_i]^\top$;
 * M-step per coordinate $j$ over the samples where it is observed:
 * $\mu_j = \mathrm{mean}(x_{ij}-w_j^\top\mathbb E[z_i])$, $w_j = (\sum_i\mathbb E[z_iz_i^\top])^{-1}\sum_i\mathbb E[z_i](x_{ij}-\mu_j)$,
 * $\sigma^2 = \tfrac1{|O|}\sum_{(i,j)\in O}[(x_{ij}-\mu_j-w_j^\top\mathbb E[z_i])^2 + w_j^\top\mathrm{Cov}[z_i]w_j]$.
 * With complete data this is exactly Tipping & Bishop's EM (eq. 27–30) since μ stays at the sample mean;
 * with missing entries (`missing: 'nan'`) it is the observed-data EM of Ilin & Raiko (2010, §3.2): the
 * conditional-maximisation order (μ, then W, then σ²) keeps every step monotone in
 * $\sum_i\log\mathcal N(x_{i,o}\mid\mu_o, W_oW_o^\top+\sigma^2I)$, which is the bound recorded per iteration.
 */
import {
  choleskySolve,
  DomainError,
  defineOptions,
  type FitLoop,
  type FitProgress,
  makeFitReport,
  type Rng,
  resolveRng,
  runFit,
  runFitAsync,
  ShapeError,
  stopwatch,
} from '@notes/core-linalg';
import { emSteps } from '../em/em.js';
import { assertScatterRepresentable, fromMatrix, MAX_DECOMPOSABLE_SCATTER, type MatrixInput, readData } from '../util/data.js';
import { PPCAModel, ppcaPosterior } from './ppca-model.js';
import { scatter, symmetricEigen } from './symmetric-eigen.js';

/** Progress of the EM fit of {@link fitPPCA}. */
export interface PPCAProgress extends FitProgress {
  /** Mean log-likelihood per sample at this iteration's E-step (= `objective`, maximised). */
  readonly lowerBound: number;
  /** Change from the previous iteration (Infinity on the first). */
  readonly change: number;
}

/** Options of {@link fitPPCA}. */
export interface PPCAOptions {
  /** Latent dimension q (1 ≤ q < D). */
  components: number;
  /** @defaultValue 'closed-form' */
  method?: 'closed-form' | 'em';
  /** `'nan'`: NaN entries are missing values (EM only); `'error'`: NaN is an error. @defaultValue 'error' */
  missing?: 'error' | 'nan';
  /** EM stops when the mean log-likelihood per sample changes by less than this (criterion 'tol'; invariant to the data's scale). @defaultValue 1e-8 */
  tol?: number;
  /** EM iteration cap. @defaultValue 1000 */
  maxIterations?: number;
  /** Seed of the random initial W. Give `seed` or `rng`, not both. @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng`. */
  rng?: Rng;
  /** Called after every EM iteration. */
  onProgress?: (info: PPCAProgress) => void;
  /** Stops EM between iterations with `AbortError` (partial: the current model, reason 'aborted'). */
  signal?: AbortSignal;
}

/** Option table of {@link fitPPCA}. */
export const PPCA_OPTIONS = defineOptions<PPCAOptions>()('fitPPCA', {
  components: { type: 'integer', min: 1, doc: 'latent dimension q (required)' },
  method: { type: 'enum', values: ['closed-form', 'em'], default: 'closed-form' },
  missing: { type: 'enum', values: ['error', 'nan'], default: 'error' },
  tol: { type: 'number', min: 0, default: 1e-8 },
  maxIterations: { type: 'integer', min: 1, max: 1e9, default: 1000 },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
});

/** Defaults of {@link PPCAOptions}. */
export const PPCA_DEFAULTS = PPCA_OPTIONS.defaults;

/**
 * Fits probabilistic PCA. Returns the model; closed form: `report.reason` `'completed'`; EM: `'converged'`
 * (criterion `'tol'`) or `'max-iterations'` with the bound per iteration in `report.trace`.
 * @example const m = fitPPCA(X, { components: 2, method: 'em' }); m.sigma2; m.covariance();
 * @throws ShapeError (fewer than 2 rows), NonFiniteError (NaN without `missing: 'nan'`, ±Infinity),
 *   DomainError (bad or unknown options, q ≥ D, closed form with missing values, a column or row with no
 *   observed value), AbortError (EM; partial: the current model).
 */
export function fitPPCA(X: MatrixInput, options: PPCAOptions): PPCAModel {
  return runFit('fitPPCA', prepare('fitPPCA', X, options), { signal: options?.signal });
}

/**
 * {@link fitPPCA} on the asynchronous driver (the same EM loop), yielding to the event loop at least every 50 ms.
 * @throws (rejects with) the errors of {@link fitPPCA}.
 */
export async function fitPPCAAsync(X: MatrixInput, options: PPCAOptions): Promise<PPCAModel> {
  return runFitAsync('fitPPCAAsync', prepare('fitPPCAAsync', X, options), { signal: options?.signal });
}

function prepare(WHERE: string, X: unknown, options: PPCAOptions): FitLoop<PPCAModel> {
  const o = PPCA_OPTIONS.parse(options);
  if (o.components === undefined) throw new DomainError(`${WHERE}: option 'components' is required`);
  const missing = o.missing;
  const Dn = readData(WHERE, 'X', X, missing === 'nan');
  const { n, d: D, data } = Dn;
  if (n < 2) throw new ShapeError(`${WHERE}: argument 'X' must have at least 2 rows, got ${n}`);
  const q = o.components;
  if (q > D - 1) throw new DomainError(`${WHERE}: option 'components' must be an integer in [1, ${D - 1}] (below the dimension), got ${q}`);
  const method = o.method;
  const tol = o.tol;
  const maxIterations = o.maxIterations;
  assertScatterRepresentable(WHERE, 'X', Dn, MAX_DECOMPOSABLE_SCATTER);
  const rng = resolveRng(WHERE, o, 0);
  const clock = stopwatch();
  const obs = new Uint8Array(n * D);
  let anyMissing = false;
  for (let t = 0; t < n * D; t++) {
    obs[t] = Number.isNaN(data[t]) ? 0 : 1;
    if (!obs[t]) anyMissing = true;
  }
  const colCount = new Float64Array(D);
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    let rowObs = 0;
    for (let j = 0; j < D; j++) {
      if (!obs[i * D + j]) continue;
      rowObs += 1;
      colCount[j] += 1;
      mean[j] += data[i * D + j] as number;
    }
    if (rowObs === 0) throw new DomainError(`${WHERE}: argument 'X' row ${i} has no observed value`);
  }
  for (let j = 0; j < D; j++) {
    if ((colCount[j] as number) < 2) throw new DomainError(`${WHERE}: argument 'X' column ${j} has fewer than 2 observed values`);
    mean[j] = (mean[j] as number) / (colCount[j] as number);
  }

  if (method === 'closed-form') {
    if (anyMissing) throw new DomainError(`${WHERE}: missing values need method 'em'`);
    const { values, vectors } = symmetricEigen(scatter(data, n, D, mean, n));
    let s2 = 0;
    for (let j = q; j < D; j++) s2 += Math.max(0, values[j] as number);
    s2 /= D - q;
    if (!(s2 > 0)) throw new DomainError(`${WHERE}: the data lie in a ${q}-dimensional subspace (σ² = 0); use fewer components`);
    const U = fromMatrix(vectors);
    const W = new Float64Array(D * q);
    for (let c = 0; c < q; c++) {
      const scale = Math.sqrt(Math.max(0, (values[c] as number) - s2));
      for (let j = 0; j < D; j++) W[j * q + c] = (U[j * D + c] as number) * scale;
    }
    const base = { method, dimension: D, components: q, W: Array.from(W), sigma2: s2, mean: Array.from(mean) };
    const report = makeFitReport({ reason: 'completed', iterations: 0, elapsedMs: clock() });
    const ll = new PPCAModel({ ...base, lowerBound: 0, report }).logLikelihood(denseRows(data, n, D)) / n;
    const model = new PPCAModel({ ...base, lowerBound: ll, report: makeFitReport({ reason: 'completed', iterations: 0, elapsedMs: clock() }) });
    // biome-ignore lint/correctness/useYield: the closed form has no iterations to yield
    return (function* (): FitLoop<PPCAModel> {
      return model;
    })();
  }

  // ---- EM ----
  let varMean = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) if (obs[i * D + j]) varMean += ((data[i * D + j] as number) - (mean[j] as number)) ** 2;
  varMean /= colCount.reduce((s, v) => s + v, 0);
  const W0 = new Float64Array(D * q);
  for (let t = 0; t < D * q; t++) W0[t] = rng.normal() * Math.sqrt(varMean);
  interface P { W: Float64Array; mu: Float64Array; s2: number }
  interface E { Ez: Float64Array; Minv: Float64Array }
  const problem = {
    eStep(p: P) {
      const Ez = new Float64Array(n * q);
      const Minv = new Float64Array(n * q * q);
      let ll = 0;
      for (let i = 0; i < n; i++) {
        const post = ppcaPosterior(p.W, p.s2, p.mu, data, i * D, D, q, (j) => obs[i * D + j] === 1);
        Ez.set(post.Ez, i * q);
        Minv.set(post.Minv, i * q * q);
        ll += post.logp;
      }
      return { bound: ll / n, expectations: { Ez, Minv } };
    },
    mStep(p: P, e: E): P {
      const mu = new Float64Array(D);
      const W = new Float64Array(D * q);
      const A = new Array<number[]>(q);
      const b = new Float64Array(q);
      let sse = 0;
      let count = 0;
      for (let j = 0; j < D; j++) {
        // μ_j with the old w_j
        let s = 0;
        for (let i = 0; i < n; i++) {
          if (!obs[i * D + j]) continue;
          let wz = 0;
          for (let a = 0; a < q; a++) wz += (p.W[j * q + a] as number) * (e.Ez[i * q + a] as number);
          s += (data[i * D + j] as number) - wz;
        }
        mu[j] = s / (colCount[j] as number);
        // w_j = (Σ E[zzᵀ])⁻¹ Σ E[z](x_ij − μ_j)
        for (let a = 0; a < q; a++) A[a] = new Array<number>(q).fill(0);
        b.fill(0);
        for (let i = 0; i < n; i++) {
          if (!obs[i * D + j]) continue;
          const r = (data[i * D + j] as number) - (mu[j] as number);
          for (let a = 0; a < q; a++) {
            const za = e.Ez[i * q + a] as number;
            b[a] += za * r;
            const Aa = A[a] as number[];
            for (let c = 0; c < q; c++) Aa[c] = (Aa[c] as number) + p.s2 * (e.Minv[i * q * q + a * q + c] as number) + za * (e.Ez[i * q + c] as number);
          }
        }
        W.set(choleskySolve(A, b), j * q);
        // σ² contributions with the new μ_j, w_j
        for (let i = 0; i < n; i++) {
          if (!obs[i * D + j]) continue;
          let wz = 0;
          let wSw = 0;
          for (let a = 0; a < q; a++) {
            const wa = W[j * q + a] as number;
            wz += wa * (e.Ez[i * q + a] as number);
            for (let c = 0; c < q; c++) wSw += wa * p.s2 * (e.Minv[i * q * q + a * q + c] as number) * (W[j * q + c] as number);
          }
          sse += ((data[i * D + j] as number) - (mu[j] as number) - wz) ** 2 + wSw;
          count += 1;
        }
      }
      return { W, mu, s2: sse / count };
    },
  };
  const toModel = (p: P, bound: number, trace: readonly number[], reason: 'converged' | 'max-iterations' | 'aborted') =>
    new PPCAModel({
      method,
      dimension: D,
      components: q,
      W: Array.from(p.W),
      sigma2: p.s2,
      mean: Array.from(p.mu),
      lowerBound: bound,
      report: makeFitReport({ reason, ...(reason === 'converged' ? { criterion: 'tol' } : {}), iterations: trace.length, elapsedMs: clock(), trace }),
    });
  return (function* (): FitLoop<PPCAModel> {
    const res = yield* emSteps(problem, { W: W0, mu: mean, s2: varMean }, {
      tol,
      maxIterations,
      where: WHERE,
      onProgress: o.onProgress,
      clock,
      partial: (p, bound, trace) => toModel(p, bound, trace, 'aborted'),
    });
    return toModel(res.params, res.bound, res.bounds, res.converged ? 'converged' : 'max-iterations');
  })();
}

function denseRows(data: Float64Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
}
