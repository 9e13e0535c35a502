import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { minimizeLBFGS } from '../optim/index.js';
import { cholesky } from './cholesky.js';
import { conjugateGradient } from './conjugate-gradient.js';
import { matmul, matmulTransB } from './matmul.js';
import { maxAbsDiff, naiveMatmul, randomArray, transpose } from './test-helpers.js';

const dims = fc.integer({ min: 1, max: 40 });

describe('support: properties (fast-check)', () => {
  test('matmul is the naive product for any shape and data', () => {
    fc.assert(
      fc.property(dims, dims, dims, fc.integer({ min: 0, max: 1e6 }), (m, k, n, seed) => {
        const a = randomArray(m * k, seed);
        const b = randomArray(k * n, seed + 1);
        return maxAbsDiff(matmul(a, b, m, k, n), naiveMatmul(a, b, m, k, n)) < 1e-12 * k;
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  test('for SPD A = GGᵀ + I: Cholesky solve, CG and L-BFGS on ½xᵀAx − bᵀx agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const g = randomArray(n * n, seed);
        const A = matmulTransB(g, g, n, n, n);
        for (let i = 0; i < n; i++) A[i * n + i]! += 1;
        const b = randomArray(n, seed + 7);
        const rows = Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)));
        const x = cholesky(rows).solve(b);
        const Ax = (v: Float64Array) => matmul(A, v, n, n, 1);
        const cg = conjugateGradient(Ax, b, { tol: 1e-13 });
        const lb = minimizeLBFGS((v) => {
          const av = Ax(v);
          let f = 0;
          const grad = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            f += 0.5 * v[i]! * av[i]! - b[i]! * v[i]!;
            grad[i] = av[i]! - b[i]!;
          }
          return { value: f, gradient: grad };
        }, new Float64Array(n), { gradTol: 1e-11, fTol: 0 });
        expect(lb.report.criterion).toBe('gradTol');
        const scale = Math.max(1, ...Array.from(x, Math.abs));
        expect(maxAbsDiff(cg.x, x)).toBeLessThan(1e-8 * scale);
        expect(maxAbsDiff(lb.x, x)).toBeLessThan(1e-8 * scale);
        expect(transpose(A, n, n)).toEqual(A);
      }),
      { numRuns: 40, seed: 42 },
    );
  });
});
