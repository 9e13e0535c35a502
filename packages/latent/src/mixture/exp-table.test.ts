import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { expNonPositive } from './exp-table.js';

// relative error against Math.exp (V8's fdlibm port, < 1 ulp), in units of 2⁻⁵²
function ulps(x: number): number {
  const ref = Math.exp(x);
  return Math.abs(expNonPositive(x) - ref) / ref / Number.EPSILON;
}

describe('Categorical latent variables: the E-step exponential e^x (x ≤ 0) matches Math.exp', () => {
  test('within 3 ulp on a fine grid of [-745, 0] and at random points', () => {
    let worst = 0;
    for (let t = 0; t <= 2_000_000; t++) {
      const x = -745 * (t / 2_000_000);
      if (Math.exp(x) > 1e-300) worst = Math.max(worst, ulps(x));
    }
    const rng = createRng(3);
    for (let t = 0; t < 200_000; t++) worst = Math.max(worst, ulps(-rng.uniform() * 40), ulps(-rng.uniform() * 1e-3));
    expect(worst).toBeLessThan(3);
  });

  test('exact at 0 and at the tails; NaN stays NaN', () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(expNonPositive(-800)).toBe(0);
    expect(expNonPositive(-720)).toBe(Math.exp(-720)); // subnormal range goes through Math.exp
    expect(Number.isNaN(expNonPositive(Number.NaN))).toBe(true);
    // the table boundary: the last x taking the table path still gives a normal number near 2^-1021
    expect(Math.abs(expNonPositive(-707.9999) / Math.exp(-707.9999) - 1)).toBeLessThan(3 * Number.EPSILON);
  });
});
