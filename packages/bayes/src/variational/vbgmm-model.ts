/**
 * The fitted variational Bayesian Gaussian mixture.
 */
import { DomainError, readMatrix, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { type MatrixInput } from '../internal/input.js';
import { eStep, type VBParams } from './vbgmm-math.js';

/** Plain state (and JSON body) of a {@link VariationalGMMModel}. */
export interface VariationalGMMState {
  dimension: number;
  components: number;
  /** Dirichlet parameters α_k of q(π). */
  alpha: number[];
  /** β_k. */
  beta: number[];
  /** m_k, row-major K×d. */
  means: number[];
  /** ν_k. */
  nu: number[];
  /** W_k⁻¹, row-major K×d×d. */
  scaleInverse: number[];
  elboTrace: number[];
  converged: boolean;
  iterations: number;
}

/** Result of `fitVariationalGMM`; immutable. */
export class VariationalGMMModel {
  readonly dimension: number;
  readonly components: number;
  /** ELBO after the initial M-step and after each iteration. */
  readonly elboTrace: readonly number[];
  readonly converged: boolean;
  readonly iterations: number;
  readonly reason: 'tol' | 'maxIterations';
  private readonly s: VariationalGMMState;
  private readonly w: Float64Array;

  /** @internal use `fitVariationalGMM` or {@link VariationalGMMModel.fromJSON} */
  constructor(s: VariationalGMMState) {
    // a deep copy: the caller's state (e.g. the object given to fromJSON) cannot change the model later
    this.s = structuredClone(s);
    const { dimension: d, components: K } = s;
    this.dimension = d;
    this.components = K;
    const a0 = s.alpha.reduce((x, y) => x + y, 0);
    this.w = Float64Array.from(s.alpha, (a) => a / a0);
    this.elboTrace = Object.freeze([...s.elboTrace]);
    this.converged = s.converged;
    this.iterations = s.iterations;
    this.reason = s.converged ? 'tol' : 'maxIterations';
    Object.freeze(this);
  }

  /** E[π_k] = α_k / Σα (scikit-learn's `weights_`); a copy, the model stays unchanged. */
  get weights(): Float64Array {
    return Float64Array.from(this.w);
  }

  /** m_k as a K×d matrix (`means_`); a new Matrix on every call. */
  get means(): Matrix {
    const { dimension: d, components: K, means } = this.s;
    return new Matrix(Array.from({ length: K }, (_, k) => means.slice(k * d, k * d + d)));
  }

  /** W_k⁻¹/ν_k, the inverse of E[Λ_k] (`covariances_`); new Matrices on every call. */
  get covariances(): Matrix[] {
    const { dimension: d, components: K, scaleInverse: S, nu } = this.s;
    return Array.from(
      { length: K },
      (_, k) => new Matrix(Array.from({ length: d }, (_, a) => S.slice(k * d * d + a * d, k * d * d + a * d + d).map((v) => v / (nu[k] as number)))),
    );
  }

  /** Final ELBO. */
  get elbo(): number {
    return this.elboTrace[this.elboTrace.length - 1] as number;
  }

  /** Indices of components whose weight exceeds `threshold`. @defaultValue threshold = 0.01 */
  activeComponents(threshold = 0.01): number[] {
    return Array.from(this.w.keys()).filter((k) => (this.w[k] as number) > threshold);
  }

  /** Responsibilities r_nk of new rows (the E-step), n×K. */
  predictProba(X: MatrixInput): Matrix {
    const x = readMatrix('VariationalGMMModel.predictProba', 'X', X, { columns: this.dimension });
    const q: VBParams = {
      alpha: Float64Array.from(this.s.alpha),
      beta: Float64Array.from(this.s.beta),
      m: Float64Array.from(this.s.means),
      nu: Float64Array.from(this.s.nu),
      Winv: Float64Array.from(this.s.scaleInverse),
    };
    const r = eStep(x.data, x.rows, x.columns, this.components, q);
    return new Matrix(Array.from({ length: x.rows }, (_, i) => Array.from(r.subarray(i * this.components, (i + 1) * this.components))));
  }

  /** Most responsible component of each row. */
  predict(X: MatrixInput): Int32Array {
    const p = this.predictProba(X);
    return Int32Array.from({ length: p.rows }, (_, i) => p.maxRowIndex(i)[1]);
  }

  toJSON(): VariationalGMMState & { kind: 'variational-gmm'; version: 1 } {
    return { kind: 'variational-gmm', version: 1, ...structuredClone(this.s) };
  }

  /** Inverse of {@link VariationalGMMModel.toJSON} (exact). */
  static fromJSON(json: VariationalGMMState & { kind: string; version: number }): VariationalGMMModel {
    if (json?.kind !== 'variational-gmm' || json.version !== 1) {
      throw new DomainError("VariationalGMMModel.fromJSON: argument 'json' is not a version-1 variational GMM");
    }
    const { kind: _k, version: _v, ...s } = json;
    return new VariationalGMMModel(s);
  }
}
