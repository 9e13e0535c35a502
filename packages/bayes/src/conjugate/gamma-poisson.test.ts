import { describe, expect, test } from 'vitest';
import { scalarConjugateTests } from '../testing/scalar-conjugate.js';
import { conjugateFromJSON } from './from-json.js';
import { gammaPoisson } from './gamma-poisson.js';

describe('Conjugate distribution: Poisson with Gamma prior', () => {
  scalarConjugateTests({
    prior: gammaPoisson({ shape: 2, rate: 0.5 }),
    data: [3, 5, 2, 4, 6, 1],
    more: [0, 7],
    range: [-6, 4],
    logScale: true,
    xs: [0, 2, 5, 11],
    discrete: true,
    support: Array.from({ length: 80 }, (_, i) => i),
    badData: [1, 2.5],
    fromJSON: conjugateFromJSON,
  });
  test('negative counts → DomainError naming data', () => {
    expect(() => gammaPoisson({ shape: 1, rate: 1 }).update([-1])).toThrow(/'data' must contain non-negative integer/);
    expect(() => gammaPoisson({ shape: 1, rate: 0 })).toThrow(/'rate'/);
  });
});
