/**
 * The fitted GP regression model (notes: GP Regression): immutable, serialisable.
 * $$\mu_* = K_*^\top\alpha,\quad \Sigma_* = K_{**} - K_*^\top C^{-1}K_*,\qquad \alpha = C^{-1}y,\ C = K + \sigma^2 I$$
 * Rasmussen & Williams (2006), Alg. 2.1. With `normalizeY`, targets are standardised before fitting and
 * predictions are mapped back (mean·std + mean, variance·std²), as scikit-learn does.
 */
import {
  type CholeskyFactor,
  DomainError,
  ShapeError,
  assertInteger,
  assertNonNegative,
  cholesky,
  createRng,
  fromRowMajor,
  matmulTransB,
  sampleNormalArray,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { type Kernel, type KernelJSON, type Points, type PointsInput, kernelFromJSON, toPoints } from '../kernels/index.js';
import { lowerTriangularInverse } from './lml.js';
import { buildState, toTargets } from './state.js';

/** Hyperparameter-fit report (`converged`, `iterations`, `reason` as every iterative fit in @notes). */
export interface GPFitReport {
  /** Whether the best run of L-BFGS converged (true when nothing was optimised). */
  converged: boolean;
  /** L-BFGS iterations of the best run. */
  iterations: number;
  /** Why the best run stopped (`'not-optimized'` when `optimize` was false or no free parameters). */
  reason: string;
  /** Log ML reached by each start (initial θ first, then the seeded restarts); NaN if a start failed. */
  restarts: number[];
  /** Free log-parameters that ended within 1e-6 of a bound, e.g. `'k2.noiseLevel (lower)'`. */
  boundHits: string[];
  /** Diagonal jitter added by the Cholesky factorisation of the final C (0 if none). */
  jitter: number;
  /** Linear-solve path used. */
  method: 'cholesky' | 'cg';
  /** Standard error of the CG-path log-ML estimate (SLQ probe spread; only when `method` is `'cg'`). */
  logMarginalLikelihoodStdErr?: number;
  /** Settings of the CG path (only when `method` is `'cg'`). */
  cg?: CGSettings;
}

/** JSON form of a {@link GPModel}. */
export interface GPModelJSON {
  kind: 'gp';
  version: 1;
  kernel: KernelJSON;
  noise: number;
  normalizeY: boolean;
  X: number[][];
  y: number[];
  report: GPFitReport;
}

/** Settings of the matrix-free path (see `fitGP`'s `cg` option). */
export interface CGSettings {
  tol: number;
  maxIterations: number;
  rank: number;
  probes: number;
  lanczosSteps: number;
  seed: number;
}

/** Internal state shared by the Cholesky and CG paths. */
export interface GPState {
  kernel: Kernel;
  noise: number;
  normalizeY: boolean;
  X: Points;
  /** Targets as given. */
  yRaw: Float64Array;
  /** Centred (and scaled, if normalised) targets used for fitting. */
  y: Float64Array;
  yMean: number;
  yStd: number;
  alpha: Float64Array;
  factor: CholeskyFactor | null;
  /** Cached $L^{-1}$ (row-major), computed on the first prediction. */
  lowerInverse?: Float64Array;
  /** Solves C x = b when there is no Cholesky factor (CG path). */
  solve: (b: Float64Array) => Float64Array;
  logMarginalLikelihood: number;
  report: GPFitReport;
}

/** Result of {@link GPModel.predict}. */
export interface GPPrediction {
  mean: Float64Array;
  /** Predictive variance of f (plus any white-kernel noise, as scikit-learn), floored at 0. */
  variance: Float64Array;
  /** Full covariance (only with `{ covariance: true }`); its diagonal is floored at 0 as well. */
  covariance?: Matrix;
}

/** A fitted Gaussian-process regressor; build it with `fitGP`. */
export class GPModel {
  /** Fitted kernel (hyperparameters at the optimum). */
  readonly kernel: Kernel;
  /** Noise variance σ² added to the diagonal (scikit-learn's `alpha`). */
  readonly noise: number;
  /** Log marginal likelihood at the fitted hyperparameters, of the (normalised, if `normalizeY`) targets. */
  readonly logMarginalLikelihood: number;
  /** Fit report: convergence, restarts, bound hits, jitter. */
  readonly report: GPFitReport;
  readonly #s: GPState;

  /** @internal use `fitGP` or `GPModel.fromJSON`. */
  constructor(state: GPState) {
    this.#s = state;
    this.kernel = state.kernel;
    this.noise = state.noise;
    this.logMarginalLikelihood = state.logMarginalLikelihood;
    this.report = Object.freeze({ ...state.report, restarts: [...state.report.restarts], boundHits: [...state.report.boundHits] });
    Object.freeze(this);
  }

  /** Number of training points. */
  get n(): number {
    return this.#s.X.n;
  }

  /** Input dimension. */
  get dim(): number {
    return this.#s.X.d;
  }

  /**
   * Posterior predictive of f at `Xs`. The variance $k(x,x) - v^\top v$ can come out slightly negative
   * from rounding; it is **floored at 0** (scikit-learn warns and sets it to 0 as well).
   * @throws ShapeError if `Xs` has a different number of columns; NonFiniteError for NaN/Infinity.
   */
  predict(Xs: PointsInput, options: { covariance?: boolean } = {}): GPPrediction {
    const s = this.#s;
    const pts = toPoints(Xs, 'GPModel.predict', 'Xs');
    if (pts.d !== s.X.d) throw new ShapeError(`GPModel.predict: argument 'Xs' must have ${s.X.d} columns, got ${pts.d}`);
    const m = pts.n;
    const n = s.X.n;
    const Ks = s.kernel.computeMatrix(pts, s.X); // m × n
    const mean = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += Ks[i * n + j] * s.alpha[j];
      mean[i] = v * s.yStd + s.yMean;
    }
    const var2 = s.yStd * s.yStd;
    // Cholesky path: V = K_* L^{-T} (m × n; row i is L^{-1}k_i) by core's blocked GEMM with the cached L^{-1};
    // CG path: V = (C^{-1}K_*^T)^T by one CG solve per test point.
    let V: Float64Array;
    if (s.factor) {
      s.lowerInverse ??= lowerTriangularInverse(s.factor.lowerData, n);
      V = matmulTransB(Ks, s.lowerInverse, m, n, n);
    } else {
      V = new Float64Array(m * n);
      for (let i = 0; i < m; i++) V.set(s.solve(Ks.slice(i * n, (i + 1) * n)), i * n);
    }
    const project = (i: number, k: number): number => {
      let v = 0;
      const A = s.factor ? V : Ks;
      for (let j = 0; j < n; j++) v += A[i * n + j] * V[k * n + j];
      return v;
    };
    const kdiag = s.kernel.computeDiag(pts);
    const variance = new Float64Array(m);
    for (let i = 0; i < m; i++) variance[i] = Math.max(0, (kdiag[i] - project(i, i)) * var2);
    if (!options.covariance) return { mean, variance };
    const Kss = s.kernel.computeMatrix(pts);
    const cov = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let k = i; k < m; k++) {
        const v = i === k ? variance[i] : (Kss[i * m + k] - project(i, k)) * var2;
        cov[i * m + k] = v;
        cov[k * m + i] = v;
      }
    }
    return { mean, variance, covariance: fromRowMajor(cov, m, m) };
  }

  /**
   * Draws `n` functions from the posterior at `Xs` (rows of the result), via the Cholesky factor of the
   * predictive covariance (adaptive jitter).
   * @defaultValue n = 1, seed = 0
   */
  samplePosterior(Xs: PointsInput, options: { n?: number; seed?: number } = {}): Matrix {
    const count = options.n ?? 1;
    assertInteger('GPModel.samplePosterior', 'options.n', count, 1);
    const { mean, covariance } = this.predict(Xs, { covariance: true });
    const m = mean.length;
    const L = cholesky(covariance as Matrix).lowerData;
    const rng = createRng(options.seed ?? 0);
    const out = new Float64Array(count * m);
    for (let s = 0; s < count; s++) {
      const z = sampleNormalArray(rng, m);
      for (let i = 0; i < m; i++) {
        let v = mean[i];
        for (let j = 0; j <= i; j++) v += L[i * m + j] * z[j];
        out[s * m + i] = v;
      }
    }
    return fromRowMajor(out, count, m);
  }

  /** JSON form; `GPModel.fromJSON` rebuilds a model whose predictions are bit-identical. */
  toJSON(): GPModelJSON {
    const s = this.#s;
    const X: number[][] = [];
    for (let i = 0; i < s.X.n; i++) X.push(Array.from(s.X.data.subarray(i * s.X.d, (i + 1) * s.X.d)));
    return {
      kind: 'gp',
      version: 1,
      kernel: s.kernel.toJSON(),
      noise: s.noise,
      normalizeY: s.normalizeY,
      X,
      y: Array.from(s.yRaw),
      report: { ...this.report, restarts: [...this.report.restarts], boundHits: [...this.report.boundHits] },
    };
  }

  /**
   * Rebuilds a model from {@link GPModel.toJSON} at the stored hyperparameters (no re-optimisation).
   * @throws DomainError / ShapeError / NonFiniteError for malformed JSON (wrong kind, `y` not matching `X`,
   *   non-finite `X`, `y` or `noise`), naming the field.
   */
  static fromJSON(json: GPModelJSON): GPModel {
    if (json?.kind !== 'gp' || json.version !== 1) {
      throw new DomainError("GPModel.fromJSON: argument 'json' must be { kind: 'gp', version: 1, ... }");
    }
    const X = toPoints(json.X, 'GPModel.fromJSON', 'X');
    const yRaw = toTargets('GPModel.fromJSON', json.y, X);
    if (typeof json.noise !== 'number') throw new DomainError(`GPModel.fromJSON: argument 'noise' must be a number, got ${String(json.noise)}`);
    assertNonNegative('GPModel.fromJSON', 'noise', json.noise);
    if (typeof json.normalizeY !== 'boolean') throw new DomainError("GPModel.fromJSON: argument 'normalizeY' must be a boolean");
    return new GPModel(buildState(X, yRaw, kernelFromJSON(json.kernel), json.noise, json.normalizeY, json.report));
  }
}
