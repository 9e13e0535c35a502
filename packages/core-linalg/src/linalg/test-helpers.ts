/**
 * Deterministic data for the linalg/optim tests (a Park–Miller LCG; not part of the public API).
 * @internal
 */
import { Matrix } from 'ml-matrix';

/** Uniform(-0.5, 0.5) stream from a Park–Miller minimal-standard LCG. */
export function lcg(seed: number): () => number {
  let s = (seed % 2147483646) + 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

export function randomArray(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = r();
  return a;
}

/** Random SPD matrix $G G^\top + n\,\delta I$ as number[][]. */
export function randomSpd(n: number, seed: number, delta = 0.1): number[][] {
  const r = lcg(seed);
  const G = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) G.set(i, j, r());
  const A = G.mmul(G.transpose());
  for (let i = 0; i < n; i++) A.set(i, i, A.get(i, i) + n * delta);
  return A.to2DArray();
}

/** Naive triple loop $C = AB$ (row-major). */
export function naiveMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Transposes a row-major r×c array. */
export function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j]!;
  return t;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return a.length === b.length ? m : Number.POSITIVE_INFINITY;
}
