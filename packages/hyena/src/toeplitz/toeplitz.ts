/**
 * Toeplitz and circulant matrices (notes: 结合 SSM 的卷积, FFT Conv).
 *
 * A causal filter h gives the lower-triangular Toeplitz matrix $S_h$ with $(S_h)_{ij} = h_{i-j}$ for
 * $i \ge j$ (0 above the diagonal), so $y = S_h u$ is the causal convolution $y_t = \sum_{n\le t} h_{t-n}u_n$.
 * A circulant matrix with first column c has $C_{ij} = c_{(i-j) \bmod n}$. The notes print the circulant with
 * first ROW $(h_0, h_1, \dots, h_{L-1})$, i.e. $C_{ij} = h_{(j-i) \bmod L}$; that matrix computes a circular
 * cross-correlation, not the convolution $h * u$, and its eigenvalues are the conjugates of FFT(h). We use the
 * first-column convention, for which $C = W^{-1}\operatorname{diag}(\mathrm{FFT}(c))\,W$ holds as the notes intend.
 */
import { assertInteger, checkMemory, DomainError, defineOptions, readVector } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { MEMORY_RULE } from '../validate.js';

/** Options of the dense matrix builders. */
export interface DenseMatrixOptions {
  /** Budget in bytes for the dense matrix. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const DENSE_SPEC = { maxMemoryBytes: MEMORY_RULE } as const;
const parsers = {
  toeplitzMatrix: defineOptions<DenseMatrixOptions>()('toeplitzMatrix', DENSE_SPEC),
  causalToeplitz: defineOptions<DenseMatrixOptions>()('causalToeplitz', DENSE_SPEC),
  circulantMatrix: defineOptions<DenseMatrixOptions>()('circulantMatrix', DENSE_SPEC),
  circulantEmbedding: defineOptions<DenseMatrixOptions>()('circulantEmbedding', DENSE_SPEC),
  circulantFromEigenvalues: defineOptions<DenseMatrixOptions>()('circulantFromEigenvalues', DENSE_SPEC),
};

/**
 * Parses the options of a dense builder and checks `bytes` against its memory budget.
 * @internal
 */
export function denseBudget(where: keyof typeof parsers, what: string, bytes: number, options: DenseMatrixOptions | undefined): void {
  const o = parsers[where].parse(options);
  checkMemory(where, what, bytes, {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'causalFftConv (O(L log L), no dense matrix)',
  });
}

/**
 * General Toeplitz matrix from its first column and first row ($T_{ij} = \text{column}_{i-j}$ for
 * $i \ge j$, $\text{row}_{j-i}$ otherwise; `row[0]` must equal `column[0]`).
 * @throws DomainError if `row[0] !== column[0]`; ShapeError/NonFiniteError for bad vectors (core's
 *   `readVector`); ResourceError above `maxMemoryBytes`.
 */
export function toeplitzMatrix(column: ArrayLike<number>, row?: ArrayLike<number>, options?: DenseMatrixOptions): Matrix {
  const col = readVector('toeplitzMatrix', 'column', column);
  const r = row === undefined ? Float64Array.of(col[0] as number) : readVector('toeplitzMatrix', 'row', row);
  if (r[0] !== col[0]) {
    throw new DomainError(`toeplitzMatrix: argument 'row' must start with column[0] = ${col[0]}, got ${r[0]}`);
  }
  const m = col.length;
  const n = r.length;
  denseBudget('toeplitzMatrix', `the ${m}×${n} Toeplitz matrix`, 8 * m * n, options);
  const T = Matrix.zeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) T.set(i, j, i >= j ? (col[i - j] as number) : (r[j - i] as number));
  }
  return T;
}

/**
 * The L×L causal (lower-triangular) Toeplitz matrix $S_h$ of a filter h (taps beyond L ignored, missing taps 0).
 * @throws DomainError for a length that is not a positive integer; ShapeError/NonFiniteError for a bad h;
 *   ResourceError above `maxMemoryBytes`.
 */
export function causalToeplitz(h: ArrayLike<number>, length: number, options?: DenseMatrixOptions): Matrix {
  const hh = readVector('causalToeplitz', 'h', h);
  assertInteger('causalToeplitz', 'length', length, 1);
  denseBudget('causalToeplitz', `the ${length}×${length} Toeplitz matrix`, 8 * length * length, options);
  const S = Matrix.zeros(length, length);
  for (let i = 0; i < length; i++) {
    for (let j = Math.max(0, i - hh.length + 1); j <= i; j++) S.set(i, j, hh[i - j] as number);
  }
  return S;
}

/**
 * Circulant matrix with first column c: $C_{ij} = c_{(i-j) \bmod n}$.
 * @throws ShapeError/NonFiniteError for a bad c; ResourceError above `maxMemoryBytes`.
 */
export function circulantMatrix(c: ArrayLike<number>, options?: DenseMatrixOptions): Matrix {
  const cc = readVector('circulantMatrix', 'c', c);
  const n = cc.length;
  denseBudget('circulantMatrix', `the ${n}×${n} circulant matrix`, 8 * n * n, options);
  const C = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) C.set(i, j, cc[(((i - j) % n) + n) % n] as number);
  }
  return C;
}

/**
 * First column of the 2L×2L circulant whose top-left L×L block is the causal Toeplitz $S_h$:
 * $(h_0, \dots, h_{L-1}, 0, \dots, 0)$. Zero-padding to 2L is what lets a circular (FFT) convolution
 * compute the linear one without wrap-around.
 * @throws DomainError for a length that is not a positive integer; ShapeError/NonFiniteError for a bad h;
 *   ResourceError when the 2L column exceeds `maxMemoryBytes`.
 */
export function circulantEmbedding(h: ArrayLike<number>, length: number, options?: DenseMatrixOptions): Float64Array {
  const hh = readVector('circulantEmbedding', 'h', h);
  assertInteger('circulantEmbedding', 'length', length, 1);
  denseBudget('circulantEmbedding', `the column of length ${2 * length}`, 16 * length, options);
  const c = new Float64Array(2 * length);
  for (let t = 0; t < Math.min(length, hh.length); t++) c[t] = hh[t] as number;
  return c;
}
