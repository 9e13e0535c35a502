/**
 * Shared test harness for conjugate models with a scalar parameter: every posterior, log evidence,
 * predictive, mean and mode is checked against 1-D quadrature of prior × likelihood.
 * @internal
 */
import { createRng, DomainError } from '@notes/core-linalg';
import { expect, test } from 'vitest';
import type { ConjugateModel, ContinuousDistribution, DiscreteDistribution } from '../conjugate/types.js';
import { logIntegrate1D, meanAndSE } from './quadrature.js';

type ScalarModel = ConjugateModel<
  ArrayLike<number>,
  number,
  object,
  ContinuousDistribution<number> | DiscreteDistribution<number, number>
>;

export interface ScalarCase {
  prior: ScalarModel;
  data: number[];
  more: number[];
  /** Integration range of θ (or of log θ when `logScale`). */
  range: [number, number];
  logScale?: boolean;
  /** Points x where the predictive is checked. */
  xs: number[];
  discrete?: boolean;
  /** Values of the support to sum the predictive over (discrete). */
  support?: number[];
  badData?: number[];
  fromJSON: (j: ReturnType<ScalarModel['toJSON']>) => { params: object };
}

/** Registers the quadrature tests for one scalar conjugate model. */
export function scalarConjugateTests(c: ScalarCase): void {
  const post = c.prior.update(c.data);
  const [lo, hi] = c.range;
  const theta = (u: number) => (c.logScale ? Math.exp(u) : u);
  const jac = (u: number) => (c.logScale ? u : 0);
  const logJoint = (u: number) => {
    const t = theta(u);
    const lp = c.prior.logDensity(t);
    return lp === Number.NEGATIVE_INFINITY ? lp : lp + c.prior.logLikelihood(c.data, t) + jac(u);
  };
  const logZ = logIntegrate1D(logJoint, lo, hi, 6000);

  test('log evidence equals log ∫ prior × likelihood (quadrature)', () => {
    expect(c.prior.logMarginalLikelihood(c.data)).toBeCloseTo(logZ, 6);
  });

  test('posterior density equals normalised prior × likelihood', () => {
    for (let i = 1; i < 10; i++) {
      const u = lo + ((hi - lo) * i) / 10;
      const want = logJoint(u) - jac(u) - logZ;
      if (want < -30) continue;
      expect(post.logDensity(theta(u))).toBeCloseTo(want, 6);
    }
  });

  test('posterior mean and mode agree with quadrature', () => {
    // E[θ] = shift + E[θ − shift] with θ − shift > 0 on the grid
    const shift = c.logScale ? 0 : lo;
    const lm = logIntegrate1D((u) => logJoint(u) + Math.log(theta(u) - shift + 1e-300), lo, hi, 6000);
    expect(post.mean()).toBeCloseTo(shift + Math.exp(lm - logZ), 5);
    let best = lo;
    let bestV = Number.NEGATIVE_INFINITY;
    const m = 50000;
    for (let i = 0; i <= m; i++) {
      const u = lo + ((hi - lo) * i) / m;
      const v = logJoint(u) - jac(u);
      if (v > bestV) {
        bestV = v;
        best = theta(u);
      }
    }
    expect(Math.abs(post.mode() - best)).toBeLessThan(1e-3 * Math.max(1, Math.abs(best)));
  });

  test('sequential updates equal one batch update', () => {
    const seq = c.prior.update(c.data).update(c.more);
    const batch = c.prior.update([...c.data, ...c.more]);
    for (const [k, v] of Object.entries(batch.params)) {
      expect((seq.params as Record<string, number>)[k]).toBeCloseTo(v as number, 10);
    }
    // the evidence chains the same way: log p(a, b) = log p(a) + log p(b | a)
    expect(c.prior.logMarginalLikelihood([...c.data, ...c.more])).toBeCloseTo(
      c.prior.logMarginalLikelihood(c.data) + post.logMarginalLikelihood(c.more),
      9,
    );
  });

  test('posterior predictive equals ∫ p(x|θ) p(θ|X) dθ (quadrature)', () => {
    const pred = post.predictive();
    for (const x of c.xs) {
      const want = logIntegrate1D((u) => logJoint(u) + c.prior.logLikelihood([x], theta(u)), lo, hi, 6000) - logZ;
      const got = 'logPdf' in pred ? pred.logPdf(x) : pred.logPmf(x);
      expect(got).toBeCloseTo(want, 5);
    }
    if (c.discrete && c.support && 'logPmf' in pred) {
      let s = 0;
      for (const x of c.support) s += Math.exp(pred.logPmf(x));
      expect(s).toBeCloseTo(1, 6);
    }
  });

  test('predictive and posterior samples match their mean/variance (4 SE)', () => {
    const rng = createRng(11);
    const pred = post.predictive();
    const n = 20000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = pred.sample(rng);
    const s = meanAndSE(xs);
    expect(Math.abs(s.mean - (pred.mean() as number))).toBeLessThan(4 * s.se);
    const sq = meanAndSE(xs.map((x) => (x - (pred.mean() as number)) ** 2));
    expect(Math.abs(sq.mean - (pred.variance() as number))).toBeLessThan(4 * sq.se);
    const ts = new Float64Array(n);
    for (let i = 0; i < n; i++) ts[i] = post.sample(rng);
    const st = meanAndSE(ts);
    expect(Math.abs(st.mean - post.mean())).toBeLessThan(4 * st.se);
  });

  test('toJSON / fromJSON round-trips exactly; update does not mutate', () => {
    const before = JSON.stringify(c.prior.toJSON());
    const again = c.fromJSON(post.toJSON());
    expect(again.params).toEqual(post.params);
    expect(JSON.stringify(c.prior.toJSON())).toBe(before);
  });

  if (c.badData) {
    test('data outside the support → DomainError naming data', () => {
      expect(() => c.prior.update(c.badData!)).toThrow(DomainError);
      expect(() => c.prior.update(c.badData!)).toThrow(/'data'/);
      expect(() => c.prior.update([Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    });
  }
}
