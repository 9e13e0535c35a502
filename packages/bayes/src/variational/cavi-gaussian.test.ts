import { createRng, sampleGamma, sampleNormal } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { normalGamma } from '../conjugate/normal-gamma.js';
import { klGamma, klNormal } from '../kl/index.js';
import { elbo } from '../kl/monte-carlo.js';
import { logGamma, logNormal } from '../internal/logpdf.js';
import { fitCaviGaussian } from './cavi-gaussian.js';

const prior = { mean: 0, kappa: 0.5, shape: 2, rate: 2 };
function data(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => sampleNormal(rng, 1.5, 0.7));
}

describe('Mean field approximation: CAVI for the univariate Gaussian', () => {
  test('ELBO never decreases over the single coordinate updates and stays below log p(X)', () => {
    const x = data(30, 1);
    const r = fitCaviGaussian(x, { prior });
    expect(r.report).toMatchObject({ converged: true, reason: 'converged', criterion: 'tol' });
    const t = r.report.trace!;
    expect(t.length).toBe(2 * r.report.iterations + 1);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]! - 1e-12);
    const logZ = normalGamma(prior).logMarginalLikelihood(x);
    expect(r.elbo).toBeLessThan(logZ);
    expect(logZ - r.elbo).toBeLessThan(0.1);
  });

  test('closed-form ELBO equals the Monte-Carlo ELBO of the same q (4 SE)', () => {
    const x = data(20, 2);
    const r = fitCaviGaussian(x, { prior, maxIterations: 3 });
    const ng = normalGamma(prior);
    const rng = createRng(3);
    const est = elbo(
      (t: { mu: number; tau: number }) => ng.logDensity(t) + ng.logLikelihood(x, t),
      (t) => logNormal(t.mu, r.qMu.mean, r.qMu.variance) + logGamma(t.tau, r.qTau.shape, r.qTau.rate),
      (g) => ({ mu: sampleNormal(g, r.qMu.mean, Math.sqrt(r.qMu.variance)), tau: sampleGamma(g, r.qTau.shape, r.qTau.rate) }),
      20000,
      rng,
    );
    expect(Math.abs(est.estimate - r.elbo)).toBeLessThan(4 * est.standardError);
  });

  test('q converges to the exact Normal–Gamma posterior moments as n grows', () => {
    const err = (n: number) => {
      const x = data(n, 4);
      const r = fitCaviGaussian(x, { prior });
      const p = normalGamma(prior).update(x).params;
      const varMuExact = p.rate / (p.kappa * (p.shape - 1)); // Var[μ | X] of the Normal–Gamma posterior
      const eTau = p.shape / p.rate;
      expect(r.qMu.mean).toBeCloseTo(p.mean, 12); // q(μ) mean is exact
      return Math.max(
        Math.abs(r.qMu.variance / varMuExact - 1),
        Math.abs(r.qTau.shape / r.qTau.rate / eTau - 1),
      );
    };
    const e10 = err(10);
    const e100 = err(100);
    const e2000 = err(2000);
    expect(e100).toBeLessThan(e10);
    expect(e2000).toBeLessThan(e100);
    expect(e2000).toBeLessThan(2e-3);
  });

  test('bad input → typed errors naming the argument; abort', () => {
    expect(() => fitCaviGaussian([])).toThrow(/'data'/);
    expect(() => fitCaviGaussian([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    // finite data whose squared deviations overflow: a typed error, not a NaN ELBO
    expect(() => fitCaviGaussian([1e200, -1e200])).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringMatching(/'data'/) }));
    expect(() => fitCaviGaussian([1], { prior: { ...prior, rate: -1 } })).toThrow(/'rate'/);
    const c = new AbortController();
    c.abort();
    expect(() => fitCaviGaussian([1, 2], { signal: c.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    // KL helpers agree with the ELBO gap's sign convention: KL ≥ 0
    expect(klNormal(0, 1, 0, 1)).toBe(0);
    expect(klGamma(2, 1, 2, 1)).toBeCloseTo(0, 14);
  });
});
