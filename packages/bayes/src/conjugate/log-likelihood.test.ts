import { describe, expect, test } from 'vitest';
import { betaBernoulli } from './beta-bernoulli.js';
import { betaBinomial } from './beta-binomial.js';
import { dirichletCategorical } from './dirichlet-categorical.js';
import { dirichletMultinomial } from './dirichlet-multinomial.js';
import { gammaPoisson } from './gamma-poisson.js';
import { gammaPrecision } from './gamma-precision.js';
import { normalGamma } from './normal-gamma.js';
import { normalKnownVariance } from './normal-known-variance.js';
import { paretoUniform } from './pareto-uniform.js';

const nonFinite = expect.objectContaining({ code: 'non-finite' });
const NEG = Number.NEGATIVE_INFINITY;

describe('Conjugate distribution: likelihoods outside and on the edge of the parameter space', () => {
  test('θ outside the parameter space has likelihood 0 (log −∞), not NaN or a finite number', () => {
    expect(betaBernoulli({ alpha: 2, beta: 2 }).logLikelihood([1], 1.5)).toBe(NEG); // was log 1.5 > 0
    expect(betaBernoulli({ alpha: 2, beta: 2 }).logLikelihood([1, 0], -0.1)).toBe(NEG);
    expect(betaBinomial({ alpha: 1, beta: 1, trials: 3 }).logLikelihood([1], 2)).toBe(NEG);
    expect(gammaPoisson({ shape: 2, rate: 1 }).logLikelihood([1, 2], -1)).toBe(NEG);
    expect(gammaPrecision({ mean: 0, shape: 2, rate: 1 }).logLikelihood([1], -1)).toBe(NEG);
    expect(normalGamma({ mean: 0, kappa: 1, shape: 2, rate: 1 }).logLikelihood([1], { mu: 0, tau: -1 })).toBe(NEG);
    const dc = dirichletCategorical({ alpha: [1, 2, 3] });
    expect(dc.logLikelihood([0, 1], Float64Array.of(-0.1, 0.6, 0.5))).toBe(NEG);
    expect(dc.logLikelihood([0, 1], Float64Array.of(0.2, 0.2, 0.2))).toBe(NEG); // sums to 0.6
    const dm = dirichletMultinomial({ alpha: [1, 2, 3], trials: 4 });
    expect(dm.logLikelihood([[1, 1, 2]], Float64Array.of(-0.1, 0.6, 0.5))).toBe(NEG);
  });

  test('0·log 0 = 0 on the boundary: exact probabilities 1', () => {
    // Poisson(0 | λ = 0) = 1; Binomial(0 | N, p = 0) = 1; Binomial(N | N, p = 1) = 1; Bernoulli(1 | p = 1) = 1
    expect(gammaPoisson({ shape: 2, rate: 1 }).logLikelihood([0, 0], 0)).toBe(0);
    expect(gammaPoisson({ shape: 2, rate: 1 }).logLikelihood([1], 0)).toBe(NEG);
    expect(betaBinomial({ alpha: 1, beta: 1, trials: 3 }).logLikelihood([0, 0], 0)).toBe(0);
    expect(betaBinomial({ alpha: 1, beta: 1, trials: 3 }).logLikelihood([3], 1)).toBe(0);
    expect(betaBernoulli({ alpha: 1, beta: 1 }).logLikelihood([1, 1], 1)).toBe(0);
  });

  test('NaN/±Infinity θ is a NonFiniteError naming it; a wrong-length p is a ShapeError', () => {
    expect(() => betaBernoulli({ alpha: 2, beta: 2 }).logLikelihood([1], Number.NaN)).toThrow(nonFinite);
    expect(() => gammaPoisson({ shape: 2, rate: 1 }).logLikelihood([1], Number.NaN)).toThrow(/'lambda'/);
    expect(() => paretoUniform({ scale: 1, shape: 2 }).logLikelihood([0.5], Number.NaN)).toThrow(nonFinite);
    expect(() => normalKnownVariance({ mean: 0, variance: 1, noiseVariance: 1 }).logLikelihood([1], Number.NaN)).toThrow(nonFinite);
    expect(() => normalGamma({ mean: 0, kappa: 1, shape: 2, rate: 1 }).logLikelihood([1], { mu: Number.NaN, tau: 1 })).toThrow(
      /'theta.mu'/,
    );
    expect(() => gammaPrecision({ mean: 0, shape: 2, rate: 1 }).logLikelihood([1], Number.POSITIVE_INFINITY)).toThrow(nonFinite);
    expect(() => dirichletCategorical({ alpha: [1, 2, 3] }).logLikelihood([0], Float64Array.of(0.5, 0.5))).toThrow(
      expect.objectContaining({ code: 'shape' }),
    );
  });
});
