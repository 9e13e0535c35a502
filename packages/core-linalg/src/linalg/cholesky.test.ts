import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { NotPositiveDefiniteError } from '../errors/index.js';
import { cholesky, choleskySolve } from './cholesky.js';
import { maxAbsDiff, randomArray, randomSpd } from './test-helpers.js';

const sizes = [1, 2, 3, 7, 16, 50, 97, 150, 230];

describe('support: robust Cholesky vs ml-matrix', () => {
  test.each(sizes)('n=%i: L, solve, solveMatrix, log-det and inverse agree with ml-matrix', (n) => {
    const A = randomSpd(n, n);
    const copy = A.map((r) => r.slice());
    const f = cholesky(A);
    const ref = new CholeskyDecomposition(new Matrix(A));
    expect(f.jitter).toBe(0);
    expect(f.n).toBe(n);
    const Lref = ref.lowerTriangularMatrix;
    expect(maxAbsDiff(f.L.to1DArray(), Lref.to1DArray())).toBeLessThan(1e-11 * n);
    const b = randomArray(n, 7 * n);
    const x = f.solve(b);
    expect(maxAbsDiff(x, ref.solve(Matrix.columnVector(Array.from(b))).to1DArray())).toBeLessThan(1e-10);
    expect(maxAbsDiff(choleskySolve(A, b), x)).toBe(0);
    const B = new Matrix(n, 3).apply(function (this: Matrix, i: number, j: number) {
      this.set(i, j, Math.sin(i + 3 * j));
    });
    expect(maxAbsDiff(f.solveMatrix(B).to1DArray(), ref.solve(B).to1DArray())).toBeLessThan(1e-10);
    let logDetRef = 0;
    for (let i = 0; i < n; i++) logDetRef += 2 * Math.log(Lref.get(i, i));
    expect(Math.abs(f.logDet() - logDetRef)).toBeLessThan(1e-10 * Math.max(1, Math.abs(logDetRef)));
    if (n <= 50) expect(maxAbsDiff(f.inverse().to1DArray(), inverse(new Matrix(A)).to1DArray())).toBeLessThan(1e-10);
    expect(A).toEqual(copy);
  });

  test('solveTriangular solves L x = b and Lᵀ x = b', () => {
    const A = randomSpd(12, 3);
    const f = cholesky(A);
    const b = randomArray(12, 4);
    const y = f.solveTriangular(b);
    const z = f.solveTriangular(b, { transpose: true });
    const L = new Matrix(f.L.to2DArray());
    expect(maxAbsDiff(L.mmul(Matrix.columnVector(Array.from(y))).to1DArray(), b)).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.transpose().mmul(Matrix.columnVector(Array.from(z))).to1DArray(), b)).toBeLessThan(1e-12);
  });

  test('log-det of a 2×2 matches the closed form', () => {
    expect(cholesky([[4, 2], [2, 3]]).logDet()).toBeCloseTo(Math.log(8), 14);
  });
});

describe('support: adaptive jitter', () => {
  test('a singular PSD matrix factors with a reported jitter', () => {
    // Rank-1: v vᵀ with v = (1, 2, 3); mean diagonal 14/3.
    const v = [1, 2, 3];
    const A = v.map((a) => v.map((b) => a * b));
    const f = cholesky(A);
    expect(f.jitter).toBeGreaterThan(0);
    expect(f.jitter).toBeLessThanOrEqual(1e-2 * (14 / 3));
    const L = new Matrix(f.L.to2DArray());
    const LLt = L.mmul(L.transpose());
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) expect(LLt.get(i, j)).toBeCloseTo(A[i]![j]! + (i === j ? f.jitter : 0), 10);
    }
  });

  test('a fixed jitter is used exactly once', () => {
    expect(cholesky([[1, 1], [1, 1]], { jitter: 0.5 }).jitter).toBe(0.5);
    expect(() => cholesky([[1, 1], [1, 1]], { jitter: 0 })).toThrow(NotPositiveDefiniteError);
  });

  test('indefinite beyond the jitter limit throws NotPositiveDefiniteError with the jitter tried', () => {
    const A = [[1, 0], [0, -1]];
    let err: unknown;
    try {
      cholesky(A);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotPositiveDefiniteError);
    expect((err as NotPositiveDefiniteError).code).toBe('not-positive-definite');
    expect((err as NotPositiveDefiniteError).jitterTried).toBeGreaterThan(0);
    // A larger maxJitter is allowed to rescue a slightly indefinite matrix.
    expect(cholesky([[1, 0], [0, -1e-6]]).jitter).toBeGreaterThan(1e-6);
    expect(() => cholesky([[1, 0], [0, -1e-6]], { maxJitter: 1e-7 })).toThrow(NotPositiveDefiniteError);
  });
});

describe('support: Cholesky bad input', () => {
  test.each([
    ['non-square', [[1, 2, 3], [4, 5, 6]], 'shape'],
    ['empty', [], 'shape'],
    ['NaN', [[1, Number.NaN], [Number.NaN, 1]], 'non-finite'],
    ['Infinity', [[Number.POSITIVE_INFINITY]], 'non-finite'],
    ['non-symmetric', [[2, 1], [0, 2]], 'domain'],
    ['ragged', [[1, 0], [0]], 'shape'],
  ])('%s → typed error', (_name, A, code) => {
    expect(() => cholesky(A as number[][])).toThrow(expect.objectContaining({ code }));
  });
  test('bad options and right-hand sides', () => {
    const f = cholesky([[2, 1], [1, 2]]);
    expect(() => cholesky([[1]], { jitter: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => f.solve([1, 2, 3])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => f.solve([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => f.solveMatrix([[1], [2], [3]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => choleskySolve([[2, 1], [1, 2]], [1])).toThrow(expect.objectContaining({ code: 'shape' }));
    const b = [1, 2];
    f.solve(b);
    expect(b).toEqual([1, 2]);
  });
});

describe('support: blocked triangular solves with many right-hand sides', () => {
  test('solveMatrix with 130 columns and inverse at n = 200 (several 64-row blocks) vs ml-matrix', () => {
    const n = 200;
    const A = randomSpd(n, 77);
    const f = cholesky(A);
    const B = new Matrix(n, 130);
    const r = randomArray(n * 130, 5);
    for (let i = 0; i < n; i++) for (let j = 0; j < 130; j++) B.set(i, j, r[i * 130 + j]!);
    const X = f.solveMatrix(B);
    expect(maxAbsDiff(new Matrix(A).mmul(new Matrix(X.to2DArray())).to1DArray(), B.to1DArray())).toBeLessThan(1e-9);
    const inv = f.inverse();
    expect(maxAbsDiff(inv.to1DArray(), inverse(new Matrix(A)).to1DArray())).toBeLessThan(1e-10);
  });
});

describe('support: Cholesky never touches the caller’s matrix', () => {
  test('Matrix input, including the jitter-retry path that re-reads A', () => {
    const M = new Matrix([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 2],
    ]);
    const before = M.to2DArray();
    const f = cholesky(M);
    expect(f.jitter).toBeGreaterThan(0);
    expect(M.to2DArray()).toEqual(before);
    const S = new Matrix(randomSpd(120, 9));
    const copy = S.to2DArray();
    cholesky(S).solveMatrix(S);
    expect(S.to2DArray()).toEqual(copy);
  });
});
