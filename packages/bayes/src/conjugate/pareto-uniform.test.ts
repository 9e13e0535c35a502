import { describe, expect, test } from 'vitest';
import { logIntegrate1D } from '../testing/quadrature.js';
import { scalarConjugateTests } from '../testing/scalar-conjugate.js';
import { conjugateFromJSON } from './from-json.js';
import { paretoUniform } from './pareto-uniform.js';

const prior = paretoUniform({ scale: 1, shape: 3 });
const data = [0.4, 1.8, 2.3, 0.9, 1.1];

describe('Conjugate distribution: Uniform(0, θ) with Pareto prior', () => {
  // θ ≥ max(m, max x) = 2.3: integrate over log θ from exactly that point
  scalarConjugateTests({
    prior,
    data,
    more: [2.9, 0.1],
    range: [Math.log(2.3), Math.log(2.3) + 8],
    logScale: true,
    xs: [0.5, 2.0], // below M the integrand is smooth; x > M is checked below
    badData: [1, -0.5],
    fromJSON: conjugateFromJSON,
  });
  test('predictive above M equals quadrature split at the kink θ = x', () => {
    const post = prior.update(data);
    const logZ = logIntegrate1D((u) => post.logDensity(Math.exp(u)) + u, Math.log(2.3), Math.log(2.3) + 8, 20000);
    expect(logZ).toBeCloseTo(0, 7);
    for (const x of [2.5, 4]) {
      const want = logIntegrate1D(
        (u) => post.logDensity(Math.exp(u)) + post.logLikelihood([x], Math.exp(u)) + u,
        Math.log(x),
        Math.log(x) + 8,
        20000,
      );
      expect(post.predictive().logPdf(x)).toBeCloseTo(want, 6);
    }
  });
  test('posterior is Pareto(max(m, max x), k + n)', () => {
    expect(prior.update(data).params).toEqual({ scale: 2.3, shape: 8 });
    expect(prior.update(data).logDensity(2.2)).toBe(Number.NEGATIVE_INFINITY);
    expect(() => paretoUniform({ scale: -1, shape: 1 })).toThrow(/'scale'/);
  });
});
