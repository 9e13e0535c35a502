import { describe, expect, test } from 'vitest';
import { scalarConjugateTests } from '../testing/scalar-conjugate.js';
import { conjugateFromJSON } from './from-json.js';
import { gammaPrecision } from './gamma-precision.js';

describe('Conjugate distribution: Gaussian precision σ⁻² with Gamma prior', () => {
  scalarConjugateTests({
    prior: gammaPrecision({ mean: 1, shape: 3, rate: 2 }),
    data: [1.2, 0.3, 2.2, 1.7, 0.9, -0.5],
    more: [1.1, -0.4, 2.5],
    range: [-8, 4],
    logScale: true,
    xs: [-1, 0.5, 1.3, 4],
    fromJSON: conjugateFromJSON,
  });
  test('bad hyperparameters → DomainError naming the argument', () => {
    expect(() => gammaPrecision({ mean: 0, shape: 0, rate: 1 })).toThrow(/'shape'/);
    expect(() => gammaPrecision({ mean: 0, shape: 1, rate: Number.NaN })).toThrow(/'rate'/);
  });
});
