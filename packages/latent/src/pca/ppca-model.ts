/**
 * The fitted probabilistic PCA model (notes: "Mixture PCA", latent-variable view; Tipping & Bishop 1999):
 * $z\sim\mathcal N(0,I_q)$, $x\mid z\sim\mathcal N(Wz+\mu,\sigma^2 I_D)$, so $x\sim\mathcal N(\mu, C)$ with
 * $C = WW^\top+\sigma^2 I$. Densities use the Woodbury identity with $M = W^\top W+\sigma^2 I_q$:
 * $\log|C| = (D-q)\log\sigma^2+\log|M|$, $r^\top C^{-1}r = (\|r\|^2 - r^\top W M^{-1}W^\top r)/\sigma^2$.
 */
import { cholesky, DomainError, type FitReport } from '@notes/core-linalg';
import { readArray, readEnum, readEnvelope, readFinite, readInt, readReport } from '../util/json.js';
import { Matrix } from 'ml-matrix';
import { assertColumns, denseToMatrix, type MatrixInput, readData } from '../util/data.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Serialised {@link PPCAModel}. */
export interface PPCAJSON {
  kind: 'ppca';
  version: 2;
  method: 'closed-form' | 'em';
  dimension: number;
  /** Latent dimension q. */
  components: number;
  /** D×q row-major */
  W: number[];
  sigma2: number;
  mean: number[];
  /** Mean log-likelihood per sample of the training data under the fitted model. */
  lowerBound: number;
  report: FitReport;
}

/**
 * Posterior of z for one sample given the observed coordinates `obs` (all when undefined):
 * $M_o = W_o^\top W_o+\sigma^2 I$, $\mathbb E[z] = M_o^{-1}W_o^\top(x_o-\mu_o)$, $\mathrm{Cov}[z]=\sigma^2M_o^{-1}$,
 * and $\log\mathcal N(x_o\mid\mu_o, W_oW_o^\top+\sigma^2 I)$.
 * @internal
 */
export function ppcaPosterior(
  W: Float64Array,
  sigma2: number,
  mean: Float64Array,
  x: Float64Array,
  xo: number,
  D: number,
  q: number,
  observed: (j: number) => boolean,
): { Ez: Float64Array; Minv: Float64Array; logp: number; nObs: number } {
  const M = new Matrix(q, q);
  const Wtr = new Float64Array(q);
  let rr = 0;
  let nObs = 0;
  for (let j = 0; j < D; j++) {
    if (!observed(j)) continue;
    nObs += 1;
    const r = (x[xo + j] as number) - (mean[j] as number);
    rr += r * r;
    for (let a = 0; a < q; a++) {
      const wa = W[j * q + a] as number;
      Wtr[a] += wa * r;
      for (let b = 0; b <= a; b++) M.set(a, b, M.get(a, b) + wa * (W[j * q + b] as number));
    }
  }
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < a; b++) M.set(b, a, M.get(a, b));
    M.set(a, a, M.get(a, a) + sigma2);
  }
  const f = cholesky(M, { jitter: 0 });
  const Ez = f.solve(Wtr);
  const inv = f.inverse();
  const Minv = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) Minv[a * q + b] = inv.get(a, b);
  let quad = rr;
  for (let a = 0; a < q; a++) quad -= (Wtr[a] as number) * (Ez[a] as number);
  quad /= sigma2;
  const logDet = (nObs - q) * Math.log(sigma2) + f.logDet();
  return { Ez, Minv, logp: -0.5 * (nObs * LOG_2PI + logDet + quad), nObs };
}

/** A fitted PPCA model. Getters return copies. */
export class PPCAModel {
  /** How it was fitted. */
  readonly method: 'closed-form' | 'em';
  /** Data dimension D. */
  readonly dimension: number;
  /** Latent dimension q. */
  readonly components: number;
  /** Isotropic noise variance $\sigma^2$. */
  readonly sigma2: number;
  /** Mean log-likelihood per sample at the last EM iteration (closed form: of the fitted model). */
  readonly lowerBound: number;
  /** Closed form: reason `'completed'`, 0 iterations; EM: `'converged'` (criterion `'tol'`) or `'max-iterations'`, `trace` = mean log-likelihood per iteration. */
  readonly report: FitReport;
  readonly #W: Float64Array;
  readonly #mean: Float64Array;

