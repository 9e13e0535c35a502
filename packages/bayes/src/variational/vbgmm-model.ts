/**
 * The fitted variational Bayesian Gaussian mixture.
 */
import { DomainError, type FitReport, NonFiniteError, readFitReport, readMatrix } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { cholLower } from '../internal/dense.js';
import { jsonHeader, jsonInteger, jsonNumber, jsonNumbers } from '../internal/fit.js';
import type { MatrixInput } from '../internal/input.js';
import { eStep, type VBParams } from './vbgmm-math.js';

/** Plain state (and JSON body) of a {@link VariationalGMMModel}. */
export interface VariationalGMMState {
  dimension: number;
  components: number;
  /** Dirichlet parameters α_k of q(π). */
  alpha: number[];
  /** β_k. */
  beta: number[];
  /**
   * The power of two the data were divided by (`fitVariationalGMM` works on X / scale); `means` and
   * `scaleInverse` are stored in those units so that data near 1e-300 or 1e150 keep full precision.
   */
  scale: number;
  /** m_k / scale, row-major K×d. */
  means: number[];
  /** ν_k. */
  nu: number[];
  /** W_k⁻¹ / scale², row-major K×d×d. */
  scaleInverse: number[];
  /** The fit's report (`trace`: the ELBO after the initial M-step and after each iteration). */
  report: FitReport;
}

/** JSON form of a {@link VariationalGMMModel}. */
export interface VariationalGMMJSON extends VariationalGMMState {
  kind: 'variational-gmm';
  version: 2;
}

const FROM = 'VariationalGMMModel.fromJSON';

/** Result of `fitVariationalGMM`; immutable. */
export class VariationalGMMModel {
  readonly dimension: number;
  readonly components: number;
  /** `{ converged, reason: 'converged' (criterion 'tol') | 'max-iterations' | 'aborted', iterations, elapsedMs, trace: ELBO }`. */
  readonly report: FitReport;
  private readonly s: VariationalGMMState;
  private readonly w: Float64Array;

  /** @internal use `fitVariationalGMM` or {@link VariationalGMMModel.fromJSON} */
  constructor(s: VariationalGMMState) {
    // a deep copy: the caller's state (e.g. the object given to fromJSON) cannot change the model later
    this.s = { ...structuredClone({ ...s, report: undefined }), report: s.report };
    const { dimension: d, components: K } = s;
    this.dimension = d;
    this.components = K;
    this.report = s.report;
    const a0 = s.alpha.reduce((x, y) => x + y, 0);
    this.w = Float64Array.from(s.alpha, (a) => a / a0);
    Object.freeze(this);
  }

  /** E[π_k] = α_k / Σα (scikit-learn's `weights_`); a copy, the model stays unchanged. */
  get weights(): Float64Array {
    return Float64Array.from(this.w);
  }

  /** m_k as a K×d matrix (`means_`); a new Matrix on every call. */
  get means(): Matrix {
    const { dimension: d, components: K, means, scale } = this.s;
    return new Matrix(Array.from({ length: K }, (_, k) => means.slice(k * d, k * d + d).map((v) => v * scale)));
  }

  /**
   * W_k⁻¹/ν_k, the inverse of E[Λ_k] (`covariances_`), in squared data units; new Matrices on every call.
   * (For data below ~1e-154 or above ~1e154 the entries under/overflow float64; the model itself keeps them scaled.)
   */
  get covariances(): Matrix[] {
    const { dimension: d, components: K, scaleInverse: S, nu } = this.s;
    const s2 = this.s.scale * this.s.scale;
    return Array.from(
      { length: K },
      (_, k) => new Matrix(Array.from({ length: d }, (_, a) => S.slice(k * d * d + a * d, k * d * d + a * d + d).map((v) => (v / (nu[k] as number)) * s2))),
    );
  }

  /** Final ELBO (the last entry of `report.trace`). */
  get elbo(): number {
    const t = this.report.trace ?? [];
    return t[t.length - 1] as number;
  }

  /** Indices of components whose weight exceeds `threshold`. @defaultValue threshold = 0.01 */
  activeComponents(threshold = 0.01): number[] {
    return Array.from(this.w.keys()).filter((k) => (this.w[k] as number) > threshold);
  }

