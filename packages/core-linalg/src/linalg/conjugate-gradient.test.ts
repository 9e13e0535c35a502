import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { cholesky } from './cholesky.js';
import { conjugateGradient } from './conjugate-gradient.js';
import { maxAbsDiff, randomArray, randomSpd } from './test-helpers.js';

function op(A: number[][]): (v: Float64Array) => Float64Array {
  const n = A.length;
  return (v) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i]![j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
}

describe('Conjugate gradient algorithm', () => {
  test.each([2, 3, 5, 8])('n=%i: exact within n steps and equal to the Cholesky solve', (n) => {
    const A = randomSpd(n, 11 * n, 0.5);
    const b = randomArray(n, 3 * n);
    const res = conjugateGradient(op(A), b, { tol: 1e-12 });
    expect(res.converged).toBe(true);
    expect(res.reason).toBe('tolerance');
    expect(res.iterations).toBeLessThanOrEqual(n);
    expect(maxAbsDiff(res.x, cholesky(A).solve(b))).toBeLessThan(1e-10);
  });

  test('with k distinct eigenvalues it terminates in k steps', () => {
    // A = Q diag(1,1,1,5,5,5) Qᵀ has 2 distinct eigenvalues → CG converges in 2 iterations.
    const n = 6;
    const Q = new SingularValueDecomposition(new Matrix(randomSpd(n, 5))).leftSingularVectors;
    const D = Matrix.diag([1, 1, 1, 5, 5, 5]);
    const A = Q.mmul(D).mmul(Q.transpose()).to2DArray();
    const res = conjugateGradient(op(A), randomArray(n, 9), { tol: 1e-12 });
    expect(res.iterations).toBe(2);
  });

  test('Jacobi preconditioner cuts iterations on a badly scaled SPD system', () => {
    const n = 60;
    const base = randomSpd(n, 2, 0.05);
    const s = Array.from({ length: n }, (_, i) => 10 ** ((3 * i) / (n - 1)));
    const A = base.map((row, i) => row.map((v, j) => v * s[i]! * s[j]!));
    const b = randomArray(n, 4);
    const plain = conjugateGradient(op(A), b, { tol: 1e-8 });
    const jac = conjugateGradient(op(A), b, {
      tol: 1e-8,
      preconditioner: (r) => r.map((v, i) => v / A[i]![i]!),
    });
    expect(jac.converged).toBe(true);
    expect(jac.iterations).toBeLessThan(plain.iterations);
    const x = cholesky(A).solve(b);
    expect(maxAbsDiff(jac.x, x) / maxAbsDiff(x, new Float64Array(n))).toBeLessThan(1e-5);
  });

  test('iteration cap, x0 and b = 0', () => {
    const A = randomSpd(30, 8, 0.01);
    const b = randomArray(30, 1);
    const capped = conjugateGradient(op(A), b, { maxIterations: 3 });
    expect(capped).toMatchObject({ converged: false, reason: 'max-iterations', iterations: 3 });
    const exact = cholesky(A).solve(b);
    const warm = conjugateGradient(op(A), b, { x0: exact });
    expect(warm.iterations).toBeLessThanOrEqual(1);
    expect(conjugateGradient(op(A), new Float64Array(30)).x).toEqual(new Float64Array(30));
  });

  test('an indefinite operator stops with reason not-positive-definite', () => {
    const res = conjugateGradient(op([[1, 0], [0, -1]]), [1, 1]);
    expect(res).toMatchObject({ converged: false, reason: 'not-positive-definite' });
  });

  test('bad input → typed errors; b is not modified', () => {
    const A = op([[2, 0], [0, 2]]);
    const b = [1, 2];
    conjugateGradient(A, b);
    expect(b).toEqual([1, 2]);
    expect(() => conjugateGradient(A, [])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => conjugateGradient(A, [1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => conjugateGradient(A, [1, 2], { x0: [1] })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => conjugateGradient(() => new Float64Array(3), [1, 2])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => conjugateGradient(() => new Float64Array([Number.NaN, 0]), [1, 2])).toThrow(
      expect.objectContaining({ code: 'non-finite' }),
    );
    expect(() => conjugateGradient(A, [1, 2], { tol: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => conjugateGradient(A, [1, 2], { signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});
