import { createRng, DomainError, ShapeError } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { discreteFDivergence } from './discrete.js';
import { F_DIVERGENCES, type FDivergenceName } from './generators.js';
import { fGanBound, optimalCritic } from './variational.js';

const names = Object.keys(F_DIVERGENCES) as FDivergenceName[];
const p = [0.1, 0.4, 0.2, 0.3];
const q = [0.25, 0.25, 0.35, 0.15];

describe('GAN: f-GAN variational lower bound', () => {
  test.each(names)('%s: tight at the optimal critic T* = f\'(p/q)', (name) => {
    const t = p.map((pi, i) => optimalCritic(name, Math.log(pi), Math.log(q[i]!)));
    const bound = fGanBound(name, t, t, { weightsP: p, weightsQ: q });
    expect(bound).toBeCloseTo(discreteFDivergence(name, p, q), 13);
  });

  test.each(names)('%s: any critic gives a bound ≤ D_f (random critics through the output activation)', (name) => {
    const d = F_DIVERGENCES[name];
    const D = discreteFDivergence(name, p, q);
    const rng = createRng(99);
    for (let trial = 0; trial < 500; trial++) {
      const t = p.map(() => d.activation(rng.normal() * 3));
      expect(fGanBound(name, t, t, { weightsP: p, weightsQ: q })).toBeLessThanOrEqual(D + 1e-12);
    }
  });

  test('sample form: unweighted means of critic outputs', () => {
    // KL with T ≡ 1 on P and T ≡ 0 on Q: 1 − e^{−1}
    expect(fGanBound('kl', [1, 1], [0, 0])).toBeCloseTo(1 - Math.exp(-1), 15);
    // outside dom f* the bound is −∞
    expect(fGanBound('reverse-kl', [0], [1])).toBe(Number.NEGATIVE_INFINITY);
  });

  test('huge weights are rescaled before summing (Σw = ∞ gave NaN): same bound as the normalised weights', () => {
    for (const name of names) {
      const t = p.map((pi, i) => optimalCritic(name, Math.log(pi), Math.log(q[i]!)));
      const want = discreteFDivergence(name, p, q);
      // max weight 1e308, Σ ≈ 2.5e308 overflows
      const got = fGanBound(name, t, t, { weightsP: p.map((x) => (x / 0.4) * 1e308), weightsQ: q.map((x) => (x / 0.35) * 1e308) });
      expect(got).toBeCloseTo(want, 13);
    }
  });

  test('optimalCritic: NaN/+∞ log densities are NonFiniteErrors (NaN leaked), −∞ gives the limit f\'(0)', () => {
    expect(() => optimalCritic('kl', Number.NaN, 0)).toThrow(/optimalCritic: argument 'logP'/);
    expect(() => optimalCritic('kl', 0, Number.POSITIVE_INFINITY)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => optimalCritic('kl', Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toThrow(DomainError);
    expect(optimalCritic('total-variation', Number.NEGATIVE_INFINITY, 0)).toBe(-0.5); // f'(t) = ½ sign(t − 1)
  });

  test('bad input', () => {
    expect(() => fGanBound('kl', [], [1])).toThrow(ShapeError);
    expect(() => fGanBound('kl', [1], [Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => fGanBound('kl', [1, 2], [1], { weightsP: [1] })).toThrow(ShapeError);
    expect(() => fGanBound('kl', [1, 2], [1], { weightsP: [1, -1] })).toThrow(DomainError);
    expect(() => fGanBound('kl', [1, 2], [1], { weightsP: [0, 0] })).toThrow(DomainError);
  });
});
