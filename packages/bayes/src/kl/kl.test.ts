import { cholesky, createRng, type Rng, sampleBeta, sampleDirichlet, sampleGamma, sampleNormal } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { normalKnownVariance } from '../conjugate/normal-known-variance.js';
import { logBeta, logDirichlet, logGamma, logNormal } from '../internal/logpdf.js';
import { klBernoulli, klCategorical } from './discrete.js';
import { klBeta, klDirichlet, klGamma } from './exponential-family.js';
import { klDiagonalNormal, klMultivariateNormal, klNormal } from './gaussian.js';
import { elbo, monteCarloKL } from './monte-carlo.js';

const N = 40000;
function within4SE(closed: number, logQ: (t: never) => number, logP: (t: never) => number, sample: (r: Rng) => unknown, seed: number) {
  const est = monteCarloKL(logQ as (t: unknown) => number, logP as (t: unknown) => number, sample, N, createRng(seed));
  expect(Math.abs(est.estimate - closed)).toBeLessThan(4 * est.standardError);
  expect(est.standardError).toBeGreaterThan(0);
}

describe('KL-divergence: closed forms vs Monte Carlo (4 standard errors)', () => {
  test('univariate and diagonal Gaussians', () => {
    const kl = klNormal(0.3, 0.8, -0.5, 2);
    within4SE(kl, (t: number) => logNormal(t, 0.3, 0.8), (t: number) => logNormal(t, -0.5, 2), (r) => sampleNormal(r, 0.3, Math.sqrt(0.8)), 1);
    expect(klDiagonalNormal([0.3, 1], [0.8, 0.5], [-0.5, 0], [2, 1])).toBeCloseTo(kl + klNormal(1, 0.5, 0, 1), 14);
    expect(klNormal(1, 2, 1, 2)).toBe(0);
  });

  test('variances far apart: no overflow in the log ratio (closed form ½[ln(σ₂²/σ₁²) − 1])', () => {
    const want = 0.5 * (600 * Math.LN10 - 1); // σ₁² = 1e-300, σ₂² = 1e300, equal means
    expect(klNormal(0, 1e-300, 0, 1e300)).toBeCloseTo(want, 10);
    expect(klDiagonalNormal([0, 0], [1e-300, 1], [0, 0], [1e300, 1])).toBeCloseTo(want, 10);
    // σ₁²/σ₂² really overflows (KL ≈ 1e600): a typed error since issue 15 (was Infinity)
    expect(() => klNormal(0, 1e300, 0, 1e-300)).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test('full-covariance Gaussian (and the diagonal special case)', () => {
    const m1 = [0.2, -0.1];
    const S1 = [[1.0, 0.4], [0.4, 0.7]];
    const m2 = [0.5, 0.3];
    const S2 = [[2.0, -0.3], [-0.3, 1.2]];
    const kl = klMultivariateNormal(m1, S1, m2, S2);
    const L = cholesky(new Matrix(S1)).L;
    const logMvn = (x: number[], m: number[], S: number[][]) => {
      const f = cholesky(new Matrix(S));
      const d = x.map((v, i) => v - m[i]!);
      const s = f.solve(d);
      return -Math.log(2 * Math.PI) - 0.5 * f.logDet() - 0.5 * (d[0]! * s[0]! + d[1]! * s[1]!);
    };
    within4SE(
      kl,
      (x: number[]) => logMvn(x, m1, S1),
      (x: number[]) => logMvn(x, m2, S2),
      (r) => {
        const z = [sampleNormal(r), sampleNormal(r)];
        return [m1[0]! + L.get(0, 0) * z[0]!, m1[1]! + L.get(1, 0) * z[0]! + L.get(1, 1) * z[1]!];
      },
      2,
    );
    expect(klMultivariateNormal([0, 1], [[2, 0], [0, 3]], [1, 0], [[1, 0], [0, 4]])).toBeCloseTo(
      klDiagonalNormal([0, 1], [2, 3], [1, 0], [1, 4]),
      14,
    );
    expect(() => klMultivariateNormal([0, 0], [[1, 2], [2, 1]], [0, 0], S2)).toThrow(/'cov1'/);
  });

  test('Bernoulli and categorical', () => {
    const p = [0.2, 0.5, 0.3];
    const q = [0.4, 0.4, 0.2];
    within4SE(klCategorical(p, q), (k: number) => Math.log(p[k]!), (k: number) => Math.log(q[k]!), (r) => {
      const u = r.uniform();
      return u < 0.2 ? 0 : u < 0.7 ? 1 : 2;
    }, 3);
    expect(klBernoulli(0.3, 0.6)).toBeCloseTo(klCategorical([0.3, 0.7], [0.6, 0.4]), 14);
    expect(klBernoulli(0, 0.5)).toBeCloseTo(Math.log(2), 14);
    expect(klBernoulli(0.5, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(() => klCategorical([0.5, 0.6], [0.5, 0.5])).toThrow(/'p'/);
  });

  test('Beta, Gamma (rate) and Dirichlet', () => {
    within4SE(klBeta(2, 3, 1.5, 1), (t: number) => logBeta(t, 2, 3), (t: number) => logBeta(t, 1.5, 1), (r) => sampleBeta(r, 2, 3), 4);
    within4SE(klGamma(3, 2, 1.5, 0.7), (t: number) => logGamma(t, 3, 2), (t: number) => logGamma(t, 1.5, 0.7), (r) => sampleGamma(r, 3, 2), 5);
    const a = [2, 3, 1.5];
    const b = [1, 1, 4];
    within4SE(klDirichlet(a, b), (t: Float64Array) => logDirichlet(t, a), (t: Float64Array) => logDirichlet(t, b), (r) => sampleDirichlet(r, a), 6);
    expect(klDirichlet([2, 3], [1.5, 1])).toBeCloseTo(klBeta(2, 3, 1.5, 1), 12);
    expect(() => klGamma(1, 0, 1, 1)).toThrow(/'b1'/);
    expect(() => klDirichlet([1, -1], [1, 1])).toThrow(/'alpha'/);
  });
});

describe('Evidence lower bound: log p(X) = ELBO(q) + KL(q ‖ p(θ|X)) on a conjugate model', () => {
  const prior = normalKnownVariance({ mean: 0, variance: 4, noiseVariance: 1 });
  const X = [1.1, 0.4, 2.0, 1.6];
  const post = prior.update(X);
  const logZ = prior.logMarginalLikelihood(X);
  const logJoint = (t: number) => prior.logDensity(t) + prior.logLikelihood(X, t);
  test('for an arbitrary Gaussian q (ELBO by Monte Carlo, KL closed form)', () => {
    const [qm, qv] = [0.5, 0.6];
    const est = elbo(logJoint, (t: number) => logNormal(t, qm, qv), (r) => sampleNormal(r, qm, Math.sqrt(qv)), N, createRng(7));
    const kl = klNormal(qm, qv, post.params.mean, post.params.variance);
    expect(Math.abs(est.estimate + kl - logZ)).toBeLessThan(4 * est.standardError);
    expect(est.estimate).toBeLessThan(logZ);
  });
  test('q = exact posterior gives ELBO = log p(X) with zero variance', () => {
    const { mean, variance } = post.params;
    const est = elbo(logJoint, (t: number) => logNormal(t, mean, variance), (r) => sampleNormal(r, mean, Math.sqrt(variance)), 100, createRng(8));
    expect(est.estimate).toBeCloseTo(logZ, 10);
    expect(est.standardError).toBeLessThan(1e-10);
    expect(() => elbo(logJoint, logJoint, () => 0, 1, createRng(1))).toThrow(/'n'/);
  });
});
