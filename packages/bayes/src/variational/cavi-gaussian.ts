/**
 * Coordinate-ascent variational inference for the univariate Gaussian with unknown mean and
 * precision (notes: Mean field approximation, $\log q_j = \mathbb E_{q_{i\ne j}}\log p(X,\theta) + \text{const}$).
 */
import {
  defineOptions,
  digamma,
  type FitLoop,
  type FitProgress,
  type FitReport,
  gammaln,
  makeFitReport,
  NonFiniteError,
  readFitReport,
  readVector,
  runFit,
  runFitAsync,
  type StopReason,
  stopwatch,
} from '@notes/core-linalg';
import { normalGamma, type NormalGammaParams } from '../conjugate/normal-gamma.js';
import { jsonHeader, jsonNumber } from '../internal/fit.js';

/** Options of {@link fitCaviGaussian}. */
export interface CaviGaussianOptions {
  /**
   * Normal–Gamma prior μ | τ ~ N(mean, 1/(κτ)), τ ~ Gamma(shape, rate).
   * @defaultValue `{ mean: 0, kappa: 1, shape: 1, rate: 1 }` (in data units: give a prior on the data's scale)
   */
  prior?: NormalGammaParams;
  /** Cap on sweeps (each sweep = update q(τ), then q(μ)). @defaultValue 200 */
  maxIterations?: number;
  /**
   * Converged (criterion `'tol'`) when the ELBO gain of a sweep is ≤ tol·(1 + |ELBO|) (relative, so the test
   * does not depend on the log-density offset −n·log c of data scaled by c). @defaultValue 1e-12
   */
  tol?: number;
  /** Called after every sweep with `{ iteration, objective: ELBO, elapsedMs }`. */
  onProgress?: (info: FitProgress) => void;
  /** Stops the fit at the next sweep with an `AbortError` (partial: the model so far, reason `'aborted'`). */
  signal?: AbortSignal;
}

const isPrior = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

