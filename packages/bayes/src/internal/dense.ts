/**
 * Small dense kernels on row-major `Float64Array` d×d matrices, for the hot loops of the Gibbs and
 * variational samplers where d is small (2–10) and allocating an ml-matrix per call would dominate.
 * Public boundaries use core's `cholesky`; these are internal.
 * @internal
 */

/** Lower Cholesky factor of a symmetric d×d matrix, or `null` if it is not positive definite. */
export function cholLower(a: ArrayLike<number>, d: number, out: Float64Array = new Float64Array(d * d)): Float64Array | null {
  out.fill(0);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j] as number;
    for (let k = 0; k < j; k++) s -= (out[j * d + k] as number) ** 2;
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const ljj = Math.sqrt(s);
    out[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j] as number;
      for (let k = 0; k < j; k++) t -= (out[i * d + k] as number) * (out[j * d + k] as number);
      out[i * d + j] = t / ljj;
    }
  }
  return out;
}

/** log|A| = 2 Σ log L_ii from a Cholesky factor. */
export function logDetChol(l: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i] as number);
  return 2 * s;
}

/** Squared Mahalanobis norm ‖L⁻¹ v‖² (forward substitution, no allocation). */
export function mahalanobisChol(l: ArrayLike<number>, v: ArrayLike<number>, d: number, work: Float64Array): number {
  let q = 0;
  for (let i = 0; i < d; i++) {
    let t = v[i] as number;
    for (let k = 0; k < i; k++) t -= (l[i * d + k] as number) * (work[k] as number);
    const z = t / (l[i * d + i] as number);
    work[i] = z;
    q += z * z;
  }
  return q;
}

/** A⁻¹ from its Cholesky factor (row-major, symmetric). */
export function inverseFromChol(l: ArrayLike<number>, d: number): Float64Array {
  // Solve L Lᵀ X = I column by column.
  const inv = new Float64Array(d * d);
  const y = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < d; i++) {
      let t = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) t -= (l[i * d + k] as number) * (y[k] as number);
      y[i] = t / (l[i * d + i] as number);
    }
    for (let i = d - 1; i >= 0; i--) {
      let t = y[i] as number;
      for (let k = i + 1; k < d; k++) t -= (l[k * d + i] as number) * (inv[k * d + c] as number);
      inv[i * d + c] = t / (l[i * d + i] as number);
    }
  }
  return inv;
}

/** Inverse of a symmetric positive-definite matrix, or `null` if it is not PD. */
export function inverseSPD(a: ArrayLike<number>, d: number): Float64Array | null {
  const l = cholLower(a, d);
  return l ? inverseFromChol(l, d) : null;
}

/** x ← L z (lower-triangular product), used to colour standard-normal draws. */
export function lowerTimes(l: ArrayLike<number>, z: ArrayLike<number>, d: number, out: Float64Array = new Float64Array(d)): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += (l[i * d + k] as number) * (z[k] as number);
    out[i] = s;
  }
  return out;
}

/** trace(A B) for symmetric row-major A, B. */
export function traceProduct(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d * d; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Solves Lᵀ y = z (back substitution with the transpose of a lower factor). */
export function backSolveLT(l: ArrayLike<number>, z: ArrayLike<number>, d: number, out: Float64Array = new Float64Array(d)): Float64Array {
  for (let i = d - 1; i >= 0; i--) {
    let t = z[i] as number;
    for (let k = i + 1; k < d; k++) t -= (l[k * d + i] as number) * (out[k] as number);
    out[i] = t / (l[i * d + i] as number);
  }
  return out;
}
