/**
 * Bayesian linear / basis-function regression (notes: Bayesian Regression). Prior $w\sim\mathcal N(0, S)$ with
 * $S = \alpha^{-1}I$, likelihood $y\mid w \sim \mathcal N(\Phi w, \beta^{-1}I)$ ($\beta = \sigma^{-2}$):
 * $$\Sigma_w = (\beta\Phi^\top\Phi + S^{-1})^{-1},\qquad \mu_w = \beta\,\Sigma_w\Phi^\top y$$
 * (the notes write $\mu_w = \sigma^{-2}\Sigma_N\Phi^\top y$; $\Sigma_N$ is $\Sigma_w$). Predictive at $x_*$:
 * mean $\varphi_*^\top\mu_w$, variance of f $\varphi_*^\top\Sigma_w\varphi_*$ (plus $\beta^{-1}$ for a new y).
 * Log evidence (Bishop 2006, eq. 3.86), $A = \Sigma_w^{-1}$:
 * $$\log p(y) = \tfrac M2\log\alpha + \tfrac n2\log\beta - \tfrac\beta2\lVert y-\Phi\mu_w\rVert^2 - \tfrac\alpha2\mu_w^\top\mu_w - \tfrac12\log|A| - \tfrac n2\log 2\pi$$
 * MacKay's evidence updates (Bishop eqs. 3.91–3.95): $\gamma = \sum_i \lambda_i/(\alpha+\lambda_i)$ with $\lambda_i$ the
 * eigenvalues of $\beta\Phi^\top\Phi$, $\alpha \leftarrow \gamma/\mu_w^\top\mu_w$, $\beta^{-1} \leftarrow \lVert y - \Phi\mu_w\rVert^2/(n-\gamma)$.
 */
import {
  DomainError,
  assertFinite,
  assertInteger,
  assertLength,
  assertPositive,
  cholesky,
  fromRowMajor,
  throwIfAborted,
  withDefaults,
} from '@notes/core-linalg';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { PointsInput } from '../kernels/points.js';
import { type Basis, type BasisJSON, basisFromJSON, designMatrix } from './basis.js';

/** Options of {@link fitBayesianRegression}. */
export interface BayesianRegressionOptions {
  /** Prior precision α ($S = \alpha^{-1}I$); the start value when `optimize`. @defaultValue 1 */
  alpha?: number;
  /** Noise precision β = 1/σ²; the start value when `optimize`. @defaultValue 1 */
  beta?: number;
  /** Re-estimate α and β by MacKay's evidence updates. @defaultValue false */
  optimize?: boolean;
  /** Iteration cap of the updates. @defaultValue 200 */
  maxIterations?: number;
  /** Stop when the log evidence changes by less than tol. @defaultValue 1e-10 */
  tol?: number;
  signal?: AbortSignal;
}

const DEFAULTS = { alpha: 1, beta: 1, optimize: false, maxIterations: 200, tol: 1e-10 };

/** JSON of a {@link BayesianRegressionModel}. */
export interface BayesianRegressionJSON {
  kind: 'bayesian-regression';
  version: 1;
  basis: BasisJSON;
  alpha: number;
  beta: number;
  mean: number[];
  covariance: number[][];
  logEvidence: number;
  report: { converged: boolean; iterations: number; reason: string };
}

interface Posterior {
  mean: Float64Array;
  cov: Float64Array;
  logEvidence: number;
  resid2: number;
}

function posterior(phi: Float64Array, n: number, M: number, y: Float64Array, alpha: number, beta: number): Posterior {
  // A = β ΦᵀΦ + α I
  const A = new Float64Array(M * M);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < M; a++) {
      const pa = phi[i * M + a];
      for (let b = 0; b <= a; b++) A[a * M + b] += beta * pa * phi[i * M + b];
    }
  }
  for (let a = 0; a < M; a++) {
    A[a * M + a] += alpha;
    for (let b = 0; b < a; b++) A[b * M + a] = A[a * M + b];
  }
  const f = cholesky(fromRowMajor(A, M, M));
  const rhs = new Float64Array(M);
  for (let i = 0; i < n; i++) for (let a = 0; a < M; a++) rhs[a] += beta * phi[i * M + a] * y[i];
  const mean = f.solve(rhs);
  const cov = Float64Array.from(f.inverse().to1DArray());
  let resid2 = 0;
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let a = 0; a < M; a++) p += phi[i * M + a] * mean[a];
    resid2 += (y[i] - p) ** 2;
  }
  let mm = 0;
  for (const v of mean) mm += v * v;
  const logEvidence =
    0.5 * M * Math.log(alpha) + 0.5 * n * Math.log(beta) - 0.5 * beta * resid2 - 0.5 * alpha * mm - 0.5 * f.logDet() - 0.5 * n * Math.log(2 * Math.PI);
  return { mean, cov, logEvidence, resid2 };
}

/** Fitted Bayesian regression; build with {@link fitBayesianRegression}. Immutable. */
export class BayesianRegressionModel {
  readonly basis: Basis;
  /** Prior precision α. */
  readonly alpha: number;
  /** Noise precision β. */
  readonly beta: number;
  /** Posterior mean $\mu_w$. */
  readonly mean: Float64Array;
  /** Posterior covariance $\Sigma_w$ (M × M). */
  readonly covariance: Matrix;
  /** $\log p(y\mid\alpha,\beta)$. */
  readonly logEvidence: number;
  readonly report: { converged: boolean; iterations: number; reason: string };
  readonly #cov: Float64Array;

