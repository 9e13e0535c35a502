/**
 * docs/conventions.md §8: `checkEstimator` over every fit of @notes/latent (report and progress shapes,
 * unknown options, pre-aborted signal, async twin equal to the sync fit and aborted from a timer with its
 * latency recorded, JSON round trip, tampered JSON rejected, caller's data unchanged).
 */
import { createRng } from '@notes/core-linalg';
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { afterAll, describe, test } from 'vitest';
import { runEM, runEMAsync } from './em/em.js';
import { fitGaussianMixture, fitGaussianMixtureAsync } from './mixture/gaussian-mixture.js';
import { GaussianMixtureModel } from './mixture/gaussian-mixture-model.js';
import { KMeansModel, kmeans, kmeansAsync } from './mixture/kmeans.js';
import { fitMixturePPCA, fitMixturePPCAAsync } from './pca/mixture-ppca.js';
import { MixturePPCAModel } from './pca/mixture-ppca-model.js';
import { fitPCA, PCAModel } from './pca/pca.js';
import { fitPPCA, fitPPCAAsync } from './pca/ppca.js';
import { PPCAModel } from './pca/ppca-model.js';

function blobs(n: number, d: number, seed: number): number[][] {
  const r = createRng(seed);
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (i % 3) * 3 * ((j % 2) * 2 - 1) + r.normal() * (1 + 0.2 * j)));
}
const small = () => [blobs(90, 3, 1)];
const big = () => [blobs(3000, 6, 2)];

const specs = [
  {
    name: 'fitGaussianMixture',
    data: small,
    fit: fitGaussianMixture,
    fitAsync: fitGaussianMixtureAsync,
    options: { components: 3, seed: 1 },
    slowOptions: { components: 8, tol: 0, maxIterations: 1_000_000, init: 'random' },
    dataSlow: big,
    fromJSON: GaussianMixtureModel.fromJSON,
    tamper: [
      { path: 'weights.0', value: -0.5 },
      { path: 'weights.1', value: null },
      { path: 'means.0', value: null },
      { path: 'means.2', value: '1' },
      { path: 'covariances.0', value: -1 },
      { path: 'covariances.1', value: 5 },
      { path: 'components', value: 0 },
      { path: 'dimension', value: 2.5 },
      { path: 'covarianceType', value: 'banana' },
      { path: 'lowerBound', value: null },
      { path: 'regularization', value: -1 },
      { path: 'emptyComponentsReseeded', value: -1 },
      { path: 'startBounds', value: 'x' },
      { path: 'report.reason', value: 'tolerance' },
      { path: 'report.iterations', value: -1 },
    ],
  },
  {
    name: 'fitPPCA (em)',
    data: small,
    fit: fitPPCA,
    fitAsync: fitPPCAAsync,
    options: { components: 1, method: 'em', seed: 2, tol: 1e-6 },
    slowOptions: { tol: 0, maxIterations: 1_000_000 },
    dataSlow: big,
    fromJSON: PPCAModel.fromJSON,
    tamper: [
      { path: 'sigma2', value: -1 },
      { path: 'sigma2', value: 0 },
      { path: 'W.0', value: null },
      { path: 'mean.0', value: 'x' },
      { path: 'components', value: 3 },
      { path: 'method', value: 'svd' },
      { path: 'report.converged', value: 'yes' },
    ],
  },
  {
    name: 'fitPPCA (closed form)',
    data: small,
    fit: fitPPCA,
    options: { components: 2 },
    progress: false,
    signal: false,
    fromJSON: PPCAModel.fromJSON,
    tamper: [{ path: 'W.3', value: null }],
  },
  {
    name: 'fitMixturePPCA',
    data: small,
    fit: fitMixturePPCA,
    fitAsync: fitMixturePPCAAsync,
    options: { components: 2, latentDim: 1, seed: 3, tol: 1e-4 },
    slowOptions: { components: 4, tol: 0, maxIterations: 1_000_000 },
    dataSlow: big,
    fromJSON: MixturePPCAModel.fromJSON,
    tamper: [
      { path: 'weights.0', value: -1 },
      { path: 'sigma2.0', value: 0 },
      { path: 'means.0', value: null },
      { path: 'W.0', value: 'x' },
      { path: 'latentDim', value: 3 },
      { path: 'report.elapsedMs', value: -5 },
    ],
  },
  {
    name: 'fitPCA',
    data: small,
    fit: fitPCA,
    options: { components: 2 },
    progress: false,
    signal: false,
    fromJSON: PCAModel.fromJSON,
    tamper: [
      { path: 'explainedVariance.0', value: -1 },
      { path: 'mean.0', value: null },
      { path: 'components.0', value: 'x' },
      { path: 'totalVariance', value: -1 },
      { path: 'whiten', value: 1 },
    ],
  },
  {
    name: 'kmeans',
    data: small,
    fit: kmeans,
    fitAsync: kmeansAsync,
    options: { components: 3, seed: 4 },
    slowOptions: { components: 20, tol: 0, maxIterations: 1_000_000, restarts: 1000 },
    dataSlow: big,
    fromJSON: KMeansModel.fromJSON,
    tamper: [
      { path: 'labels.0', value: 7 },
      { path: 'labels.1', value: -1 },
      { path: 'centers.0', value: null },
      { path: 'inertia', value: -1 },
      { path: 'components', value: 0 },
    ],
  },
];

