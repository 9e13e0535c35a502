import { cholesky, createRng, sampleNormalArray } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { fitGP } from '../gp-regression/index.js';
import { kernelFromJSON } from '../kernels/index.js';
import {
  BayesianRegressionModel,
  basisKernel,
  fitBayesianRegression,
  fourierBasis,
  polynomialBasis,
  rbfBasis,
} from './index.js';

const rng = createRng(4);
const X = Array.from({ length: 25 }, () => [4 * rng.uniform() - 2]);
const noise = sampleNormalArray(rng, 25, 0, 0.2);
const y = X.map((r, i) => Math.sin(2 * r[0]) + 0.5 * r[0] + noise[i]);
const Xs = [[-2.5], [-1], [0], [0.7], [3]];

const bases = [
  ['polynomial degree 3', polynomialBasis(3)],
  ['RBF bumps', rbfBasis([[-2], [-1], [0], [1], [2]], 0.7)],
  ['random Fourier features', fourierBasis({ size: 30, dim: 1, lengthScale: 0.8, seed: 2 })],
] as const;

describe('Bayesian Regression: posterior, predictive, evidence', () => {
  test.each(bases)('%s: equals a GP with K = ΦSΦᵀ + σ²I (same predictive and log evidence)', (_n, basis) => {
    const alpha = 0.5;
    const beta = 25;
    const blr = fitBayesianRegression(X, y, { basis, alpha, beta });
    const gp = fitGP(X, y, { kernel: basisKernel(basis, { priorVariance: 1 / alpha }), noise: 1 / beta, optimize: false });
    const a = blr.predict(Xs);
    const b = gp.predict(Xs);
    for (let i = 0; i < Xs.length; i++) {
      expect(a.mean[i]).toBeCloseTo(b.mean[i], 8);
      expect(a.variance[i]).toBeCloseTo(b.variance[i], 8);
    }
    expect(blr.logEvidence).toBeCloseTo(gp.logMarginalLikelihood, 7);
  });

  test('posterior mean solves the normal equations (βΦᵀΦ + αI)μ = βΦᵀy (polynomial, closed form)', () => {
    const basis = polynomialBasis(2);
    const m = fitBayesianRegression(X, y, { basis, alpha: 2, beta: 3 });
    const phi = X.map((r) => [1, r[0], r[0] ** 2]);
    for (let a = 0; a < 3; a++) {
      let lhs = 2 * m.mean[a];
      let rhs = 0;
      for (let i = 0; i < X.length; i++) {
        let p = 0;
        for (let b = 0; b < 3; b++) p += phi[i][b] * m.mean[b];
        lhs += 3 * phi[i][a] * p;
        rhs += 3 * phi[i][a] * y[i];
      }
      expect(lhs).toBeCloseTo(rhs, 9);
    }
    const L = cholesky(m.covariance);
    expect(L.logDet()).toBeLessThan(0);
  });

  test('MacKay updates reach a stationary point of the evidence (finite differences in log α, log β)', () => {
    const basis = rbfBasis([[-2], [-1.5], [-1], [-0.5], [0], [0.5], [1], [1.5], [2]], 0.6);
    const m = fitBayesianRegression(X, y, { basis, optimize: true });
    expect(m.report.converged).toBe(true);
    const ev = (la: number, lb: number) => fitBayesianRegression(X, y, { basis, alpha: Math.exp(la), beta: Math.exp(lb) }).logEvidence;
    const la = Math.log(m.alpha);
    const lb = Math.log(m.beta);
    const h = 1e-4;
    expect(Math.abs((ev(la + h, lb) - ev(la - h, lb)) / (2 * h))).toBeLessThan(1e-4);
    expect(Math.abs((ev(la, lb + h) - ev(la, lb - h)) / (2 * h))).toBeLessThan(1e-4);
    expect(m.logEvidence).toBeGreaterThan(ev(la + 0.3, lb));
    expect(m.logEvidence).toBeGreaterThan(ev(la, lb - 0.3));
    // noise precision recovered near 1/0.2² = 25 within sampling error (n = 25)
    expect(m.beta).toBeGreaterThan(8);
    expect(m.beta).toBeLessThan(80);
  });

  test('random Fourier features approximate the RBF kernel (error ~ 1/√M)', () => {
    const basis = fourierBasis({ size: 4000, dim: 2, lengthScale: 1.3, seed: 1 });
    const K = basisKernel(basis).matrix([[0, 0], [0.5, -1], [2, 1]]);
    const exact = (a: number[], b: number[]) => Math.exp(-((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) / (2 * 1.3 ** 2));
    const P = [[0, 0], [0.5, -1], [2, 1]];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(K.get(i, j) - exact(P[i], P[j]))).toBeLessThan(4 / Math.sqrt(4000));
  });

  test('toJSON/fromJSON round-trips; basis kernel JSON too; bad input throws typed errors', () => {
    const basis = bases[2][1];
    const m = fitBayesianRegression(X, y, { basis, optimize: true });
    const back = BayesianRegressionModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Array.from(back.predict(Xs).mean)).toEqual(Array.from(m.predict(Xs).mean));
    const k = basisKernel(basis, { priorVariance: 2 });
    expect(kernelFromJSON(JSON.parse(JSON.stringify(k.toJSON()))).matrix(Xs).to2DArray()).toEqual(k.matrix(Xs).to2DArray());
    expect(() => fitBayesianRegression(X, y.slice(1), { basis })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitBayesianRegression(X, y, { basis, alpha: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitBayesianRegression([[Number.NaN]], [1], { basis })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => fitBayesianRegression([[1, 2]], [1], { basis })).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});
