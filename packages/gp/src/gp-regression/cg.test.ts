import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { rbf, scale, sum, white } from '../kernels/index.js';
import { readPoints as toPoints } from '../kernels/points.js';
import { CG_DEFAULTS, lmlCG } from './cg.js';
import { GPModel, fitGP, logMarginalLikelihood } from './index.js';

function data(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 10 * rng.uniform()));
  const e = sampleNormalArray(rng, n, 0, 0.1);
  const y = X.map((r, i) => Math.sin(r[0]) + (d > 1 ? 0.3 * Math.cos(r[1]) : 0) + e[i]);
  return { X, y };
}

describe('GP Regression: matrix-free CG path agrees with Cholesky', () => {
  const { X, y } = data(300, 1, 5);
  const Xs = [[-0.5], [2.2], [5.05], [9.9], [11]];
  const kernel = sum(scale(rbf({ lengthScale: 0.9 }), 1.2), white(0.01));

  test('fixed hyperparameters, n = 300: predictions to 1e-6, log ML within 4 standard errors of the SLQ probes (pivoted-Cholesky PCG + SLQ)', () => {
    const a = fitGP(X, y, { kernel, optimize: false });
    const b = fitGP(X, y, { kernel, optimize: false, method: 'cg' });
    expect(b.report.method).toBe('cg');
    const pa = a.predict(Xs);
    const pb = b.predict(Xs);
    for (let i = 0; i < Xs.length; i++) {
      expect(Math.abs(pa.mean[i] - pb.mean[i])).toBeLessThan(1e-6);
      expect(Math.abs(pa.variance[i] - pb.variance[i])).toBeLessThan(1e-6);
    }
    // SLQ is unbiased up to quadrature error: 4 standard errors of the probe mean (+0.05 nats for quadrature)
    const se = b.report.logMarginalLikelihoodStdErr ?? Number.NaN;
    expect(se).toBeGreaterThan(0);
    expect(Math.abs(b.logMarginalLikelihood - a.logMarginalLikelihood)).toBeLessThan(4 * se + 0.05);
    const back = GPModel.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    expect(Array.from(back.predict(Xs).mean)).toEqual(Array.from(pb.mean));
  });

  test('CG log-ML gradient (preconditioner control variate + Hutchinson) within 4 standard errors of the exact gradient, n = 300', () => {
    const exact = logMarginalLikelihood(kernel, X, y).gradient;
    const r = lmlCG(kernel, toPoints(X, 't', 'X'), Float64Array.from(y), 1e-10, { ...CG_DEFAULTS, seed: 0 }, true);
    for (let i = 0; i < exact.length; i++) {
      expect(r.gradientStdErr[i]).toBeGreaterThan(0);
      expect(Math.abs(r.gradient[i] - exact[i])).toBeLessThan(4 * r.gradientStdErr[i] + 1e-6 * Math.abs(exact[i]));
    }
  });
});

describe('blocked triangular inverse (exact path)', () => {
  test('L⁻¹ by recursive GEMM blocks equals forward substitution; C⁻¹ = L⁻ᵀL⁻¹ times C is I (n = 203)', async () => {
    const { lowerTriangularInverse, lowerTriangularInverseBlocked, inverseLowerFromCholesky, lmlCholesky } = await import('./lml.js');
    const n = 203;
    const pts = { data: Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 5), n, d: 1 };
    const kernel = sum(scale(rbf({ lengthScale: 0.7 }), 1), white(0.1));
    const L = lmlCholesky(kernel, pts, new Float64Array(n), 1e-10, false).factor?.lowerData as Float64Array;
    const a = lowerTriangularInverse(L, n);
    const b = lowerTriangularInverseBlocked(L, n);
    let err = 0;
    for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs((a[i] as number) - (b[i] as number)));
    expect(err).toBeLessThan(1e-12 * Math.max(...Array.from(a, Math.abs)));
    const Cinv = inverseLowerFromCholesky(L, n);
    const K = kernel.computeMatrix(pts);
    for (const i of [0, 77, 202]) {
      for (const j of [0, 101, 202]) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (Cinv[i * n + k] as number) * ((K[k * n + j] as number) + (k === j ? 1e-10 : 0));
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-9);
      }
    }
  });
});
