// docs/conventions.md §8: checkEstimator over every fit of @notes/gp (fitGP, fitBayesianRegression, minimize),
// plus the abort partials of the async twins. Abort latencies are printed for the README.
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { afterAll, describe, expect, test } from 'vitest';
import { BayesianOptimizer, branin, minimize, minimizeAsync } from './bayesian-optimization/index.js';
import { BayesianRegressionModel, fitBayesianRegression, fitBayesianRegressionAsync, polynomialBasis } from './bayesian-regression/index.js';
import { GPModel, fitGP, fitGPAsync } from './gp-regression/index.js';
import { rbf, scale, sum, white } from './kernels/index.js';
import { SGPRModel, SVGPModel, fitSGPR, fitSGPRAsync, fitSVGP, fitSVGPAsync } from './sparse/index.js';

const X = () => Array.from({ length: 40 }, (_, i) => [i / 8]);
const y = () => X().map((r) => Math.sin(r[0] as number) + 0.1 * Math.cos(5 * (r[0] as number)));

describe('checkEstimator: fitGP', () => {
  for (const c of checkEstimator({
    name: 'fitGP',
    data: () => [X(), y()],
    fit: fitGP,
    fitAsync: fitGPAsync,
    options: { kernel: sum(scale(rbf(), 1), white(0.1)), restarts: 1 },
    slowOptions: { restarts: 1000 },
    fromJSON: (j: unknown) => GPModel.fromJSON(j as never),
    tamper: [
      { path: 'kind', value: 'gpx' },
      { path: 'version', value: 1 },
      { path: 'noise', value: -1 },
      { path: 'noise', value: null },
      { path: 'normalizeY', value: 'yes' },
      { path: 'X', value: [[0], [1]] },
      { path: 'X.0.0', value: null },
      { path: 'X.0', value: [] },
      { path: 'y.1', value: 'a' },
      { path: 'y', value: [] },
      { path: 'kernel.kind', value: 'nope' },
      { path: 'kernel.kernels', value: [] },
      { path: 'kernel.kernels.0.kernels.0.params.value.value.0', value: -1 },
      { path: 'kernel.kernels.0.kernels.1.params.lengthScale.value', value: [] },
      { path: 'kernel.kernels.0.kernels.1.params.lengthScale.bounds', value: [2, 1] },
      { path: 'kernel.kernels.1.params.noiseLevel', value: null },
      { path: 'report.reason', value: 'done' },
      { path: 'report.iterations', value: -1 },
      { path: 'report.restarts', value: 3 },
      { path: 'report.startEvaluations', value: [1] },
      { path: 'report.jitter', value: -1 },
      { path: 'report.method', value: 'qr' },
      { path: 'report.scales', value: null },
      { path: 'report.boundHits', value: [1] },
    ],
  })) test(c.name, c.run, 20_000);
});

describe('checkEstimator: fitBayesianRegression', () => {
  for (const c of checkEstimator({
    name: 'fitBayesianRegression',
    data: () => [X(), y()],
    fit: fitBayesianRegression,
    fitAsync: fitBayesianRegressionAsync,
    options: { basis: polynomialBasis(3), optimize: true, alphaPrior: [1e-6, 1e-6], betaPrior: [1e-6, 1e-6] },
    slowOptions: { tol: 0, maxIterations: 1e7 },
    fromJSON: (j: unknown) => BayesianRegressionModel.fromJSON(j as never),
    tamper: [
      { path: 'kind', value: 'blr' },
      { path: 'alpha', value: -1 },
      { path: 'beta', value: 0 },
      { path: 'mean.0', value: null },
      { path: 'mean', value: [1] },
      { path: 'covariance.0.0', value: -1 },
      { path: 'covariance.0.1', value: 1e9 },
      { path: 'covariance', value: [[1]] },
      { path: 'logEvidence', value: 'x' },
      { path: 'basis.kind', value: 'spline' },
      { path: 'basis.degree', value: 100 },
      { path: 'report.converged', value: 'yes' },
    ],
  })) test(c.name, c.run, 20_000);
});

