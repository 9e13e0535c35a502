/**
 * The fitted DPMM: kept partitions and cluster statistics, with the MAP partition, the co-clustering
 * matrix and the posterior predictive density.
 */
import { DomainError, type FitReport, logSumExp, readMatrix, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import type { MatrixInput } from '../internal/input.js';
import { Cluster, createFamily, type DPMMBase } from './families.js';
import { type DPMMJSON, type DPMMState, readDPMMJSON } from './model-json.js';

export type { DPMMJSON, DPMMState } from './model-json.js';

/** Freezes a plain JSON-like value (objects and arrays of numbers) all the way down. */
function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Result of a DPMM fit; immutable. */
export class DPMMModel {
  readonly alpha: number;
  readonly base: DPMMBase;
  readonly sampler: 'collapsed' | 'two-step';
  readonly dimension: number;
  /** Number of data points. */
  readonly n: number;
  readonly burnIn: number;
  /** Clusters after every sweep. */
  readonly numClustersTrace: readonly number[];
  /** `{ converged: true, reason: 'completed', iterations: sweeps, elapsedMs, trace: log p(Y, S) after every sweep }`. */
  readonly report: FitReport;
  private readonly keptSamples: readonly Int32Array[];
  private readonly mapPartition: Int32Array;
  readonly mapLogJoint: number;
  /**
   * Stationarity check of the kept log-joint trace: the means of its first and second halves differ by
   * less than 3 standard errors, estimated by batch means (10 batches per half) to allow for autocorrelation.
   */
  readonly stationary: boolean;
  private readonly stats: readonly Float64Array[];

  /** @internal use `fitDPMM` or {@link DPMMModel.fromJSON} */
  constructor(s: DPMMState) {
    this.alpha = s.alpha;
    this.base = deepFreeze(structuredClone(s.base));
    this.sampler = s.sampler;
    this.dimension = s.dimension;
    this.n = s.n;
    this.burnIn = s.burnIn;
    this.numClustersTrace = Object.freeze([...s.numClustersTrace]);
    this.report = s.report;
    // own copies: typed arrays cannot be frozen, so the getters hand out copies
    this.keptSamples = Object.freeze(s.samples.map((z) => Int32Array.from(z)));
    this.stats = Object.freeze(s.stats.map((v) => Float64Array.from(v)));
    this.mapPartition = Int32Array.from(s.mapAssignments);
    this.mapLogJoint = s.mapLogJoint;
    this.stationary = stationary((s.report.trace ?? []).slice(s.burnIn));
    Object.freeze(this);
  }

  /** Kept partitions (labels in order of first appearance); a copy, the model stays unchanged. */
  get samples(): Int32Array[] {
    return this.keptSamples.map((z) => Int32Array.from(z));
  }

  /** The kept partition with the highest log joint (MAP partition among the samples); a copy. */
  get mapAssignments(): Int32Array {
    return Int32Array.from(this.mapPartition);
  }

  /** Number of clusters of the MAP partition. */
  get numClusters(): number {
    let k = 0;
    for (const z of this.mapPartition) k = Math.max(k, z + 1);
    return k;
  }

  /**
   * Posterior co-clustering probabilities $P(S_i = S_j\mid Y)$ estimated from the kept partitions,
   * for all points or the given subset of indices (m×m).
   * @throws DomainError for an index out of range, ShapeError if more than 4000 points are requested
   */
  coClustering(indices?: ArrayLike<number>): Matrix {
    const idx = indices ? Array.from(indices) : Array.from({ length: this.n }, (_, i) => i);
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= this.n) {
        throw new DomainError(`DPMMModel.coClustering: argument 'indices' must hold integers in 0..${this.n - 1}, got ${i}`);
      }
    }
    if (idx.length > 4000) {
      throw new ShapeError(`DPMMModel.coClustering: at most 4000 points per call (pass 'indices'), got ${idx.length}`);
    }
    const m = idx.length;
    const c = new Matrix(m, m);
    for (const z of this.keptSamples) {
      for (let a = 0; a < m; a++) {
        const za = z[idx[a] as number];
        for (let b = 0; b < m; b++) if (z[idx[b] as number] === za) c.set(a, b, c.get(a, b) + 1);
      }
    }
    return c.div(Math.max(1, this.keptSamples.length));
  }

  /**
   * Log posterior predictive density $\log p(y^\ast\mid Y)\approx\log\frac1S\sum_s\Big[\sum_c\frac{n_c}{\alpha+n}p(y^\ast\mid Y_c^{(s)})
   * + \frac{\alpha}{\alpha+n}p(y^\ast)\Big]$ over the kept samples.
   * @throws ShapeError if Y has the wrong number of columns
   */
  logPredictiveDensity(Y: MatrixInput): Float64Array {
    const y = readMatrix('DPMMModel.logPredictiveDensity', 'Y', Y, { columns: this.dimension });
    const d = this.dimension;
    const fam = createFamily(this.base, d);
    const empty = new Cluster(d);
    fam.refresh(empty);
    const work = new Float64Array(2 * d);
    const S = this.stats.length;
    const per = new Float64Array(S * y.rows);
    const logDen = Math.log(this.alpha + this.n);
    this.stats.forEach((s, si) => {
      const L = 1 + d + d * d;
      const K = s.length / L;
      const cls: Cluster[] = [];
      for (let k = 0; k < K; k++) {
        const cl = new Cluster(d);
        cl.n = s[k * L] as number;
        cl.sum.set(s.subarray(k * L + 1, k * L + 1 + d));
        cl.sq.set(s.subarray(k * L + 1 + d, (k + 1) * L));
        fam.refresh(cl);
        cls.push(cl);
      }
      const terms = new Float64Array(K + 1);
      for (let i = 0; i < y.rows; i++) {
        cls.forEach((cl, k) => {
          terms[k] = Math.log(cl.n) + fam.logPred(cl, y.data, i * d, work);
        });
        terms[K] = Math.log(this.alpha) + fam.logPred(empty, y.data, i * d, work);
        per[si * y.rows + i] = logSumExp(terms) - logDen;
      }
    });
    const out = new Float64Array(y.rows);
    const col = new Float64Array(S);
    for (let i = 0; i < y.rows; i++) {
      for (let si = 0; si < S; si++) col[si] = per[si * y.rows + i] as number;
      out[i] = logSumExp(col) - Math.log(S);
    }
    return out;
  }

  toJSON(): DPMMJSON {
    return {
      kind: 'dpmm',
      version: 2,
      alpha: this.alpha,
      base: this.base,
      sampler: this.sampler,
      dimension: this.dimension,
      n: this.n,
      burnIn: this.burnIn,
      numClustersTrace: [...this.numClustersTrace],
      samples: this.keptSamples.map((z) => Array.from(z)),
      stats: this.stats.map((s) => Array.from(s)),
      mapAssignments: Array.from(this.mapPartition),
      mapLogJoint: this.mapLogJoint,
      report: JSON.parse(JSON.stringify(this.report)),
    };
  }

  /**
   * Rebuilds a model from {@link DPMMModel.toJSON} output (exact round trip). Validates every field: α > 0, the
   * base measure (as `fitDPMM` does), sizes, every kept partition (n labels in 0..K−1 in order of first
   * appearance), its cluster statistics (counts equal to the partition's, finite sums), the MAP partition, the
   * traces and the report.
   * @throws DomainError / ShapeError naming the first bad field
   */
  static fromJSON(json: unknown): DPMMModel {
    return new DPMMModel(readDPMMJSON(json));
  }
}

/** Half-vs-half mean comparison with batch-means standard errors (Geweke-style, 10 batches per half). */
function stationary(trace: number[]): boolean {
  const h = Math.floor(trace.length / 2);
  if (h < 10) return false;
  const half = (a: number[]) => {
    const b = Math.floor(a.length / 10);
    const means = Array.from({ length: 10 }, (_, j) => a.slice(j * b, (j + 1) * b).reduce((x, y) => x + y, 0) / b);
    const m = means.reduce((x, y) => x + y, 0) / 10;
    const v = means.reduce((x, y) => x + (y - m) ** 2, 0) / 9;
    return { m, v: v / 10 };
  };
  const a = half(trace.slice(0, h));
  const b = half(trace.slice(trace.length - h));
  return Math.abs(a.m - b.m) <= 3 * Math.sqrt(a.v + b.v) + 1e-9 * Math.abs(a.m);
}
