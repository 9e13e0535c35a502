import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { maximizeInBox } from './bayesian-optimization/index.js';
import { fitBayesianRegression, polynomialBasis } from './bayesian-regression/index.js';
import { fitGP } from './gp-regression/index.js';
import { arcsine, matern, periodic, rationalQuadratic, rbf, samplePrior } from './kernels/index.js';

// Regression: `{ ...DEFAULTS, ...options }` let an explicit `undefined` erase a default (callers that
// forward their own optional values). Every call with defaulted options set to `undefined` must equal the
// call without those keys.

const X = [[0], [0.4], [1.1], [1.7], [2.5], [3.2]];
/** toJSON without wall-clock times (they differ between two identical fits). */
const timeless = (m: { toJSON(): unknown }) => JSON.parse(JSON.stringify(m.toJSON(), (k, v) => (k === 'elapsedMs' ? undefined : v)));
const y = X.map(([x]) => Math.sin(x!) + 0.1 * x!);
const Xs = [[0.2], [2]];

describe('Kernels: explicit undefined options keep the defaults', () => {
  test('rbf, matern, rationalQuadratic, periodic, arcsine', () => {
    const pairs = [
      [rbf({ lengthScale: undefined, lengthScaleBounds: undefined }), rbf()],
      [matern({ nu: undefined, lengthScale: undefined, lengthScaleBounds: undefined }), matern()],
      [rationalQuadratic({ lengthScale: undefined, alpha: undefined, alphaBounds: undefined }), rationalQuadratic()],
      [periodic({ lengthScale: undefined, periodicity: undefined, periodicityBounds: undefined }), periodic()],
      [arcsine({ weightVariance: undefined, biasVariance: undefined, bias: undefined }), arcsine()],
    ] as const;
    for (const [got, ref] of pairs) {
      expect(got.toJSON()).toEqual(ref.toJSON());
      expect(got.matrix(X).to2DArray()).toEqual(ref.matrix(X).to2DArray());
    }
  });

  test('samplePrior', () => {
    const ref = samplePrior(rbf(), X);
    const got = samplePrior(rbf(), X, { seed: undefined, n: undefined });
    expect(got.samples.to2DArray()).toEqual(ref.samples.to2DArray());
  });
});

describe('Gaussian process regression: explicit undefined options keep the defaults', () => {
  test('fitGP (Cholesky path)', () => {
    const ref = fitGP(X, y, { noise: 1e-4 });
    const unset = { optimize: undefined, restarts: undefined, normalizeY: undefined, seed: undefined, maxIterations: undefined, tol: undefined, maxEvaluations: undefined, method: undefined };
    const got = fitGP(X, y, { noise: 1e-4, ...unset });
    expect(timeless(got)).toEqual(timeless(ref));
    expect(got.predict(Xs).mean).toEqual(ref.predict(Xs).mean);
    expect(timeless(fitGP(X, y, { noise: undefined, optimize: false }))).toEqual(timeless(fitGP(X, y, { optimize: false })));
  });

  test('fitGP (matrix-free path): undefined cg settings keep theirs', () => {
    const ref = fitGP(X, y, { noise: 1e-2, optimize: false, method: 'cg' });
    const got = fitGP(X, y, { noise: 1e-2, optimize: false, method: 'cg', cg: { tol: undefined, maxIterations: undefined, rank: undefined, probes: undefined } });
    expect(timeless(got)).toEqual(timeless(ref));
  });
});

describe('Bayesian linear regression: explicit undefined options keep the defaults', () => {
  test('fitBayesianRegression', () => {
    const basis = polynomialBasis(2);
    const ref = fitBayesianRegression(X, y, { basis, optimize: true });
    const got = fitBayesianRegression(X, y, { basis, optimize: true, alpha: undefined, beta: undefined, maxIterations: undefined, tol: undefined });
    expect(timeless(got)).toEqual(timeless(ref));
  });
});

describe('Bayesian optimisation: explicit undefined options keep the defaults', () => {
  test('maximizeInBox', () => {
    const f = (x: Float64Array) => -((x[0]! - 0.3) ** 2) - (x[1]! - 0.6) ** 2;
    const lo = Float64Array.of(0, 0);
    const hi = Float64Array.of(1, 1);
    const ref = maximizeInBox(f, lo, hi, createRng(3));
    const got = maximizeInBox(f, lo, hi, createRng(3), { candidates: undefined, starts: undefined, maxIterations: undefined, perturbationScale: undefined });
    expect(got).toEqual(ref);
  });
});
