import { describe, expect, test } from 'vitest';
import { betaBinomialDistribution } from './beta-binomial.js';
import { dirichletMultinomialDistribution } from './dirichlet-multinomial.js';
import { multivariateStudentT } from './predictive-multivariate.js';
import {
  bernoulliDistribution,
  categoricalDistribution,
  negativeBinomialDistribution,
  normalDistribution,
  paretoUniformPredictive,
  studentTDistribution,
} from './predictive-univariate.js';

const domain = expect.objectContaining({ code: 'domain' });
const nonFinite = expect.objectContaining({ code: 'non-finite' });
const shape = expect.objectContaining({ code: 'shape' });

describe('Conjugate distribution: predictive distributions reject invalid parameters', () => {
  test('each exported factory throws a typed error naming the argument (they returned NaN densities before)', () => {
    expect(() => normalDistribution(0, -1)).toThrow(domain);
    expect(() => normalDistribution(Number.NaN, 1)).toThrow(nonFinite);
    expect(() => studentTDistribution(-1, 0, 1)).toThrow(/'df'/);
    expect(() => studentTDistribution(3, 0, 0)).toThrow(/'scale2'/);
    expect(() => negativeBinomialDistribution(-1, 1)).toThrow(/'a'/);
    expect(() => bernoulliDistribution(2)).toThrow(/'p'/);
    expect(() => categoricalDistribution(Float64Array.of(0.5, 0.6))).toThrow(/'p'/);
    expect(() => paretoUniformPredictive(0, 2)).toThrow(/'m'/);
    expect(() => betaBinomialDistribution(1, 1, 2.5)).toThrow(/'trials'/);
    expect(() => dirichletMultinomialDistribution(Float64Array.of(1, -1), 3)).toThrow(/'alpha'/);
    expect(() => multivariateStudentT(0, Float64Array.of(0, 0), Float64Array.of(1, 0, 0, 1))).toThrow(/'df'/);
    expect(() => multivariateStudentT(3, Float64Array.of(0, 0), Float64Array.of(1, 0, 0))).toThrow(shape);
  });

  test('multivariate t logPdf: wrong length is a ShapeError, NaN a NonFiniteError; valid x matches the 1-D t', () => {
    const t2 = multivariateStudentT(3, Float64Array.of(0, 0), Float64Array.of(1, 0, 0, 1));
    expect(() => t2.logPdf(Float64Array.of(1))).toThrow(shape);
    expect(() => t2.logPdf(Float64Array.of(Number.NaN, 0))).toThrow(nonFinite);
    // d = 1 reduces to the univariate Student-t
    const t1 = multivariateStudentT(3, Float64Array.of(0.5), Float64Array.of(2));
    expect(t1.logPdf(Float64Array.of(1.7))).toBeCloseTo(studentTDistribution(3, 0.5, 2).logPdf(1.7), 13);
  });

  test('univariate logPdf: NaN is a NonFiniteError (was a NaN density); ±Infinity has density 0', () => {
    expect(() => normalDistribution(0, 1).logPdf(Number.NaN)).toThrow(nonFinite);
    expect(() => studentTDistribution(3, 0, 1).logPdf(Number.NaN)).toThrow(nonFinite);
    expect(normalDistribution(0, 1).logPdf(Number.POSITIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(studentTDistribution(3, 0, 1).logPdf(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalDistribution(1, 4).logPdf(2)).toBeCloseTo(-0.5 * Math.log(8 * Math.PI) - 1 / 8, 14);
  });
});
