import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { costMatrix } from './cost.js';
import { sinkhorn } from './sinkhorn.js';

function problem(seed: number, n: number, m: number) {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
  const y = Array.from({ length: m }, () => [rng.normal() + 0.5, rng.normal()]);
  const wa = Array.from({ length: n }, () => 0.1 + rng.uniform());
  const wb = Array.from({ length: m }, () => 0.1 + rng.uniform());
  const sa = wa.reduce((s, v) => s + v, 0);
  const sb = wb.reduce((s, v) => s + v, 0);
  const M = costMatrix(x, y);
  return { a: wa.map((v) => v / sa), b: wb.map((v) => v / sb), M: M.div(M.max()).to2DArray() };
}

describe('Optimal transport: Sinkhorn is scale-covariant (tol relative to the mass)', () => {
  test.each(['log', 'standard'] as const)(
    '%s: weights ×c give the plan ×c and costs and reg ×c the same plan, c = 1e-150 … 1e150 (before: weights ×1e-20 "converged" at iteration 1 with a column sum off by 50 %)',
    (method) => {
      const { a, b, M } = problem(5, 12, 9);
      const reg = 0.05;
      const ref = sinkhorn(a, b, M, { reg, method, tol: 1e-12 });
      expect(ref.report.converged).toBe(true);
      for (const c of [1e-150, 1e-20, 1e-5, 1e5, 1e20, 1e150]) {
        // weights ×c: plan ×c, cost ×c, same iterations
        const w = sinkhorn(a.map((v) => v * c), b.map((v) => v * c), M, { reg, method, tol: 1e-12 });
        expect(w.report.converged).toBe(true);
        expect(Math.abs(w.report.iterations - ref.report.iterations)).toBeLessThanOrEqual(1);
        let worst = 0;
        for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) worst = Math.max(worst, Math.abs(w.plan.get(i, j) / c - ref.plan.get(i, j)));
        expect(worst).toBeLessThan(1e-12);
        expect(Math.abs(w.cost / c - ref.cost)).toBeLessThan(1e-12 * ref.cost);
        // the standard kernel e^{−M/reg} is unchanged by M, reg ×c; so is the log iteration's
        if (c >= 1e-20 && c <= 1e20) {
          const s = sinkhorn(a, b, M.map((r) => r.map((v) => v * c)), { reg: reg * c, method, tol: 1e-12 });
          expect(s.report.iterations).toBe(ref.report.iterations);
          expect(Math.abs(s.cost / c - ref.cost)).toBeLessThan(1e-10 * ref.cost);
        }
      }
    },
  );
});
