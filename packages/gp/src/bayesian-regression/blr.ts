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
  type FitProgress,
  type FitReport,
  type FitLoop,
  NonFiniteError,
  cholesky,
  defineOptions,
  describeValue,
  fromRowMajor,
  makeFitReport,
  readFitReport,
  readMatrix,
  readVector,
  runFit,
  runFitAsync,
  stopwatch,
} from '@notes/core-linalg';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { PointsInput } from '../kernels/points.js';
import { type Basis, type BasisJSON, basisFromJSON, designMatrix } from './basis.js';

/** Progress of {@link fitBayesianRegression} (after every evidence update). */
export interface BayesianRegressionProgress extends FitProgress {
  /** Log evidence plus the log hyperprior terms (the maximised objective). */
  readonly objective: number;
  readonly alpha: number;
  readonly beta: number;
}

/** Options of {@link fitBayesianRegression}. */
export interface BayesianRegressionOptions {
  /** The feature map φ (required). */
  basis?: Basis;
  /** Prior precision α ($S = \alpha^{-1}I$); the start value when `optimize`. @defaultValue 1 */
  alpha?: number;
  /** Noise precision β = 1/σ²; the start value when `optimize`. @defaultValue 1 */
  beta?: number;
  /** Re-estimate α and β by MacKay's evidence updates. @defaultValue false */
  optimize?: boolean;
  /**
   * Gamma hyperprior on α as `[a1, a2]`: adds $a_1\log\alpha - a_2\alpha$ to the maximised log evidence
   * (scikit-learn `BayesianRidge`'s `lambda_1, lambda_2`; a Gamma(a1 + 1, rate a2) density). @defaultValue [0, 0] (none)
   */
  alphaPrior?: readonly [number, number];
  /**
   * Gamma hyperprior on β as `[b1, b2]`: adds $b_1\log\beta - b_2\beta$ (scikit-learn's `alpha_1, alpha_2`).
   * @defaultValue [0, 0] (none)
   */
  betaPrior?: readonly [number, number];
  /** Iteration cap of the updates. @defaultValue 200 */
  maxIterations?: number;
  /** Stop when the objective (log evidence + hyperprior) changes by less than tol·max(1, |objective|). @defaultValue 1e-12 */
  tol?: number;
  onProgress?: (info: BayesianRegressionProgress) => void;
  signal?: AbortSignal;
}

const isPrior = (v: unknown) =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);

const OPTIONS = defineOptions<BayesianRegressionOptions>()('fitBayesianRegression', {
  basis: {
    type: 'custom',
    expected: 'a basis (polynomialBasis, rbfBasis, fourierBasis)',
    check: (b) => typeof b === 'object' && b !== null && typeof (b as Basis).features === 'function' && Number.isInteger((b as Basis).size),
  },
  alpha: { type: 'number', greaterThan: 0, default: 1 },
  beta: { type: 'number', greaterThan: 0, default: 1 },
  optimize: { type: 'boolean', default: false },
  alphaPrior: { type: 'custom', expected: '[a1, a2] with finite numbers >= 0', check: isPrior },
  betaPrior: { type: 'custom', expected: '[b1, b2] with finite numbers >= 0', check: isPrior },
  maxIterations: { type: 'integer', min: 1, max: 1e7, default: 200 },
  tol: { type: 'number', min: 0, lessThan: 1, default: 1e-12 },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
});

/** JSON of a {@link BayesianRegressionModel}. */
export interface BayesianRegressionJSON {
  kind: 'bayesian-regression';
  version: 2;
  basis: BasisJSON;
  alpha: number;
  beta: number;
  mean: number[];
  covariance: number[][];
  logEvidence: number;
  report: FitReport;
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
  /** $\log p(y\mid\alpha,\beta)$. */
  readonly logEvidence: number;
  /** Fit report: `'completed'` with 0 iterations without `optimize`; else `'converged'` (criterion `'tol'`) or `'max-iterations'`. */
  readonly report: FitReport;
  readonly #mean: Float64Array;
  readonly #cov: Float64Array;

  /** @internal use {@link fitBayesianRegression} or {@link BayesianRegressionModel.fromJSON}. */
  constructor(basis: Basis, alpha: number, beta: number, p: Posterior, report: FitReport) {
    this.basis = basis;
    this.alpha = alpha;
    this.beta = beta;
    this.#mean = p.mean;
    this.#cov = p.cov;
    this.logEvidence = p.logEvidence;
    this.report = report;
    Object.freeze(this);
  }

  /** Posterior mean $\mu_w$; a copy on every call (the model stays unchanged). */
  get mean(): Float64Array {
    return this.#mean.slice();
  }

