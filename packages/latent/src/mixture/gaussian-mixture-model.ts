/**
 * The fitted Gaussian mixture: an immutable model with prediction, density, sampling, information
 * criteria and exact JSON round-trip (notes: "Categorical latent variables").
 */
import { checkMemory, cholesky, type FitReport, readNumber, resolveRng, type Rng, type RowMajorMatrix, sampleCategorical } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { assertColumns, assertIntOption, type MatrixInput, readData, denseToMatrix } from '../util/data.js';
import { assertSymmetricBlocks, readArray, readEnum, readEnvelope, readFinite, readInt, readNumberList, readReport, readWeights } from '../util/json.js';
import { normalizeLogResponsibilities, type PrecisionCholesky, precisionFromCovariance, weightedLogProb } from './gaussian-density.js';
import { type CovarianceType, countParameters, covarianceSize } from './gaussian-params.js';

/** Serialised form of a {@link GaussianMixtureModel} (version 2). */
export interface GaussianMixtureJSON {
  kind: 'gaussian-mixture';
  version: 2;
  covarianceType: CovarianceType;
  components: number;
  dimension: number;
  weights: number[];
  /** K×d row-major */
  means: number[];
  /** compact covariances: full K·d², diag K·d, spherical K, tied d² */
  covariances: number[];
  lowerBound: number;
  emptyComponentsReseeded: number;
  regularization: number;
  startBounds: number[];
  report: FitReport;
}

/** Everything a model is made of (internal constructor argument). */
export interface GaussianMixtureState {
  covarianceType: CovarianceType;
  components: number;
  dimension: number;
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  lowerBound: number;
  emptyComponentsReseeded: number;
  regularization: number;
  startBounds: readonly number[];
  report: FitReport;
}

const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'diag', 'spherical', 'tied'];

/**
 * A fitted Gaussian mixture $p(x) = \sum_k \pi_k\,\mathcal N(x\mid\mu_k,\Sigma_k)$. Create it with
 * `fitGaussianMixture` or {@link GaussianMixtureModel.fromJSON}. Immutable: getters return copies.
 */
export class GaussianMixtureModel {
  /** Covariance structure. */
  readonly covarianceType: CovarianceType;
  /** Number of components K. */
  readonly components: number;
  /** Data dimension d. */
  readonly dimension: number;
  /** Mean log-likelihood per sample at the last E-step of the winning start (scikit-learn's `lower_bound_`). */
  readonly lowerBound: number;
  /** Components re-seeded because their responsibility mass fell below `emptyThreshold`. */
  readonly emptyComponentsReseeded: number;
  /** The value added to covariance diagonals, in the data's units² (`regCovar × regCovarScale`). */
  readonly regularization: number;
  /** Final lower bound of every start (first, then the extra `restarts`). */
  readonly startBounds: readonly number[];
  /** How the fit ended: `'converged'` (criterion `'tol'`) or `'max-iterations'`; `trace` = bound per iteration of the winning start. */
  readonly report: FitReport;
  readonly #weights: Float64Array;
  readonly #means: Float64Array;
  readonly #cov: Float64Array;
  readonly #prec: PrecisionCholesky;

  /** @internal use `fitGaussianMixture` or `fromJSON`. */
  constructor(s: GaussianMixtureState) {
    this.covarianceType = s.covarianceType;
    this.components = s.components;
    this.dimension = s.dimension;
    this.lowerBound = s.lowerBound;
    this.emptyComponentsReseeded = s.emptyComponentsReseeded;
    this.regularization = s.regularization;
    this.startBounds = Object.freeze([...s.startBounds]);
    this.report = s.report;
    this.#weights = Float64Array.from(s.weights);
    this.#means = Float64Array.from(s.means);
    this.#cov = Float64Array.from(s.covariances);
    this.#prec = precisionFromCovariance('GaussianMixtureModel', s.covarianceType, this.#cov, s.components, s.dimension);
    Object.freeze(this);
  }

