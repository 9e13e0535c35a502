/**
 * The fitted mixture of probabilistic principal component analysers (notes: "Mixture PCA";
 * Tipping & Bishop 1999, Neural Computation 11(2)):
 * $p(x) = \sum_k\pi_k\,\mathcal N(x\mid\mu_k, W_kW_k^\top+\sigma_k^2 I)$.
 */
import { type FitReport, logSumExp } from '@notes/core-linalg';
import { readArray, readEnvelope, readFinite, readInt, readReport, readWeights } from '../util/json.js';
import { Matrix } from 'ml-matrix';
import { assertColumns, denseToMatrix, type Dense, type MatrixInput, readData } from '../util/data.js';
import { ppcaPosterior } from './ppca-model.js';

/** Serialised {@link MixturePPCAModel}. */
export interface MixturePPCAJSON {
  kind: 'mixture-ppca';
  version: 2;
  components: number;
  dimension: number;
  latentDim: number;
  weights: number[];
  /** K×D row-major */
  means: number[];
  /** K blocks of D×q row-major */
  W: number[];
  sigma2: number[];
  lowerBound: number;
  report: FitReport;
}

/**
 * Per-sample, per-component $\log\pi_k+\log\mathcal N(x_i\mid\mu_k,C_k)$ (n×K) and posterior latent means
 * (n×K×q), by the Woodbury form of `ppcaPosterior`.
 * @internal
 */
export function mppcaLogProb(
  X: Dense,
  K: number,
  q: number,
  weights: ArrayLike<number>,
  means: Float64Array,
  W: Float64Array,
  sigma2: ArrayLike<number>,
): { logProb: Float64Array; Ez: Float64Array } {
  const { n, d: D, data } = X;
  const logProb = new Float64Array(n * K);
  const Ez = new Float64Array(n * K * q);
  for (let k = 0; k < K; k++) {
    const Wk = W.subarray(k * D * q, (k + 1) * D * q);
    const mk = means.subarray(k * D, (k + 1) * D);
    const lw = Math.log(weights[k] as number);
    for (let i = 0; i < n; i++) {
      const p = ppcaPosterior(Wk, sigma2[k] as number, mk, data, i * D, D, q, () => true);
      logProb[i * K + k] = lw + p.logp;
      Ez.set(p.Ez, (i * K + k) * q);
    }
  }
  return { logProb, Ez };
}

/** A fitted mixture of PPCA. Getters return copies. */
export class MixturePPCAModel {
  readonly components: number;
  readonly dimension: number;
  readonly latentDim: number;
  /** Mean log-likelihood per sample at the last E-step. */
  readonly lowerBound: number;
  /** How the fit ended: `'converged'` (criterion `'tol'`) or `'max-iterations'`; `trace` = mean log-likelihood per iteration. */
  readonly report: FitReport;
  readonly #w: Float64Array;
  readonly #mu: Float64Array;
  readonly #W: Float64Array;
  readonly #s2: Float64Array;

  /** @internal use `fitMixturePPCA` or `fromJSON`. */
  constructor(j: Omit<MixturePPCAJSON, 'kind' | 'version'>) {
    this.components = j.components;
    this.dimension = j.dimension;
    this.latentDim = j.latentDim;
    this.lowerBound = j.lowerBound;
    this.report = j.report;
    this.#w = Float64Array.from(j.weights);
    this.#mu = Float64Array.from(j.means);
    this.#W = Float64Array.from(j.W);
    this.#s2 = Float64Array.from(j.sigma2);
    Object.freeze(this);
  }

