import { createRng } from '@notes/core-linalg';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fitGaussianMixture } from '../mixture/gaussian-mixture.js';
import { runEM } from './em.js';

// A 1-D two-component mixture with known unit variances: the bound is the mean log-likelihood,
// which we can also evaluate directly (independent of the E-step code).
function toyProblem(x: number[]) {
  const logN = (v: number, m: number) => -0.5 * Math.log(2 * Math.PI) - 0.5 * (v - m) ** 2;
  const loglik = (p: { w: number; m0: number; m1: number }) =>
    x.reduce((s, v) => s + Math.log(p.w * Math.exp(logN(v, p.m0)) + (1 - p.w) * Math.exp(logN(v, p.m1))), 0) / x.length;
  return {
    loglik,
    problem: {
      eStep(p: { w: number; m0: number; m1: number }) {
        const r = x.map((v) => {
          const a = p.w * Math.exp(logN(v, p.m0));
          const b = (1 - p.w) * Math.exp(logN(v, p.m1));
          return a / (a + b);
        });
        return { bound: loglik(p), expectations: r };
      },
      mStep(_p: { w: number; m0: number; m1: number }, r: number[]) {
        const n0 = r.reduce((s, v) => s + v, 0);
        const n1 = x.length - n0;
        return {
          w: n0 / x.length,
          m0: r.reduce((s, v, i) => s + v * (x[i] as number), 0) / n0,
          m1: r.reduce((s, v, i) => s + (1 - v) * (x[i] as number), 0) / n1,
        };
      },
    },
  };
}

const rng = createRng(3);
const xs = Array.from({ length: 200 }, (_, i) => (i % 2 ? 3 : -1) + rng.normal());

describe('EM Algorithm: generic driver', () => {
  test('records the bound of every E-step, which never decreases and equals log p(X|θ_t)', () => {
    const { problem, loglik } = toyProblem(xs);
    const seen: number[] = [];
    const res = runEM(problem, { w: 0.5, m0: 0, m1: 0.5 }, { tol: 1e-10, maxIterations: 500, onProgress: (i) => seen.push(i.objective) });
    expect(res.report.converged).toBe(true);
    expect(res.report.reason).toBe('converged');
    expect(res.report.criterion).toBe('tol');
    const bounds = res.report.trace as number[];
    expect(seen).toEqual(bounds);
    for (let t = 1; t < bounds.length; t++) expect(bounds[t]).toBeGreaterThanOrEqual((bounds[t - 1] as number) - 1e-12);
    expect(res.bound).toBe(bounds.at(-1));
    // the last bound is the log-likelihood of the parameters before the final M-step; the final ones are no worse
    expect(loglik(res.params)).toBeGreaterThanOrEqual(res.bound - 1e-12);
    expect(Math.abs(res.params.m0 - -1)).toBeLessThan(0.3);
    expect(Math.abs(res.params.m1 - 3)).toBeLessThan(0.3);
  });

  test('iteration cap is reported, not thrown', () => {
    const { problem } = toyProblem(xs);
    const res = runEM(problem, { w: 0.5, m0: 0, m1: 0.5 }, { tol: 0, maxIterations: 3 });
    expect(res.report).toMatchObject({ iterations: 3, converged: false, reason: 'max-iterations' });
  });

  test('a non-finite E-step bound throws NonFiniteError naming the iteration instead of running on NaN', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      let t = 0;
      const problem = { eStep: () => ({ bound: ++t < 3 ? -1 / t : bad, expectations: 0 }), mStep: (p: number) => p };
      expect(() => runEM(problem, 0, { tol: 0, maxIterations: 10 })).toThrow(
        expect.objectContaining({ code: 'non-finite', message: expect.stringContaining('iteration 3') }),
      );
    }
  });

  test('abort signal and bad options give typed errors', () => {
    const { problem } = toyProblem(xs);
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => runEM(problem, { w: 0.5, m0: 0, m1: 1 }, { signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    expect(() => runEM(problem, { w: 0.5, m0: 0, m1: 1 }, { maxIterations: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => runEM(problem, { w: 0.5, m0: 0, m1: 1 }, { tol: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('property: the Gaussian-mixture bound never decreases, over seeds and covariance types', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('full', 'diag', 'spherical', 'tied' as const), (seed, covariance) => {
        const r = createRng(seed);
        const X = Array.from({ length: 60 }, (_, i) => [r.normal() + (i % 3) * 2, r.normal() * 0.5 + (i % 2)]);
        const gm = fitGaussianMixture(X, { components: 3, covariance, seed, init: 'random', tol: 0, maxIterations: 40 });
        const b = gm.report.trace as number[];
        for (let t = 1; t < b.length; t++) {
          if ((b[t] as number) < (b[t - 1] as number) - 1e-9 * (1 + Math.abs(b[t - 1] as number))) return false;
        }
        return gm.emptyComponentsReseeded === 0;
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
