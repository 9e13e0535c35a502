// BayesianRegressionModel owns its posterior (docs/conventions.md §1, §4): writing into `mean` or `covariance`
// as returned by the model changes neither its predictions nor its JSON.
import { describe, expect, test } from 'vitest';
import { fitBayesianRegression, polynomialBasis } from './index.js';

describe('BayesianRegressionModel owns its posterior', () => {
  test('writing into model.mean or model.covariance changes nothing', () => {
    const X = [[0], [0.5], [1], [1.5], [2], [2.5]];
    const y = [1, 1.8, 3.1, 3.9, 5.2, 5.8];
    const m = fitBayesianRegression(X, y, { basis: polynomialBasis(2), optimize: true });
    const snap = () => {
      const p = m.predict([[0.7], [3]]);
      return JSON.stringify({ mean: Array.from(p.mean), variance: Array.from(p.variance), json: m.toJSON() });
    };
    const before = snap();
    const meanBefore = Array.from(m.mean);
    m.mean.fill(7);
    m.covariance.set(0, 0, 7);
    m.covariance.set(1, 2, -7);
    expect(snap()).toBe(before);
    expect(Array.from(m.mean)).toEqual(meanBefore);
    expect(m.covariance.get(0, 0)).not.toBe(7);
  });
});
