/** Shared test inputs and comparisons of the raw kernels' tests (kernels.test.ts, resident-cholesky.test.ts). */
import { createRng } from '../index.js';

/** A = B Bᵀ/n + I (well conditioned, SPD), row-major, full; B has seeded N(0, 1) entries. */
export function spd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const B = Float64Array.from({ length: n * n }, () => rng.normal());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += B[i * n + k]! * B[j * n + k]!;
      A[i * n + j] = s / n + (i === j ? 1 : 0);
      A[j * n + i] = A[i * n + j]!;
    }
  return A;
}

/** Largest |a_i − b_i|. */
export const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** The row-major n×m array `a` as nested rows (for ml-matrix). */
export const toRows = (a: Float64Array, n: number, m = n): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * m, (i + 1) * m)));
