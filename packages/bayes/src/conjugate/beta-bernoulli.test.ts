import { describe, expect, test } from 'vitest';
import { scalarConjugateTests } from '../testing/scalar-conjugate.js';
import { betaBernoulli } from './beta-bernoulli.js';
import { conjugateFromJSON } from './from-json.js';

describe('Conjugate distribution: Bernoulli with Beta prior', () => {
  scalarConjugateTests({
    prior: betaBernoulli({ alpha: 2, beta: 3 }),
    data: [1, 0, 1, 1, 0, 1, 1],
    more: [0, 0, 1],
    range: [1e-9, 1 - 1e-9],
    xs: [0, 1],
    discrete: true,
    support: [0, 1],
    badData: [1, 2],
    fromJSON: conjugateFromJSON,
  });
  test('prior.update is the Beta(α + k, β + n − k) of the notes', () => {
    expect(betaBernoulli({ alpha: 1, beta: 1 }).update([1, 1, 0]).params).toEqual({ alpha: 3, beta: 2 });
  });
  test('mode on the boundary and no unique mode', () => {
    expect(betaBernoulli({ alpha: 0.5, beta: 2 }).mode()).toBe(0);
    expect(() => betaBernoulli({ alpha: 1, beta: 1 }).mode()).toThrow(/no unique mode/);
    expect(() => betaBernoulli({ alpha: 0, beta: 1 })).toThrow(/'alpha'/);
  });
});
