import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { meanAndSE } from '../testing/quadrature.js';
import { betaBinomial } from './beta-binomial.js';
import { dirichletMultinomial } from './dirichlet-multinomial.js';
import { conjugateFromJSON } from './from-json.js';

const prior = dirichletMultinomial({ alpha: [2, 3, 1.5], trials: 4 });
const data = [
  [2, 1, 1],
  [0, 3, 1],
  [1, 1, 2],
];

/** log ∫ over the 2-simplex by the midpoint rule (independent of the model's code). */
function logSimplex(f: (p: Float64Array) => number, m = 800): number {
  const vals: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; i + j < m - 1; j++) {
      const p1 = (i + 0.5) / m;
      const p2 = (j + 0.5) / m;
      vals.push(f(Float64Array.of(p1, p2, 1 - p1 - p2)));
    }
  }
  const mx = vals.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  return mx + Math.log(vals.reduce((s, v) => s + Math.exp(v - mx), 0) / (m * m));
}

describe('Conjugate distribution: Multinomial (count vectors) with Dirichlet prior', () => {
  test('log evidence equals quadrature of prior × multinomial likelihood (coefficients included)', () => {
    // coefficients: 4!/(2!1!1!) · 4!/(0!3!1!) · 4!/(1!1!2!) = 12 · 4 · 12
    const logCoef = Math.log(12 * 4 * 12);
    const S = [3, 5, 4];
    const want = logSimplex((p) => prior.logDensity(p) + logCoef + S.reduce((s, c, k) => s + c * Math.log(p[k]!), 0));
    expect(prior.logMarginalLikelihood(data)).toBeCloseTo(want, 4);
  });
  test('K = 2 equals Beta–Binomial; predictive sums to 1 over all compositions of N', () => {
    const dm = dirichletMultinomial({ alpha: [2, 3], trials: 6 });
    const bb = betaBinomial({ alpha: 2, beta: 3, trials: 6 });
    expect(dm.logMarginalLikelihood([[4, 2], [1, 5]])).toBeCloseTo(bb.logMarginalLikelihood([4, 1]), 12);
    const pred = prior.update(data).predictive();
    let s = 0;
    for (let a = 0; a <= 4; a++) for (let b = 0; a + b <= 4; b++) s += Math.exp(pred.logPmf(Float64Array.of(a, b, 4 - a - b)));
    expect(s).toBeCloseTo(1, 12);
    expect(pred.logPmf(Float64Array.of(1, 1, 1))).toBe(Number.NEGATIVE_INFINITY);
  });
  test('sequential = batch; predictive samples match the mean; JSON; bad input', () => {
    const post = prior.update(data);
    expect(Array.from(prior.update(data.slice(0, 1)).update(data.slice(1)).params.alpha)).toEqual(Array.from(post.params.alpha));
    expect(Array.from(post.params.alpha)).toEqual([5, 8, 5.5]);
    const rng = createRng(3);
    const pred = post.predictive();
    const xs = Array.from({ length: 20000 }, () => pred.sample(rng));
    for (let k = 0; k < 3; k++) {
      const s = meanAndSE(xs.map((x) => x[k]!));
      expect(Math.abs(s.mean - pred.mean()[k]!)).toBeLessThan(4 * s.se);
      expect(s.sd ** 2 / pred.variance()[k]!).toBeGreaterThan(0.95);
      expect(s.sd ** 2 / pred.variance()[k]!).toBeLessThan(1.05);
    }
    expect(conjugateFromJSON(post.toJSON()).params).toEqual(post.params);
    expect(() => prior.update([[1, 1, 1]])).toThrow(/sum to trials = 4/);
    expect(() => prior.update([[5, -1, 0]])).toThrow(/'data'/);
    expect(() => dirichletMultinomial({ alpha: [1, 1], trials: 0 })).toThrow(/'trials'/);
  });
});
