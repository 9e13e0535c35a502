/**
 * PCA (notes: "Mixture PCA", linear-algebra view): centre X, $\Sigma = \tfrac1{n-1}X_c^\top X_c$,
 * $\Sigma v_j = \lambda_j v_j$ with $\lambda_1\ge\dots\ge\lambda_p$, project $Z = X_cV_k$.
 * The notes divide by $n$; we divide by $n-1$ as scikit-learn's `explained_variance_` does (the
 * eigenvectors are the same). Eigen-decomposition of the covariance (`method: 'eigen'`, O(nd² + d³)) or
 * SVD of the centred data (`'svd'`). Components carry a fixed sign (largest-magnitude entry positive).
 */
import { DomainError, defineOptions, type FitReport, makeFitReport, ShapeError, stopwatch } from '@notes/core-linalg';
import { readArray, readBool, readEnvelope, readFinite, readInt, readReport } from '../util/json.js';
import { Matrix, SVD } from 'ml-matrix';
import { assertColumns, assertScatterRepresentable, columnStats, MAX_DECOMPOSABLE_SCATTER, denseToMatrix, fromMatrix, type MatrixInput, readData } from '../util/data.js';
import { scatter, symmetricEigen } from './symmetric-eigen.js';

/** Options of {@link fitPCA}. */
export interface PCAOptions {
  /** Number of components k (≤ min(n, d)). */
  components: number;
  /** Scale projections to unit variance. @defaultValue false */
  whiten?: boolean;
  /** Covariance eigen-decomposition or SVD of the centred data. @defaultValue 'eigen' */
  method?: 'eigen' | 'svd';
}

/** Option table of {@link fitPCA}. */
export const PCA_OPTIONS = defineOptions<PCAOptions>()('fitPCA', {
  components: { type: 'integer', min: 1, doc: 'number of components k (required)' },
  whiten: { type: 'boolean', default: false },
  method: { type: 'enum', values: ['eigen', 'svd'], default: 'eigen' },
});

/** Defaults of {@link PCAOptions}. */
export const PCA_DEFAULTS = PCA_OPTIONS.defaults;

/** Serialised {@link PCAModel}. */
export interface PCAJSON {
  kind: 'pca';
  version: 2;
  whiten: boolean;
  dimension: number;
  samples: number;
  mean: number[];
  /** k×d row-major */
  components: number[];
  explainedVariance: number[];
  totalVariance: number;
  noiseVariance: number;
  report: FitReport;
}

/** A fitted PCA. Getters return copies. */
export class PCAModel {
  readonly whiten: boolean;
  readonly dimension: number;
  readonly samples: number;
  /** Sum of all eigenvalues (total variance, divisor n−1). */
  readonly totalVariance: number;
  /** Mean of the discarded eigenvalues (0 when none are discarded), scikit-learn's `noise_variance_`. */
  readonly noiseVariance: number;
  /** A closed-form fit: reason `'completed'`, 0 iterations. */
  readonly report: FitReport;
  readonly #mean: Float64Array;
  readonly #comp: Float64Array;
  readonly #ev: Float64Array;

  /** @internal use `fitPCA` or `fromJSON`. */
  constructor(j: Omit<PCAJSON, 'kind' | 'version'>) {
    this.whiten = j.whiten;
    this.dimension = j.dimension;
    this.samples = j.samples;
    this.totalVariance = j.totalVariance;
    this.noiseVariance = j.noiseVariance;
    this.report = j.report;
    this.#mean = Float64Array.from(j.mean);
    this.#comp = Float64Array.from(j.components);
    this.#ev = Float64Array.from(j.explainedVariance);
    Object.freeze(this);
  }