  /** @internal use `fitPPCA` or `fromJSON`. */
  constructor(j: Omit<PPCAJSON, 'kind' | 'version'>) {
    this.method = j.method;
    this.dimension = j.dimension;
    this.components = j.components;
    this.sigma2 = j.sigma2;
    this.lowerBound = j.lowerBound;
    this.report = j.report;
    this.#W = Float64Array.from(j.W);
    this.#mean = Float64Array.from(j.mean);
    Object.freeze(this);
  }

  /** Loading matrix W, D×q. */
  get W(): Matrix {
    return denseToMatrix(this.#W, this.dimension, this.components);
  }
  get mean(): Float64Array {
    return Float64Array.from(this.#mean);
  }

  /** Model covariance $C = WW^\top+\sigma^2I$. */
  covariance(): Matrix {
    const { dimension: D, components: q } = this;
    const C = new Matrix(D, D);
    for (let a = 0; a < D; a++) {
      for (let b = 0; b < D; b++) {
        let s = a === b ? this.sigma2 : 0;
        for (let c = 0; c < q; c++) s += (this.#W[a * q + c] as number) * (this.#W[b * q + c] as number);
        C.set(a, b, s);
      }
    }
    return C;
  }

  /** Per-sample $\log\mathcal N(x_i\mid\mu, C)$. */
  scoreSamples(X: MatrixInput): Float64Array {
    const Dn = readData('PPCAModel.scoreSamples', 'X', X);
    assertColumns('PPCAModel.scoreSamples', 'X', Dn, this.dimension);
    const out = new Float64Array(Dn.n);
    for (let i = 0; i < Dn.n; i++) {
      const v = ppcaPosterior(this.#W, this.sigma2, this.#mean, Dn.data, i * this.dimension, this.dimension, this.components, () => true).logp;
      if (Number.isNaN(v)) {
        throw new DomainError(
          `PPCAModel.scoreSamples: row ${i} of argument 'X' is too far from the model for float64 (its squared distance overflows); rescale the data`,
        );
      }
      out[i] = v;
    }
    return out;
  }

  /** Total log-likelihood $\sum_i\log p(x_i)$. @throws as {@link PPCAModel.scoreSamples}. */
  logLikelihood(X: MatrixInput): number {
    return this.scoreSamples(X).reduce((s, v) => s + v, 0);
  }

  /** Posterior latent means $\mathbb E[z_i\mid x_i] = M^{-1}W^\top(x_i-\mu)$, n×q. */
  posteriorMean(X: MatrixInput): Matrix {
    const Dn = readData('PPCAModel.posteriorMean', 'X', X);
    assertColumns('PPCAModel.posteriorMean', 'X', Dn, this.dimension);
    const Z = new Matrix(Dn.n, this.components);
    for (let i = 0; i < Dn.n; i++) {
      const { Ez } = ppcaPosterior(this.#W, this.sigma2, this.#mean, Dn.data, i * this.dimension, this.dimension, this.components, () => true);
      for (let a = 0; a < this.components; a++) Z.set(i, a, Ez[a] as number);
    }
    return Z;
  }

  toJSON(): PPCAJSON {
    return {
      kind: 'ppca',
      version: 2,
      method: this.method,
      dimension: this.dimension,
      components: this.components,
      W: Array.from(this.#W),
      sigma2: this.sigma2,
      mean: Array.from(this.#mean),
      lowerBound: this.lowerBound,
      report: this.report,
    };
  }

  /**
   * Rebuilds a model, validating every field (σ² > 0, finite W and mean, 1 ≤ components < dimension, the report).
   * @throws DomainError/ShapeError naming the field.
   */
  static fromJSON(json: PPCAJSON): PPCAModel {
    const where = 'PPCAModel.fromJSON';
    const o = readEnvelope(where, json, 'ppca', 2);
    const D = readInt(where, o, 'dimension', 2);
    const q = readInt(where, o, 'components', 1, D - 1);
    return new PPCAModel({
      method: readEnum(where, o, 'method', ['closed-form', 'em'] as const),
      dimension: D,
      components: q,
      W: Array.from(readArray(where, o, 'W', D * q)),
      sigma2: readFinite(where, o, 'sigma2', { greaterThan: 0 }),
      mean: Array.from(readArray(where, o, 'mean', D)),
      lowerBound: readFinite(where, o, 'lowerBound'),
      report: readReport(where, o),
    });
  }
}
