import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { logDirichlet } from '../internal/logpdf.js';
import { meanAndSE } from '../testing/quadrature.js';
import { betaBernoulli } from './beta-bernoulli.js';
import { dirichletCategorical } from './dirichlet-categorical.js';
import { conjugateFromJSON } from './from-json.js';

const prior = dirichletCategorical({ alpha: [2, 3, 1.5] });
const data = [0, 1, 2, 0, 0, 1, 2, 2, 0];
const post = prior.update(data);
const COUNTS = [4, 2, 3];
/** Independent log-likelihood of counts (the data sequence, no multinomial coefficient). */
const logLik = (p: Float64Array, extra = -1) =>
  COUNTS.reduce((s, c, k) => s + (c + (k === extra ? 1 : 0)) * Math.log(p[k]!), 0);

/** log ∫ over the 2-simplex of exp(f(p)) by the midpoint rule on an m×m grid (p3 = 1 − p1 − p2). */
function logSimplex(f: (p: Float64Array) => number, m = 1000): number {
  const h = 1 / m;
  const vals: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    for (let j = 0; i + j < m - 1; j++) {
      const p1 = (i + 0.5) * h;
      const p2 = (j + 0.5) * h;
      const v = f(Float64Array.of(p1, p2, 1 - p1 - p2));
      vals.push(v);
      if (v > max) max = v;
    }
  }
  let s = 0;
  for (const v of vals) s += Math.exp(v - max);
  return max + Math.log(s * h * h);
}

describe('Conjugate distribution: Multinomial / categorical with Dirichlet prior', () => {
  test('log evidence equals log ∫ prior × likelihood over the simplex', () => {
    const want = logSimplex((p) => prior.logDensity(p) + logLik(p));
    expect(prior.logLikelihood(data, Float64Array.of(0.2, 0.3, 0.5))).toBeCloseTo(logLik(Float64Array.of(0.2, 0.3, 0.5)), 12);
    expect(prior.logMarginalLikelihood(data)).toBeCloseTo(want, 4);
  });
  test('posterior is Dir(α + counts); predictive = quadrature; sums to 1', () => {
    expect(Array.from(post.params.alpha)).toEqual([6, 5, 4.5]);
    const z = prior.logMarginalLikelihood(data);
    const pred = post.predictive();
    let s = 0;
    for (let k = 0; k < 3; k++) {
      const want = logSimplex((p) => prior.logDensity(p) + logLik(p, k)) - z;
      expect(pred.logPmf(k)).toBeCloseTo(want, 4);
      s += Math.exp(pred.logPmf(k));
    }
    expect(s).toBeCloseTo(1, 12);
    expect(logDirichlet(Float64Array.of(0.2, 0.3, 0.5), [1, 1, 1])).toBeCloseTo(Math.log(2), 12);
  });
  test('K = 2 reduces to Beta–Bernoulli', () => {
    const d = dirichletCategorical({ alpha: [3, 2] });
    const b = betaBernoulli({ alpha: 3, beta: 2 });
    const xs = [0, 1, 1, 0, 1];
    expect(d.logMarginalLikelihood(xs)).toBeCloseTo(b.logMarginalLikelihood(xs.map((x) => 1 - x)), 12);
  });
  test('sequential = batch; mean, mode, samples; JSON', () => {
    const seq = prior.update(data.slice(0, 4)).update(data.slice(4));
    expect(Array.from(seq.params.alpha)).toEqual(Array.from(post.params.alpha));
    expect(Array.from(post.mode())).toEqual([5 / 12.5, 4 / 12.5, 3.5 / 12.5]);
    const rng = createRng(5);
    const s = Array.from({ length: 10000 }, () => post.sample(rng));
    for (let k = 0; k < 3; k++) {
      const st = meanAndSE(s.map((p) => p[k]!));
      expect(Math.abs(st.mean - post.mean()[k]!)).toBeLessThan(4 * st.se);
    }
    expect(conjugateFromJSON(post.toJSON()).params).toEqual(post.params);
  });
  test('bad input → DomainError naming the argument', () => {
    expect(() => dirichletCategorical({ alpha: [1, 0] })).toThrow(/'alpha'/);
    expect(() => prior.update([3])).toThrow(/'data' must contain category indices in 0..2/);
    expect(() => prior.update([0.5])).toThrow(/'data'/);
  });
});
