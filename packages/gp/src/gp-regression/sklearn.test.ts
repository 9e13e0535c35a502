import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type Hyperparameter, type Kernel, LeafKernel, type Points, constant, linear, matern, periodic, product, rationalQuadratic, rbf, sum, white } from '../kernels/index.js';
import { GPModel, fitGP, logMarginalLikelihood } from './index.js';

interface Case {
  name: string;
  X: number[][];
  y: number[];
  Xs: number[][];
  alpha: number;
  normalize_y: boolean;
  theta: number[];
  fixed: { mean: number[]; std: number[]; cov: number[][]; lml: number; grad: number[] };
  fitted: { lml: number; theta: number[]; kernel: string };
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/sklearn_gp.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Our kernel for each scikit-learn case, and the permutation from our θ order to scikit-learn's. */
const KERNELS: Record<string, { kernel: Kernel; perm?: number[] }> = {
  '1d rbf+white': { kernel: sum(product(constant(1.3), rbf({ lengthScale: 0.8 })), white(0.05)) },
  '1d matern52+white normalize_y': { kernel: sum(product(constant(1), matern({ nu: 2.5, lengthScale: 1.2 })), white(0.1)) },
  '1d rq*periodic+dot': {
    kernel: sum(
      product(constant(0.8), rationalQuadratic({ lengthScale: 2, alpha: 0.7 }), periodic({ lengthScale: 1.2, periodicity: 6 })),
      product(constant(0.01), linear({ sigma0: 1 })),
      white(0.02),
    ),
    // scikit-learn orders RationalQuadratic's hyperparameters alphabetically (alpha, length_scale)
    perm: [0, 2, 1, 3, 4, 5, 6, 7],
  },
  '2d ard rbf+white': { kernel: sum(product(constant(1), rbf({ lengthScale: [0.3, 0.5] })), white(0.01)) },
  '2d ard matern32 alpha': { kernel: product(constant(1), matern({ nu: 1.5, lengthScale: [0.4, 0.6] })) },
  '2d matern12 normalize_y': { kernel: sum(product(constant(2), matern({ nu: 0.5, lengthScale: 0.5 })), white(0.01)) },
};

/** An invalid "kernel" (1 on the diagonal, −0.9 elsewhere: eigenvalue −1.7) to exercise the non-PD path. */
class NotAKernel extends LeafKernel {
  readonly kind = 'notAKernel';
  protected rebuild(p: Hyperparameter[]) {
    return new NotAKernel(p);
  }
  computeMatrix(a: Points, b: Points = a) {
    return Float64Array.from({ length: a.n * b.n }, (_, t) => (b === a && t % (a.n + 1) === 0 ? 1 : -0.9));
  }
  computeDiag(a: Points) {
    return new Float64Array(a.n).fill(1);
  }
  computeGradient(a: Points) {
    return { K: this.computeMatrix(a), grads: [] };
  }
  toString() {
    return 'NotAKernel';
  }
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('GP Regression: against scikit-learn GaussianProcessRegressor', () => {
  test.each(fx.cases.map((c) => [c.name, c] as const))('%s: fixed hyperparameters, predictions and log ML (1e-8 relative)', (_n, c) => {
    const { kernel, perm } = KERNELS[c.name];
    const ours = Array.from(kernel.theta);
    (perm ?? ours.map((_, i) => i)).forEach((p, i) => {
      expect(ours[p]).toBeCloseTo(c.theta[i], 12);
    });
    const model = fitGP(c.X, c.y, { kernel, noise: c.alpha, optimize: false, normalizeY: c.normalize_y });
    expect(rel(model.logMarginalLikelihood, c.fixed.lml)).toBeLessThan(1e-8);
    const { mean, variance, covariance } = model.predict(c.Xs, { covariance: true });
    const scaleM = Math.max(...c.fixed.mean.map(Math.abs));
    c.fixed.mean.forEach((m, i) => {
      expect(Math.abs(mean[i] - m)).toBeLessThan(1e-8 * Math.max(Math.abs(m), 1e-3 * scaleM));
    });
    c.fixed.std.forEach((s, i) => {
      expect(Math.abs(Math.sqrt(variance[i]) - s)).toBeLessThan(1e-8 * Math.max(s, 1e-3));
    });
    const maxCov = Math.max(...c.fixed.cov.flat().map(Math.abs));
    c.fixed.cov.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(Math.abs(covariance!.get(i, j) - v)).toBeLessThan(1e-8 * maxCov);
      });
    });
    const { value, gradient } = logMarginalLikelihood(kernel, c.X, c.y, { noise: c.alpha, normalizeY: c.normalize_y });
    expect(rel(value, c.fixed.lml)).toBeLessThan(1e-8);
    const p = perm ?? Array.from(gradient, (_, i) => i);
    const gmax = Math.max(...c.fixed.grad.map(Math.abs));
    c.fixed.grad.forEach((g, i) => {
      expect(Math.abs(gradient[p[i]] - g)).toBeLessThan(1e-7 * Math.max(gmax, 1));
    });
  });

  test.each(fx.cases.map((c) => [c.name, c] as const))('%s: fitted log ML ≥ scikit-learn − 1e-4 (5 seeded restarts)', (_n, c) => {
    const { kernel } = KERNELS[c.name];
    const model = fitGP(c.X, c.y, { kernel, noise: c.alpha, normalizeY: c.normalize_y, restarts: 5, seed: 0 });
    expect(model.logMarginalLikelihood).toBeGreaterThanOrEqual(c.fitted.lml - 1e-4);
    expect(model.report.restarts.length).toBe(6);
    expect(Number.isFinite(model.report.iterations)).toBe(true);
  });
});

