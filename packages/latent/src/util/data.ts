/**
 * Internal helpers: turning a public `MatrixInput` into a contiguous row-major `Float64Array`
 * after validating it, and back.
 */
import { DomainError, type MatrixInput, NonFiniteError, readMatrix, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

export type { MatrixInput };

/** A validated data set: `n` rows of `d` columns, row-major. */
export interface Dense {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

/**
 * Reads 2-D data with core's `readMatrix` (Matrix, arrays of rows, typed-array rows; typed errors for
 * holes, ragged or nested rows, strings, null, scalars, NaN/±Infinity) into a fresh row-major copy.
 * With `allowNaN`, NaN entries are kept (missing values) and ±Infinity still throws {@link NonFiniteError}.
 */
export function readData(where: string, name: string, X: unknown, allowNaN = false): Dense {
  const m = readMatrix(where, name, X, { allowNonFinite: allowNaN });
  if (allowNaN) {
    for (let t = 0; t < m.data.length; t++) {
      const v = m.data[t] as number;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        throw new NonFiniteError(
          `${where}: argument '${name}' must be finite or NaN (missing), got ${v} at [${Math.floor(t / m.columns)}, ${t % m.columns}]`,
        );
      }
    }
  }
  return { n: m.rows, d: m.columns, data: m.data };
}

/** Throws {@link ShapeError} unless the data has `d` columns. */
export function assertColumns(where: string, name: string, X: Dense, d: number): void {
  if (X.d !== d) throw new ShapeError(`${where}: argument '${name}' must have ${d} columns (the fitted dimension), got ${X.d}`);
}

/** Row-major `Float64Array` (r×c) → `Matrix`. */
export function denseToMatrix(data: ArrayLike<number>, r: number, c: number): Matrix {
  const M = new Matrix(r, c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) M.set(i, j, data[i * c + j] as number);
  return M;
}

/** `Matrix` → row-major `Float64Array`. */
export function fromMatrix(M: Matrix): Float64Array {
  const out = new Float64Array(M.rows * M.columns);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) out[i * M.columns + j] = M.get(i, j);
  return out;
}

/** Column means and variances (population, divided by n) of dense data. */
export function columnStats(X: Dense): { mean: Float64Array; variance: Float64Array } {
  const { n, d, data } = X;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] as number;
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = (data[i * d + j] as number) - (mean[j] as number);
      variance[j] += c * c;
    }
  }
  for (let j = 0; j < d; j++) variance[j] = (variance[j] as number) / n;
  return { mean, variance };
}

/**
 * Largest total scatter $\sum_{ij}(x_{ij}-\bar x_j)^2$ accepted by the fits that eigen-decompose or
 * Cholesky-factor a scatter matrix: its square (formed inside those decompositions) stays below
 * `Number.MAX_VALUE` ≈ 1.8e308 with a margin. Data around 1e70 or larger in magnitude exceed it.
 */
export const MAX_DECOMPOSABLE_SCATTER = 1e150;

/**
 * Throws {@link DomainError} when the total scatter $T=\sum_{ij}(x_{ij}-\bar x_j)^2$ of the data
 * (NaN entries, i.e. missing values, skipped) overflows float64 or exceeds `limit`: finite inputs whose
 * squares are not representable would otherwise turn into NaN or an untyped crash deep inside a fit.
 * `stats` (from {@link columnStats} of NaN-free data) skips the two passes over X.
 */
export function assertScatterRepresentable(
  where: string,
  name: string,
  X: Dense,
  limit = Number.MAX_VALUE,
  stats?: { variance: Float64Array },
): void {
  const { n, d, data } = X;
  if (stats) {
    // T = n Σ_j var_j from precomputed (NaN-free) column statistics
    let t = 0;
    for (let j = 0; j < d; j++) t += n * (stats.variance[j] as number);
    if (!(t <= limit)) {
      throw new DomainError(
        `${where}: the squared deviations of argument '${name}' overflow float64 arithmetic (total scatter ${t} > ${limit}); rescale the data`,
      );
    }
    return;
  }
  const mean = new Float64Array(d);
  const count = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] as number;
      if (Number.isNaN(v)) continue;
      mean[j] += v;
      count[j] += 1;
    }
  }
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / Math.max(1, count[j] as number);
  let total = 0;
  for (let t = 0; t < n * d; t++) {
    const v = data[t] as number;
    if (Number.isNaN(v)) continue;
    const c = v - (mean[t % d] as number);
    total += c * c;
  }
  if (!(total <= limit)) {
    throw new DomainError(
      `${where}: the squared deviations of argument '${name}' overflow float64 arithmetic (total scatter ${total} > ${limit}); rescale the data`,
    );
  }
}

/** Throws {@link DomainError} naming the first constant column (zero variance); `stats` = {@link columnStats} of X if already computed. */
export function assertNoConstantColumns(
  where: string,
  name: string,
  X: Dense,
  stats: { mean: Float64Array; variance: Float64Array } = columnStats(X),
): void {
  const { variance, mean } = stats;
  for (let j = 0; j < X.d; j++) {
    if (!((variance[j] as number) > 1e-300 + 1e-24 * (mean[j] as number) ** 2)) {
      throw new DomainError(
        `${where}: argument '${name}' has a constant column ${j} (variance 0); drop it or add noise before fitting`,
      );
    }
  }
}

/** Throws {@link DomainError} unless `v` is an integer in [min, max]. */
export function assertIntOption(where: string, name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new DomainError(`${where}: option '${name}' must be an integer in [${min}, ${max}], got ${v}`);
  }
}

/** Asserts a finite number option strictly above `min` (or ≥ when `inclusive`). */
export function assertNumberOption(where: string, name: string, v: number, min: number, inclusive = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || (inclusive ? v < min : v <= min)) {
    throw new DomainError(`${where}: option '${name}' must be a finite number ${inclusive ? '≥' : '>'} ${min}, got ${v}`);
  }
}
