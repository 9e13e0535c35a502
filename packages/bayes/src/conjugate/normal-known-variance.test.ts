import { DomainError } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { scalarConjugateTests } from '../testing/scalar-conjugate.js';
import { conjugateFromJSON } from './from-json.js';
import { normalKnownVariance } from './normal-known-variance.js';

describe('Conjugate distribution: Gaussian mean with known variance (Gaussian prior)', () => {
  scalarConjugateTests({
    prior: normalKnownVariance({ mean: 0.5, variance: 2, noiseVariance: 1.5 }),
    data: [1.2, 0.3, 2.2, 1.7, 0.9],
    more: [1.1, -0.4, 2.5],
    range: [-6, 8],
    xs: [-1, 0.5, 1.3, 4],
    fromJSON: conjugateFromJSON,
  });
  test('bad hyperparameters → DomainError naming the argument', () => {
    expect(() => normalKnownVariance({ mean: 0, variance: 0, noiseVariance: 1 })).toThrow(/'variance'/);
    expect(() => normalKnownVariance({ mean: 0, variance: 1, noiseVariance: -1 })).toThrow(DomainError);
  });
});
