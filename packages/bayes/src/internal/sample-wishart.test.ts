import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { meanAndSE } from '../testing/quadrature.js';
import { cholLower } from './dense.js';
import { sampleWishartChol } from './sample-wishart.js';

describe('Conjugate distribution: Wishart sampler (Bartlett)', () => {
  test('E[Λ] = νW and Var[Λ_ij] = ν(W_ij² + W_ii W_jj) within 4 SE', () => {
    const W = Float64Array.of(0.8, 0.3, 0.3, 0.5);
    const L = cholLower(W, 2)!;
    const rng = createRng(1);
    const nu = 5;
    const draws = Array.from({ length: 20000 }, () => sampleWishartChol(rng, nu, L, 2));
    for (const [i, j] of [[0, 0], [0, 1], [1, 1]] as const) {
      const s = meanAndSE(draws.map((x) => x[i * 2 + j]!));
      expect(Math.abs(s.mean - nu * W[i * 2 + j]!)).toBeLessThan(4 * s.se);
      const v = nu * (W[i * 2 + j]! ** 2 + W[i * 2 + i]! * W[j * 2 + j]!);
      expect(s.sd ** 2 / v).toBeGreaterThan(0.93);
      expect(s.sd ** 2 / v).toBeLessThan(1.07);
    }
  });
});
