import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fitGaussianMixture } from './gaussian-mixture.js';
import { GaussianMixtureModel } from './gaussian-mixture-model.js';
import type { CovarianceType } from './gaussian-params.js';

interface Case {
  name: string;
  covariance: CovarianceType;
  components: number;
  maxIterations: number;
  tol: number;
  regCovar: number;
  X: number[][];
  init: { weights: number[]; means: number[][]; precisions: number[][][] | number[][] | number[] };
  expected: {
    weights: number[];
    means: number[][];
    covariances: number[][][] | number[][] | number[];
    lowerBound: number;
    iterations: number;
    converged: boolean;
    scoreSamples: number[];
    predictProba: number[][];
    predict: number[];
    bic: number;
    aic: number;
  };
}

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/gmm.json', import.meta.url), 'utf8')) as { cases: Case[] };

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);

function fit(c: Case) {
  return fitGaussianMixture(c.X, {
    components: c.components,
    covariance: c.covariance,
    tol: c.tol,
    maxIterations: c.maxIterations,
    regCovar: c.regCovar,
    regCovarScale: 1,
    init: c.init as never,
  });
}

describe('Categorical latent variables: Gaussian mixture vs scikit-learn GaussianMixture (same explicit init)', () => {
  test.each(fixtures.cases.map((c) => [c.name, c] as const))('%s: parameters and lower bound to 1e-6', (_name, c) => {
    const gm = fit(c);
    const e = c.expected;
    expect(gm.report.iterations).toBe(e.iterations);
    expect(gm.report.converged).toBe(e.converged);
    expect(Math.abs(gm.lowerBound - e.lowerBound)).toBeLessThan(1e-6);
    expect(maxAbs(gm.weights, e.weights)).toBeLessThan(1e-6);
    expect(maxAbs(flat(gm.means.to2DArray()), flat(e.means))).toBeLessThan(1e-6);
    expect(maxAbs(gm.covarianceData, flat(e.covariances))).toBeLessThan(1e-6);
    const X10 = c.X.slice(0, 10);
    expect(maxAbs(gm.scoreSamples(X10), e.scoreSamples)).toBeLessThan(1e-6);
    expect(maxAbs(flat(gm.predictProba(X10).to2DArray()), flat(e.predictProba))).toBeLessThan(1e-6);
    expect(Array.from(gm.predict(c.X))).toEqual(e.predict);
    expect(Math.abs(gm.bic(c.X) - e.bic) / Math.abs(e.bic)).toBeLessThan(1e-9);
    expect(Math.abs(gm.aic(c.X) - e.aic) / Math.abs(e.aic)).toBeLessThan(1e-9);
  });

  test('toJSON/fromJSON round-trips exactly', () => {
    const c = fixtures.cases[0] as Case;
    const gm = fit(c);
    const json = JSON.parse(JSON.stringify(gm.toJSON()));
    const back = GaussianMixtureModel.fromJSON(json);
    expect(back.toJSON()).toEqual(gm.toJSON());
    expect(Array.from(back.scoreSamples(c.X))).toEqual(Array.from(gm.scoreSamples(c.X)));
  });

  test('the caller data is not mutated and the model is frozen', () => {
    const c = fixtures.cases[2] as Case;
    const X = c.X.map((r) => [...r]);
    const gm = fit({ ...c, X });
    expect(X).toEqual(c.X);
    const w = gm.weights;
    w[0] = 99;
    expect(gm.weights[0]).not.toBe(99);
    expect(Object.isFrozen(gm)).toBe(true);
  });
});