  get weights(): Float64Array {
    return Float64Array.from(this.#w);
  }
  /** K×D */
  get means(): Matrix {
    return denseToMatrix(this.#mu, this.components, this.dimension);
  }
  /** K loading matrices, D×q each. */
  get loadings(): Matrix[] {
    const { dimension: D, latentDim: q } = this;
    return Array.from({ length: this.components }, (_, k) => denseToMatrix(this.#W.subarray(k * D * q, (k + 1) * D * q), D, q));
  }
  get sigma2(): Float64Array {
    return Float64Array.from(this.#s2);
  }

  #eval(X: MatrixInput, where: string) {
    const Dn = readData(where, 'X', X);
    assertColumns(where, 'X', Dn, this.dimension);
    const K = this.components;
    const r = mppcaLogProb(Dn, K, this.latentDim, this.#w, this.#mu, this.#W, this.#s2);
    const ll = new Float64Array(Dn.n);
    for (let i = 0; i < Dn.n; i++) {
      const row = r.logProb.subarray(i * K, (i + 1) * K);
      const l = logSumExp(row);
      ll[i] = l;
      for (let k = 0; k < K; k++) row[k] = (row[k] as number) - l;
    }
    return { n: Dn.n, ll, logResp: r.logProb, Ez: r.Ez };
  }

  /** Per-sample $\log p(x_i)$. */
  scoreSamples(X: MatrixInput): Float64Array {
    return this.#eval(X, 'MixturePPCAModel.scoreSamples').ll;
  }

  /** Responsibilities n×K. */
  predictProba(X: MatrixInput): Matrix {
    const { n, logResp } = this.#eval(X, 'MixturePPCAModel.predictProba');
    return denseToMatrix(logResp.map(Math.exp), n, this.components);
  }

  /** Most probable component. */
  predict(X: MatrixInput): Int32Array {
    const { n, logResp } = this.#eval(X, 'MixturePPCAModel.predict');
    const K = this.components;
    return Int32Array.from({ length: n }, (_, i) => {
      let b = 0;
      for (let k = 1; k < K; k++) if ((logResp[i * K + k] as number) > (logResp[i * K + b] as number)) b = k;
      return b;
    });
  }

  /** Posterior latent mean $\mathbb E[z\mid x, t=k]$ under the most probable component k, n×q, with that k. */
  posteriorMean(X: MatrixInput): { Z: Matrix; component: Int32Array } {
    const { n, logResp, Ez } = this.#eval(X, 'MixturePPCAModel.posteriorMean');
    const { components: K, latentDim: q } = this;
    const Z = new Matrix(n, q);
    const component = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let b = 0;
      for (let k = 1; k < K; k++) if ((logResp[i * K + k] as number) > (logResp[i * K + b] as number)) b = k;
      component[i] = b;
      for (let a = 0; a < q; a++) Z.set(i, a, Ez[(i * K + b) * q + a] as number);
    }
    return { Z, component };
  }

  toJSON(): MixturePPCAJSON {
    return {
      kind: 'mixture-ppca',
      version: 2,
      components: this.components,
      dimension: this.dimension,
      latentDim: this.latentDim,
      weights: Array.from(this.#w),
      means: Array.from(this.#mu),
      W: Array.from(this.#W),
      sigma2: Array.from(this.#s2),
      lowerBound: this.lowerBound,
      report: this.report,
    };
  }

  /**
   * Rebuilds a model, validating every field (weights ≥ 0 summing to 1, σ² > 0, finite means and loadings,
   * 1 ≤ latentDim < dimension, the report).
   * @throws DomainError/ShapeError naming the field.
   */
  static fromJSON(json: MixturePPCAJSON): MixturePPCAModel {
    const where = 'MixturePPCAModel.fromJSON';
    const o = readEnvelope(where, json, 'mixture-ppca', 2);
    const K = readInt(where, o, 'components', 1);
    const D = readInt(where, o, 'dimension', 2);
    const q = readInt(where, o, 'latentDim', 1, D - 1);
    return new MixturePPCAModel({
      components: K,
      dimension: D,
      latentDim: q,
      weights: Array.from(readWeights(where, o, 'weights', K)),
      means: Array.from(readArray(where, o, 'means', K * D)),
      W: Array.from(readArray(where, o, 'W', K * D * q)),
      sigma2: Array.from(readArray(where, o, 'sigma2', K, { greaterThan: 0 })),
      lowerBound: readFinite(where, o, 'lowerBound'),
      report: readReport(where, o),
    });
  }
}
