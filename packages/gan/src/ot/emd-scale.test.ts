import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { emd } from './emd.js';

/** A random n×m problem: weights and costs in (0, 1]. */
function problem(seed: number, n: number, m: number) {
  const rng = createRng(seed);
  const wa = Array.from({ length: n }, () => 0.1 + rng.uniform());
  const wb = Array.from({ length: m }, () => 0.1 + rng.uniform());
  const sa = wa.reduce((s, v) => s + v, 0);
  const sb = wb.reduce((s, v) => s + v, 0);
  const M = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.uniform()));
  return { a: wa.map((v) => v / sa), b: wb.map((v) => v / sb), M };
}

/** max over entries of |P − Q|. */
function planGap(P: { get(i: number, j: number): number; rows: number; columns: number }, Q: typeof P): number {
  let d = 0;
  for (let i = 0; i < P.rows; i++) for (let j = 0; j < P.columns; j++) d = Math.max(d, Math.abs(P.get(i, j) - Q.get(i, j)));
  return d;
}

describe('Optimal transport: emd is scale-invariant (tolerances relative to the cost scale)', () => {
  test('50 random 10×10 problems with costs ×1e-20 and ×1e-13: the same plan and cost as at unit scale (before the fix: 50 and 33 of 50 differed, all reported optimal)', () => {
    let wrong20 = 0;
    let wrong13 = 0;
    for (let s = 0; s < 50; s++) {
      const { a, b, M } = problem(100 + s, 10, 10);
      const ref = emd(a, b, M);
      for (const [c, count] of [
        [1e-20, 'w20'],
        [1e-13, 'w13'],
      ] as const) {
        const r = emd(a, b, M.map((row) => row.map((v) => v * c)));
        const bad = Math.abs(r.cost - c * ref.cost) > 1e-9 * c * ref.cost || planGap(r.plan, ref.plan) > 1e-12;
        if (bad && count === 'w20') wrong20++;
        if (bad && count === 'w13') wrong13++;
      }
    }
    expect([wrong20, wrong13]).toEqual([0, 0]);
  });

  test('property: cost(c·M) = c·cost(M) for c = 1e-20 … 1e20 (41 powers of ten × 6 problems, up to 12×9)', () => {
    let worst = 0;
    for (let s = 0; s < 6; s++) {
      const { a, b, M } = problem(7 + s, 5 + s, 4 + s);
      const ref = emd(a, b, M).cost;
      for (let e = -20; e <= 20; e++) {
        const c = 10 ** e;
        const r = emd(a, b, M.map((row) => row.map((v) => v * c)));
        worst = Math.max(worst, Math.abs(r.cost / c - ref) / ref);
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
