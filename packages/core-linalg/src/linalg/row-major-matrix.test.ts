import { Matrix, inverse as mlInverse, solve as mlSolve } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { readMatrix } from '../errors/index.js';
import { cholesky } from './cholesky.js';
import { matmulMatrix } from './matmul.js';
import { toMatrix } from './matrix.js';
import { RowMajorMatrix } from './row-major-matrix.js';
import { randomArray, randomSpd } from './test-helpers.js';

/** Plain triple-loop product of row-major blocks (the independent reference, no core kernel). */
function naiveProduct(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, transB = false): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] as number) * (transB ? (b[j * k + p] as number) : (b[p * n + j] as number));
      out[i * n + j] = s;
    }
  }
  return out;
}

const frob = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));
const diffFrob = (x: ArrayLike<number>, y: ArrayLike<number>) => frob(Array.from(x, (v, i) => v - (y[i] as number)));

describe('CholeskyFactor returns RowMajorMatrix (no ml-matrix on the cholesky path)', () => {
  test.each([1, 2, 5, 33, 97, 150])('n=%i: L·Lᵀ = A to 1e-12 relative (Frobenius), L lower triangular', (n) => {
    const A = randomSpd(n, 11 * n);
    const L = cholesky(A).L;
    expect(L).toBeInstanceOf(RowMajorMatrix);
    expect([L.rows, L.columns, L.data.length]).toEqual([n, n, n * n]);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L.get(i, j)).toBe(0);
    const LLt = naiveProduct(L.data, L.data, n, n, n, true);
    const a = Float64Array.from(A.flat());
    expect(diffFrob(LLt, a) / frob(a)).toBeLessThan(1e-12);
  });

  test.each([3, 40, 130])('n=%i: solveMatrix equals ml-matrix solve, inverse · A = I', (n) => {
    const A = randomSpd(n, 5 + n);
    const f = cholesky(A);
    const r = randomArray(n * 4, 3 * n);
    const B = Array.from({ length: n }, (_, i) => Array.from(r.subarray(i * 4, i * 4 + 4)));
    const X = f.solveMatrix(B);
    expect(X).toBeInstanceOf(RowMajorMatrix);
    const ref = mlSolve(new Matrix(A), new Matrix(B)).to1DArray();
    expect(diffFrob(X.data, ref) / frob(ref)).toBeLessThan(1e-12);
    const inv = f.inverse();
    expect(inv).toBeInstanceOf(RowMajorMatrix);
    const I = naiveProduct(inv.data, Float64Array.from(A.flat()), n, n, n);
    let err = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) err = Math.max(err, Math.abs((I[i * n + j] as number) - (i === j ? 1 : 0)));
    expect(err).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inv.get(i, j)).toBe(inv.get(j, i));
    const refInv = mlInverse(new Matrix(A)).to1DArray();
    expect(diffFrob(inv.data, refInv) / frob(refInv)).toBeLessThan(1e-12);
  });

  test('each call returns a fresh matrix: modifying one changes neither the factor nor later results', () => {
    const A = randomSpd(6, 2);
    const f = cholesky(A);
    const L = f.L;
    const before = L.to2DArray();
    L.data.fill(7);
    expect(f.L.to2DArray()).toEqual(before);
    expect(f.L).not.toBe(f.L);
    const inv = f.inverse();
    const invBefore = inv.to2DArray();
    inv.data[0] = 123;
    expect(f.inverse().to2DArray()).toEqual(invBefore);
    const B = [[1], [2], [3], [4], [5], [6]];
    const X = f.solveMatrix(B);
    expect(B).toEqual([[1], [2], [3], [4], [5], [6]]);
    X.data[0] = -1;
    expect(f.solveMatrix(B).get(0, 0)).not.toBe(-1);
  });

  test('the object is frozen; data is the row-major storage; getters copy', () => {
    const L = cholesky([[4, 2], [2, 3]]).L;
    expect(Object.isFrozen(L)).toBe(true);
    expect(() => {
      (L as { rows: number }).rows = 3;
    }).toThrow(TypeError);
    expect(L.get(0, 0)).toBe(2);
    expect(L.get(1, 0)).toBe(1);
    expect(L.get(1, 1)).toBeCloseTo(Math.SQRT2, 15);
    expect(Array.from(L.data)).toEqual([2, 0, 1, L.get(1, 1)]);
    expect(Array.from(L.getRow(1))).toEqual([1, L.get(1, 1)]);
    expect(Array.from(L.getColumn(0))).toEqual([2, 1]);
    expect(L.to2DArray()).toEqual([
      [2, 0],
      [1, L.get(1, 1)],
    ]);
    const flat = L.to1DArray();
    expect(flat).not.toBe(L.data);
    flat[0] = 9;
    L.getRow(0)[0] = 9;
    L.getColumn(0)[0] = 9;
    L.to2DArray()[0]![0] = 9;
    expect(L.get(0, 0)).toBe(2);
  });

  test('accepted back wherever a matrix is: cholesky, readMatrix, toMatrix, matmulMatrix, solveMatrix, JSON', () => {
    const A = randomSpd(5, 4);
    const f = cholesky(A);
    const inv = f.inverse();
    // (A⁻¹)⁻¹ = A
    const back = cholesky(inv).inverse();
    const a = Float64Array.from(A.flat());
    expect(diffFrob(back.data, a) / frob(a)).toBeLessThan(1e-12);
    const read = readMatrix('test', 'L', f.L);
    expect([read.rows, read.columns]).toEqual([5, 5]);
    expect(Array.from(read.data)).toEqual(Array.from(f.L.data));
    expect(toMatrix(f.L).to2DArray()).toEqual(f.L.to2DArray());
    const P = matmulMatrix(f.L, f.solveMatrix(A));
    expect(P.rows).toBe(5);
    expect(f.solveMatrix(f.L).rows).toBe(5);
    const json = JSON.parse(JSON.stringify({ L: f.L }));
    expect(json.L).toEqual(f.L.to2DArray());
    expect(RowMajorMatrix.from(json.L).to2DArray()).toEqual(f.L.to2DArray());
    expect(RowMajorMatrix.from(new Matrix(A)).to2DArray()).toEqual(A);
  });

  test('bad indices and constructor arguments throw typed errors', () => {
    const L = cholesky([[4, 2], [2, 3]]).L;
    for (const [i, j] of [
      [2, 0],
      [0, 2],
      [-1, 0],
      [0.5, 0],
      [Number.NaN, 0],
    ] as const) {
      expect(() => L.get(i, j)).toThrow(expect.objectContaining({ code: 'domain' }));
    }
    expect(() => L.getRow(2)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => L.getColumn(-1)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => new RowMajorMatrix(2, 2, new Float64Array(3))).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => new RowMajorMatrix(2, 2, [1, 2, 3, 4] as unknown as Float64Array)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => new RowMajorMatrix(-1, 2, new Float64Array(0))).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => RowMajorMatrix.from([[1, 2], [3]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => RowMajorMatrix.from([[1, Number.NaN]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(new RowMajorMatrix(0, 3, new Float64Array(0)).to2DArray()).toEqual([]);
  });

  test('a MatrixLike with impossible or huge sizes is a typed error, not a RangeError (any MatrixLike is a MatrixInput)', () => {
    const like = (rows: number, columns: number) => ({ rows, columns, get: () => 0 });
    for (const [r, c] of [
      [-1, 2],
      [2, 1.5],
      [Number.NaN, 2],
      [2, Number.POSITIVE_INFINITY],
    ] as const) {
      expect(() => RowMajorMatrix.from(like(r, c))).toThrow(expect.objectContaining({ code: 'shape' }));
      expect(() => cholesky(like(r, c))).toThrow(expect.objectContaining({ code: 'shape' }));
    }
    // 10^6 × 10^6 doubles = 8 TB: refused by the memory check before any allocation
    expect(() => RowMajorMatrix.from(like(1e6, 1e6))).toThrow(expect.objectContaining({ code: 'resource' }));
  });
});
