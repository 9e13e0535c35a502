import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { powerIteration } from './power-iteration.js';
import { lcg, maxAbsDiff } from './test-helpers.js';

function randomMatrix(m: number, n: number, seed: number): Matrix {
  const r = lcg(seed);
  const M = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) M.set(i, j, r());
  return M;
}

/** Aligns the sign of x with y (singular vectors are defined up to sign). */
function aligned(x: Float64Array, y: number[]): Float64Array {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += x[i]! * y[i]!;
  return s < 0 ? x.map((v) => -v) : x;
}

describe('support: power iteration (largest singular value)', () => {
  test.each([
    [1, 1],
    [5, 3],
    [3, 5],
    [20, 20],
    [40, 7],
  ])('%i×%i matches ml-matrix SVD', (m, n) => {
    const A = randomMatrix(m, n, 31 * m + n);
    const svd = new SingularValueDecomposition(A, { autoTranspose: true });
    const res = powerIteration(A, { maxIterations: 20000 });
    expect(res.converged).toBe(true);
    expect(Math.abs(res.sigma - svd.diagonal[0]!)).toBeLessThan(1e-10 * svd.diagonal[0]!);
    const u = svd.leftSingularVectors.getColumn(0);
    const v = svd.rightSingularVectors.getColumn(0);
    expect(maxAbsDiff(aligned(res.u, u), u)).toBeLessThan(1e-8);
    expect(maxAbsDiff(aligned(res.v, v), v)).toBeLessThan(1e-8);
  });

  test('same seed → identical result; v0 is honoured', () => {
    const A = randomMatrix(6, 4, 3);
    expect(powerIteration(A, { seed: 5 })).toEqual(powerIteration(A, { seed: 5 }));
    const r = powerIteration([[3, 0], [0, 1]], { v0: [1, 0] });
    expect(r.sigma).toBe(3);
    expect(r.iterations).toBe(1);
  });

  test('zero matrix gives sigma 0 with unit vectors', () => {
    const r = powerIteration([[0, 0], [0, 0]]);
    expect(r.sigma).toBe(0);
    expect(r.reason).toBe('zero-matrix');
  });

  test('bad input → typed errors', () => {
    expect(() => powerIteration([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => powerIteration([[Number.NaN]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => powerIteration([[1, 2]], { v0: [1] })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => powerIteration([[1, 2]], { v0: [0, 0] })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => powerIteration([[1]], { maxIterations: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

describe('powerIteration: entries near the ends of the double range', () => {
  test.each([1e-300, 1e-200, 1e200, 1e300])('σ of s·B equals s·σ(B) for s = %d (no overflow or underflow)', (s) => {
    const B = [
      [3, 1, 0.5],
      [0.2, -2, 1],
    ];
    const ref = new SingularValueDecomposition(new Matrix(B)).diagonal[0] as number;
    const r = powerIteration(B.map((row) => row.map((x) => x * s)));
    expect(r.converged).toBe(true);
    expect(Math.abs(r.sigma / (s * ref) - 1)).toBeLessThan(1e-10);
  });
});
