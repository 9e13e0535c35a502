import { createRng } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { meanAndSE } from '../testing/quadrature.js';
import { conjugateFromJSON } from './from-json.js';
import { gammaPrecision } from './gamma-precision.js';
import { normalGamma } from './normal-gamma.js';
import { normalWishart } from './normal-wishart.js';
import { wishartPrecision } from './wishart-precision.js';

const X2 = [
  [0.3, 1.1],
  [1.4, 0.2],
  [-0.6, 0.9],
];
const S2 = [
  [0.8, 0.3],
  [0.3, 0.5],
];

/** log-mean-exp with the delta-method standard error of the log. */
function logMeanExp(v: number[]): { value: number; se: number } {
  const m = Math.max(...v);
  const w = v.map((x) => Math.exp(x - m));
  const s = meanAndSE(w);
  return { value: m + Math.log(s.mean), se: s.se / s.mean };
}

describe('Conjugate distribution: multivariate Gaussian Σ⁻¹ with Wishart prior', () => {
  test('d = 1 is the Gamma-precision model (a = ν/2, b = 1/(2W)), which is checked by quadrature', () => {
    const w = wishartPrecision({ mean: [1], df: 6, scale: [[0.25]] });
    const g = gammaPrecision({ mean: 1, shape: 3, rate: 2 });
    const x = [1.2, 0.3, 2.2, 1.7];
    expect(w.logMarginalLikelihood(x.map((v) => [v]))).toBeCloseTo(g.logMarginalLikelihood(x), 12);
    const pw = w.update(x.map((v) => [v]));
    const pg = g.update(x);
    for (const t of [0.3, 1, 2.5]) expect(pw.logDensity(new Matrix([[t]]))).toBeCloseTo(pg.logDensity(t), 12);
    expect(pw.predictive().logPdf(Float64Array.of(0.4))).toBeCloseTo(pg.predictive().logPdf(0.4), 12);
    expect(pw.mean().get(0, 0)).toBeCloseTo(pg.mean(), 12);
    expect(pw.mode().get(0, 0)).toBeCloseTo(pg.mode(), 12);
  });
  test('d = 2 log evidence equals Monte Carlo E_prior[p(X|Λ)] (4 SE) and the candidate identity', () => {
    const prior = wishartPrecision({ mean: [0.2, 0.5], df: 4, scale: S2 });
    const rng = createRng(7);
    const v = Array.from({ length: 40000 }, () => prior.logLikelihood(X2, prior.sample(rng)));
    const mc = logMeanExp(v);
    const z = prior.logMarginalLikelihood(X2);
    expect(Math.abs(z - mc.value)).toBeLessThan(4 * mc.se + 1e-3);
    const post = prior.update(X2);
    for (const lam of [post.mean(), post.mode(), new Matrix([[1, 0.2], [0.2, 2]])]) {
      expect(prior.logDensity(lam) + prior.logLikelihood(X2, lam) - post.logDensity(lam)).toBeCloseTo(z, 10);
    }
  });
  test('sequential = batch; predictive = evidence ratio; JSON; non-PD scale → DomainError', () => {
    const prior = wishartPrecision({ mean: [0.2, 0.5], df: 4, scale: S2 });
    const seq = prior.update(X2.slice(0, 1)).update(X2.slice(1));
    const post = prior.update(X2);
    expect(seq.params.scale.to2DArray().flat().map((v) => +v.toFixed(10))).toEqual(
      post.params.scale.to2DArray().flat().map((v) => +v.toFixed(10)),
    );
    const x = [0.1, -0.3];
    expect(post.predictive().logPdf(Float64Array.from(x))).toBeCloseTo(
      prior.logMarginalLikelihood([...X2, x]) - prior.logMarginalLikelihood(X2),
      10,
    );
    expect(conjugateFromJSON(post.toJSON()).toJSON()).toEqual(post.toJSON());
    expect(() => wishartPrecision({ mean: [0, 0], df: 4, scale: [[1, 2], [2, 1]] })).toThrow(/'scale'/);
    expect(() => wishartPrecision({ mean: [0, 0], df: 0.5, scale: S2 })).toThrow(/'df'/);
  });
});

