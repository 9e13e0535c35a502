/**
 * Internal: eigen-decomposition of a symmetric matrix with eigenvalues sorted in decreasing order and a
 * deterministic sign per eigenvector (largest-magnitude entry positive). Uses ml-matrix's
 * `EigenvalueDecomposition` (Jacobi/QL for symmetric input).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** `values` descending; `vectors` D×D with eigenvector j in column j. */
export function symmetricEigen(S: Matrix): { values: Float64Array; vectors: Matrix } {
  const e = new EigenvalueDecomposition(S, { assumeSymmetric: true });
  const D = S.rows;
  const vals = e.realEigenvalues;
  const V = e.eigenvectorMatrix;
  const order = Array.from({ length: D }, (_, i) => i).sort((a, b) => (vals[b] as number) - (vals[a] as number));
  const values = new Float64Array(D);
  const vectors = new Matrix(D, D);
  order.forEach((src, j) => {
    values[j] = vals[src] as number;
    let big = 0;
    for (let i = 0; i < D; i++) if (Math.abs(V.get(i, src)) > Math.abs(V.get(big, src))) big = i;
    const s = V.get(big, src) < 0 ? -1 : 1;
    for (let i = 0; i < D; i++) vectors.set(i, j, s * V.get(i, src));
  });
  return { values, vectors };
}

/** Scatter matrix $\tfrac1{\text{div}}\sum_i (x_i-\mu)(x_i-\mu)^\top$ of row-major data. */
export function scatter(data: Float64Array, n: number, d: number, mean: Float64Array, div: number): Matrix {
  const S = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = (data[i * d + j] as number) - (mean[j] as number);
    for (let a = 0; a < d; a++) {
      const ca = c[a] as number;
      for (let b = 0; b <= a; b++) S[a * d + b] += ca * (c[b] as number);
    }
  }
  const M = new Matrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = (S[a * d + b] as number) / div;
      M.set(a, b, v);
      M.set(b, a, v);
    }
  }
  return M;
}
