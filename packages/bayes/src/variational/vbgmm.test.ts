import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fitVariationalGMM } from './vbgmm.js';
import { VariationalGMMModel } from './vbgmm-model.js';

interface Case {
  name: string;
  X: number[][];
  initialLabels: number[];
  components: number;
  weights: number[];
  means: number[][];
  covariances: number[][][];
  weightConcentration: number[];
  degreesOfFreedom: number[];
  predict: number[];
  nIter: number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/vbgmm_sklearn.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('Mean field approximation: variational Bayesian Gaussian mixture', () => {
  test.each(fx.cases.map((c) => [c.name, c] as const))('%s: same weights, means and covariances as scikit-learn BayesianGaussianMixture', (_, c) => {
    // same initial labels and the same number of E/M iterations as scikit-learn ran
    const m = fitVariationalGMM(c.X, { components: c.components, init: c.initialLabels, tol: 1e-300, maxIterations: c.nIter });
    expect(m.report.iterations).toBe(c.nIter);
    expect(m.report.reason).toBe('max-iterations');
    for (let k = 0; k < c.components; k++) {
      expect(m.weights[k]).toBeCloseTo(c.weights[k]!, 10);
      for (let a = 0; a < 2; a++) {
        expect(m.means.get(k, a)).toBeCloseTo(c.means[k]![a]!, 9);
        for (let b = 0; b < 2; b++) expect(m.covariances[k]!.get(a, b)).toBeCloseTo(c.covariances[k]![a]![b]!, 9);
      }
    }
    expect(Array.from(m.predict(c.X))).toEqual(c.predict);
  });

  test('ELBO never decreases; 10 components on 3 separated Gaussians → ≤ 3 keep weight > 1 %', () => {
    const c = fx.cases[0]!;
    for (const seed of [0, 1, 2]) {
      const m = fitVariationalGMM(c.X, { components: 10, seed });
      const t = m.report.trace!;
      expect(m.report).toMatchObject({ converged: true, reason: 'converged', criterion: 'tol' });
      for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]! - 1e-9 * Math.abs(t[i - 1]!));
      expect(m.activeComponents(0.01).length).toBeLessThanOrEqual(3);
    }
  });

  test('JSON round trip; bad input', () => {
    const c = fx.cases[1]!;
    const m = fitVariationalGMM(c.X, { components: 4, maxIterations: 20 });
    const again = VariationalGMMModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(again.toJSON()).toEqual(m.toJSON());
    expect(again.predictProba(c.X.slice(0, 3)).to2DArray()).toEqual(m.predictProba(c.X.slice(0, 3)).to2DArray());
    // immutable: writing into what the model hands out, or into the JSON it came from, changes nothing
    const json = JSON.stringify(m.toJSON());
    const proba = m.predictProba(c.X.slice(0, 3)).to2DArray();
    const weights = Array.from(m.weights);
    m.weights.fill(0);
    m.means.set(0, 0, 1e6);
    m.covariances[0]!.set(0, 0, 1e6);
    expect(Array.from(m.weights)).toEqual(weights);
    expect(m.activeComponents(0.01).length).toBeGreaterThan(0);
    const src = JSON.parse(json);
    const rebuilt = VariationalGMMModel.fromJSON(src);
    src.alpha.fill(1e-300);
    src.means.fill(1e6);
    expect(JSON.stringify(rebuilt.toJSON())).toBe(json);
    expect(rebuilt.predictProba(c.X.slice(0, 3)).to2DArray()).toEqual(proba);
    expect(JSON.stringify(m.toJSON())).toBe(json);
    expect(m.means.get(0, 0)).toBe(JSON.parse(json).means[0] * JSON.parse(json).scale);
    expect(() => fitVariationalGMM(c.X, { weightConcentration: 0 })).toThrow(/'weightConcentration'/);
    expect(() => fitVariationalGMM(c.X, { covariancePrior: [[1, 2], [2, 1]] })).toThrow(/'covariancePrior'/);
    expect(() => fitVariationalGMM(c.X, { degreesOfFreedom: 0.5 })).toThrow(/'degreesOfFreedom'/);
    expect(() => fitVariationalGMM(c.X, { components: 3, init: c.X.map(() => 7) })).toThrow(/'init'/);
    expect(() => fitVariationalGMM([[1, 2]])).toThrow(/'X'/);
    const seen: number[] = [];
    fitVariationalGMM(c.X, { components: 3, maxIterations: 4, tol: 1e-300, onProgress: (i) => seen.push(i.iteration) });
    expect(seen).toEqual([1, 2, 3, 4]);
    const ctl = new AbortController();
    ctl.abort();
    expect(() => fitVariationalGMM(c.X, { signal: ctl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});
