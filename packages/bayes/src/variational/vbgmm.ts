/**
 * `fitVariationalGMM`: variational Bayesian Gaussian mixture (notes: Mean field approximation, applied
 * to a mixture; Bishop 2006 §10.2), the model of scikit-learn's `BayesianGaussianMixture` with
 * `weight_concentration_prior_type='dirichlet_distribution'` and full covariances.
 */
import { assertInteger, assertNonNegative, assertPositive, createRng, DomainError, readMatrix, readVector, type Rng, ShapeError, throwIfAborted, withDefaults } from '@notes/core-linalg';
import { type MatrixInput } from '../internal/input.js';
import { readScale } from '../internal/wishart.js';
import { kmeansLabels } from './kmeans.js';
import { elbo, eStep, mStep, type VBPrior } from './vbgmm-math.js';
import { VariationalGMMModel } from './vbgmm-model.js';

/** Options of {@link fitVariationalGMM}; prior defaults follow scikit-learn. */
export interface VariationalGMMOptions {
  /** Number of components K offered. @defaultValue 10 */
  components?: number;
  /** Dirichlet concentration α0 of the weights. @defaultValue 1/K */
  weightConcentration?: number;
  /** β0 of the Normal–Wishart prior. @defaultValue 1 */
  meanPrecision?: number;
  /** m0. @defaultValue the data mean */
  mean?: ArrayLike<number>;
  /** ν0 > d − 1. @defaultValue d */
  degreesOfFreedom?: number;
  /** W0⁻¹ (scikit-learn's `covariance_prior`). @defaultValue the empirical covariance of X (ddof = 1) */
  covariancePrior?: MatrixInput;
  /** Added to the diagonal of each S_k (×N_k); 0 keeps the exact coordinate updates. @defaultValue 0 */
  regCovar?: number;
  /** Iteration cap. @defaultValue 500 */
  maxIterations?: number;
  /** Converged when the ELBO gain of an iteration is below tol. @defaultValue 1e-8 */
  tol?: number;
  /** Initial hard labels (0..K−1 per row), or k-means++ with the seed. @defaultValue 'kmeans' */
  init?: 'kmeans' | ArrayLike<number>;
  /** @defaultValue 0 */
  seed?: number;
  rng?: Rng;
  onProgress?: (info: { iteration: number; elbo: number; elapsed: number }) => void;
  signal?: AbortSignal;
}

const DEFAULTS = {
  components: 10,
  meanPrecision: 1,
  regCovar: 0,
  maxIterations: 500,
  tol: 1e-8,
  init: 'kmeans',
  seed: 0,
} satisfies Pick<Required<VariationalGMMOptions>, 'components' | 'meanPrecision' | 'regCovar' | 'maxIterations' | 'tol' | 'init' | 'seed'>;

/**
 * Coordinate ascent on $q(Z)\,q(\pi)\prod_k q(\mu_k,\Lambda_k)$ for
 * $\pi\sim\mathrm{Dir}(\alpha_0)$, $(\mu_k,\Lambda_k)\sim\mathcal N(m_0,(\beta_0\Lambda_k)^{-1})\mathcal W(W_0,\nu_0)$:
 * E-step $\ln\rho_{nk} = \mathbb E\ln\pi_k + \tfrac12\mathbb E\ln|\Lambda_k| - \tfrac d2\ln2\pi - \tfrac d{2\beta_k} - \tfrac{\nu_k}2(x_n-m_k)^\top W_k(x_n-m_k)$,
 * M-step the Normal–Wishart/Dirichlet updates. The ELBO (with all constants) is recorded after every
 * iteration and never decreases (with `regCovar = 0`). Components the data do not need shrink to weight ≈ α0/(Kα0+n).
 * @throws ShapeError / NonFiniteError for bad X; DomainError naming the option for invalid priors (non-PD covariancePrior, ν0 ≤ d − 1 …)
 */