describe('Conjugate distribution: multivariate Gaussian (μ, Σ⁻¹) with Normal–Wishart prior', () => {
  test('d = 1 is the Normal–Gamma model (checked by the 2-D grid)', () => {
    const nw = normalWishart({ mean: [0.5], kappa: 2, df: 6, scale: [[0.25]] });
    const ng = normalGamma({ mean: 0.5, kappa: 2, shape: 3, rate: 2 });
    const x = [1.2, 0.3, 2.2, 1.7, -0.4];
    expect(nw.logMarginalLikelihood(x.map((v) => [v]))).toBeCloseTo(ng.logMarginalLikelihood(x), 12);
    const pn = nw.update(x.map((v) => [v]));
    const pg = ng.update(x);
    const th = { mu: Float64Array.of(0.9), Lambda: new Matrix([[1.3]]) };
    expect(pn.logDensity(th)).toBeCloseTo(pg.logDensity({ mu: 0.9, tau: 1.3 }), 12);
    expect(pn.predictive().logPdf(Float64Array.of(2))).toBeCloseTo(pg.predictive().logPdf(2), 12);
    expect(pn.mode().Lambda.get(0, 0)).toBeCloseTo(pg.mode().tau, 12);
  });
  test('d = 2 log evidence equals Monte Carlo over prior draws (4 SE) and the candidate identity', () => {
    const prior = normalWishart({ mean: [0.2, 0.5], kappa: 1.5, df: 4, scale: S2 });
    const rng = createRng(8);
    const v = Array.from({ length: 40000 }, () => prior.logLikelihood(X2, prior.sample(rng)));
    const mc = logMeanExp(v);
    const z = prior.logMarginalLikelihood(X2);
    expect(Math.abs(z - mc.value)).toBeLessThan(4 * mc.se + 1e-3);
    const post = prior.update(X2);
    for (const th of [post.mean(), post.mode()]) {
      expect(prior.logDensity(th) + prior.logLikelihood(X2, th) - post.logDensity(th)).toBeCloseTo(z, 10);
    }
  });
  test('predictive = evidence ratio and matches samples; sequential = batch; JSON', () => {
    const prior = normalWishart({ mean: [0.2, 0.5], kappa: 1.5, df: 5, scale: S2 });
    const post = prior.update(X2);
    const x = [0.1, -0.3];
    expect(post.predictive().logPdf(Float64Array.from(x))).toBeCloseTo(
      prior.logMarginalLikelihood([...X2, x]) - prior.logMarginalLikelihood(X2),
      10,
    );
    const seq = prior.update(X2.slice(0, 2)).update(X2.slice(2));
    for (const [i, v] of post.params.mean.entries()) expect(seq.params.mean[i]).toBeCloseTo(v, 12);
    expect(seq.logMarginalLikelihood([x])).toBeCloseTo(post.logMarginalLikelihood([x]), 10);
    const rng = createRng(9);
    const pred = post.predictive();
    const xs = Array.from({ length: 20000 }, () => pred.sample(rng));
    for (let a = 0; a < 2; a++) {
      const s = meanAndSE(xs.map((p) => p[a]!));
      expect(Math.abs(s.mean - pred.mean()[a]!)).toBeLessThan(4 * s.se);
    }
    const th = post.sample(rng);
    expect(th.mu.length).toBe(2);
    expect(conjugateFromJSON(post.toJSON()).toJSON()).toEqual(post.toJSON());
    expect(() => normalWishart({ mean: [0, 0], kappa: 0, df: 4, scale: S2 })).toThrow(/'kappa'/);
    expect(() => prior.update([[1, 2, 3]])).toThrow(/'data'/);
  });
});