describe('checkEstimator over every fit of @notes/latent', () => {
  for (const s of specs) {
    const spec = {
      ...s,
      // the abort check gets the large data set (so the fit runs for seconds); every other check the small one
      data: s.data,
      fitAsync: s.fitAsync
        ? (X: unknown, o: Record<string, unknown>) => (s.fitAsync as (X: unknown, o: unknown) => Promise<unknown>)(o.signal && s.dataSlow ? (s.dataSlow()[0] as unknown) : X, o)
        : undefined,
    };
    for (const c of checkEstimator(spec as never)) test(c.name, c.run, 30_000);
  }

  // runEM is the generic driver: its own small conformance (report, unknown option, abort with partial)
  test('runEM / runEMAsync: report, unknown option, abort partial', async () => {
    const problem = { eStep: (p: number) => ({ bound: -((p - 3) ** 2), expectations: 0 }), mStep: (p: number) => p + (3 - p) / 2 };
    const r = runEM(problem, 0, { tol: 1e-12, maxIterations: 200 });
    if (!r.report.converged || r.report.criterion !== 'tol' || !Object.isFrozen(r.report)) throw new Error('runEM report');
    let err: unknown;
    try {
      runEM(problem, 0, { maxIteration: 1 } as never);
    } catch (e) {
      err = e;
    }
    if (!(err instanceof Error) || !/did you mean 'maxIterations'/.test(err.message)) throw new Error(`unknown option: ${err}`);
    const c = new AbortController();
    const slow = { eStep: (p: number) => ({ bound: -1 / (1 + p), expectations: 0 }), mStep: (p: number) => p + 1 };
    let fired = 0;
    setTimeout(() => {
      fired = performance.now();
      c.abort();
    }, 20);
    try {
      await runEMAsync(slow, 0, { tol: 0, maxIterations: 1e9, signal: c.signal });
    } catch (e) {
      err = e;
    }
    abortLatencies.push({ name: 'runEMAsync', latencyMs: performance.now() - fired });
    const partial = (err as { partial?: { params: number; report: { reason: string } } }).partial;
    if (!partial || partial.params <= 0 || partial.report.reason !== 'aborted') throw new Error('runEMAsync partial');
  });
});

afterAll(() => {
  // the figures quoted in the README and the report
  console.log(`abort latencies (ms): ${abortLatencies.map((a) => `${a.name} ${a.latencyMs.toFixed(1)}`).join(', ')}`);
});
