import { checkMemory, defineOptions, DomainError, describeValue, fromRowMajor, type MatrixInput, readMatrix, ShapeError } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** Built-in ground costs between points. */
export type CostMetric = 'sqeuclidean' | 'euclidean' | 'cityblock';

const METRICS: Readonly<Record<CostMetric, (x: Float64Array, xo: number, y: Float64Array, yo: number, d: number) => number>> = {
  sqeuclidean: (x, xo, y, yo, d) => {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = x[xo + k]! - y[yo + k]!;
      s += t * t;
    }
    return s;
  },
  euclidean: (x, xo, y, yo, d) => {
    const s2 = METRICS.sqeuclidean(x, xo, y, yo, d);
    // the sum of squares over/underflows only for gaps beyond ~1e±150: redo it scaled by the largest gap
    if (s2 < 1e300 && s2 > 1e-300) return Math.sqrt(s2);
    let big = 0;
    for (let k = 0; k < d; k++) big = Math.max(big, Math.abs(x[xo + k]! - y[yo + k]!));
    if (big === 0 || big === Number.POSITIVE_INFINITY) return big;
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = (x[xo + k]! - y[yo + k]!) / big;
      s += t * t;
    }
    return big * Math.sqrt(s);
  },
  cityblock: (x, xo, y, yo, d) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += Math.abs(x[xo + k]! - y[yo + k]!);
    return s;
  },
};

/** Options of {@link costMatrix}. */
export interface CostMatrixOptions {
  /** Budget of the n×m result (16·n·m bytes with its row-major buffer). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const OPTIONS = defineOptions<CostMatrixOptions>()('costMatrix', {
  maxMemoryBytes: { type: 'number', greaterThan: 0, doc: 'memory budget in bytes' },
});

/**
 * Ground-cost matrix between point clouds, C_ij = c(x_i, y_j) (notes: optimal transport,
 * c(x, y) = ‖x − y‖_k^k). Matches POT's `ot.dist` for 'sqeuclidean' (its default), 'euclidean' and
 * 'cityblock'; a function gives a custom cost c(x_i, y_j) on the rows.
 * @param X - n×d points; @param Y - m×d points (same d)
 * Inputs are read with core's `readMatrix` (a flat array of numbers is a set of 1-D points).
 * @throws ShapeError for empty inputs or different dimensions; NonFiniteError for NaN/±∞ inputs;
 *   DomainError for an unknown metric, a built-in cost that overflows, a custom cost returning NaN/±∞,
 *   or bad options; ResourceError when the n×m result exceeds `maxMemoryBytes`.
 * @example costMatrix([[0, 0]], [[3, 4]], 'euclidean').get(0, 0) // 5
 */
export function costMatrix(
  X: MatrixInput,
  Y: MatrixInput,
  metric: CostMetric | ((x: Float64Array, y: Float64Array) => number) = 'sqeuclidean',
  options?: CostMatrixOptions,
): Matrix {
  const where = 'costMatrix';
  const o = OPTIONS.parse(options);
  const x = readMatrix(where, 'X', X, { vector: 'column', minColumns: 0 });
  const y = readMatrix(where, 'Y', Y, { vector: 'column', minColumns: 0 });
  if (x.columns !== y.columns) {
    throw new ShapeError(`${where}: argument 'Y' must have ${x.columns} columns (as X), got ${y.columns}`);
  }
  if (typeof metric !== 'function' && typeof metric !== 'string') {
    throw new DomainError(`${where}: argument 'metric' must be one of ${Object.keys(METRICS).join(', ')} or a function, got ${describeValue(metric)}`);
  }
  checkMemory(where, `the ${x.rows}×${y.rows} cost matrix`, 16 * x.rows * y.rows, { maxMemoryBytes: o.maxMemoryBytes });
  const d = x.columns;
  const out = new Float64Array(x.rows * y.rows);
  if (typeof metric === 'function') {
    for (let i = 0; i < x.rows; i++) {
      const xi = x.data.slice(i * d, i * d + d);
      for (let j = 0; j < y.rows; j++) {
        const v = metric(xi, y.data.slice(j * d, j * d + d));
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new DomainError(`${where}: the custom cost must return finite numbers, got ${describeValue(v)} at [${i}, ${j}]`);
        }
        out[i * y.rows + j] = v;
      }
    }
  } else {
    const f = Object.hasOwn(METRICS, metric) ? METRICS[metric] : undefined;
    if (!f) throw new DomainError(`${where}: argument 'metric' must be one of ${Object.keys(METRICS).join(', ')}, got ${describeValue(metric)}`);
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < y.rows; j++) {
        const v = f(x.data, i * d, y.data, j * d, d);
        if (v === Number.POSITIVE_INFINITY) {
          throw new DomainError(`${where}: the '${metric}' cost overflows (> 1.8e308) at [${i}, ${j}]; rescale 'X' and 'Y'`);
        }
        out[i * y.rows + j] = v;
      }
    }
  }
  return fromRowMajor(out, x.rows, y.rows);
}
