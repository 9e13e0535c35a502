import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { logIntegrate2D, meanAndSE } from '../testing/quadrature.js';
import { conjugateFromJSON } from './from-json.js';
import { normalGamma } from './normal-gamma.js';

const prior = normalGamma({ mean: 0.5, kappa: 2, shape: 3, rate: 2 });
const data = [1.2, 0.3, 2.2, 1.7, 0.9, -0.5];
const post = prior.update(data);
// 2-D grid over (μ, log τ)
const MU: [number, number] = [-4, 5];
const LT: [number, number] = [-6, 3];
const logJoint = (mu: number, lt: number, extra: number[] = []) => {
  const tau = Math.exp(lt);
  return prior.logDensity({ mu, tau }) + prior.logLikelihood([...data, ...extra], { mu, tau }) + lt;
};
const logZ = logIntegrate2D((m, l) => logJoint(m, l), MU, LT, 400);

describe('Conjugate distribution: Gaussian (μ, σ⁻²) with Normal–Gamma prior (2-D grid)', () => {
  test('log evidence equals log ∬ prior × likelihood', () => {
    expect(prior.logMarginalLikelihood(data)).toBeCloseTo(logZ, 6);
  });
  test('posterior density equals normalised prior × likelihood on grid points', () => {
    for (const [mu, tau] of [[0.8, 0.5], [1.5, 1.2], [0, 0.3]] as const) {
      const want = logJoint(mu, Math.log(tau)) - Math.log(tau) - logZ;
      expect(post.logDensity({ mu, tau })).toBeCloseTo(want, 6);
    }
  });
  test('posterior moments E[μ], E[τ] agree with the grid', () => {
    const eTau = Math.exp(logIntegrate2D((m, l) => logJoint(m, l) + l, MU, LT, 400) - logZ);
    const eMuShift = Math.exp(logIntegrate2D((m, l) => logJoint(m, l) + Math.log(m - MU[0]), MU, LT, 400) - logZ);
    expect(post.mean().tau).toBeCloseTo(eTau, 6);
    expect(post.mean().mu).toBeCloseTo(MU[0] + eMuShift, 6);
  });
  test('predictive Student-t equals ∬ N(x|μ,τ⁻¹) p(μ,τ|X)', () => {
    for (const x of [-1, 0.9, 3]) {
      const want = logIntegrate2D((m, l) => logJoint(m, l, [x]), MU, LT, 400) - logZ;
      expect(post.predictive().logPdf(x)).toBeCloseTo(want, 6);
    }
  });
  test('sequential = batch, and samples match the posterior mean', () => {
    const seq = prior.update(data.slice(0, 2)).update(data.slice(2));
    for (const [k, v] of Object.entries(post.params)) expect(seq.params[k as 'mean']).toBeCloseTo(v, 12);
    const rng = createRng(3);
    const s = Array.from({ length: 20000 }, () => post.sample(rng));
    const mu = meanAndSE(s.map((t) => t.mu));
    const tau = meanAndSE(s.map((t) => t.tau));
    expect(Math.abs(mu.mean - post.mean().mu)).toBeLessThan(4 * mu.se);
    expect(Math.abs(tau.mean - post.mean().tau)).toBeLessThan(4 * tau.se);
    const pred = post.predictive();
    const xs = Float64Array.from({ length: 20000 }, () => pred.sample(rng));
    const px = meanAndSE(xs);
    expect(Math.abs(px.mean - pred.mean())).toBeLessThan(4 * px.se);
    expect(px.sd ** 2 / pred.variance()).toBeGreaterThan(0.95);
    expect(px.sd ** 2 / pred.variance()).toBeLessThan(1.05);
  });
  test('mode is (μ_n, (a_n − ½)/b_n); JSON round trip; bad input', () => {
    const p = post.params;
    expect(post.mode()).toEqual({ mu: p.mean, tau: (p.shape - 0.5) / p.rate });
    expect(conjugateFromJSON(post.toJSON()).params).toEqual(post.params);
    expect(() => normalGamma({ mean: 0, kappa: -1, shape: 1, rate: 1 })).toThrow(/'kappa'/);
    expect(() => prior.update([1, Number.POSITIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });
});