  /** Posterior covariance $\Sigma_w$ (M × M); a new `Matrix` on every call. */
  get covariance(): Matrix {
    return fromRowMajor(this.#cov, this.basis.size, this.basis.size);
  }

  /**
   * Predictive mean, variance and std of f, and variance of a new noisy y ($+\beta^{-1}$; scikit-learn's
   * `return_std` is √noisyVariance).
   * @throws ShapeError / DomainError / NonFiniteError for bad `Xs`.
   */
  predict(Xs: PointsInput): { mean: Float64Array; variance: Float64Array; std: Float64Array; noisyVariance: Float64Array } {
    const M = this.basis.size;
    const { phi, n } = designMatrix(this.basis, Xs, 'BayesianRegressionModel.predict', 'Xs');
    const mean = new Float64Array(n);
    const variance = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let m = 0;
      let v = 0;
      for (let a = 0; a < M; a++) {
        m += phi[i * M + a] * this.#mean[a];
        let s = 0;
        for (let b = 0; b < M; b++) s += this.#cov[a * M + b] * phi[i * M + b];
        v += phi[i * M + a] * s;
      }
      mean[i] = m;
      variance[i] = Math.max(0, v);
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(mean[i]) || !Number.isFinite(variance[i])) {
        throw new NonFiniteError(`BayesianRegressionModel.predict: the prediction at row ${i} of 'Xs' is not finite; rescale the inputs`);
      }
    }
    return { mean, variance, std: variance.map(Math.sqrt), noisyVariance: variance.map((v) => v + 1 / this.beta) };
  }

  toJSON(): BayesianRegressionJSON {
    return {
      kind: 'bayesian-regression',
      version: 2,
      basis: this.basis.toJSON(),
      alpha: this.alpha,
      beta: this.beta,
      mean: Array.from(this.#mean),
      covariance: Array.from({ length: this.basis.size }, (_, i) => Array.from(this.#cov.subarray(i * this.basis.size, (i + 1) * this.basis.size))),
      logEvidence: this.logEvidence,
      report: { ...this.report, ...(this.report.trace ? { trace: [...this.report.trace] } : {}) },
    };
  }

  /**
   * Rebuilds a model from {@link BayesianRegressionModel.toJSON}; every field is validated (basis, α, β > 0,
   * mean of length M, covariance M×M symmetric with a positive diagonal, finite log evidence, report).
   * @throws DomainError / ShapeError / NonFiniteError naming the field.
   */
  static fromJSON(json: BayesianRegressionJSON): BayesianRegressionModel {
    const where = 'BayesianRegressionModel.fromJSON';
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
    }
    if (json.kind !== 'bayesian-regression' || json.version !== 2) {
      throw new DomainError(`${where}: expected kind 'bayesian-regression', version 2, got ${describeValue(json.kind)}, ${describeValue(json.version)}`);
    }
    const basis = basisFromJSON(json.basis);
    const M = basis.size;
    for (const key of ['alpha', 'beta'] as const) {
      const v = json[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new DomainError(`${where}: field '${key}' must be a finite number > 0, got ${describeValue(v)}`);
    }
    const mean = readVector(where, 'mean', json.mean, { length: M });
    const cov = readMatrix(where, 'covariance', json.covariance, { rows: M, columns: M });
    for (let a = 0; a < M; a++) {
      if (!((cov.data[a * M + a] as number) > 0)) throw new DomainError(`${where}: field 'covariance' must have a positive diagonal, got ${describeValue(cov.data[a * M + a])} at [${a}, ${a}]`);
      for (let b = 0; b < a; b++) {
        const x = cov.data[a * M + b] as number;
        const y = cov.data[b * M + a] as number;
        if (Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y), 1e-300) && x !== y) {
          throw new DomainError(`${where}: field 'covariance' must be symmetric, got ${x} at [${a}, ${b}] and ${y} at [${b}, ${a}]`);
        }
        if (x * x > (cov.data[a * M + a] as number) * (cov.data[b * M + b] as number) * (1 + 1e-12)) {
          throw new DomainError(`${where}: field 'covariance' is not positive semidefinite (|Σ_ab|² > Σ_aa·Σ_bb at [${a}, ${b}])`);
        }
      }
    }
    if (typeof json.logEvidence !== 'number' || !Number.isFinite(json.logEvidence)) {
      throw new DomainError(`${where}: field 'logEvidence' must be a finite number, got ${describeValue(json.logEvidence)}`);
    }
    const report = readFitReport(where, json.report);
    const p: Posterior = { mean, cov: cov.data, logEvidence: json.logEvidence, resid2: 0 };
    return new BayesianRegressionModel(basis, json.alpha, json.beta, p, report);
  }
}

interface BLRProblem {
  basis: Basis;
  phi: Float64Array;
  n: number;
  y: Float64Array;
  o: ReturnType<typeof OPTIONS.parse>;
}

function prepare(where: string, X: unknown, y: unknown, options: BayesianRegressionOptions | undefined): BLRProblem {
  const o = OPTIONS.parse(options);
  if (!o.basis) throw new DomainError(`${where}: option 'basis' is required (polynomialBasis, rbfBasis or fourierBasis)`);
  const { phi, n } = designMatrix(o.basis, X as PointsInput, where, 'X');
  const yv = readVector(where, 'y', y, { length: n });
  return { basis: o.basis, phi, n, y: yv, o };
}

