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
import { assertFinite, assertInteger, assertNonEmpty, DomainError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

/**
 * General Toeplitz matrix from its first column and first row ($T_{ij} = \text{column}_{i-j}$ for
 * $i \ge j$, $\text{row}_{j-i}$ otherwise; `row[0]` must equal `column[0]`).
 * @throws DomainError if `row[0] !== column[0]`.
 */
export function toeplitzMatrix(column: ArrayLike<number>, row: ArrayLike<number> = [column[0] as number]): Matrix {
  assertNonEmpty('toeplitzMatrix', 'column', column);
  assertFinite('toeplitzMatrix', 'column', column);
  assertFinite('toeplitzMatrix', 'row', row);
  if (row[0] !== column[0]) {
    throw new DomainError(`toeplitzMatrix: argument 'row' must start with column[0] = ${column[0]}, got ${row[0]}`);
  }
  const m = column.length;
  const n = Math.max(row.length, 1);
  const T = Matrix.zeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) T.set(i, j, i >= j ? (column[i - j] as number) : (row[j - i] as number));
  }
  return T;
}

/** The L×L causal (lower-triangular) Toeplitz matrix $S_h$ of a filter h (taps beyond L ignored, missing taps 0). */
export function causalToeplitz(h: ArrayLike<number>, length: number): Matrix {
  assertInteger('causalToeplitz', 'length', length, 1);
  assertNonEmpty('causalToeplitz', 'h', h);
  assertFinite('causalToeplitz', 'h', h);
  const S = Matrix.zeros(length, length);
  for (let i = 0; i < length; i++) {
    for (let j = Math.max(0, i - h.length + 1); j <= i; j++) S.set(i, j, h[i - j] as number);
  }
  return S;
}

/** Circulant matrix with first column c: $C_{ij} = c_{(i-j) \bmod n}$. */
export function circulantMatrix(c: ArrayLike<number>): Matrix {
  assertNonEmpty('circulantMatrix', 'c', c);
  assertFinite('circulantMatrix', 'c', c);
  const n = c.length;
  const C = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) C.set(i, j, c[(((i - j) % n) + n) % n] as number);
  }
  return C;
}

/**
 * First column of the 2L×2L circulant whose top-left L×L block is the causal Toeplitz $S_h$:
 * $(h_0, \dots, h_{L-1}, 0, \dots, 0)$. Zero-padding to 2L is what lets a circular (FFT) convolution
 * compute the linear one without wrap-around.
 */
export function circulantEmbedding(h: ArrayLike<number>, length: number): Float64Array {
  assertInteger('circulantEmbedding', 'length', length, 1);
  assertNonEmpty('circulantEmbedding', 'h', h);
  assertFinite('circulantEmbedding', 'h', h);
  const c = new Float64Array(2 * length);
  for (let t = 0; t < Math.min(length, h.length); t++) c[t] = h[t] as number;
  return c;
}