  /** Number of kept components k. */
  get k(): number {
    return this.#ev.length;
  }
  /** Principal axes, k×d (rows are unit eigenvectors). */
  get components(): Matrix {
    return denseToMatrix(this.#comp, this.k, this.dimension);
  }
  /** Eigenvalues $\lambda_1..\lambda_k$ (variance along each axis, divisor n−1). */
  get explainedVariance(): Float64Array {
    return Float64Array.from(this.#ev);
  }
  /** $\lambda_j / \sum_i \lambda_i$. */
  get explainedVarianceRatio(): Float64Array {
    return this.#ev.map((v) => v / this.totalVariance);
  }
  get mean(): Float64Array {
    return Float64Array.from(this.#mean);
  }

  /** $Z = (X-\mu)V_k$ (divided by $\sqrt{\lambda_j}$ when whitening). */
  transform(X: MatrixInput): Matrix {
    const D = readData('PCAModel.transform', 'X', X);
    assertColumns('PCAModel.transform', 'X', D, this.dimension);
    const { k, dimension: d } = this;
    const Z = new Matrix(D.n, k);
    for (let i = 0; i < D.n; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += ((D.data[i * d + j] as number) - (this.#mean[j] as number)) * (this.#comp[c * d + j] as number);
        Z.set(i, c, this.whiten ? s / Math.sqrt(this.#ev[c] as number) : s);
      }
    }
    return Z;
  }

  /** $X \approx Z V_k^\top + \mu$ (undoing the whitening scale). */
  inverseTransform(Z: MatrixInput): Matrix {
    const D = readData('PCAModel.inverseTransform', 'Z', Z);
    assertColumns('PCAModel.inverseTransform', 'Z', D, this.k);
    const { k, dimension: d } = this;
    const X = new Matrix(D.n, d);
    for (let i = 0; i < D.n; i++) {
      for (let j = 0; j < d; j++) {
        let s = this.#mean[j] as number;
        for (let c = 0; c < k; c++) {
          const z = D.data[i * k + c] as number;
          s += (this.whiten ? z * Math.sqrt(this.#ev[c] as number) : z) * (this.#comp[c * d + j] as number);
        }
        X.set(i, j, s);
      }
    }
    return X;
  }

  toJSON(): PCAJSON {
    return {
      kind: 'pca',
      version: 2,
      whiten: this.whiten,
      dimension: this.dimension,
      samples: this.samples,
      mean: Array.from(this.#mean),
      components: Array.from(this.#comp),
      explainedVariance: Array.from(this.#ev),
      totalVariance: this.totalVariance,
      noiseVariance: this.noiseVariance,
      report: this.report,
    };
  }

  /**
   * Rebuilds a model, validating every field (finite mean and axes, eigenvalues ≥ 0 and > 0 when
   * whitening, k ≤ d, the report). @throws DomainError/ShapeError naming the field.
   */
  static fromJSON(json: PCAJSON): PCAModel {
    const where = 'PCAModel.fromJSON';
    const o = readEnvelope(where, json, 'pca', 2);
    const whiten = readBool(where, o, 'whiten');
    const d = readInt(where, o, 'dimension', 1);
    const samples = readInt(where, o, 'samples', 2);
    const ev = o.explainedVariance;
    const k = Array.isArray(ev) ? ev.length : 0;
    if (k < 1 || k > d) throw new DomainError(`${where}: field 'explainedVariance' must hold 1 to ${d} numbers`);
    return new PCAModel({
      whiten,
      dimension: d,
      samples,
      mean: Array.from(readArray(where, o, 'mean', d)),
      components: Array.from(readArray(where, o, 'components', k * d)),
      explainedVariance: Array.from(readArray(where, o, 'explainedVariance', k, whiten ? { greaterThan: 0 } : { min: 0 })),
      totalVariance: readFinite(where, o, 'totalVariance', { min: 0 }),
      noiseVariance: readFinite(where, o, 'noiseVariance', { min: 0 }),
      report: readReport(where, o),
    });
  }
}

/**
 * Fits PCA.
 * @example fitPCA(X, { components: 2 }).transform(X) // n×2 scores
 * @throws ShapeError (fewer than 2 rows, k > min(n, d)), NonFiniteError, DomainError (bad options).
 */
export function fitPCA(X: MatrixInput, options: PCAOptions): PCAModel {
  const where = 'fitPCA';
  const clock = stopwatch();
  const o = PCA_OPTIONS.parse(options);
  if (o.components === undefined) throw new DomainError(`${where}: option 'components' is required`);
  const D = readData(where, 'X', X);
  const { n, d } = D;
  if (n < 2) throw new ShapeError(`${where}: argument 'X' must have at least 2 rows, got ${n}`);
  if (o.components > Math.min(n, d)) throw new DomainError(`${where}: option 'components' must be an integer in [1, ${Math.min(n, d)}], got ${o.components}`);
  const method = o.method;
  // the eigen path squares the scatter inside the decomposition; the SVD path only needs finite variances
  assertScatterRepresentable(where, 'X', D, method === 'eigen' ? MAX_DECOMPOSABLE_SCATTER : Number.MAX_VALUE);
  const k = o.components;
  const { mean } = columnStats(D);
  let values: Float64Array;
  let vectors: Matrix;
  if (method === 'eigen') {
    ({ values, vectors } = symmetricEigen(scatter(D.data, n, d, mean, n - 1)));
  } else {
    const Xc = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = (D.data[i * d + j] as number) - (mean[j] as number);
    const svd = new SVD(denseToMatrix(Xc, n, d), { autoTranspose: true });
    const V = svd.rightSingularVectors;
    const s = svd.diagonal;
    const r = Math.min(n, d);
    values = new Float64Array(d);
    vectors = new Matrix(d, d);
    for (let j = 0; j < r; j++) {
      values[j] = ((s[j] as number) * (s[j] as number)) / (n - 1);
      let big = 0;
      for (let i = 0; i < d; i++) if (Math.abs(V.get(i, j)) > Math.abs(V.get(big, j))) big = i;
      const sg = V.get(big, j) < 0 ? -1 : 1;
      for (let i = 0; i < d; i++) vectors.set(i, j, sg * V.get(i, j));
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += Math.max(0, values[j] as number);
  if (o.whiten) {
    for (let j = 0; j < k; j++) {
      if (!((values[j] as number) > 0)) throw new DomainError(`${where}: cannot whiten: component ${j} has zero variance; use fewer components or whiten: false`);
    }
  }
  const comp = fromMatrix(vectors.subMatrix(0, d - 1, 0, k - 1).transpose());
  let noise = 0;
  const rest = Math.min(n, d) - k;
  for (let j = k; j < Math.min(n, d); j++) noise += Math.max(0, values[j] as number);
  return new PCAModel({
    whiten: o.whiten,
    dimension: d,
    samples: n,
    mean: Array.from(mean),
    components: Array.from(comp),
    explainedVariance: Array.from(values.subarray(0, k), (v) => Math.max(0, v)),
    totalVariance: total,
    noiseVariance: rest > 0 ? noise / rest : 0,
    report: makeFitReport({ reason: 'completed', iterations: 0, elapsedMs: clock() }),
  });
}