/** The MacKay / evidence loop (one implementation, two drivers). */
function* blrLoop(p: BLRProblem): FitLoop<BayesianRegressionModel> {
  const clock = stopwatch();
  const { phi, n, y, o, basis } = p;
  const M = basis.size;
  const [a1, a2] = o.alphaPrior ?? [0, 0];
  const [b1, b2] = o.betaPrior ?? [0, 0];
  let alpha = o.alpha;
  let beta = o.beta;
  const objective = (post: Posterior, al: number, be: number) => post.logEvidence + a1 * Math.log(al) - a2 * al + b1 * Math.log(be) - b2 * be;
  let post = posterior(phi, n, M, y, alpha, beta);
  if (!o.optimize) {
    return new BayesianRegressionModel(basis, alpha, beta, post, makeFitReport({ reason: 'completed', iterations: 0, elapsedMs: clock() }));
  }
  // eigenvalues of ΦᵀΦ (λ_i of βΦᵀΦ = β·eig)
  const G = new Matrix(M, M);
  for (let a = 0; a < M; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (phi[i * M + a] as number) * (phi[i * M + b] as number);
      G.set(a, b, s);
      G.set(b, a, s);
    }
  }
  const eig = new EigenvalueDecomposition(G, { assumeSymmetric: true }).realEigenvalues.map((v) => Math.max(v, 0));
  let reason: 'converged' | 'max-iterations' = 'max-iterations';
  let iterations = 0;
  let prev = objective(post, alpha, beta);
  const trace = [prev];
  for (let it = 1; it <= o.maxIterations; it++) {
    let gamma = 0;
    for (const e of eig) gamma += (beta * e) / (alpha + beta * e);
    let mm = 0;
    for (const v of post.mean) mm += v * v;
    // MacKay's fixed point with the Gamma hyperpriors (Tipping 2001; scikit-learn BayesianRidge)
    alpha = (gamma + 2 * a1) / Math.max(mm + 2 * a2, 1e-300);
    beta = Math.max(n - gamma + 2 * b1, 1e-12) / Math.max(post.resid2 + 2 * b2, 1e-300);
    if (!(alpha > 0) || !(beta > 0) || !Number.isFinite(alpha) || !Number.isFinite(beta)) {
      throw new NonFiniteError(`fitBayesianRegression: the evidence updates diverged (alpha ${alpha}, beta ${beta}); the data may be exactly fitted or degenerate`);
    }
    post = posterior(phi, n, M, y, alpha, beta);
    const cur = objective(post, alpha, beta);
    trace.push(cur);
    iterations = it;
    o.onProgress?.({ iteration: it, objective: cur, alpha, beta, elapsedMs: clock() });
    const done = Math.abs(cur - prev) <= o.tol * Math.max(1, Math.abs(cur));
    prev = cur;
    if (done) {
      reason = 'converged';
      break;
    }
    const snapshot = { alpha, beta, post, it };
    yield () =>
      new BayesianRegressionModel(basis, snapshot.alpha, snapshot.beta, snapshot.post, makeFitReport({ reason: 'aborted', iterations: snapshot.it, elapsedMs: clock() }));
  }
  return new BayesianRegressionModel(
    basis,
    alpha,
    beta,
    post,
    makeFitReport({ reason, iterations, elapsedMs: clock(), trace, ...(reason === 'converged' ? { criterion: 'tol' } : {}) }),
  );
}

/**
 * Fits Bayesian basis-function regression, optionally maximising the evidence over α, β (MacKay).
 * With `alphaPrior`/`betaPrior` the updates maximise the log evidence plus the Gamma log hyperpriors, the fixed
 * point of scikit-learn's `BayesianRidge` (`lambda_1, lambda_2` → `alphaPrior`, `alpha_1, alpha_2` →
 * `betaPrior`; note the swapped letters: our α is the weight precision, scikit-learn's λ).
 * @throws NonFiniteError / ShapeError / DomainError for bad X, y or options; AbortError (partial: the model at the current α, β).
 * @example fitBayesianRegression([[0], [1], [2]], [1, 3, 5], { basis: polynomialBasis(1), optimize: true }).mean
 */
export function fitBayesianRegression(X: PointsInput, y: ArrayLike<number>, options: BayesianRegressionOptions & { basis: Basis }): BayesianRegressionModel {
  const p = prepare('fitBayesianRegression', X, y, options);
  return runFit('fitBayesianRegression', blrLoop(p), { signal: p.o.signal });
}

/**
 * {@link fitBayesianRegression} that yields to the event loop every 50 ms; same options and result. On abort it
 * rejects with `AbortError` whose `partial` is the model at the current α, β.
 */
export async function fitBayesianRegressionAsync(
  X: PointsInput,
  y: ArrayLike<number>,
  options: BayesianRegressionOptions & { basis: Basis },
): Promise<BayesianRegressionModel> {
  const p = prepare('fitBayesianRegressionAsync', X, y, options);
  return runFitAsync('fitBayesianRegressionAsync', blrLoop(p), { signal: p.o.signal });
}