export function fitVariationalGMM(X: MatrixInput, options: VariationalGMMOptions = {}): VariationalGMMModel {
  const W = 'fitVariationalGMM';
  const { rows: n, columns: d, data } = readMatrix(W, 'X', X);
  const o = withDefaults(DEFAULTS, options);
  const K = o.components;
  assertInteger(W, 'components', K, 1);
  if (n < 2) throw new ShapeError(`${W}: argument 'X' must have at least 2 rows, got ${n}`);
  const alpha0 = o.weightConcentration ?? 1 / K;
  assertPositive(W, 'weightConcentration', alpha0);
  assertPositive(W, 'meanPrecision', o.meanPrecision);
  assertNonNegative(W, 'regCovar', o.regCovar);
  assertInteger(W, 'maxIterations', o.maxIterations, 1);
  assertPositive(W, 'tol', o.tol);
  const nu0 = o.degreesOfFreedom ?? d;
  assertPositive(W, 'degreesOfFreedom', nu0);
  if (!(nu0 > d - 1)) throw new DomainError(`${W}: argument 'degreesOfFreedom' must be > d − 1 = ${d - 1}, got ${nu0}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] = (mean[a] as number) + (data[i * d + a] as number) / n;
  const m0 = o.mean === undefined ? mean : readVector(W, 'mean', o.mean);
  if (m0.length !== d) throw new ShapeError(`${W}: argument 'mean' must have length ${d} (columns of X), got ${m0.length}`);
  let W0inv: Float64Array;
  if (o.covariancePrior === undefined) {
    W0inv = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          W0inv[a * d + b] = (W0inv[a * d + b] as number) + (((data[i * d + a] as number) - (mean[a] as number)) * ((data[i * d + b] as number) - (mean[b] as number))) / (n - 1);
        }
      }
    }
    readScale(W, 'X (empirical covariance)', toNestedRows(W0inv, d), d);
  } else W0inv = readScale(W, 'covariancePrior', o.covariancePrior, d).scale;
  const prior: VBPrior = { alpha0, beta0: o.meanPrecision, m0, nu0, W0inv, regCovar: o.regCovar };
  const rng = o.rng ?? createRng(o.seed);
  let labels: Int32Array;
  if (o.init === 'kmeans') labels = kmeansLabels(data, n, d, K, rng);
  else {
    const l = readVector(W, 'init', o.init);
    if (l.length !== n) throw new ShapeError(`${W}: argument 'init' must have length ${n} (rows of X), got ${l.length}`);
    for (const [i, v] of l.entries()) {
      if (!Number.isInteger(v) || v < 0 || v >= K) throw new DomainError(`${W}: argument 'init' must hold labels in 0..${K - 1}, got ${v} at [${i}]`);
    }
    labels = Int32Array.from(l);
  }
  let r: Float64Array = new Float64Array(n * K);
  for (let i = 0; i < n; i++) r[i * K + (labels[i] as number)] = 1;
  let q = mStep(data, n, d, K, r, prior);
  const trace = [elbo(data, n, d, K, r, q, prior)];
  const start = Date.now();
  let converged = false;
  let it = 0;
  while (it < o.maxIterations) {
    throwIfAborted(W, o.signal);
    it++;
    r = eStep(data, n, d, K, q);
    q = mStep(data, n, d, K, r, prior);
    const e = elbo(data, n, d, K, r, q, prior);
    const prev = trace[trace.length - 1] as number;
    trace.push(e);
    o.onProgress?.({ iteration: it, elbo: e, elapsed: Date.now() - start });
    if (Math.abs(e - prev) < o.tol) {
      converged = true;
      break;
    }
  }
  return new VariationalGMMModel({
    dimension: d,
    components: K,
    alpha: Array.from(q.alpha),
    beta: Array.from(q.beta),
    means: Array.from(q.m),
    nu: Array.from(q.nu),
    scaleInverse: Array.from(q.Winv),
    elboTrace: trace,
    converged,
    iterations: it,
  });
}

function toNestedRows(a: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(a.subarray(i * d, i * d + d)));
}