describe('checkEstimator: minimize (Bayesian optimisation)', () => {
  for (const c of checkEstimator({
    name: 'minimize',
    data: () => [branin.f, branin.bounds],
    fit: minimize,
    fitAsync: minimizeAsync,
    options: { budget: 6, seed: 1 },
    slowOptions: { budget: 400 },
  })) test(c.name, c.run, 30_000);

  test('minimizeAsync abort: partial holds the trace and the best point so far', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 200);
    let err: { code?: string; partial?: { x: Float64Array | null; value: number | null; trace: readonly { best: number }[] } } | undefined;
    try {
      await minimizeAsync(branin.f, branin.bounds, { budget: 400, seed: 2, signal: ctrl.signal });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.code).toBe('aborted');
    const p = err?.partial;
    expect(p?.trace.length).toBeGreaterThan(0);
    expect(p?.value).toBe(Math.min(...(p?.trace ?? []).map((s) => s.best)));
  }, 30_000);

  test('BayesianOptimizer.askAsync equals ask', async () => {
    const a = new BayesianOptimizer(branin.bounds, { seed: 3 });
    const b = new BayesianOptimizer(branin.bounds, { seed: 3 });
    for (let i = 0; i < 5; i++) {
      const xa = a.ask();
      const xb = await b.askAsync();
      expect(Array.from(xb)).toEqual(Array.from(xa));
      a.tell(xa, branin.f(xa));
      b.tell(xb, branin.f(xb));
    }
  }, 30_000);
});

describe('checkEstimator: fitSGPR', () => {
  for (const c of checkEstimator({
    name: 'fitSGPR',
    data: () => [X(), y()],
    fit: fitSGPR,
    fitAsync: fitSGPRAsync,
    options: { kernel: scale(rbf(), 1), inducing: 8, seed: 1, maxIterations: 30 },
    slowOptions: { inducing: 40, maxIterations: 1e6, tol: 0, chunk: 1 },
    // 400 rows: the fit takes ~300 ms; on the 40 rows of data() it converges (gradient test) in 25–40 ms once warm,
    // so the timer-abort check failed whenever the fit ended before runFitAsync's first yield
    slowData: () => {
      const Xs = Array.from({ length: 400 }, (_, i) => [i / 80]);
      return [Xs, Xs.map((r) => Math.sin(r[0] as number) + 0.1 * Math.cos(5 * (r[0] as number)))];
    },
    fromJSON: (j: unknown) => SGPRModel.fromJSON(j as never),
    tamper: [
      { path: 'kind', value: 'svgp' },
      { path: 'noise', value: -1 },
      { path: 'jitter', value: null },
      { path: 'Z', value: [[1]] },
      { path: 'Z.0.0', value: 'a' },
      { path: 'S.0.0', value: -1 },
      { path: 'S.0.1', value: 5 },
      { path: 'r', value: [1] },
      { path: 'yStd', value: 0 },
      { path: 'elbo', value: null },
      { path: 'n', value: 0.5 },
      { path: 'kernel.kind', value: 'x' },
      { path: 'report.reason', value: 'ok' },
    ],
  })) test(c.name, c.run, 20_000);
});

describe('checkEstimator: fitSVGP', () => {
  for (const c of checkEstimator({
    name: 'fitSVGP',
    data: () => [X(), y()],
    fit: fitSVGP,
    fitAsync: fitSVGPAsync,
    options: { kernel: scale(rbf(), 1), inducing: 6, batchSize: 10, epochs: 2, seed: 1 },
    slowOptions: { epochs: 1e6, batchSize: 1 },
    fromJSON: (j: unknown) => SVGPModel.fromJSON(j as never),
    tamper: [
      { path: 'kind', value: 'sgpr' },
      { path: 'noise', value: 0 },
      { path: 'jitter', value: -1 },
      { path: 'Z', value: [[1]] },
      { path: 'lambda.0.0', value: -1 },
      { path: 'lambda.0.1', value: 7 },
      { path: 'h', value: [1] },
      { path: 'h.0', value: null },
      { path: 'yStd', value: -1 },
      { path: 'kernel.kind', value: 'x' },
      { path: 'report.iterations', value: 1.5 },
    ],
  })) test(c.name, c.run, 20_000);
});

afterAll(() => {
  for (const { name, latencyMs } of abortLatencies) console.info(`abort latency ${name}: ${latencyMs.toFixed(1)} ms`);
});
