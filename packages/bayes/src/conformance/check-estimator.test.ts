/**
 * docs/conventions.md §8: checkEstimator over every fit of @notes/bayes (report, progress, unknown option,
 * pre-aborted signal, async twin equal to the sync fit and aborted from setTimeout, JSON round trip, tampered
 * JSON rejected, caller's data unchanged). The abort latencies are printed at the end.
 */
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { createRng, sampleNormal } from '@notes/core-linalg';
import { afterAll, describe, test } from 'vitest';
import type { DPMMBase } from '../dpmm/families.js';
import { fitDPMM, fitDPMMAsync } from '../dpmm/fit-dpmm.js';
import { DPMMModel } from '../dpmm/model.js';
import { MapEstimate, mapEstimate, mapEstimateAsync } from '../map/map-estimate.js';
import { fitNCE, fitNCEAsync, NCEModel } from '../nce/fit-nce.js';
import { gaussianNoise, unnormalizedGaussian } from '../nce/gaussian-model.js';
import { CaviGaussianModel, fitCaviGaussian, fitCaviGaussianAsync } from '../variational/cavi-gaussian.js';
import { fitVariationalGMM, fitVariationalGMMAsync } from '../variational/vbgmm.js';
import { VariationalGMMModel } from '../variational/vbgmm-model.js';

function clusters(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  const centers = [[-4, 0], [4, 0], [0, 5]];
  return Array.from({ length: n }, (_, i) => (centers[i % 3] as number[]).map((m) => sampleNormal(rng, m, 0.7)));
}
function normal(n: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => sampleNormal(rng, 1.5, 0.7));
}
const NW: DPMMBase = { type: 'normal-wishart', mean: [0, 0], kappa: 0.1, df: 4, scale: [[0.5, 0], [0, 0.5]] };

/** Spins for `ms` milliseconds: a log likelihood that costs time, so the async abort has something to stop. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* busy */
  }
}
// Rosenbrock log likelihood (≈ 40 L-BFGS iterations from (−1.2, 1)); `slow` spins 5 ms per evaluation, so the fit
// outlasts the 20 ms abort timer and the 50 ms between the async driver's yields
const rosen = (slow: boolean) => (t: Float64Array) => {
  if (slow) spin(5);
  const [a, b] = [t[0] as number, t[1] as number];
  return { value: -((1 - a) ** 2 + 100 * (b - a * a) ** 2), gradient: [2 * (1 - a) + 400 * a * (b - a * a), -200 * (b - a * a)] };
};
const flatPrior = (t: Float64Array) => ({ value: 0, gradient: new Float64Array(t.length) });
// The abort checks need fits that run for seconds; the other checks run on small, fast inputs.
let slow = false;

