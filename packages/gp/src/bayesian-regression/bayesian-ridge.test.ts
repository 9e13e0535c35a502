// fitBayesianRegression with Gamma hyperpriors vs scikit-learn BayesianRidge (fixtures/make_bayesian_ridge.py):
// same features (polynomialBasis(3) = 1, x, x², x³; fit_intercept=False), both converged to the fixed point.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fitBayesianRegression, polynomialBasis } from './index.js';

interface Case {
  name: string;
  alpha_1: number;
  alpha_2: number;
  lambda_1: number;
  lambda_2: number;
  alpha_: number;
  lambda_: number;
  coef_: number[];
  sigma_: number[][];
  score: number;
  mean: number[];
  std: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/bayesian_ridge.json', import.meta.url), 'utf8')) as {
  x: number[];
  y: number[];
  xs: number[];
  cases: Case[];
};

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
const worst = { value: 0 };

describe('Bayesian regression: Gamma hyperpriors = scikit-learn BayesianRidge (1e-6 relative)', () => {
  test.each(fx.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const m = fitBayesianRegression(fx.x, fx.y, {
      basis: polynomialBasis(3),
      optimize: true,
      alphaPrior: [c.lambda_1, c.lambda_2],
      betaPrior: [c.alpha_1, c.alpha_2],
      maxIterations: 10_000,
      tol: 1e-15,
    });
    expect(m.report.converged).toBe(true);
    const errs = [rel(m.alpha, c.lambda_), rel(m.beta, c.alpha_)];
    for (const [i, w] of c.coef_.entries()) errs.push(rel(m.mean[i] as number, w));
    const S = m.covariance.to2DArray();
    for (const [i, row] of c.sigma_.entries()) {
      for (const [j, v] of row.entries()) errs.push(Math.abs((S[i]?.[j] as number) - v) / Math.max(Math.abs(c.sigma_[i]?.[i] as number), 1e-12));
    }
    const p = m.predict(fx.xs);
    for (const [i, v] of c.mean.entries()) errs.push(rel(p.mean[i] as number, v));
    for (const [i, v] of c.std.entries()) errs.push(rel(Math.sqrt(p.noisyVariance[i] as number), v));
    // scikit-learn's score is the log evidence plus the log hyperprior terms
    const score = m.logEvidence + c.lambda_1 * Math.log(m.alpha) - c.lambda_2 * m.alpha + c.alpha_1 * Math.log(m.beta) - c.alpha_2 * m.beta;
    errs.push(rel(score, c.score));
    const e = Math.max(...errs);
    worst.value = Math.max(worst.value, e);
    expect(e).toBeLessThan(1e-6);
  });

  test('without hyperpriors the fixed point differs from BayesianRidge (the reason for the options)', () => {
    const c = fx.cases[1] as Case;
    const m = fitBayesianRegression(fx.x, fx.y, { basis: polynomialBasis(3), optimize: true, maxIterations: 10_000, tol: 1e-15 });
    expect(rel(m.alpha, c.lambda_)).toBeGreaterThan(1e-3);
    console.info(`max relative error vs BayesianRidge over the fixture cases: ${worst.value.toExponential(2)}`);
  });
});