  /** @internal */
  constructor(basis: Basis, alpha: number, beta: number, p: Posterior, report: { converged: boolean; iterations: number; reason: string }) {
    this.basis = basis;
    this.alpha = alpha;
    this.beta = beta;
    this.mean = p.mean;
    this.#cov = p.cov;
    this.covariance = fromRowMajor(p.cov, basis.size, basis.size);
    this.logEvidence = p.logEvidence;
    this.report = Object.freeze({ ...report });
    Object.freeze(this);
  }

  /** Predictive mean, variance of f, and variance of a new noisy y ($+\beta^{-1}$). */
  predict(Xs: PointsInput): { mean: Float64Array; variance: Float64Array; noisyVariance: Float64Array } {
    const M = this.basis.size;
    const { phi, n } = designMatrix(this.basis, Xs, 'BayesianRegressionModel.predict', 'Xs');
    const mean = new Float64Array(n);
    const variance = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let m = 0;
      let v = 0;
      for (let a = 0; a < M; a++) {
        m += phi[i * M + a] * this.mean[a];
        let s = 0;
        for (let b = 0; b < M; b++) s += this.#cov[a * M + b] * phi[i * M + b];
        v += phi[i * M + a] * s;
      }
      mean[i] = m;
      variance[i] = Math.max(0, v);
    }
    return { mean, variance, noisyVariance: variance.map((v) => v + 1 / this.beta) };
  }

  toJSON(): BayesianRegressionJSON {
    return {
      kind: 'bayesian-regression',
      version: 1,
      basis: this.basis.toJSON(),
      alpha: this.alpha,
      beta: this.beta,
      mean: Array.from(this.mean),
      covariance: this.covariance.to2DArray(),
      logEvidence: this.logEvidence,
      report: { ...this.report },
    };
  }

  static fromJSON(json: BayesianRegressionJSON): BayesianRegressionModel {
    if (json?.kind !== 'bayesian-regression') throw new DomainError("BayesianRegressionModel.fromJSON: expected kind 'bayesian-regression'");
    const p: Posterior = { mean: Float64Array.from(json.mean), cov: Float64Array.from(json.covariance.flat()), logEvidence: json.logEvidence, resid2: 0 };
    return new BayesianRegressionModel(basisFromJSON(json.basis), json.alpha, json.beta, p, json.report);
  }
}

/**
 * Fits Bayesian basis-function regression, optionally maximising the evidence over α, β (MacKay).
 * @throws NonFiniteError / ShapeError for bad X or y; DomainError for non-positive α, β.
 * @example fitBayesianRegression([[0], [1], [2]], [1, 3, 5], { basis: polynomialBasis(1), optimize: true }).mean
 */
export function fitBayesianRegression(
  X: PointsInput,
  y: ArrayLike<number>,
  options: BayesianRegressionOptions & { basis: Basis },
): BayesianRegressionModel {
  const o = withDefaults(DEFAULTS, options);
  const where = 'fitBayesianRegression';
  assertPositive(where, 'options.alpha', o.alpha);
  assertPositive(where, 'options.beta', o.beta);
  assertInteger(where, 'options.maxIterations', o.maxIterations, 1);
  const { phi, n } = designMatrix(o.basis, X, where, 'X');
  assertLength(where, 'y', y, n, 'rows of X');
  assertFinite(where, 'y', y);
  const yv = Float64Array.from(y);
  const M = o.basis.size;
  let { alpha, beta } = o;
  let post = posterior(phi, n, M, yv, alpha, beta);
  const report = { converged: true, iterations: 0, reason: 'not-optimized' };
  if (o.optimize) {
    // eigenvalues of ΦᵀΦ (λ_i of βΦᵀΦ = β·eig)
    const G = new Matrix(M, M);
    for (let a = 0; a < M; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += phi[i * M + a] * phi[i * M + b];
        G.set(a, b, s);
        G.set(b, a, s);
      }
    }
    const eig = new EigenvalueDecomposition(G, { assumeSymmetric: true }).realEigenvalues.map((v) => Math.max(v, 0));
    report.converged = false;
    report.reason = 'maxIterations';
    for (let it = 1; it <= o.maxIterations; it++) {
      throwIfAborted(where, o.signal);
      let gamma = 0;
      for (const e of eig) gamma += (beta * e) / (alpha + beta * e);
      let mm = 0;
      for (const v of post.mean) mm += v * v;
      alpha = gamma / Math.max(mm, 1e-300);
      beta = Math.max(n - gamma, 1e-12) / Math.max(post.resid2, 1e-300);
      const next = posterior(phi, n, M, yv, alpha, beta);
      const delta = Math.abs(next.logEvidence - post.logEvidence);
      post = next;
      report.iterations = it;
      if (delta < o.tol) {
        report.converged = true;
        report.reason = 'tolerance';
        break;
      }
    }
  }
  return new BayesianRegressionModel(o.basis, alpha, beta, post, report);
}
