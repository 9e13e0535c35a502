import { describe, expect, test } from 'vitest';
import { branin } from './testFunctions.js';
import { minimize } from './minimize.js';
import { TrustRegion } from './trustRegion.js';

describe('Bayesian optimization: TuRBO trust region (Eriksson et al. 2019)', () => {
  test('box has volume L^d scaled by the ARD length scales and is clipped to the cube', () => {
    const tr = new TrustRegion(2);
    const { lower, upper } = tr.box([0.5, 0.5], [1, 4]);
    // L_i = 0.8 · ℓ_i / sqrt(ℓ_1 ℓ_2) = 0.8·[0.5, 2] → [0.4, 1.6], the second clipped to [0, 1]
    expect(upper[0] - lower[0]).toBeCloseTo(0.4, 12);
    expect(lower[1]).toBe(0);
    expect(upper[1]).toBe(1);
  });
  test('doubles after 3 successes, halves after max(4, d) failures, resets below the minimum', () => {
    const tr = new TrustRegion(5, { minLength: 0.3 });
    for (let i = 0; i < 3; i++) tr.update(0, 1);
    expect(tr.length).toBeCloseTo(1.6, 12);
    for (let i = 0; i < 4; i++) tr.update(1, 1);
    expect(tr.length).toBeCloseTo(1.6, 12);
    tr.update(1, 1);
    expect(tr.length).toBeCloseTo(0.8, 12);
    for (let i = 0; i < 10; i++) tr.update(1, 1);
    // 0.8 → 0.4 → 0.2 < 0.3 → reset to 0.8
    expect(tr.length).toBeCloseTo(0.8, 12);
  });
  test('minimize with a trust region stays in the bounds and beats the initial design on Branin', () => {
    const r = minimize(branin.f, branin.bounds, { budget: 20, seed: 3, trustRegion: true });
    for (const s of r.trace) {
      for (let j = 0; j < 2; j++) expect(s.x[j] >= branin.bounds[j][0] && s.x[j] <= branin.bounds[j][1]).toBe(true);
    }
    expect(r.value).toBeLessThan(Math.min(...r.trace.slice(0, 3).map((s) => s.y)));
    expect(r.value - branin.minimum).toBeLessThan(0.05);
  });
});