  /** Mixing weights $\pi_k$ (copy). */
  get weights(): Float64Array {
    return Float64Array.from(this.#weights);
  }

  /** Means, K×d (copy). */
  get means(): Matrix {
    return denseToMatrix(this.#means, this.components, this.dimension);
  }

  /** Covariances as K full d×d matrices (diag/spherical expanded, tied repeated). */
  get covariances(): Matrix[] {
    const { components: K, dimension: d } = this;
    const out: Matrix[] = [];
    for (let k = 0; k < K; k++) {
      const M = new Matrix(d, d);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          if (this.covarianceType === 'full') M.set(a, b, this.#cov[k * d * d + a * d + b] as number);
          else if (this.covarianceType === 'tied') M.set(a, b, this.#cov[a * d + b] as number);
          else if (a === b) M.set(a, a, this.covarianceType === 'diag' ? (this.#cov[k * d + a] as number) : (this.#cov[k] as number));
        }
      }
      out.push(M);
    }
    return out;
  }

  /** Compact covariances in scikit-learn's layout (full K·d², diag K·d, spherical K, tied d²; copy). */
  get covarianceData(): Float64Array {
    return Float64Array.from(this.#cov);
  }

  #logResp(X: MatrixInput, where: string): { ll: Float64Array; logResp: Float64Array; n: number } {
    const D = readData(where, 'X', X);
    assertColumns(where, 'X', D, this.dimension);
    const lp = new Float64Array(D.n * this.components);
    weightedLogProb(D, this.#weights, this.#means, this.#prec, lp);
    const ll = normalizeLogResponsibilities(where, lp, D.n, this.components);
    return { ll, logResp: lp, n: D.n };
  }

  /** Per-sample log-density $\log p(x_i)$ (scikit-learn's `score_samples`). */
  scoreSamples(X: MatrixInput): Float64Array {
    return this.#logResp(X, 'GaussianMixtureModel.scoreSamples').ll;
  }

  /** Mean log-density per sample. */
  score(X: MatrixInput): number {
    const ll = this.#logResp(X, 'GaussianMixtureModel.score').ll;
    let s = 0;
    for (const v of ll) s += v;
    return s / ll.length;
  }

  /** Responsibilities $q(z_i=k)$, n×K. */
  predictProba(X: MatrixInput): Matrix {
    const { logResp, n } = this.#logResp(X, 'GaussianMixtureModel.predictProba');
    const out = new Matrix(n, this.components);
    for (let i = 0; i < n; i++) for (let k = 0; k < this.components; k++) out.set(i, k, Math.exp(logResp[i * this.components + k] as number));
    return out;
  }

  /** Most probable component of each row. */
  predict(X: MatrixInput): Int32Array {
    const { logResp, n } = this.#logResp(X, 'GaussianMixtureModel.predict');
    const K = this.components;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let b = 0;
      for (let k = 1; k < K; k++) if ((logResp[i * K + k] as number) > (logResp[i * K + b] as number)) b = k;
      out[i] = b;
    }
    return out;
  }

  /** Number of free parameters (scikit-learn's `_n_parameters`). */
  get parameterCount(): number {
    return countParameters(this.covarianceType, this.components, this.dimension);
  }

  /** $\mathrm{BIC} = -2\sum_i\log p(x_i) + p\log n$ (lower is better). */
  bic(X: MatrixInput): number {
    const ll = this.#logResp(X, 'GaussianMixtureModel.bic').ll;
    let s = 0;
    for (const v of ll) s += v;
    return -2 * s + this.parameterCount * Math.log(ll.length);
  }

  /** $\mathrm{AIC} = -2\sum_i\log p(x_i) + 2p$. */
  aic(X: MatrixInput): number {
    const ll = this.#logResp(X, 'GaussianMixtureModel.aic').ll;
    let s = 0;
    for (const v of ll) s += v;
    return -2 * s + 2 * this.parameterCount;
  }

  /**
   * Draws `n` samples: $z\sim\mathrm{Cat}(\pi)$, $x = \mu_z + L_z\varepsilon$ with $L_zL_z^\top=\Sigma_z$.
   * @throws DomainError when n is not a positive integer.
   */
  sample(n: number, options: { seed?: number; rng?: Rng } = {}): { X: Matrix; labels: Int32Array } {
    const where = 'GaussianMixtureModel.sample';
    readNumber(where, 'n', n);
    assertIntOption(where, 'n', n, 1, 1e8);
    checkMemory(where, 'the samples', n * this.dimension * 8 * 2);
    const rng = resolveRng(where, options ?? {}, 0);
    const d = this.dimension;
    const chol = this.covariances.map((S) => cholesky(S).L);
    const X = new Matrix(n, d);
    const labels = new Int32Array(n);
    const eps = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const k = sampleCategorical(rng, this.#weights);
      labels[i] = k;
      for (let j = 0; j < d; j++) eps[j] = rng.normal();
      const L = chol[k] as RowMajorMatrix;
      for (let a = 0; a < d; a++) {
        let s = this.#means[k * d + a] as number;
        for (let b = 0; b <= a; b++) s += L.get(a, b) * (eps[b] as number);
        X.set(i, a, s);
      }
    }
    return { X, labels };
  }

  /** Plain-JSON form; `fromJSON(toJSON())` predicts bit for bit the same. */
  toJSON(): GaussianMixtureJSON {
    return {
      kind: 'gaussian-mixture',
      version: 2,
      covarianceType: this.covarianceType,
      components: this.components,
      dimension: this.dimension,
      weights: Array.from(this.#weights),
      means: Array.from(this.#means),
      covariances: Array.from(this.#cov),
      lowerBound: this.lowerBound,
      emptyComponentsReseeded: this.emptyComponentsReseeded,
      regularization: this.regularization,
      startBounds: [...this.startBounds],
      report: this.report,
    };
  }

  /**
   * Rebuilds a model from {@link GaussianMixtureModel.toJSON}, validating every field.
   * @throws DomainError/ShapeError naming the field (wrong kind/version, sizes, negative weights or weights
   *   not summing to 1, non-finite or null entries, non-symmetric covariances, a bad report),
   *   NotPositiveDefiniteError for a covariance that is not positive definite.
   */
  static fromJSON(json: GaussianMixtureJSON): GaussianMixtureModel {
    const where = 'GaussianMixtureModel.fromJSON';
    const o = readEnvelope(where, json, 'gaussian-mixture', 2);
    const covarianceType = readEnum(where, o, 'covarianceType', COVARIANCE_TYPES);
    const K = readInt(where, o, 'components', 1);
    const d = readInt(where, o, 'dimension', 1);
    const weights = readWeights(where, o, 'weights', K);
    const means = readArray(where, o, 'means', K * d);
    const size = covarianceSize(covarianceType, K, d);
    const covariances = readArray(where, o, 'covariances', size, covarianceType === 'diag' || covarianceType === 'spherical' ? { greaterThan: 0 } : undefined);
    if (covarianceType === 'full' || covarianceType === 'tied') assertSymmetricBlocks(where, 'covariances', covariances, covarianceType === 'full' ? K : 1, d);
    return new GaussianMixtureModel({
      covarianceType,
      components: K,
      dimension: d,
      weights,
      means,
      covariances,
      lowerBound: readFinite(where, o, 'lowerBound'),
      emptyComponentsReseeded: readInt(where, o, 'emptyComponentsReseeded', 0),
      regularization: readFinite(where, o, 'regularization', { min: 0 }),
      startBounds: readNumberList(where, o, 'startBounds'),
      report: readReport(where, o),
    });
  }
}