describe('GP Regression: model object', () => {
  const c = fx.cases[0];
  const { kernel } = KERNELS[c.name];
  test('toJSON/fromJSON round-trips bit for bit', () => {
    const model = fitGP(c.X, c.y, { kernel, noise: c.alpha, restarts: 1 });
    const back = GPModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back.logMarginalLikelihood).toBe(model.logMarginalLikelihood);
    const a = model.predict(c.Xs, { covariance: true });
    const b = back.predict(c.Xs, { covariance: true });
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(Array.from(b.variance)).toEqual(Array.from(a.variance));
    expect(b.covariance!.to2DArray()).toEqual(a.covariance!.to2DArray());
    expect(back.report).toEqual(model.report);
    expect(Object.isFrozen(model)).toBe(true);
  });

  test('caller data is not mutated; variance ≥ 0 at training points without noise', () => {
    const X = c.X.map((r) => [...r]);
    const y = [...c.y];
    const m = fitGP(X, y, { kernel: product(constant(1), rbf({ lengthScale: 0.8 })), noise: 1e-10, optimize: false });
    expect(X).toEqual(c.X);
    expect(y).toEqual(c.y);
    const { variance } = m.predict(X);
    for (const v of variance) expect(v).toBeGreaterThanOrEqual(0);
  });

  test('samplePosterior: sample mean and variance match predict (seeded, 4 standard errors)', () => {
    const model = fitGP(c.X, c.y, { kernel, noise: c.alpha, optimize: false });
    const Xs = [[2.5], [7.1], [12]];
    const N = 3000;
    const S = model.samplePosterior(Xs, { n: N, seed: 3 });
    const { mean, variance } = model.predict(Xs);
    for (let j = 0; j < 3; j++) {
      let m = 0;
      for (let i = 0; i < N; i++) m += S.get(i, j) / N;
      expect(Math.abs(m - mean[j])).toBeLessThan(4 * Math.sqrt(variance[j] / N));
      let v = 0;
      for (let i = 0; i < N; i++) v += (S.get(i, j) - mean[j]) ** 2 / N;
      expect(Math.abs(v - variance[j])).toBeLessThan(4 * variance[j] * Math.sqrt(2 / N));
    }
  });

  test('bound hits are reported; onProgress sees iterations; abort throws AbortError', () => {
    const k = sum(product(constant(1), rbf({ lengthScale: 1, lengthScaleBounds: [1e-2, 2e-2] })), white(0.1));
    const seen: number[] = [];
    const m = fitGP(c.X, c.y, { kernel: k, onProgress: (p) => seen.push(p.iteration) });
    expect(m.report.boundHits).toContain('k1.k2.lengthScale (upper)');
    expect(seen.length).toBeGreaterThan(0);
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => fitGP(c.X, c.y, { kernel: k, signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});

describe('GP Regression: bad input gives typed errors', () => {
  const X = [[0], [1], [2]];
  test.each([
    ['NaN in X', () => fitGP([[0], [Number.NaN], [2]], [1, 2, 3]), 'non-finite'],
    ['Infinity in y', () => fitGP(X, [1, Number.POSITIVE_INFINITY, 3]), 'non-finite'],
    ['y of the wrong length', () => fitGP(X, [1, 2]), 'shape'],
    ['ragged X', () => fitGP([[0, 1], [1], [2, 3]], [1, 2, 3]), 'shape'],
    ['empty X', () => fitGP([], []), 'shape'],
    ['negative noise', () => fitGP(X, [1, 2, 3], { noise: -1 }), 'domain'],
    ['non-positive hyperparameter', () => fitGP(X, [1, 2, 3], { kernel: rbf({ lengthScale: -2 }) }), 'domain'],
    ['predict with wrong columns', () => fitGP(X, [1, 2, 3], { optimize: false }).predict([[1, 2]]), 'shape'],
    [
      'kernel matrix non-PD after max jitter',
      () => fitGP([[0], [1], [2], [3]], [1, -1, 1, 0], { kernel: new NotAKernel([]), noise: 0, optimize: false }),
      'not-positive-definite',
    ],
  ])('%s', (_n, f, code) => expect(f).toThrow(expect.objectContaining({ code })));

  test.each([
    ['y wrong length', () => logMarginalLikelihood(rbf(), X, [1, 2]), 'shape', "logMarginalLikelihood: argument 'y'"],
    ['cg probes 0', () => fitGP(X, [1, 2, 3], { method: 'cg', cg: { probes: 0 } }), 'domain', "fitGP (option cg): option 'probes' must be an integer >= 1 and <= 10000, got 0"],
    ['cg tol -1', () => fitGP(X, [1, 2, 3], { method: 'cg', cg: { tol: -1 } }), 'domain', "fitGP (option cg): option 'tol' must be a finite number > 0 and < 1, got -1"],
  ])('%s: typed error naming the function and argument', (_n, f, code, msg) => {
    expect(f).toThrow(expect.objectContaining({ code }));
    expect(f).toThrow(msg);
  });

  test('GPModel.fromJSON validates y and noise (a NaN in y becomes null in JSON)', () => {
    const json = fitGP(X, [1, 2, 3], { optimize: false }).toJSON();
    const bad = (patch: object) => () => GPModel.fromJSON(JSON.parse(JSON.stringify({ ...json, ...patch })));
    expect(bad({ y: [1, Number.NaN, 3] })).toThrow("GPModel.fromJSON: argument 'y' must hold numbers, got null at [1]");
    expect(bad({ y: [1, 2] })).toThrow("GPModel.fromJSON: argument 'y' must have length 3");
    expect(bad({ noise: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(bad({ noise: null })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(bad({ normalizeY: 'yes' })).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('duplicate inputs are legal with noise', () => {
    const m = fitGP([[0], [0], [1]], [1, 1.2, 0], { kernel: sum(rbf(), white(0.1)), optimize: false });
    expect(m.predict([[0]]).mean[0]).toBeGreaterThan(0.5);
  });
});
