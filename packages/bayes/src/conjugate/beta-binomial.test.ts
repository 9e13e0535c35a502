import { describe, expect, test } from 'vitest';
import { scalarConjugateTests } from '../testing/scalar-conjugate.js';
import { betaBernoulli } from './beta-bernoulli.js';
import { betaBinomial } from './beta-binomial.js';
import { conjugateFromJSON } from './from-json.js';

describe('Conjugate distribution: Binomial (N trials) with Beta prior', () => {
  scalarConjugateTests({
    prior: betaBinomial({ alpha: 2, beta: 3, trials: 6 }),
    data: [4, 2, 5, 3],
    more: [6, 0],
    range: [1e-9, 1 - 1e-9],
    xs: [0, 3, 6],
    discrete: true,
    support: [0, 1, 2, 3, 4, 5, 6],
    badData: [1, 7],
    fromJSON: conjugateFromJSON,
  });
  test('N = 1 equals Beta–Bernoulli', () => {
    const a = betaBinomial({ alpha: 2, beta: 3, trials: 1 });
    const b = betaBernoulli({ alpha: 2, beta: 3 });
    const x = [1, 0, 1, 1];
    expect(a.logMarginalLikelihood(x)).toBeCloseTo(b.logMarginalLikelihood(x), 12);
    expect(a.update(x).params.alpha).toBe(b.update(x).params.alpha);
    expect(() => betaBinomial({ alpha: 1, beta: 1, trials: 0 })).toThrow(/'trials'/);
  });
});