const OPTIONS = defineOptions<CaviGaussianOptions>()('fitCaviGaussian', {
  prior: { type: 'custom', expected: 'a Normal–Gamma prior { mean, kappa, shape, rate }', check: isPrior, doc: 'prior' },
  maxIterations: { type: 'integer', min: 1, default: 200, doc: 'sweep cap' },
  tol: { type: 'number', greaterThan: 0, default: 1e-12, doc: 'relative ELBO gain that stops the fit' },
  onProgress: { type: 'function', doc: 'progress callback' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

const DEFAULT_PRIOR = Object.freeze({ mean: 0, kappa: 1, shape: 1, rate: 1 });

/** JSON form of a {@link CaviGaussianModel}. */
export interface CaviGaussianJSON {
  kind: 'cavi-gaussian';
  version: 1;
  qMu: { mean: number; variance: number };
  qTau: { shape: number; rate: number };
  report: FitReport;
}

/** The mean-field posterior q(μ)q(τ) = N(μ | mean, variance) · Gamma(τ | shape, rate) fitted by {@link fitCaviGaussian}; immutable. */
export class CaviGaussianModel {
  /** q(μ) = N(mean, variance). */
  readonly qMu: { readonly mean: number; readonly variance: number };
  /** q(τ) = Gamma(shape, rate). */
  readonly qTau: { readonly shape: number; readonly rate: number };
  /**
   * `{ converged, reason: 'converged' (criterion 'tol') | 'max-iterations' | 'aborted', iterations: sweeps, elapsedMs, trace }`;
   * `trace` holds the ELBO after the initialisation and after every single coordinate update (2 per sweep).
   */
  readonly report: FitReport;

  /** @internal use {@link fitCaviGaussian} or {@link CaviGaussianModel.fromJSON} */
  constructor(qMu: { mean: number; variance: number }, qTau: { shape: number; rate: number }, report: FitReport) {
    this.qMu = Object.freeze({ mean: qMu.mean, variance: qMu.variance });
    this.qTau = Object.freeze({ shape: qTau.shape, rate: qTau.rate });
    this.report = report;
    Object.freeze(this);
  }

  /** Final ELBO (the last entry of `report.trace`). */
  get elbo(): number {
    const t = this.report.trace ?? [];
    return t[t.length - 1] as number;
  }

  /** Plain JSON data. */
  toJSON(): CaviGaussianJSON {
    return { kind: 'cavi-gaussian', version: 1, qMu: { ...this.qMu }, qTau: { ...this.qTau }, report: JSON.parse(JSON.stringify(this.report)) };
  }

  /**
   * Inverse of {@link CaviGaussianModel.toJSON}: validates every field (finite mean, variance, shape, rate > 0, the report).
   * @throws DomainError naming the first bad field
   */
  static fromJSON(json: unknown): CaviGaussianModel {
    const W = 'CaviGaussianModel.fromJSON';
    const j = jsonHeader(W, json, 'cavi-gaussian', 1);
    const mu = (j.qMu ?? {}) as Record<string, unknown>;
    const tau = (j.qTau ?? {}) as Record<string, unknown>;
    const pos = (x: number) => x > 0;
    return new CaviGaussianModel(
      { mean: jsonNumber(W, 'qMu.mean', mu.mean), variance: jsonNumber(W, 'qMu.variance', mu.variance, 'a finite number > 0', pos) },
      { shape: jsonNumber(W, 'qTau.shape', tau.shape, 'a finite number > 0', pos), rate: jsonNumber(W, 'qTau.rate', tau.rate, 'a finite number > 0', pos) },
      readFitReport(W, j.report),
    );
  }
}

const LOG_2PI = Math.log(2 * Math.PI);

interface Prepared {
  n: number;
  muN: number;
  ssN: number;
  prior: NormalGammaParams;
  maxIterations: number;
  tol: number;
  onProgress: ((info: FitProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

function prepare(W: string, data: ArrayLike<number>, options: CaviGaussianOptions | undefined): Prepared {
  const o = OPTIONS.parse(options);
  const x = readVector(W, 'data', data);
  const prior = o.prior ?? DEFAULT_PRIOR;
  normalGamma(prior); // validates the prior
  const { mean: m0, kappa: k0 } = prior;
  const n = x.length;
  let sum = 0;
  for (const v of x) sum += v;
  const muN = (k0 * m0 + sum) / (k0 + n);
  let ssN = 0; // Σ (x_i − μ_N)²
  for (const v of x) ssN += (v - muN) ** 2;
  if (!Number.isFinite(ssN) || !Number.isFinite(muN)) {
    // |x| near 1e154 or more: Σ(x − μ_N)² overflows and every ELBO would be NaN
    throw new NonFiniteError(`${W}: argument 'data' overflows (sum of squared deviations is ${ssN}); rescale the data`);
  }
  return { n, muN, ssN, prior, maxIterations: o.maxIterations, tol: o.tol, onProgress: o.onProgress, signal: o.signal };
}

function* caviLoop(p: Prepared): FitLoop<CaviGaussianModel> {
  const clock = stopwatch();
  const { n, muN, ssN } = p;
  const { mean: m0, kappa: k0, shape: a0, rate: b0 } = p.prior;
  const aN = a0 + (n + 1) / 2;
  // initialise q(τ) at the prior mean of τ
  let bN = (aN * b0) / a0;
  let lamN = (k0 + n) * (aN / bN);
  const elboOf = () => {
    const eTau = aN / bN;
    const eLogTau = digamma(aN) - Math.log(bN);
    const vMu = 1 / lamN;
    const lik = (n / 2) * (eLogTau - LOG_2PI) - (eTau / 2) * (ssN + n * vMu);
    const pMu = 0.5 * (Math.log(k0) - LOG_2PI + eLogTau) - ((k0 * eTau) / 2) * ((muN - m0) ** 2 + vMu);
    const pTau = a0 * Math.log(b0) - gammaln(a0) + (a0 - 1) * eLogTau - b0 * eTau;
    const hMu = 0.5 * (1 + LOG_2PI - Math.log(lamN));
    const hTau = aN - Math.log(bN) + gammaln(aN) + (1 - aN) * digamma(aN);
    return lik + pMu + pTau + hMu + hTau;
  };
  const model = (it: number, reason: StopReason, trace: number[]) =>
    new CaviGaussianModel(
      { mean: muN, variance: 1 / lamN },
      { shape: aN, rate: bN },
      makeFitReport({ reason, iterations: it, elapsedMs: clock(), trace, ...(reason === 'converged' ? { criterion: 'tol' } : {}) }),
    );
  const trace = [elboOf()];
  let reason: StopReason = 'max-iterations';
  let it = 0;
  while (it < p.maxIterations) {
    it++;
    const prev = trace[trace.length - 1] as number;
    // q(τ) update: E_μ[Σ(x−μ)² + κ0(μ−μ0)²] = ssN + n/λN + κ0((μN−μ0)² + 1/λN)
    bN = b0 + 0.5 * (ssN + n / lamN + k0 * ((muN - m0) ** 2 + 1 / lamN));
    trace.push(elboOf());
    // q(μ) update
    lamN = (k0 + n) * (aN / bN);
    const e = elboOf();
    trace.push(e);
    p.onProgress?.({ iteration: it, objective: e, elapsedMs: clock() });
    if (e - prev <= p.tol * (1 + Math.abs(e))) {
      reason = 'converged';
      break;
    }
    // the driver calls a checkpoint only while the loop is suspended here, so the current state is the snapshot
    yield () => model(it, 'aborted', trace.slice());
  }
  return model(it, reason, trace);
}

/**
 * CAVI for $x_i\sim\mathcal N(\mu,\tau^{-1})$ with a Normal–Gamma prior and $q(\mu,\tau)=q(\mu)q(\tau)$ (Bishop 2006, §10.1.3):
 * $$q(\mu)=\mathcal N\big(\mu_N, (\kappa_0+n)^{-1}\mathbb E[\tau]^{-1}\big),\ \mu_N=\tfrac{\kappa_0\mu_0+n\bar x}{\kappa_0+n};\qquad
 *   q(\tau)=\mathrm{Gamma}\big(a_0+\tfrac{n+1}2,\ b_0+\tfrac12\mathbb E_\mu[\textstyle\sum_i(x_i-\mu)^2+\kappa_0(\mu-\mu_0)^2]\big).$$
 * The ELBO $\mathbb E_q[\log p(X,\mu,\tau)] + H[q]$ is computed in closed form after every update
 * (`report.trace`), so the trace shows the monotone ascent the notes' algorithm promises.
 *
 * Scale: the prior is in data units; for data on a scale c give a prior on that scale (e.g. `rate` ∝ c²),
 * then the fit is the unit-scale fit rescaled (the default prior suits unit-scale data).
 * @throws DomainError / ShapeError on empty or non-finite data, invalid prior parameters or options; NonFiniteError when
 *   the data are so large that Σ(x − x̄)² overflows; AbortError when `signal` fires (partial: the model so far)
 */
export function fitCaviGaussian(data: ArrayLike<number>, options: CaviGaussianOptions = {}): CaviGaussianModel {
  const p = prepare('fitCaviGaussian', data, options);
  return runFit('fitCaviGaussian', caviLoop(p), { signal: p.signal });
}

/**
 * {@link fitCaviGaussian} that yields to the event loop at least every 50 ms (same options, same model). Each
 * sweep costs O(1) after an O(n) setup, so it rarely runs long; it exists so every fit has an async twin.
 */
export function fitCaviGaussianAsync(data: ArrayLike<number>, options: CaviGaussianOptions = {}): Promise<CaviGaussianModel> {
  try {
    const p = prepare('fitCaviGaussianAsync', data, options);
    return runFitAsync('fitCaviGaussianAsync', caviLoop(p), { signal: p.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}
