import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import {
  BayesianOptimizer,
  ackley5,
  branin,
  expectedImprovement,
  hartmann6,
  lowerConfidenceBound,
  maximizeInBox,
  minimize,
  probabilityOfImprovement,
} from './index.js';

describe('Bayesian optimization: acquisitions, closed forms vs Monte Carlo', () => {
  const N = 200_000;
  const z = sampleNormalArray(createRng(9), N);
  test.each([
    [0.3, 1.2, 0.5],
    [2, 0.4, 1.1],
    [-1, 2.5, -0.5],
  ])('μ=%d σ=%d f_best=%d: EI = E[max(0, f_best − f)], PI = P(f < f_best) (4 standard errors)', (mu, sigma, fBest) => {
    const imp = Array.from(z, (v) => Math.max(0, fBest - (mu + sigma * v)));
    const mEI = imp.reduce((a, b) => a + b, 0) / N;
    const sdEI = Math.sqrt(imp.reduce((a, b) => a + (b - mEI) ** 2, 0) / N);
    expect(Math.abs(expectedImprovement(mu, sigma, fBest) - mEI)).toBeLessThan(4 * (sdEI / Math.sqrt(N)) + 1e-12);
    const mPI = Array.from(z).filter((v) => mu + sigma * v < fBest).length / N;
    const pi = probabilityOfImprovement(mu, sigma, fBest);
    expect(Math.abs(pi - mPI)).toBeLessThan(4 * Math.sqrt((pi * (1 - pi)) / N));
    // the notes' γ = (μ − f_best)/σ gives the probability of getting worse: 1 − PI
    expect(pi).toBeCloseTo(1 - probabilityOfImprovement(fBest, sigma, mu), 12);
  });

  test('LCB: −μ + κσ is minus the Φ(−κ) quantile of f; notes form −μ + κσ² uses the variance (Monte Carlo)', () => {
    const mu = 1.5;
    const sigma = 0.7;
    const kappa = 1;
    const f = Float64Array.from(z, (v) => mu + sigma * v).sort();
    const q = f[Math.round(0.15865525393145707 * N)]; // Φ(−1)
    expect(Math.abs(-q - lowerConfidenceBound(mu, sigma, kappa))).toBeLessThan(0.01);
    const m = f.reduce((a, b) => a + b, 0) / N;
    const v = f.reduce((a, b) => a + (b - m) ** 2, 0) / N;
    expect(Math.abs(-m + 2 * v - lowerConfidenceBound(mu, sigma, 2, 'notes'))).toBeLessThan(0.02);
  });

  test('σ = 0 limits', () => {
    expect(expectedImprovement(1, 0, 3)).toBe(2);
    expect(expectedImprovement(4, 0, 3)).toBe(0);
    expect(probabilityOfImprovement(1, 0, 3)).toBe(1);
  });

  test.each([
    ['EI with NaN μ', () => expectedImprovement(Number.NaN, 1, 0), 'non-finite'],
    ['EI with σ < 0', () => expectedImprovement(0, -1, 0), 'domain'],
    ['PI with σ = ∞', () => probabilityOfImprovement(0, Number.POSITIVE_INFINITY, 0), 'non-finite'],
    ['PI with NaN f_best', () => probabilityOfImprovement(0, 1, Number.NaN), 'non-finite'],
    ['LCB with NaN κ', () => lowerConfidenceBound(0, 1, Number.NaN), 'non-finite'],
  ])('%s throws a typed error (no NaN out)', (_n, f, code) => expect(f).toThrow(expect.objectContaining({ code })));
});

describe('Bayesian optimization: acquisition maximisation, ask/tell, minimize', () => {
  test('multi-start L-BFGS in a box finds the maximum of a bimodal function, including on the boundary', () => {
    const f = (x: Float64Array) => Math.exp(-((x[0] - 0.2) ** 2 + (x[1] - 0.7) ** 2) * 20) + 1.5 * Math.exp(-((x[0] - 1) ** 2) * 10 - (x[1] - 0.3) ** 2 * 10);
    const { x, value } = maximizeInBox(f, Float64Array.of(0, 0), Float64Array.of(1, 1), createRng(1));
    expect(x[0]).toBeCloseTo(1, 6);
    expect(x[1]).toBeCloseTo(0.3, 4);
    expect(value).toBeCloseTo(1.5, 6);
  });

  test('Branin: BO simple regret after 25 evaluations is far below random search (3 seeds, medians)', () => {
    const bo: number[] = [];
    const rs: number[] = [];
    for (const seed of [1, 2, 3]) {
      bo.push(minimize(branin.f, branin.bounds, { budget: 25, seed, restarts: 0, search: { candidates: 256, starts: 3 } }).value - branin.minimum);
      const rng = createRng(100 + seed);
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 25; i++) best = Math.min(best, branin.f(branin.bounds.map(([a, b]) => a + (b - a) * rng.uniform())));
      rs.push(best - branin.minimum);
    }
    const med = (a: number[]) => [...a].sort((p, q) => p - q)[1];
    expect(med(bo)).toBeLessThan(0.05);
    expect(med(bo)).toBeLessThan(med(rs) / 10);
  }, 30_000);

  test('test functions: known minima', () => {
    expect(branin.f([Math.PI, 2.275])).toBeCloseTo(branin.minimum, 6);
    expect(hartmann6.f([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573])).toBeCloseTo(hartmann6.minimum, 4);
    expect(ackley5.f([0, 0, 0, 0, 0])).toBeCloseTo(0, 12);
  });

  test('ask/tell: initial design inside the box, best tracked, typed errors', () => {
    const opt = new BayesianOptimizer([[-1, 1], [2, 3]], { seed: 4 });
    const told: { x: number[]; y: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const x = opt.ask();
      expect(x[0]).toBeGreaterThanOrEqual(-1);
      expect(x[0]).toBeLessThanOrEqual(1);
      expect(x[1]).toBeGreaterThanOrEqual(2);
      expect(x[1]).toBeLessThanOrEqual(3);
      const y = x[0] ** 2 + (x[1] - 2.5) ** 2;
      told.push({ x: Array.from(x), y });
      opt.tell(x, y);
    }
    expect(opt.count).toBe(5);
    expect(opt.model).not.toBeNull();
    // best is the lowest told value and its point (any point of the box scores ≤ 1.25, so a bound proves nothing)
    const want = told.reduce((a, b) => (b.y < a.y ? b : a));
    expect(opt.best!.y).toBe(want.y);
    for (const [j, v] of want.x.entries()) expect(opt.best!.x[j]).toBeCloseTo(v, 12);
    expect(() => opt.tell([0], 1)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => opt.tell([0, 2.5], Number.NaN)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => opt.tell([5, 2.5], 1)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => new BayesianOptimizer([[1, 0]])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => new BayesianOptimizer([])).toThrow(expect.objectContaining({ code: 'shape' }));
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => minimize((x) => x[0], [[0, 1]], { signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});