  /**
   * Responsibilities r_nk of new rows (the E-step), n×K.
   * @throws ShapeError / NonFiniteError / DomainError for a bad X or a wrong number of columns
   */
  predictProba(X: MatrixInput): Matrix {
    const x = readMatrix('VariationalGMMModel.predictProba', 'X', X, { columns: this.dimension });
    const inv = 1 / this.s.scale; // a power of two: exact
    for (let i = 0; i < x.data.length; i++) x.data[i] = (x.data[i] as number) * inv;
    const q: VBParams = {
      alpha: Float64Array.from(this.s.alpha),
      beta: Float64Array.from(this.s.beta),
      m: Float64Array.from(this.s.means),
      nu: Float64Array.from(this.s.nu),
      Winv: Float64Array.from(this.s.scaleInverse),
    };
    const r = eStep(x.data, x.rows, x.columns, this.components, q);
    for (let i = 0; i < r.length; i++) {
      if (Number.isNaN(r[i] as number)) {
        throw new NonFiniteError(
          `VariationalGMMModel.predictProba: row ${Math.floor(i / this.components)} of argument 'X' is too far from every component (its squared distance overflows)`,
        );
      }
    }
    return new Matrix(Array.from({ length: x.rows }, (_, i) => Array.from(r.subarray(i * this.components, (i + 1) * this.components))));
  }

  /** Most responsible component of each row. */
  predict(X: MatrixInput): Int32Array {
    const p = this.predictProba(X);
    return Int32Array.from({ length: p.rows }, (_, i) => p.maxRowIndex(i)[1]);
  }

  /** Plain JSON data (`kind: 'variational-gmm'`, `version: 2`). */
  toJSON(): VariationalGMMJSON {
    const { report, ...rest } = this.s;
    return { kind: 'variational-gmm', version: 2, ...structuredClone(rest), report: JSON.parse(JSON.stringify(report)) };
  }

  /**
   * Inverse of {@link VariationalGMMModel.toJSON} (exact). Validates every field: integer sizes, α_k, β_k > 0,
   * finite means, ν_k > d − 1, every W_k⁻¹ symmetric positive definite, the report.
   * @throws DomainError / ShapeError naming the first bad field
   */
  static fromJSON(json: unknown): VariationalGMMModel {
    const j = jsonHeader(FROM, json, 'variational-gmm', 2);
    const d = jsonInteger(FROM, 'dimension', j.dimension, 1, 1000);
    const scale = jsonNumber(FROM, 'scale', j.scale, 'a power of two', (x) => x > 0 && Number.isInteger(Math.log2(x)));
    const K = jsonInteger(FROM, 'components', j.components, 1, 100000);
    const positive = (x: number) => x > 0;
    const alpha = jsonNumbers(FROM, 'alpha', j.alpha, K, 'finite numbers > 0', positive);
    const beta = jsonNumbers(FROM, 'beta', j.beta, K, 'finite numbers > 0', positive);
    const means = jsonNumbers(FROM, 'means', j.means, K * d);
    const nu = jsonNumbers(FROM, 'nu', j.nu, K, `finite numbers > d − 1 = ${d - 1}`, (x) => x > d - 1);
    const S = jsonNumbers(FROM, 'scaleInverse', j.scaleInverse, K * d * d);
    for (let k = 0; k < K; k++) {
      const block = S.slice(k * d * d, (k + 1) * d * d);
      // symmetric up to round-off (the M-step forms c·(x̄−m0)_a·(x̄−m0)_b in either order)
      let big = 0;
      for (let a = 0; a < d; a++) big = Math.max(big, Math.abs(block[a * d + a] as number));
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < a; b++) {
          if (!(Math.abs((block[a * d + b] as number) - (block[b * d + a] as number)) <= 1e-12 * big)) {
            throw new DomainError(`${FROM}: field 'scaleInverse' block ${k} must be symmetric`);
          }
        }
      }
      if (!cholLower(block, d)) throw new DomainError(`${FROM}: field 'scaleInverse' block ${k} must be positive definite`);
    }
    const report = readFitReport(FROM, j.report);
    return new VariationalGMMModel({ dimension: d, components: K, scale, alpha, beta, means, nu, scaleInverse: S, report });
  }
}