const specs = [
  checkEstimator({
    name: 'fitVariationalGMM',
    data: () => [clusters(slow ? 6000 : 60, 1)],
    fit: fitVariationalGMM,
    fitAsync: fitVariationalGMMAsync,
    options: { components: 4, seed: 1 },
    slowOptions: { components: 12, maxIterations: 1_000_000, tol: 1e-300 },
    fromJSON: (j) => VariationalGMMModel.fromJSON(j),
    tamper: [
      { path: 'kind', value: 'gmm' },
      { path: 'version', value: 1 },
      { path: 'dimension', value: 2.5 },
      { path: 'scale', value: 3 },
      { path: 'scale', value: -1 },
      { path: 'components', value: 0 },
      { path: 'alpha.0', value: -1 },
      { path: 'alpha.1', value: null },
      { path: 'beta.0', value: 0 },
      { path: 'means.0', value: null },
      { path: 'means', value: [1, 2] },
      { path: 'nu.0', value: -1 },
      { path: 'scaleInverse.0', value: -5 },
      { path: 'scaleInverse.1', value: 99 },
      { path: 'scaleInverse', value: 'abc' },
      { path: 'report.reason', value: 'tol' },
      { path: 'report.iterations', value: -1 },
      { path: 'report', value: null },
    ],
  }),
  checkEstimator({
    name: 'fitDPMM',
    data: () => [clusters(30, 2)],
    fit: fitDPMM,
    fitAsync: fitDPMMAsync,
    options: { base: NW, iterations: 20, burnIn: 5, seed: 1 },
    slowOptions: { iterations: 2_000_000, burnIn: 10, thin: 100 },
    fromJSON: (j) => DPMMModel.fromJSON(j),
    tamper: [
      { path: 'kind', value: 'dp' },
      { path: 'version', value: 1 },
      { path: 'alpha', value: -1 },
      { path: 'alpha', value: '1' },
      { path: 'sampler', value: 'gibbs' },
      { path: 'base.kappa', value: -1 },
      { path: 'base.mean', value: null },
      { path: 'base.scale', value: [[1, 2], [2, 1]] },
      { path: 'dimension', value: 3 },
      { path: 'n', value: 0 },
      { path: 'burnIn', value: -1 },
      { path: 'numClustersTrace.0', value: 0 },
      { path: 'samples.0.0', value: 99 },
      { path: 'samples.0.0', value: -1 },
      { path: 'samples.0.1', value: 1.5 },
      { path: 'samples', value: [] },
      { path: 'stats.0.0', value: -3 },
      { path: 'stats.0.1', value: null },
      { path: 'mapAssignments.0', value: 50 },
      { path: 'mapLogJoint', value: null },
      { path: 'report.trace', value: 'x' },
      { path: 'report.reason', value: 'converged' },
    ],
  }),
  checkEstimator({
    name: 'fitCaviGaussian',
    data: () => [normal(50, 3)],
    fit: fitCaviGaussian,
    fitAsync: fitCaviGaussianAsync,
    options: { prior: { mean: 0, kappa: 0.5, shape: 2, rate: 2 } },
    timerAbort: false,
    timerAbortReason: 'every sweep is O(1) on the sufficient statistics and the fit converges in a few sweeps: no input outlasts a 20 ms timer (the pre-aborted signal is checked)',
    fromJSON: (j) => CaviGaussianModel.fromJSON(j),
    tamper: [
      { path: 'kind', value: 'cavi' },
      { path: 'qMu.mean', value: null },
      { path: 'qMu.variance', value: -1 },
      { path: 'qTau.shape', value: 0 },
      { path: 'qTau.rate', value: '2' },
      { path: 'report.reason', value: 'tol' },
    ],
  }),
  checkEstimator({
    name: 'fitNCE',
    data: () => [normal(300, 4)],
    fit: fitNCE,
    fitAsync: fitNCEAsync,
    options: { model: unnormalizedGaussian, alpha0: [0, 0], noise: gaussianNoise(0, 2), seed: 1 },
    // 300 × 400 noise points: every evaluation costs milliseconds
    slowOptions: { noiseRatio: 400 },
    fromJSON: (j) => NCEModel.fromJSON(j),
    tamper: [
      { path: 'kind', value: 'nce2' },
      { path: 'alpha.0', value: null },
      { path: 'alpha', value: [] },
      { path: 'c', value: 'x' },
      { path: 'objective', value: 3 },
      { path: 'report.iterations', value: 1.5 },
    ],
  }),
  checkEstimator({
    name: 'mapEstimate',
    data: () => [rosen(slow), flatPrior, [-1.2, 1]],
    fit: mapEstimate,
    fitAsync: mapEstimateAsync,
    options: { maxIterations: 200 },
    fromJSON: (j) => MapEstimate.fromJSON(j),
    tamper: [
      { path: 'kind', value: 'map' },
      { path: 'theta.0', value: null },
      { path: 'theta', value: [] },
      { path: 'logPosterior', value: 'x' },
      { path: 'atBounds', value: [5] },
      { path: 'report.reason', value: 'gradTol' },
    ],
  }),
];

describe('conventions §8: checkEstimator over every fit of @notes/bayes', () => {
  for (const checks of specs) {
    for (const c of checks) {
      const isAbort = c.name.includes('async twin: an abort');
      test(c.name, async () => {
        slow = isAbort;
        try {
          await c.run();
        } finally {
          slow = false;
        }
      });
    }
  }
  afterAll(() => {
    console.log(`abort latencies (ms): ${abortLatencies.map((a) => `${a.name} ${a.latencyMs.toFixed(1)}`).join(', ')}`);
  });
});
